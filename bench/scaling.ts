import { fork } from 'node:child_process'
import { Piscina } from 'piscina'
import type { Job } from '../src/engines/types.js'
import { SERVER_NODE_FLAGS } from '../src/node-flags.js'
import { releaseBuffers } from '../src/jobs/release-buffers.js'
import type { Scheduler } from '../src/jobs/scheduler.js'
import { appSource } from './child.js'
import type { Scenario } from './scenarios.js'
import type { RawRate, RawTask } from './raw-task.js'

/**
 * Compute-bound throughput of the worker pool: jobs handed straight to convserve's scheduler and
 * pool (from dist/ when built, as deployed), no HTTP, so the main thread only moves buffers and
 * the workers are the bottleneck. `inFlight` jobs are kept queued so that no worker waits; each
 * job gets fresh copies of its tensors (they move to the worker). WORKERS=1 and WORKERS=2 run in
 * alternating rounds; the figure is the median jobs/s per setting.
 *
 * Each job's output tensors come back to this thread, which has no use for them: they are freed
 * on arrival (release-buffers.ts). The server never gets them back for such a job (a worker
 * writes the reply's base64 into a shared buffer), so dropping them to the collector would
 * measure garbage of the harness's own: 800 kB per S3 job forced about ten full collections a
 * second on this thread, each started by external-memory pressure, which the server under the
 * same load does not run (docs/performance.md, "The harness's own garbage"). On Node 20, which
 * cannot free a buffer early, they are left to the collector as before.
 *
 * The control, in the same alternation: raw onnxruntime-node session.run looping on one thread
 * and on two at once (raw-task.ts), no convserve code, so the table shows what two threads of
 * the runtime get from this machine's cores beside what the pool gets.
 */
export interface ScalingRow {
  readonly workers: number
  readonly jobsPerSec: number
  readonly rounds: readonly number[]
}

export interface Scaling {
  readonly convserve: readonly ScalingRow[]
  /** raw session.run on 1 and on 2 threads: `workers` threads, `jobsPerSec` runs/s over all of them */
  readonly raw: readonly ScalingRow[]
}

/** one scenario's figures, as the child process reports them */
export interface ScenarioScaling {
  readonly id: string
  readonly rows: Scaling
}

async function loadJobsModules() {
  const base = new URL('.', appSource().url)
  const [{ createPool }, { Scheduler }] = await Promise.all([
    import(new URL('jobs/pool' + (appSource().url.endsWith('.ts') ? '.ts' : '.js'), base).href) as Promise<typeof import('../src/jobs/pool.js')>,
    import(new URL('jobs/scheduler' + (appSource().url.endsWith('.ts') ? '.ts' : '.js'), base).href) as Promise<typeof import('../src/jobs/scheduler.js')>,
  ])
  return { createPool, Scheduler }
}

/**
 * A tensor's copy in memory of its own, as a request's bytes arrive: not zeroed first. `slice()`
 * zero-fills its new buffer before copying into it: on S3 two fifths of this thread's time (perf),
 * work the server never does for a request.
 */
function fresh(t: Float32Array): Float32Array {
  const copy = new Float32Array(Buffer.allocUnsafeSlow(t.byteLength).buffer, 0, t.length)
  copy.set(t)
  return copy
}

function copyJob(job: Job): Job {
  if (job.op === 'pool') return { op: 'pool', geometry: job.geometry, input: fresh(job.input) }
  const tensors = { input: fresh(job.input), weight: fresh(job.weight), ...(job.bias ? { bias: fresh(job.bias) } : {}) }
  return job.op === 'conv2d' ? { op: job.op, geometry: job.geometry, ...tensors } : { op: job.op, geometry: job.geometry, ...tensors }
}

async function round(scheduler: Scheduler, job: Job, inFlight: number, seconds: number): Promise<number> {
  const until = performance.now() + seconds * 1000
  let done = 0
  const lane = async () => {
    while (performance.now() < until) {
      const outcome = await scheduler.run(copyJob(job))
      // freed on arrival (see the note above)
      if ('output' in outcome) releaseBuffers([outcome.output.buffer, outcome.indices?.buffer])
      done++
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: inFlight }, lane))
  return done / ((performance.now() - started) / 1000)
}

export async function runScalingBench(s: Scenario, opts: { rounds?: number; seconds?: number; warmupSeconds?: number } = {}): Promise<Scaling> {
  const { createPool, Scheduler } = await loadJobsModules()
  const job = s.job()
  const settings = [1, 2]
  const seconds = opts.seconds ?? 2
  const schedulers = settings.map((workers) => {
    const pool = createPool({ workers, nice: 10 }) // as deployed (WORKER_NICE's default)
    return new Scheduler(pool, { workers, maxQueue: 64, jobTimeoutMs: 60_000, engine: 'auto', inlineFlops: 0 })
  })
  const raw = new Piscina<RawTask, RawRate>({
    filename: new URL('./raw-task.ts', import.meta.url).href,
    minThreads: 2,
    maxThreads: 2,
    concurrentTasksPerWorker: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    execArgv: ['--import', 'tsx'],
  })
  const rawRound = async (threads: number, roundSeconds: number): Promise<number> => {
    const rates = await Promise.all(Array.from({ length: threads }, () => raw.run({ id: s.id, seconds: roundSeconds })))
    // two tasks on one thread would run one after the other and halve the figure
    if (new Set(rates.map((r) => r.threadId)).size !== threads) throw new Error(`raw control: ${threads} runs did not get ${threads} threads`)
    return rates.reduce((sum, r) => sum + r.runsPerSec, 0)
  }
  try {
    // warm-up: each worker's first session (20–46 ms) and the first calls of a new session
    for (const scheduler of schedulers) await round(scheduler, job, 4, opts.warmupSeconds ?? 3)
    await rawRound(2, 0.5)
    const results = settings.map(() => [] as number[])
    const rawResults = settings.map(() => [] as number[])
    for (let r = 0; r < (opts.rounds ?? 5); r++) {
      for (const [i, scheduler] of schedulers.entries()) results[i]!.push(await round(scheduler, job, 2 * settings[i]!, seconds))
      for (const [i, threads] of settings.entries()) rawResults[i]!.push(await rawRound(threads, seconds))
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
    const rows = (all: number[][]) => settings.map((workers, i) => ({ workers, jobsPerSec: median(all[i]!), rounds: all[i]! }))
    return { convserve: rows(results), raw: rows(rawResults) }
  } finally {
    await Promise.all(schedulers.map((s) => s.close()))
    await raw.close()
  }
}

/**
 * runScalingBench for each scenario in a fresh child process (scaling-child.ts), so that what
 * the pool's main thread pays for its own work — moving 0.6–3.2 MB per job — is not a
 * garbage collection over the heap the bench's earlier sections left behind.
 */
export function runScalingInChild(ids: readonly string[]): Promise<ScenarioScaling[]> {
  const child = fork(new URL('./scaling-child.ts', import.meta.url).pathname, [JSON.stringify(ids)], {
    // the server process's V8 flags: this child's main thread stands for the server's
    execArgv: [...SERVER_NODE_FLAGS, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    let result: ScenarioScaling[] | undefined
    child.once('message', (message) => (result = message as ScenarioScaling[]))
    child.once('error', reject)
    child.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`scaling child exited with ${code} before reporting`))))
  })
}
