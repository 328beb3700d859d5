import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConvserveError, createClient, parseServerTiming, type RetryInfo } from '../../src/client/index.js'
import { retryAfterMs } from '../../src/client/retry.js'
import { fromBase64Wire, toBase64Wire } from '../../src/client/tensor.js'

describe('parseServerTiming', () => {
  it('reads the service header: queue, compute with its engine, codec, hop, total', () => {
    expect(parseServerTiming('queue;dur=0.012, compute;dur=1.234;desc="onnxruntime", codec;dur=0.35, hop;dur=0.21, total;dur=2.345')).toEqual({
      queue: 0.012,
      compute: 1.234,
      engine: 'onnxruntime',
      codec: 0.35,
      hop: 0.21,
      total: 2.345,
    })
  })

  it('ignores other metrics (a proxy\'s) and joins repeated headers', () => {
    expect(parseServerTiming(['cdn-cache;desc=HIT, edge;dur=4', 'compute;dur=2;desc=reference'])).toEqual({ compute: 2, engine: 'reference' })
  })

  it('is undefined without the header or without any known duration', () => {
    expect(parseServerTiming(undefined)).toBeUndefined()
    expect(parseServerTiming('edge;dur=4')).toBeUndefined()
  })
})

describe('retryAfterMs', () => {
  it('reads delta-seconds and an HTTP-date (RFC 9110), refuses anything else', () => {
    expect(retryAfterMs('3')).toBe(3000)
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0)
    expect(retryAfterMs('soon')).toBeUndefined()
    expect(retryAfterMs(undefined)).toBeUndefined()
  })
})

describe('base64 tensor wire', () => {
  it('encodes little-endian float32 and decodes to the same values', () => {
    const wire = toBase64Wire([[1.5, -2], [3.25, 0]])
    expect(wire).toEqual({ shape: [2, 2], dtype: 'float32', base64: Buffer.from(new Float32Array([1.5, -2, 3.25, 0]).buffer).toString('base64') })
    expect(Array.from(fromBase64Wire(wire).data)).toEqual([1.5, -2, 3.25, 0])
  })

  it('rounds plain numbers to float32 as the server would', () => {
    const { data } = fromBase64Wire(toBase64Wire({ shape: [1], data: [0.1] }))
    expect(data[0]).toBe(Math.fround(0.1))
  })

  it('refuses a reply whose byte count does not match its shape', () => {
    expect(() => fromBase64Wire({ shape: [3], base64: 'AAAAAA==' })).toThrow(/4 bytes for shape \[3\]/)
  })
})

describe('Retry-After cap and non-service replies (a stand-in server)', () => {
  // Plays a proxy that asks for an hour's wait and then answers with HTML: the service never does either.
  let server: Server
  let url: string
  let hits = 0
  beforeAll(async () => {
    server = createServer((_request, response) => {
      hits++
      if (hits === 1) {
        response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '3600' })
        response.end(JSON.stringify({ statusCode: 503, error: 'Service Unavailable', code: 'QUEUE_FULL', message: 'busy' }))
      } else {
        response.writeHead(502, { 'content-type': 'text/html' })
        response.end('<html>bad gateway</html>')
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('waits at most maxRetryDelayMs, then reports a non-JSON reply as UNEXPECTED_RESPONSE', async () => {
    const seen: RetryInfo[] = []
    const client = createClient({ baseUrl: url, maxRetryDelayMs: 20, onRetry: (info) => void seen.push(info) })
    const e = (await client.shape({ op: 'pool', inputShape: [4, 4], kernelSize: 2 }).catch((error: unknown) => error)) as ConvserveError
    expect(seen).toHaveLength(1)
    expect(seen[0]!.error.retryAfter).toBe(3600)
    expect(seen[0]!.delayMs).toBe(20)
    expect(e).toBeInstanceOf(ConvserveError)
    expect(e.status).toBe(502)
    expect(e.code).toBe('UNEXPECTED_RESPONSE')
    expect(e.message).toMatch(/bad gateway/)
    await client.close()
  })
})
