import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  ConvserveError,
  ConvserveTransportError,
  createClient,
  type ConvserveClient,
  type PoolResult,
  type RetryInfo,
} from '../../src/client/index.js'
import { K, X, startServer, waitUntil, type LiveServer } from './server.js'

/**
 * One worker, no queue: while a held job runs, every other job is a 503 QUEUE_FULL with
 * Retry-After. `inlineFlops: 0` sends even the textbook job to the worker (tiny jobs otherwise run
 * inline and are never queued); the hold worker makes the occupying job last without using a core.
 */
let server: LiveServer
let holder: ConvserveClient
beforeAll(async () => {
  server = await startServer({
    workers: 1,
    maxQueue: 0,
    inlineFlops: 0,
    workerFile: new URL('./hold-worker.ts', import.meta.url),
  })
  holder = createClient({ baseUrl: server.url, retries: 0 })
})
afterAll(async () => {
  await holder.close()
  await server.app.close()
})
beforeEach(async () => {
  // a job abandoned by the previous test still finishes on the worker; start from an idle one
  await waitUntil(() => server.app.scheduler.active === 0, 'the worker is idle')
})

/** Occupies the only worker for `ms` and resolves once the job has started there. */
async function occupyWorker(ms: number, call: { signal?: AbortSignal; timeoutMs?: number } = {}, client = holder) {
  const done = client.pool({ shape: [1, 1], data: [ms] }, { kernelSize: 1 }, call)
  let early: unknown
  done.catch((error: unknown) => (early = error)) // otherwise observed by the test where it matters
  await waitUntil(() => server.app.scheduler.active === 1 || early !== undefined, 'the held job is running')
  if (early !== undefined && server.app.scheduler.active === 0) throw early
  return done
}

describe('client: 503 QUEUE_FULL and Retry-After', () => {
  it('retries after Retry-After and succeeds once the worker is free', async () => {
    const held = occupyWorker(1500)
    const retries: RetryInfo[] = []
    const client = createClient({
      baseUrl: server.url,
      retries: 2,
      // the retry also waits for the held job, so it cannot meet a busy worker again
      onRetry: async (info) => {
        retries.push(info)
        await held
      },
    })
    const { output } = await client.conv2d(X, K)
    expect(Array.from(output.data)).toEqual([19, 25, 37, 43])
    expect(retries).toHaveLength(1)
    const [first] = retries
    expect(first!.attempt).toBe(1)
    expect(first!.error.status).toBe(503)
    expect(first!.error.code).toBe('QUEUE_FULL')
    expect(first!.error.retryAfter).toBeGreaterThanOrEqual(1)
    expect(first!.delayMs).toBe(first!.error.retryAfter! * 1000)
    // the held job itself completed normally
    expect(Array.from(((await held) as PoolResult).output.data)).toEqual([1500])
    await client.close()
  })

  it('with retries 0 the typed 503 surfaces at once', async () => {
    const held = occupyWorker(1500)
    let retried = false
    const client = createClient({ baseUrl: server.url, retries: 0, onRetry: () => void (retried = true) })
    const error = await client.conv2d(X, K).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConvserveError)
    const e = error as ConvserveError
    expect(e.status).toBe(503)
    expect(e.code).toBe('QUEUE_FULL')
    expect(e.retryAfter).toBeGreaterThanOrEqual(1)
    expect(retried).toBe(false)
    await held
    await client.close()
  })

  it('gives up after `retries` attempts and throws the last 503', async () => {
    const held = occupyWorker(1500)
    const seen: number[] = []
    // a zero cap makes the retries immediate, so all of them meet the still-busy worker
    const client = createClient({ baseUrl: server.url, retries: 2, maxRetryDelayMs: 0, onRetry: (info) => void seen.push(info.attempt) })
    const e = (await client.conv2d(X, K).catch((error: unknown) => error)) as ConvserveError
    expect(e).toBeInstanceOf(ConvserveError)
    expect(e.code).toBe('QUEUE_FULL')
    expect(seen).toEqual([1, 2])
    await held
    await client.close()
  })
})

describe('client: abort and timeout', () => {
  it('an AbortSignal fired mid-call rejects with kind "aborted"', async () => {
    const controller = new AbortController()
    const held = occupyWorker(1500, { signal: controller.signal })
    controller.abort()
    const e = (await held.catch((error: unknown) => error)) as ConvserveTransportError
    expect(e).toBeInstanceOf(ConvserveTransportError)
    expect(e.kind).toBe('aborted')
  })

  it('an already-aborted signal rejects without reaching the server', async () => {
    const client = createClient({ baseUrl: server.url })
    const e = (await client.conv2d(X, K, {}, { signal: AbortSignal.abort() }).catch((error: unknown) => error)) as ConvserveTransportError
    expect(e).toBeInstanceOf(ConvserveTransportError)
    expect(e.kind).toBe('aborted')
    expect(client.lastTiming).toBeUndefined()
    await client.close()
  })

  it('abort during the Retry-After wait stops the retries', async () => {
    const held = occupyWorker(1500)
    const controller = new AbortController()
    const client = createClient({ baseUrl: server.url, retries: 2, onRetry: () => controller.abort() })
    const e = (await client.conv2d(X, K, {}, { signal: controller.signal }).catch((error: unknown) => error)) as ConvserveTransportError
    expect(e).toBeInstanceOf(ConvserveTransportError)
    expect(e.kind).toBe('aborted')
    await held
    await client.close()
  })

  it('a call with no reply within timeoutMs rejects with kind "timeout"', async () => {
    const client = createClient({ baseUrl: server.url, retries: 0, timeoutMs: 100 })
    const held = occupyWorker(3000, {}, client)
    const e = (await held.catch((error: unknown) => error)) as ConvserveTransportError
    expect(e).toBeInstanceOf(ConvserveTransportError)
    expect(e.kind).toBe('timeout')
    expect(e.message).toMatch(/100 ms/)
    await client.close()
  })
})
