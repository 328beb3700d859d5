import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CRASH_MARKER, HOLD_MARKER } from '../fixtures/crash-worker.js'
import { post, startApp } from '../helpers/app.js'
import { expectAnswer } from '../helpers/answer.js'
import { assertCleanError } from './clean.js'
import { CRASH_WORKER, WorkerProbe, heavyJob, markedJob } from './jobs.js'

/**
 * Overload, timeouts and worker deaths. The fixture worker (test/fixtures/crash-worker.ts) holds a
 * job until the test releases it, so "a job is still running" is a fact the test controls, not
 * a race it hopes to win; nothing here depends on how fast the machine is.
 */
function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.json().code).toBe(code)
  assertCleanError(res.body, code)
}

describe('bounded queue (1 worker, MAX_QUEUE 1)', () => {
  let app: FastifyInstance
  let probe: WorkerProbe
  beforeAll(async () => {
    // one probe per app, created with it: markers seen by an earlier app's workers do not count
    probe = new WorkerProbe()
    // inlineFlops 0: even these small jobs go to the worker
    app = await startApp({ workers: 1, maxQueue: 1, inlineFlops: 0, workerFile: CRASH_WORKER })
  })
  afterAll(async () => {
    probe.close()
    await app.close()
  })

  it('16 concurrent jobs while one runs: 2 answered 200 (running + queued), 14 refused 503 QUEUE_FULL with Retry-After', async () => {
    const held = markedJob(HOLD_MARKER, 1)
    const heldReply = post(app, '/conv2d', held.body)
    await probe.waitStarted(HOLD_MARKER)
    const others = Array.from({ length: 15 }, (_, i) => markedJob(100 + i, 10 + i))
    const settled: LightMyRequestResponse[] = []
    const replies = others.map((job) => post(app, '/conv2d', job.body).then((res) => (settled.push(res), res)))
    // 14 refusals arrive while the held job still runs and one job waits
    await vi.waitFor(() => expect(settled.length).toBe(14), { timeout: 20_000 })
    const ready = await app.inject({ url: '/readyz' })
    expect(ready.statusCode).toBe(503)
    expect(ready.json()).toMatchObject({ status: 'busy', queued: 1, running: 1 })
    for (const res of settled) {
      expectError(res, 503, 'QUEUE_FULL')
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    }
    probe.release()
    expectAnswer((await heldReply).statusCode, (await heldReply).body, held.want, 'held job')
    const all = await Promise.all(replies)
    const accepted = all.map((res, i) => ({ res, job: others[i]! })).filter(({ res }) => res.statusCode !== 503)
    expect(accepted).toHaveLength(1)
    for (const { res, job } of accepted) expectAnswer(res.statusCode, res.body, job.want, 'queued job')
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200)
  })

  it('a worker that dies fails only the job it held (500 WORKER_FAILED); the queued job and later ones succeed', async () => {
    const crash = post(app, '/conv2d', markedJob(CRASH_MARKER).body)
    await probe.waitStarted(CRASH_MARKER)
    const queued = markedJob(7, 3)
    const queuedReply = post(app, '/conv2d', queued.body)
    expectError(await crash, 500, 'WORKER_FAILED')
    const res = await queuedReply
    expectAnswer(res.statusCode, res.body, queued.want, 'job queued behind the crash')
    // the pool replaced the thread: it keeps computing, and readiness says so
    for (let i = 0; i < 3; i++) {
      const next = markedJob(50 + i, 20 + i)
      const r = await post(app, '/conv2d', next.body)
      expectAnswer(r.statusCode, r.body, next.want, `job ${i} after the crash`)
    }
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200)
    const metrics = await app.inject({ url: '/metrics' })
    expect(metrics.body).toMatch(/convserve_jobs_total\{[^}]*outcome="failed"[^}]*\} 1/)
  })
})

