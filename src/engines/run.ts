import type { Engine, EngineName, EngineOutput, EngineSetting, Job, JobResult } from './types.js'
import { referenceEngine } from './reference.js'
import { INLINE_FLOPS_THRESHOLD } from './threshold.js'

/**
 * Engine selection. `reference`: the core. `onnxruntime`: onnxruntime for every job it computes
 * exactly, the core for the rest. `auto`: the same, except jobs under INLINE_FLOPS_THRESHOLD,
 * which the core finishes before onnxruntime would have started.
 *
 * The onnxruntime engine module (and with it onnxruntime-node) is imported on the first job that
 * needs it, so the reference path never loads the native library.
 */
let ortEngine: Promise<Engine> | undefined

function loadOrtEngine(): Promise<Engine> {
  ortEngine ??= import('./onnxruntime/engine.js').then((m) => m.onnxruntimeEngine)
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
  if (setting === 'auto' && job.geometry.flops < INLINE_FLOPS_THRESHOLD) return false
  return true
}

export async function runJob(job: Job, setting: EngineSetting): Promise<JobResult> {
  if (wantsOrt(job, setting)) {
    const ort = await loadOrtEngine()
    if (ort.supports(job)) {
      const started = performance.now()
      try {
        const out = await ort.run(job)
        return result(out, 'onnxruntime', performance.now() - started)
      } catch (error) {
        // ORT's messages carry C++ paths and internals: they go to the log, never to a client
        onFallback?.({ job, error })
      }
    }
  }
  const started = performance.now()
  const out = referenceEngine.run(job) as EngineOutput
  return result(out, 'reference', performance.now() - started)
}

function result(out: EngineOutput, engine: EngineName, computeMs: number): JobResult {
  return out.indices ? { output: out.output, indices: out.indices, engine, computeMs } : { output: out.output, engine, computeMs }
}
