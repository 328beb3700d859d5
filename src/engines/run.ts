import { jobResult } from './result.js'
import { EngineDeclined, type Engine, type EngineOutput, type EngineSetting, type Job, type JobResult } from './types.js'
import { referenceEngine } from './reference.js'
import { coreOutrunsOrt, INLINE_FLOPS_THRESHOLD } from './threshold.js'
import { onnxruntimeEngine } from './onnxruntime/engine.js'

/**
 * Engine selection. `reference`: the core. `onnxruntime`: onnxruntime for every job it computes
 * exactly, the core for the rest. `auto`: the same, except jobs under INLINE_FLOPS_THRESHOLD,
 * which the core finishes before onnxruntime would have started, and the pools the core computes
 * faster (coreOutrunsOrt: lp, and avg and max over large windows).
 *
 * onnxruntime-node itself is imported on the first job that needs it (onnxruntime/ort.ts), so the
 * reference path never loads the native library. The engine module is imported statically: in
 * worker threads started through tsx (tests, `npm run dev`) a relative dynamic import of a .ts
 * module fails to resolve, while a bare package specifier resolves everywhere.
 */
let ortEngine: Promise<Engine> | undefined

function loadOrtEngine(): Promise<Engine> {
  ortEngine ??= Promise.resolve(onnxruntimeEngine)
  return ortEngine
}

/** test seam: replaces the onnxruntime engine (e.g. one that throws); `undefined` restores it */
export function setOrtEngineForTests(engine: Engine | undefined): void {
  ortEngine = engine ? Promise.resolve(engine) : undefined
}

export interface Fallback {
  readonly job: Job
  readonly error: unknown
}

let onFallback: ((f: Fallback) => void) | undefined

/** called when onnxruntime failed on a job it had accepted and the core reran it (for logs) */
export function onOrtFallback(listener: ((f: Fallback) => void) | undefined): void {
  onFallback = listener
}

export function wantsOrt(job: Job, setting: EngineSetting): boolean {
  if (setting === 'reference') return false
  if (setting === 'auto' && (job.geometry.flops < INLINE_FLOPS_THRESHOLD || (job.op === 'pool' && coreOutrunsOrt(job.geometry)))) return false
  return true
}

export async function runJob(job: Job, setting: EngineSetting): Promise<JobResult> {
  if (wantsOrt(job, setting)) {
    const ort = await loadOrtEngine()
    if (ort.supports(job)) {
      const started = performance.now()
      try {
        const out = await ort.run(job)
        return jobResult(out, 'onnxruntime', performance.now() - started)
      } catch (error) {
        // ORT's messages carry C++ paths and internals: they go to the log, never to a client
        if (!(error instanceof EngineDeclined)) onFallback?.({ job, error })
      }
    }
  }
  const started = performance.now()
  const out = referenceEngine.run(job) as EngineOutput
  return jobResult(out, 'reference', performance.now() - started)
}
