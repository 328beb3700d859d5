import { conv2d } from '../core/conv2d.js'
import { pool2d } from '../core/pool2d.js'
import type { EngineSetting, Job, JobResult } from '../engines/types.js'

/**
 * Jobs this small run on the main thread in the TypeScript core. A worker hop costs about 60 µs
 * here while the textbook example computes in about 0.1 µs; below the threshold the hop is the
 * larger cost. Measured with `npm run bench` (see README, Performance).
 */
export const DEFAULT_INLINE_FLOPS = 20_000

export function shouldRunInline(job: Job, engine: EngineSetting, inlineFlops: number): boolean {
  // `onnxruntime` sends every job it computes exactly to onnxruntime, tiny ones included
  if (engine === 'onnxruntime') return false
  return job.geometry.flops <= inlineFlops
}

export function runInline(job: Job): JobResult {
  const started = performance.now()
  if (job.op === 'conv2d') {
    const output = conv2d(job.geometry, job.input, job.weight, job.bias)
    return { output, engine: 'reference', computeMs: performance.now() - started }
  }
  const { output, indices } = pool2d(job.geometry, job.input)
  return { output, indices, engine: 'reference', computeMs: performance.now() - started }
}
