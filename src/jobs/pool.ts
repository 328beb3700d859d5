import { Piscina } from 'piscina'
import type { WorkerSettings } from './worker-settings.js'

/**
 * The worker threads. During development and tests the sources are TypeScript, so workers load
 * them through tsx; the built server (dist/) runs plain JavaScript workers.
 */
export interface PoolOptions {
  readonly workers: number
  /** niceness each worker thread adds to itself (thread-priority.ts) */
  readonly nice?: number
  /** bytes of prepacked weights per worker (engines/onnxruntime/prepacked.ts) */
  readonly prepackBytes?: number
  /** test-only: another worker entry (fault tests) */
  readonly workerFile?: URL
}

export function createPool(options: PoolOptions): Piscina {
  const runningTs = import.meta.url.endsWith('.ts')
  const filename = options.workerFile ?? new URL(runningTs ? './worker.ts' : './worker.js', import.meta.url)
  const isTs = filename.pathname.endsWith('.ts')
  return new Piscina({
    filename: filename.href,
    minThreads: options.workers,
    maxThreads: options.workers,
    // one job per thread: a thread inside onnxruntime's session.run is busy until it returns
    concurrentTasksPerWorker: 1,
    // workers stay up; a cold thread pays onnxruntime's first-session cost (20–46 ms) again
    idleTimeout: Number.POSITIVE_INFINITY,
    execArgv: isTs ? ['--import', 'tsx'] : [],
    workerData: { nice: options.nice ?? 0, prepackBytes: options.prepackBytes } satisfies WorkerSettings,
    // the scheduler in front of piscina bounds the queue; piscina's own is never used
    maxQueue: Number.POSITIVE_INFINITY,
    // close() waits for running jobs: a thread is never terminated in the middle of a run
    closeTimeout: 60_000,
  })
}
