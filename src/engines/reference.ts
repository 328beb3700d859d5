import { conv2d } from '../core/conv2d.js'
import { convTranspose2d } from '../core/conv-transpose2d.js'
import { pool2d } from '../core/pool2d.js'
import type { Engine, EngineOutput, Job } from './types.js'

/** The core run on a job, synchronously: also the main thread's inline path (jobs/inline.ts). */
export function runReference(job: Job): EngineOutput {
  if (job.op === 'conv2d') return { output: conv2d(job.geometry, job.input, job.weight, job.bias) }
  if (job.op === 'convTranspose2d') return { output: convTranspose2d(job.geometry, job.input, job.weight, job.bias) }
  const { output, indices } = pool2d(job.geometry, job.input)
  return indices ? { output, indices } : { output }
}

/** The TypeScript core as an engine: the reference every other engine is held to, and the fallback. */
export const referenceEngine: Engine = {
  name: 'reference',
  supports: () => true,
  run: runReference,
}
