import http from 'node:http'
import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { resolveConv2d } from '../../src/core/geometry.js'
import { MIN_PIECE_BYTES, readBodyChunks } from '../../src/http/body-chunks.js'
import { fromBase64, startApp, toBase64 } from '../helpers/app.js'
import { assertClose } from '../helpers/conformance.js'

/**
 * The JSON body is read as the chunks it arrives in (http/body-chunks.ts) and a large one is cut
 * into its base64 strings without joining them (codec/large-body.ts), so these go over a real
 * socket: a body in many small pieces, bodies over the limit with and without Content-Length,
 * and a client that leaves in the middle of its body.
 */
const LIMIT = 400_000

function bigJob() {
  const c = 16
  const h = 40
  const input = Array.from({ length: c * h * h }, (_, i) => Math.sin(i / 3))
  const weight = Array.from({ length: c * c * 9 }, (_, i) => Math.cos(i) / 4)
  const geometry = resolveConv2d([1, c, h, h], [c, c, 3, 3], undefined, { padding: 1 })
  const body = JSON.stringify({
    input: { shape: [1, c, h, h], dtype: 'float32', base64: toBase64(input) },
    weight: { shape: [c, c, 3, 3], dtype: 'float32', base64: toBase64(weight) },
    padding: 1,
  })
  return { body: Buffer.from(body), expected: conv2d(geometry, new Float32Array(input), new Float32Array(weight)) }
}

interface Answer {
  readonly status: number
  readonly json: { output?: { base64: string }; code?: string; message?: string }
}

/** POSTs `pieces` one write at a time, each after the last has drained; no Content-Length unless given */
function send(url: string, pieces: Buffer[], headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/conv2d`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Answer['json'] }))
    })
    // the server may answer (413) and close before all is written
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)))
    let i = 0
    const next = () => {
      if (i === pieces.length) {
        req.end()
        return
      }
      if (req.write(pieces[i++]!)) setImmediate(next)
      else req.once('drain', next)
    }
    next()
  })
}

const cut = (bytes: Buffer, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size))

describe('request bodies read as their chunks', () => {
  let app: FastifyInstance
  let url: string
  const job = bigJob()
  beforeAll(async () => {
    app = await startApp({ workers: 1, bodyLimit: LIMIT, inlineFlops: 0 })
    url = await app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => {
    await app.close()
  })

  it(`a ${Math.round(bigJob().body.length / 1000)} kB base64 body in 7,777-byte writes without Content-Length gets the job's output`, async () => {
    expect(job.body.length).toBeGreaterThan(140_000)
    const answer = await send(url, cut(job.body, 7_777))
    expect(answer.status, JSON.stringify(answer.json)).toBe(200)
    assertClose(fromBase64(answer.json.output!.base64), job.expected, { rtol: 0, atol: 1e-4 }, 'chunked body')
  })

  it('the same body in one write with Content-Length gets the same output', async () => {
    const answer = await send(url, [job.body], { 'content-length': String(job.body.length) })
    expect(answer.status).toBe(200)
    assertClose(fromBase64(answer.json.output!.base64), job.expected, { rtol: 0, atol: 1e-4 }, 'one write')
  })

  it(`a body past BODY_LIMIT (${LIMIT}) without Content-Length: 413 BODY_TOO_LARGE naming the limit`, async () => {
    const big = Buffer.alloc(LIMIT + 50_000, 0x20)
    const answer = await send(url, cut(big, 16_384))
    expect(answer.status).toBe(413)
    expect(answer.json.code).toBe('BODY_TOO_LARGE')
    expect(answer.json.message).toContain(String(LIMIT))
  })

  it('a Content-Length past BODY_LIMIT: 413 BODY_TOO_LARGE before the body is read', async () => {
    const answer = await send(url, [Buffer.from('{}')], { 'content-length': String(LIMIT + 1) })
    expect(answer.status).toBe(413)
    expect(answer.json.code).toBe('BODY_TOO_LARGE')
  })

  it('a client that leaves halfway through its body leaves the service answering the next one', async () => {
    await new Promise<void>((resolve) => {
      const req = http.request(`${url}/conv2d`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(job.body.length) } })
      req.on('error', () => resolve())
      req.write(job.body.subarray(0, 60_000), () => setTimeout(() => req.destroy(), 20))
      req.on('close', () => resolve())
    })
    const answer = await send(url, cut(job.body, 50_000), { 'content-length': String(job.body.length) })
    expect(answer.status).toBe(200)
    assertClose(fromBase64(answer.json.output!.base64), job.expected, { rtol: 0, atol: 1e-4 }, 'after a client left')
  })
})

describe('readBodyChunks', () => {
  const read = (pieces: Buffer[]) =>
    new Promise<{ chunks: Buffer[]; length: number }>((resolve, reject) => {
      readBodyChunks({}, Readable.from(pieces), 1 << 30, (error, chunks, length) => (error ? reject(error) : resolve({ chunks, length })))
    })
  const body = Buffer.from(Array.from({ length: 300_000 }, (_, i) => 65 + (i % 26)))

  it(`gathers chunks under ${MIN_PIECE_BYTES} bytes into pieces of at least that size, and passes larger ones on as they came`, async () => {
    // 2,703 chunks of 37 bytes, one of 80 kB, 24,000 of 5 bytes: a client sending tiny segments
    const big = Buffer.from(body.subarray(100_000, 180_000))
    const { chunks, length } = await read([...cut(body.subarray(0, 100_000), 37), big, ...cut(body.subarray(180_000), 5)])
    expect(length).toBe(body.length)
    expect(Buffer.concat(chunks).equals(body)).toBe(true)
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(body.length / MIN_PIECE_BYTES) + 2)
    expect(chunks).toContain(big) // not copied
    // short pieces only where a run of small chunks ended: before the large chunk, and at the end
    expect(chunks.filter((c) => c.length < MIN_PIECE_BYTES)).toHaveLength(2)
  })

  it('a body of one small chunk is that chunk, not a copy', async () => {
    const toy = Buffer.from('{"input":[[1]],"kernel":[[1]]}')
    const { chunks } = await read([toy])
    expect(chunks).toHaveLength(1)
    expect(chunks[0]).toBe(toy)
  })
})
