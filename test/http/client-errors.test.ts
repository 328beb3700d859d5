import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientErrorHandler } from '../../src/http/client-errors.js'
import { startApp } from '../helpers/app.js'

/**
 * Requests that never become one (http/client-errors.ts), over a real socket: a stalled body past
 * REQUEST_TIMEOUT_MS, headers over Node's size limit, bytes that are not HTTP. Each gets the
 * usual coded JSON body and its connection closed, and other connections are served meanwhile.
 */
const TIMEOUT_MS = 1000
let app: FastifyInstance
let port: number
beforeAll(async () => {
  app = await startApp({ requestTimeoutMs: TIMEOUT_MS })
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = (app.server.address() as AddressInfo).port
})
afterAll(async () => {
  await app.close()
})

/** Writes `text` on a fresh connection and reads until the server closes it. */
function exchange(text: string): Promise<{ raw: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let raw = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (raw += chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve({ raw, closedAfterMs: performance.now() - started }))
  })
}

function parse(raw: string) {
  const [head, body] = raw.split('\r\n\r\n')
  return { status: Number(head!.split(' ')[1]), head: head!.toLowerCase(), body: JSON.parse(body!) as Record<string, unknown> }
}

const TEXTBOOK = JSON.stringify({ input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] })

describe('the server\'s request timers', () => {
  it.each([
    [120_000, 120_000, 60_000],
    [30_000, 30_000, 30_000],
    [0, 0, 60_000],
  ])('REQUEST_TIMEOUT_MS=%i: requestTimeout %i, headersTimeout %i (never longer, or Node ignores requestTimeout)', async (requestTimeoutMs, request, headers) => {
    const other = await startApp({ requestTimeoutMs })
    try {
      expect(other.server.requestTimeout).toBe(request)
      expect(other.server.headersTimeout).toBe(headers)
    } finally {
      await other.close()
    }
  })
})

describe('connection errors answered with coded bodies', () => {
  it(`a body that stalls past REQUEST_TIMEOUT_MS=${TIMEOUT_MS} is a 408 REQUEST_TIMEOUT, the connection closed; a request beside it is answered`, async () => {
    const stalled = exchange(`POST /conv2d HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${TEXTBOOK.length}\r\n\r\n${TEXTBOOK.slice(0, 10)}`)
    const beside = await app.inject({ method: 'POST', url: '/conv2d', payload: JSON.parse(TEXTBOOK) as object })
    expect(beside.json()).toEqual({ output: [[19, 25], [37, 43]] })
    const { raw } = await stalled
    const res = parse(raw)
    expect(res.status).toBe(408)
    expect(res.head).toContain('connection: close')
    expect(res.body).toEqual({
      statusCode: 408,
      error: 'Request Timeout',
      code: 'REQUEST_TIMEOUT',
      message: `the request was not received in time: ${TIMEOUT_MS} ms for all of it (REQUEST_TIMEOUT_MS), ${TIMEOUT_MS} ms for its headers`,
    })
  })

  it('a request sent whole and slowly but within the time is answered', async () => {
    const { raw } = await new Promise<{ raw: string }>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      let raw = ''
      socket.setEncoding('utf8')
      socket.on('data', (c: string) => {
        raw += c
        if (raw.includes('\r\n\r\n') && raw.endsWith('}')) socket.end()
      })
      socket.on('error', reject)
      socket.on('close', () => resolve({ raw }))
      socket.write(`POST /conv2d HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${TEXTBOOK.length}\r\n\r\n${TEXTBOOK.slice(0, 10)}`)
      setTimeout(() => socket.write(TEXTBOOK.slice(10)), 100)
    })
    const res = parse(raw)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ output: [[19, 25], [37, 43]] })
  })

  it('headers over the size limit are a 431 HEADERS_TOO_LARGE naming the limit', async () => {
    const { raw } = await exchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    const res = parse(raw)
    expect(res.status).toBe(431)
    expect(res.body).toMatchObject({ statusCode: 431, code: 'HEADERS_TOO_LARGE' })
    expect(res.body['message']).toMatch(/limit of 16384 bytes/)
  })

  it('bytes that are not HTTP are a 400 INVALID_HTTP naming the parser\'s finding', async () => {
    const { raw } = await exchange('HELLO\r\n\r\n')
    const res = parse(raw)
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'INVALID_HTTP' })
    expect(res.body['message']).toMatch(/^the request is not valid HTTP\/1\.1 \(HPE_/)
  })
})

