import type { FastifyInstance } from 'fastify'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { resolveConv2d } from '../../src/core/geometry.js'
import { fromBase64, startApp, toBase64 } from '../helpers/app.js'
import { assertClose } from '../helpers/conformance.js'

/**
 * Large base64 replies are written by the workers into shared buffers that serve reply after
 * reply (jobs/reply-buffers.ts). A buffer handed out again too early would show as one client
 * reading another's numbers: a reply held up by a client that reads slowly (the case that fails
 * every time when a buffer is released before its reply is out), many different jobs at once,
 * and clients that leave in the middle of a reply.
 */
const C = 8
const H = 48 // output 1×8×48×48 float32 = 73,728 bytes: a shared buffer of 128 kB per reply

function job(seed: number) {
  const input = Array.from({ length: C * H * H }, (_, i) => Math.sin(seed * 7.1 + i))
  const weight = Array.from({ length: C * C * 9 }, (_, i) => Math.cos(seed + i) / 8)
  const geometry = resolveConv2d([1, C, H, H], [C, C, 3, 3], undefined, { padding: 1 })
  const expected = conv2d(geometry, new Float32Array(input), new Float32Array(weight))
  const body = JSON.stringify({
    input: { shape: [1, C, H, H], dtype: 'float32', base64: toBase64(input) },
    weight: { shape: [C, C, 3, 3], dtype: 'float32', base64: toBase64(weight) },
    padding: 1,
  })
  return { body, expected }
}

/** onnxruntime and the core round differently; another job's numbers differ by far more */
const CLOSE = { rtol: 0, atol: 1e-4 }

describe('shared reply buffers over HTTP', () => {
  let app: FastifyInstance
  let url: string
  // connections of this file's own, closed before the app (the leavers' sockets included)
  const dispatcher = new Agent()
  beforeAll(async () => {
    // every body takes the large-body path and every job a worker
    app = await startApp({ workers: 2, largeBodyBytes: 0, inlineFlops: 0 })
    url = await app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => {
    await dispatcher.destroy()
    await app.close()
  })

  it('40 different jobs, 10 at a time, each get exactly their own output', async () => {
    const jobs = Array.from({ length: 40 }, (_, i) => job(i))
    let next = 0
    const check = async () => {
      while (next < jobs.length) {
        const { body, expected } = jobs[next++]!
        const res = await request(`${url}/conv2d`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher })
        expect(res.statusCode).toBe(200)
        const reply = (await res.body.json()) as { output: { shape: number[]; base64: string } }
        expect(reply.output.shape).toEqual([1, C, H, H])
        assertClose(fromBase64(reply.output.base64), expected, CLOSE, `job ${jobs.findIndex((j) => j.body === body)}`)
      }
    }
    await Promise.all(Array.from({ length: 10 }, check))
  })

  it('a reply still waiting to be sent is never handed to the next job (a client that reads slowly)', async () => {
    // max pooling with a 1×1 window answers its input: the reply's base64 must equal the request's.
    // ~8 MB of reply: more than the kernel's socket buffers hold, so while A's client does not
    // read, most of A's reply waits in the server's own write queue, in A's shared buffer
    const side = 1225
    const job = (seed: number) => {
      const base64 = toBase64(Array.from({ length: side * side }, (_, i) => Math.sin(seed * 13.7 + i)))
      return { base64, body: JSON.stringify({ input: { shape: [1, 1, side, side], dtype: 'float32', base64 }, mode: 'max', kernelSize: 1 }) }
    }
    const a = job(1)
    const b = job(2)
    const post = (body: string) => request(`${url}/pool`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher })
    const resA = await post(a.body) // its headers are here; its body is not read yet
    const resB = await post(b.body)
    expect(((await resB.body.json()) as { output: { base64: string } }).output.base64 === b.base64).toBe(true)
    expect(((await resA.body.json()) as { output: { base64: string } }).output.base64 === a.base64).toBe(true)
  })

  it('clients that leave mid-reply do not disturb the replies after them', async () => {
    const jobs = Array.from({ length: 12 }, (_, i) => job(100 + i))
    const leavers = jobs.slice(0, 6).map(async ({ body }) => {
      const controller = new AbortController()
      const res = await request(`${url}/conv2d`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal: controller.signal, dispatcher })
      // read the first piece of the reply, then go
      for await (const _chunk of res.body) {
        controller.abort()
        break
      }
    })
    await Promise.allSettled(leavers)
    for (const { body, expected } of jobs.slice(6)) {
      const res = await request(`${url}/conv2d`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher })
      const reply = (await res.body.json()) as { output: { base64: string } }
      assertClose(fromBase64(reply.output.base64), expected, CLOSE, 'after the leavers')
    }
  })
})