describe('job timeout (JOB_TIMEOUT_MS 1000)', () => {
  let app: FastifyInstance
  let probe: WorkerProbe
  beforeAll(async () => {
    // one probe per app, created with it: markers seen by an earlier app's workers do not count
    probe = new WorkerProbe()
    app = await startApp({ workers: 1, maxQueue: 4, inlineFlops: 0, jobTimeoutMs: 1000, workerFile: CRASH_WORKER })
  })
  afterAll(async () => {
    probe.close()
    await app.close()
  })

  it('a running job past the limit gets 504 at once; a queued one that timed out never starts; the service answers after', async () => {
    const running = post(app, '/conv2d', markedJob(HOLD_MARKER).body)
    await probe.waitStarted(HOLD_MARKER)
    const queued = post(app, '/conv2d', markedJob(777).body)
    // the held job cannot finish before it is released, so both answers must be timeouts
    expectError(await running, 504, 'JOB_TIMEOUT')
    expectError(await queued, 504, 'JOB_TIMEOUT')
    probe.release()
    const next = markedJob(5, 9)
    const res = await post(app, '/conv2d', next.body)
    expectAnswer(res.statusCode, res.body, next.want, 'after the timeouts')
    // FIFO on one worker, one channel: had the timed-out job stayed in the queue, its "started"
    // would have arrived before this one's
    await probe.waitStarted(5)
    expect(probe.started).not.toContain(777)
  })
})

describe('the real worker under overload, and the size limits', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await startApp({ workers: 1, maxQueue: 1, bodyLimit: 1_000_000, maxElements: 60_000, maxFlops: 100_000_000 })
  })
  afterAll(async () => {
    await app.close()
  })

  it('16 concurrent heavy jobs: only 200s (each correct) and 503s (QUEUE_FULL, Retry-After)', async () => {
    const heavy = heavyJob(16, 56)
    const all = await Promise.all(Array.from({ length: 16 }, () => post(app, '/conv2d', heavy.body)))
    for (const res of all) {
      if (res.statusCode === 503) {
        expectError(res, 503, 'QUEUE_FULL')
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1)
      } else {
        expectAnswer(res.statusCode, res.body, heavy.want, 'heavy job')
      }
    }
    // at least the first job is admitted whatever the timing
    expect(all.filter((r) => r.statusCode === 200).length).toBeGreaterThanOrEqual(1)
  })

  it('413 with the numbers: body over BODY_LIMIT, tensor over MAX_ELEMENTS, job over MAX_FLOPS', async () => {
    const body = await app.inject({ method: 'POST', url: '/conv2d', headers: { 'content-type': 'application/json' }, payload: `{"input":[${'1,'.repeat(600_000)}1],"weight":[1]}` })
    expectError(body, 413, 'BODY_TOO_LARGE')
    expect(body.json().message).toContain('1000000')
    const tensor = await post(app, '/pool', { input: { shape: [1, 1, 300, 300], data: [] }, kernelSize: 2 })
    expectError(tensor, 413, 'TENSOR_TOO_LARGE')
    expect(tensor.json().message).toMatch(/90000.*60000/)
    // 1×64×30×30 ⋆ 1×64×30×30 'same': every tensor ≤ 60,000 elements, 900 outputs × 2·64·900 = 103.7 MFLOP
    const job = await post(app, '/conv2d', { input: { shape: [1, 64, 30, 30], data: [] }, weight: { shape: [1, 64, 30, 30], data: [] }, padding: 'same' })
    expectError(job, 413, 'JOB_TOO_LARGE')
    expect(job.json().message).toMatch(/\d+ FLOPs.*100000000/)
    // nothing was decoded or queued for them: the service still answers the textbook example
    const ok = await post(app, '/conv2d', { input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] })
    expect(ok.json()).toEqual({ output: [[19, 25], [37, 43]] })
  })

  it('no CORS headers when CORS_ORIGINS is unset; security headers on every answer', async () => {
    const res = await post(app, '/shape', { op: 'pool', inputShape: [4, 4], kernelSize: 2 }, { headers: { origin: 'https://elsewhere.example' } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    const preflight = await app.inject({ method: 'OPTIONS', url: '/conv2d', headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' } })
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    // a compute reply is never a document: it gets the API policy, which allows nothing to load
    expect(res.headers['content-security-policy']).toContain("default-src 'none'")
  })
})
