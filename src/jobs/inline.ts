import { runReference } from '../engines/reference.js'
import { jobResult } from '../engines/result.js'
import type { EngineSetting, Job, JobResult } from '../engines/types.js'

/**
 * Jobs this small run on the main thread in the TypeScript core: the worker hop costs more than
 * the work. Measured here (2 cores, Node 20, medians of 300 runs; scratch script, 2026-11-26):
 * a round trip through the pool took 110–150 µs for a tiny job, while the core computed
 *   128 FLOPs in 3 µs, 18,432 in 30 µs, 73,728 in 93 µs, 294,912 in 297 µs.
 * The two meet near 60–80k FLOPs; 50k keeps every inline job under ~70 µs of main-thread time, so
 * inline work never stalls the event loop noticeably (the textbook example is 32 FLOPs).
 */
export const DEFAULT_INLINE_FLOPS = 50_000

export function shouldRunInline(job: Pick<Job, 'geometry'>, engine: EngineSetting, inlineFlops: number): boolean {
  // `onnxruntime` sends every job it computes exactly to onnxruntime, tiny ones included
  if (engine === 'onnxruntime') return false
  return job.geometry.flops <= inlineFlops
}

export function runInline(job: Job): JobResult {
  const started = performance.now()
  const out = runReference(job)
  return jobResult(out, 'reference', performance.now() - started)
}
