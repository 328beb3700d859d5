import * as ort from 'onnxruntime-node'
import { planFor } from '../src/engines/onnxruntime/plan.js'
import { referenceEngine } from '../src/engines/reference.js'
import { runJob } from '../src/engines/run.js'
import type { EngineName, Job } from '../src/engines/types.js'
import { SCENARIOS } from './scenarios.js'

/**
 * The compute part of `npm run bench`, in-process, one thread: raw onnxruntime-node session.run
 * (the same graph, weight as a graph input, feeds built once), convserve's engine through
 * runJob (supports checks, feeds, index conversion, fallback handling included), and the
 * TypeScript core. Medians; the core runs fewer repetitions on the slow cases.
 */
export interface ComputeRow {
  readonly id: string
  readonly label: string
  readonly flops: number
  readonly rawMs: number
  /** convserve's engine on the same job (a conv's weight is prepacked after its second run) */
  readonly engineMs: number
  /** the same with a different weight on every run, so never prepacked (pools: as engineMs) */
  readonly newWeightMs: number
  readonly engine: EngineName
  readonly coreMs: number
  readonly rawGflops: number
  readonly engineGflops: number
  readonly coreGflops: number
  /** engine time relative to raw: rawMs / engineMs (1 = as fast as the raw runtime) */
  readonly engineVsRaw: number
  readonly coreVsRaw: number
}

export interface ComputeOptions {
  /** wall-clock budget per measured side, ms (repetitions stop at whichever of budget/maxReps comes first) */
  readonly budgetMs?: number
  readonly maxReps?: number
  readonly minReps?: number
}

async function medianMs(fn: () => unknown, opts: Required<ComputeOptions>, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn()
  const times: number[] = []
  const started = performance.now()
  while (times.length < opts.maxReps && (times.length < opts.minReps || performance.now() - started < opts.budgetMs)) {
    const t0 = performance.now()
    await fn()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return times[times.length >> 1]!
}

export async function rawSession(job: Job): Promise<{ session: ort.InferenceSession; feeds: Record<string, ort.Tensor> }> {
  const session = await ort.InferenceSession.create(planFor(job).build(), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 4,
  })
  const feeds: Record<string, ort.Tensor> = { X: new ort.Tensor('float32', job.input, job.geometry.inputShape) }
  // a conv's or transposed conv's weight as a graph input (prepacking is the engine's, not raw's)
  if (job.op !== 'pool') feeds['Wt'] = new ort.Tensor('float32', job.weight, job.geometry.weightShape)
  return { session, feeds }
}

/**
 * The sides' repetitions alternate, so all see the same machine state (the box is shared and its
 * clock and caches drift); the median of each side is taken.
 */
async function alternatingMedians(sides: readonly (() => unknown)[], opts: Required<ComputeOptions>): Promise<number[]> {
  for (let i = 0; i < 5; i++) for (const side of sides) await side()
  const times = sides.map((): number[] => [])
  const started = performance.now()
  while (times[0]!.length < opts.maxReps && (times[0]!.length < opts.minReps || performance.now() - started < sides.length * opts.budgetMs)) {
    for (let i = 0; i < sides.length; i++) {
      const t0 = performance.now()
      await sides[i]!()
      times[i]!.push(performance.now() - t0)
    }
  }
  return times.map((t) => t.sort((x, y) => x - y)[t.length >> 1]!)
}

/** the job with a weight no earlier run had (its first word moved by 1e-6 more each time) */
function withNewWeights(job: Job): () => Job {
  if (job.op !== 'conv2d') return () => job
  const weight = job.weight.slice()
  const first = weight[0]!
  let k = 0
  return () => {
    weight[0] = first + ++k * 1e-6
    return { ...job, weight }
  }
}

export async function runComputeBench(options: ComputeOptions = {}, scenarios = SCENARIOS): Promise<ComputeRow[]> {
  const opts: Required<ComputeOptions> = { budgetMs: 1500, maxReps: 200, minReps: 5, ...options }
  const coreOpts: Required<ComputeOptions> = { budgetMs: opts.budgetMs, maxReps: 15, minReps: 3 }
  const rows: ComputeRow[] = []
  for (const s of scenarios) {
    const job = s.job()
    const { session, feeds } = await rawSession(job)
    let engine: EngineName = 'reference'
    const fresh = withNewWeights(job)
    const [rawMs, engineMs, newWeightMs] = (await alternatingMedians(
      [
        () => session.run(feeds),
        async () => {
          engine = (await runJob(job, 'auto')).engine
        },
        () => runJob(fresh(), 'auto'),
      ],
      opts,
    )) as [number, number, number]
    await session.release()
    const coreMs = await medianMs(() => referenceEngine.run(job), coreOpts, 1)
    const flops = job.geometry.flops
    const gflops = (ms: number) => flops / ms / 1e6
    rows.push({
      id: s.id,
      label: s.label,
      flops,
      rawMs,
      engineMs,
      newWeightMs,
      engine,
      coreMs,
      rawGflops: gflops(rawMs),
      engineGflops: gflops(engineMs),
      coreGflops: gflops(coreMs),
      engineVsRaw: rawMs / engineMs,
      coreVsRaw: rawMs / coreMs,
    })
  }
  return rows
}
