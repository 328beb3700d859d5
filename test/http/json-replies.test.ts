import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { encodeTensor } from '../../src/codec/encode.js'
import { conv2d } from '../../src/core/conv2d.js'
import { resolveConv2d, resolvePool2d } from '../../src/core/geometry.js'
import { pool2d } from '../../src/core/pool2d.js'
import { replySpecFor } from '../../src/http/request-job.js'
import type { JobSpec } from '../../src/jobs/task.js'
import { post, startApp } from '../helpers/app.js'

/**
 * Nested and flat replies of jobs that run on a worker are encoded there (jobs/task.ts,
 * replyBody), as base64 ones are: the main thread only sends the bytes. Under ENGINE=reference
 * the worker's numbers are the core's, so each reply must be, byte for byte, the JSON text of the
 * core's result in the asked form — what the main thread's serializer gave before.
 */
const H = 12
const input = Array.from({ length: 2 * H * H }, (_, i) => Math.round(Math.sin(i * 1.3) * 1000) / 250)
const weight = Array.from({ length: 3 * 2 * 9 }, (_, i) => Math.round(Math.cos(i) * 100) / 64)

describe('nested and flat replies built on the worker', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await startApp({ workers: 1, inlineFlops: 0, engine: 'reference' })
  })
  afterAll(async () => {
    await app.close()
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })
  /** the reply spec the route handed the scheduler: the worker builds the body from it */
  const specOfLastRun = (run: { mock: { calls: unknown[][] } }) => run.mock.calls.at(-1)?.[2]

  it.each(['nested', 'flat'] as const)('conv2d x=[1,2,12,12] k=3 p=1 Cout=3, outputFormat %s: the JSON text of the core\'s output', async (form) => {
    const g = resolveConv2d([1, 2, H, H], [3, 2, 3, 3], undefined, { padding: 1 })
    const want = JSON.stringify({ output: encodeTensor(conv2d(g, Float32Array.from(input), Float32Array.from(weight)), g.wireOutputShape, form) })
    const run = vi.spyOn(app.scheduler, 'run')
    const res = await post(app, '/conv2d', { input: { shape: [1, 2, H, H], data: input }, weight: { shape: [3, 2, 3, 3], data: weight }, padding: 1, outputFormat: form })
    expect(res.statusCode).toBe(200)
    expect(specOfLastRun(run)).toEqual({ form, tensors: [{ name: 'output', shape: [1, 3, H, H] }] })
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.body).toBe(want)
  })

  it.each(['nested', 'flat'] as const)('max pool x=[2,12,12] k=3 s=2 with indices (rank 3 kept), outputFormat %s', async (form) => {
    const g = resolvePool2d([2, H, H], { mode: 'max', kernelSize: 3, stride: 2, returnIndices: true })
    const r = pool2d(g, Float32Array.from(input))
    const want = JSON.stringify({ output: encodeTensor(r.output, g.wireOutputShape, form), indices: encodeTensor(r.indices!, g.wireOutputShape, form) })
    const run = vi.spyOn(app.scheduler, 'run')
    const res = await post(app, '/pool', { input: { shape: [2, H, H], data: input }, kernelSize: 3, stride: 2, returnIndices: true, outputFormat: form })
    expect(res.statusCode).toBe(200)
    expect(specOfLastRun(run)).toEqual({ form, tensors: [{ name: 'output', shape: [2, 5, 5] }, { name: 'indices', shape: [2, 5, 5] }] })
    expect(res.body).toBe(want)
  })

  it('a non-finite result travels as null in the JSON forms', async () => {
    // 1e30 × 1e30 overflows float32
    const res = await post(app, '/conv2d', { input: { shape: [1, 1, 4, 4], data: new Array(16).fill(1e30) }, weight: [[1e30]], outputFormat: 'flat' })
    expect(res.statusCode).toBe(200)
    // a rank-2 weight: one output channel, no channel axis in the output (the rank rules)
    expect(res.json()).toEqual({ output: { shape: [1, 4, 4], data: new Array(16).fill(null) } })
  })
})

describe('replySpecFor', () => {
  const job = (flops: number): JobSpec => {
    const geometry = resolveConv2d([1, 1, 8, 8], [1, 1, 3, 3], undefined, {})
    return { op: 'conv2d', geometry: { ...geometry, flops }, input: new Float32Array(64), weight: new Float32Array(9) }
  }
  const scheduler = { runsInline: (j: JobSpec) => j.geometry.flops <= 50_000 } as Parameters<typeof replySpecFor>[0]
  const tensors = [{ name: 'output' as const, shape: [1, 1, 6, 6] }]

  it('base64 is built where the job runs, inline or not', () => {
    expect(replySpecFor(scheduler, job(100), 'base64', tensors)).toEqual({ form: 'base64', tensors })
    expect(replySpecFor(scheduler, job(1e6), 'base64', tensors)).toEqual({ form: 'base64', tensors })
  })

  it('the JSON number forms are built on the worker, and an inline job keeps the route\'s serializer', () => {
    for (const form of ['nested', 'flat'] as const) {
      expect(replySpecFor(scheduler, job(1e6), form, tensors)).toEqual({ form, tensors })
      expect(replySpecFor(scheduler, job(100), form, tensors)).toBeUndefined()
    }
  })
})