describe('clientErrorHandler on its own', () => {
  const answer = (requestTimeoutMs: number, code: string, destroyed = false) => {
    let written = ''
    let closed = false
    const socket = { destroyed, writable: !destroyed, write: (t: string) => (written += t), destroy: () => (closed = true) }
    const fastify = { log: { debug: () => undefined } }
    clientErrorHandler(requestTimeoutMs).call(fastify as never, Object.assign(new Error('x'), { code }), socket as never)
    return { written, closed, body: written ? (JSON.parse(written.split('\r\n\r\n')[1]!) as Record<string, unknown>) : undefined }
  }

  it('REQUEST_TIMEOUT_MS=0 (off): a 408 from the headers\' own 60 s timer names that one only', () => {
    const { body, closed } = answer(0, 'ERR_HTTP_REQUEST_TIMEOUT')
    expect(body).toMatchObject({ statusCode: 408, code: 'REQUEST_TIMEOUT', message: "the request's headers were not received within 60000 ms" })
    expect(closed).toBe(true)
  })

  it('a reset or already destroyed connection gets nothing written', () => {
    expect(answer(1000, 'ECONNRESET').written).toBe('')
    expect(answer(1000, 'HPE_INVALID_METHOD', true).written).toBe('')
  })
})

describe('IDLE_TIMEOUT_MS: a client that stops reading its reply', () => {
  it('a 22 MB base64 reply never read: the server closes the connection once nothing has moved for IDLE_TIMEOUT_MS, and answers on', async () => {
    const idle = await startApp({ idleTimeoutMs: 1500, jobTimeoutMs: 1000 })
    await idle.listen({ port: 0, host: '127.0.0.1' })
    const idlePort = (idle.server.address() as AddressInfo).port
    const connections = () => new Promise<number>((resolve, reject) => idle.server.getConnections((e, n) => (e ? reject(e) : resolve(n))))
    try {
      expect(idle.server.timeout).toBe(1500)
      // a 1×1 identity conv over 2048×2048: the reply is as large as the 22 MB body, far more than
      // the two sockets' buffers hold
      const n = 2048 * 2048
      const base64 = Buffer.from(new Float32Array(n).fill(0.5).buffer).toString('base64')
      const body = JSON.stringify({ input: { shape: [1, 1, 2048, 2048], dtype: 'float32', base64 }, weight: [[1]], outputFormat: 'base64' })
      const socket = connect(idlePort, '127.0.0.1')
      let received = 0
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length
        // read the first bytes of the answer, then nothing more
        socket.pause()
      })
      socket.on('error', () => undefined)
      socket.write(`POST /conv2d HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
      const until = async (what: () => Promise<boolean>, ms: number) => {
        const deadline = performance.now() + ms
        while (!(await what())) {
          if (performance.now() > deadline) return false
          await new Promise((r) => setTimeout(r, 50))
        }
        return true
      }
      expect(await until(async () => received > 0, 20_000)).toBe(true)
      expect(await connections()).toBe(1)
      // the answer has started and stalled: within the idle time and the timer's slack it is closed
      expect(await until(async () => (await connections()) === 0, 8_000)).toBe(true)
      expect(received).toBeLessThan(base64.length)
      socket.destroy()
      const res = await fetch(`http://127.0.0.1:${idlePort}/conv2d`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: TEXTBOOK })
      expect(await res.json()).toEqual({ output: [[19, 25], [37, 43]] })
    } finally {
      await idle.close()
    }
  }, 40_000)
})
