import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConvserveError, ConvserveTransportError, createClient } from '../../src/client/index.js'
import { K, X, startServer, type LiveServer } from './server.js'

/** Resolves with the error a promise rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail')
}

describe('client errors: 400 and 413 as typed ConvserveError', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startServer({ maxElements: 100 })
  })
  afterAll(async () => {
    await server.app.close()
  })

  it('400 carries the service code, status and message', async () => {
    const client = createClient({ baseUrl: server.url })
    const error = await failure(client.conv2d([[0, 1], [2, 3]], X))
    expect(error).toBeInstanceOf(ConvserveError)
    const e = error as ConvserveError
    expect(e.status).toBe(400)
    expect(e.code).toBe('KERNEL_TOO_LARGE')
    expect(e.message).toMatch(/kernel 3×3 .* larger than the padded input 2×2/)
    // the id of the server's log line for this request, to quote when reporting it
    expect(e.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    await client.close()
  })

  it('400 for a parameter the schema refuses (groups 0)', async () => {
    const client = createClient({ baseUrl: server.url })
    const e = (await failure(client.conv2d(X, K, { groups: 0 }))) as ConvserveError
    expect(e).toBeInstanceOf(ConvserveError)
    expect(e.status).toBe(400)
    expect(e.message).toMatch(/groups/)
    await client.close()
  })

  it('413 when a tensor has more elements than MAX_ELEMENTS', async () => {
    const client = createClient({ baseUrl: server.url })
    const big = { shape: [11, 11], data: new Float32Array(121) }
    const e = (await failure(client.conv2d(big, K))) as ConvserveError
    expect(e).toBeInstanceOf(ConvserveError)
    expect(e.status).toBe(413)
    expect(e.code).toBe('TENSOR_TOO_LARGE')
    // a 413 is not retried and is not a transport failure
    expect(e).not.toBeInstanceOf(ConvserveTransportError)
    await client.close()
  })
})

describe('client errors: 401 with API keys set', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startServer({ apiKeys: ['k-one', 'k-two'] })
  })
  afterAll(async () => {
    await server.app.close()
  })

  it('no key and a wrong key are a 401 UNAUTHORIZED; a listed key computes', async () => {
    const anonymous = createClient({ baseUrl: server.url })
    const wrong = createClient({ baseUrl: server.url, apiKey: 'nope' })
    const right = createClient({ baseUrl: server.url, apiKey: 'k-two' })
    for (const client of [anonymous, wrong]) {
      const e = (await failure(client.conv2d(X, K))) as ConvserveError
      expect(e).toBeInstanceOf(ConvserveError)
      expect(e.status).toBe(401)
      expect(e.code).toBe('UNAUTHORIZED')
    }
    expect(Array.from((await right.conv2d(X, K)).output.data)).toEqual([19, 25, 37, 43])
    // the operations endpoints stay open
    expect(await anonymous.health()).toEqual({ status: 'ok' })
    await Promise.all([anonymous.close(), wrong.close(), right.close()])
  })
})

describe('client errors: no server', () => {
  it('a refused connection is a ConvserveTransportError of kind "network"', async () => {
    // a port that was just free: bind, read it, release it
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address() as { port: number }
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}` })
    const e = (await failure(client.health())) as ConvserveTransportError
    expect(e).toBeInstanceOf(ConvserveTransportError)
    expect(e.kind).toBe('network')
    expect(e.cause).toBeDefined()
    await client.close()
  })
})
