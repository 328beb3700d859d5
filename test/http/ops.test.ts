import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, startApp, toBase64 } from '../helpers/app.js'

let app: FastifyInstance
beforeAll(async () => {
  // inlineFlops 0: every job goes through the worker pool, so the job metrics see both paths
  app = await startApp({ workers: 1, inlineFlops: 0 })
})
afterAll(async () => {
  await app.close()
})

describe('operations endpoints', () => {
  it('/healthz answers while the process runs', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok' })
  })

  it('/readyz is 200 with the pool up and the queue empty', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ready', queued: 0, running: 0 })
  })

  it('/metrics exposes request durations by route and status, job durations by op and engine, queue depth, utilisation and process metrics', async () => {
    await post(app, '/conv2d', { input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] })
    await post(app, '/pool', { input: [[0, 1], [2, 3]], kernelSize: 2 })
    await post(app, '/conv2d', { input: [[1]], kernel: [[1, 2], [3, 4]] })
    const res = await app.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/text\/plain/)
    const text = res.body
    expect(text).toMatch(/convserve_http_request_duration_seconds_count\{method="POST",route="\/conv2d",status="200"\} 1/)
    expect(text).toMatch(/convserve_http_request_duration_seconds_count\{method="POST",route="\/conv2d",status="400"\} 1/)
    expect(text).toMatch(/convserve_job_duration_seconds_count\{op="conv2d",engine="(reference|onnxruntime)"\} 1/)
    expect(text).toMatch(/convserve_job_duration_seconds_count\{op="pool",engine="(reference|onnxruntime)"\} 1/)
    expect(text).toMatch(/convserve_jobs_total\{op="conv2d",engine="\w+",outcome="ok"\} 1/)
    expect(text).toMatch(/^convserve_job_queue_depth 0$/m)
    expect(text).toMatch(/^convserve_pool_utilization [\d.e-]+$/m)
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m)
  })

  it('Server-Timing carries queue, compute, codec, hop and total in milliseconds, and total ≥ compute + codec + hop', async () => {
    const input = { shape: [1, 4, 16, 16], dtype: 'float32', base64: toBase64(new Array(1024).fill(0.5)) }
    const weight = { shape: [4, 4, 3, 3], dtype: 'float32', base64: toBase64(new Array(144).fill(0.25)) }
    const res = await post(app, '/conv2d', { input, weight })
    const timing = res.headers['server-timing'] as string
    const dur = (name: string) => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(timing)?.[1])
    expect(dur('queue')).toBeGreaterThanOrEqual(0)
    expect(dur('compute')).toBeGreaterThan(0)
    expect(dur('codec')).toBeGreaterThanOrEqual(0)
    // this job (56 kFLOPs) runs on a worker: the passage there and back is never free
    expect(dur('hop')).toBeGreaterThan(0)
    expect(dur('total')).toBeGreaterThanOrEqual(dur('compute') + dur('codec') + dur('hop'))
  })

  it('/metrics observes each worker job\'s hop by op (convserve_job_hop_seconds)', async () => {
    const hops = async () => {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
      const count = Number(/^convserve_job_hop_seconds_count\{op="conv2d"\} (\d+)$/m.exec(text)?.[1] ?? 0)
      const sum = Number(/^convserve_job_hop_seconds_sum\{op="conv2d"\} ([\d.e-]+)$/m.exec(text)?.[1] ?? 0)
      return { count, sum }
    }
    const before = await hops()
    await post(app, '/conv2d', { input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] })
    const after = await hops()
    expect(after.count).toBe(before.count + 1)
    expect(after.sum).toBeGreaterThan(before.sum)
  })

  it('an outputFormat other than the input form is honoured', async () => {
    const res = await post(app, '/conv2d', { input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]], outputFormat: 'flat' })
    expect(res.json()).toEqual({ output: { shape: [2, 2], data: [19, 25, 37, 43] } })
  })

  it('results are printed as the float32 shortest decimal (0.1, not 0.10000000149011612)', async () => {
    const res = await post(app, '/conv2d', { input: [[0.1]], kernel: [[1]] })
    expect(res.body).toBe('{"output":[[0.1]]}')
  })

  it('a NaN result travels as null in nested form and bit-exact in base64', async () => {
    const nan = { shape: [1, 1], dtype: 'float32', base64: toBase64([Number.NaN]) }
    const asNested = await post(app, '/conv2d', { input: nan, kernel: [[1]], outputFormat: 'nested' })
    expect(asNested.json()).toEqual({ output: [[null]] })
    const asBase64 = await post(app, '/conv2d', { input: nan, kernel: [[1]] })
    const bytes = Buffer.from(asBase64.json().output.base64, 'base64')
    expect(Number.isNaN(bytes.readFloatLE(0))).toBe(true)
  })
})

describe('security headers', () => {
  it('compute replies carry the API set; Swagger UI and the playground the document policy', async () => {
    const compute = await post(app, '/conv2d', { input: [[1]], kernel: [[1]] })
    expect(compute.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cache-control': 'no-store',
    })
    for (const url of ['/docs/', '/']) {
      const page = await app.inject({ method: 'GET', url })
      expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/)
      expect(page.headers['x-content-type-options']).toBe('nosniff')
    }
  })

  it('a compute route with a query string gets the API set; an unknown route still gets security headers', async () => {
    const figure = await app.inject({
      method: 'POST',
      url: '/conv2d?highlight=0,0',
      payload: { input: [[1, 2], [3, 4]], kernel: [[1]] },
      headers: { accept: 'image/svg+xml' },
    })
    expect(figure.statusCode).toBe(200)
    expect(figure.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'")
    const missing = await app.inject({ method: 'GET', url: '/nowhere?x=1' })
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['x-content-type-options']).toBe('nosniff')
    expect(missing.headers['content-security-policy']).toMatch(/default-src 'self'/)
  })
})

describe('a job run inline', () => {
  let inlineApp: FastifyInstance
  beforeAll(async () => {
    inlineApp = await startApp({ workers: 1 })
  })
  afterAll(async () => {
    await inlineApp.close()
  })

  it('never leaves the main thread: hop 0 in Server-Timing, no hop observed in /metrics', async () => {
    const res = await post(inlineApp, '/conv2d', { input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] })
    expect(res.headers['server-timing']).toMatch(/hop;dur=0\.000,/)
    const text = (await inlineApp.inject({ method: 'GET', url: '/metrics' })).body
    expect(text).toMatch(/^convserve_jobs_total\{op="conv2d",engine="reference",outcome="ok"\} 1$/m)
    expect(text).not.toMatch(/^convserve_job_hop_seconds_count\{op="conv2d"\}/m)
  })
})
