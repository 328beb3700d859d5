import type { Piscina } from 'piscina'
import { describe, expect, it } from 'vitest'
import { resolveConv2d } from '../../src/core/geometry.js'
import type { JobResult } from '../../src/engines/types.js'
import { ApiError } from '../../src/errors.js'
import { ReplyBuffers } from '../../src/jobs/reply-buffers.js'
import { Scheduler } from '../../src/jobs/scheduler.js'
import type { JobSpec } from '../../src/jobs/task.js'

/**
 * The scheduler in front of a stand-in for piscina whose runs settle only when the test says so,
 * so the order of events between threads can be pinned down.
 */
class HeldPool {
  readonly runs: { settle(result: JobResult & { workerMs: number }): void; fail(error: Error): void }[] = []
  readonly threads = [{}, {}]
  readonly utilization = 0
  run(): Promise<unknown> {
    return new Promise((resolve, reject) => this.runs.push({ settle: resolve, fail: reject }))
  }
  async close(): Promise<void> {}
}

// x=[1,1,4,4] k=2: a job of 72 FLOPs, sent to the pool because inlineFlops is 0
const job = (): JobSpec => ({
  op: 'conv2d',
  geometry: resolveConv2d([1, 1, 4, 4], [1, 1, 2, 2], undefined, {}),
  input: new Float32Array(16),
  weight: new Float32Array(4),
})
const result = () => ({ output: new Float32Array(9), engine: 'onnxruntime' as const, computeMs: 1, codecMs: 0, workerMs: 1 })

function scheduler(workers: number, jobTimeoutMs = 60_000) {
  const pool = new HeldPool()
  const s = new Scheduler(pool as unknown as Piscina, { workers, maxQueue: 8, jobTimeoutMs, engine: 'auto', inlineFlops: 0 })
  return { pool, s }
}

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await Promise.resolve()
}

describe('Scheduler hands a freed worker its next job', () => {
  it('workers=1, 2 jobs: the queued job is on the worker before the finished job\'s caller continues', async () => {
    const { pool, s } = scheduler(1)
    let seenByCaller: { runs: number; queued: number; active: number } | undefined
    const first = s.run(job()).then((outcome) => {
      // what the caller of the finished job sees when it gets its result
      seenByCaller = { runs: pool.runs.length, queued: s.queued, active: s.active }
      return outcome
    })
    const second = s.run(job())
    expect(pool.runs.length).toBe(1)
    expect(s.queued).toBe(1)
    pool.runs[0]!.settle(result())
    await first
    expect(seenByCaller).toEqual({ runs: 2, queued: 0, active: 1 })
    pool.runs[1]!.settle(result())
    await second
    expect(s.active).toBe(0)
  })

  it('workers=1: a job abandoned at its time limit holds the worker until its run settles, then frees it once', async () => {
    const { pool, s } = scheduler(1, 20)
    const late = s.run(job())
    const next = s.run(job())
    await expect(late).rejects.toMatchObject({ code: 'JOB_TIMEOUT' })
    // the late run still occupies its thread: the next job waits
    expect({ active: s.active, queued: s.queued, runs: pool.runs.length }).toEqual({ active: 1, queued: 1, runs: 1 })
    pool.runs[0]!.settle(result())
    await turns()
    expect({ active: s.active, queued: s.queued, runs: pool.runs.length }).toEqual({ active: 1, queued: 0, runs: 2 })
    pool.runs[1]!.settle(result())
    await expect(next).resolves.toMatchObject({ engine: 'onnxruntime' })
    await turns()
    expect(s.active).toBe(0)
  })

  it('workers=1: a failed run gives its caller WORKER_FAILED and the worker the next job', async () => {
    const { pool, s } = scheduler(1)
    const failed = s.run(job())
    const next = s.run(job())
    pool.runs[0]!.fail(new Error('worker exited'))
    const error = await failed.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('WORKER_FAILED')
    await turns()
    expect({ active: s.active, queued: s.queued, runs: pool.runs.length }).toEqual({ active: 1, queued: 0, runs: 2 })
    pool.runs[1]!.settle(result())
    await next
    await turns()
    expect(s.active).toBe(0)
  })

  it('workers=2, 5 jobs: never more runs at once than workers, every job answered, none twice', async () => {
    const { pool, s } = scheduler(2)
    const outcomes = Array.from({ length: 5 }, () => s.run(job()))
    let settled = 0
    while (settled < 5) {
      expect(pool.runs.length - settled).toBeLessThanOrEqual(2)
      expect(s.active).toBe(pool.runs.length - settled)
      pool.runs[settled++]!.settle(result())
      await turns()
    }
    expect(await Promise.all(outcomes)).toHaveLength(5)
    expect({ active: s.active, queued: s.queued, runs: pool.runs.length }).toEqual({ active: 0, queued: 0, runs: 5 })
  })
})

describe('Scheduler and the shared reply buffers', () => {
  // x=[1,1,200,200] k=1: a 160 kB output, so its base64 reply takes a shared buffer
  const bigJob = (): JobSpec => ({
    op: 'conv2d',
    geometry: resolveConv2d([1, 1, 200, 200], [1, 1, 1, 1], undefined, {}),
    input: new Float32Array(200 * 200),
    weight: new Float32Array(1),
  })
  const replySpec = { form: 'base64' as const, tensors: [{ name: 'output' as const, shape: [1, 1, 200, 200] }] }
  // what a worker sends back when it wrote the reply into the shared buffer
  const bodyResult = () => ({ body: new Uint8Array(new SharedArrayBuffer(16)), engine: 'onnxruntime' as const, computeMs: 1, codecMs: 0, workerMs: 1 })

  function withBuffers() {
    const pool = new HeldPool()
    const buffers = new ReplyBuffers(8 << 20)
    const s = new Scheduler(pool as unknown as Piscina, { workers: 1, maxQueue: 8, jobTimeoutMs: 60_000, engine: 'auto', inlineFlops: 0, replyBuffers: buffers })
    return { pool, buffers, s }
  }

  it('x=[1,1,200,200] base64 reply: the buffer stays with the reply until the caller releases it', async () => {
    const { pool, buffers, s } = withBuffers()
    const outcome = s.run(bigJob(), undefined, replySpec)
    expect(buffers.inUse).toBeGreaterThan(0)
    pool.runs[0]!.settle(bodyResult() as never)
    const done = await outcome
    expect(buffers.inUse).toBeGreaterThan(0)
    done.release!()
    expect(buffers.inUse).toBe(0)
  })

  it('x=[1,1,200,200] base64 reply, client gone mid-run: the buffer is held until the run settles, then freed', async () => {
    const { pool, buffers, s } = withBuffers()
    const controller = new AbortController()
    const outcome = s.run(bigJob(), controller.signal, replySpec)
    controller.abort()
    await expect(outcome).rejects.toMatchObject({ code: 'INTERNAL' })
    // the worker may still be writing into it
    expect(buffers.inUse).toBeGreaterThan(0)
    pool.runs[0]!.settle(bodyResult() as never)
    await turns()
    expect(buffers.inUse).toBe(0)
  })
})
