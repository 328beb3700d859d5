import type { Job } from '../src/engines/types.js'
import type { Scenario } from './scenarios.js'

/**
 * Request bodies, serialised once per run: the load generator only ever sends prebuilt strings, so
 * what is measured is the server (and the wire), not the client's JSON.stringify.
 */

/** Deterministic tensor data in [−1, 1) from a seed (a small LCG), the same in every run. */
export function seededFloats(n: number, seed: number): Float32Array {
  const out = new Float32Array(n)
  let s = seed
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = s / 2 ** 31 - 1
  }
  return out
}

/** The textbook example (d2l 6.2): X 3×3 ⋆ K 2×2 → [[19,25],[37,43]]. */
export const TOY_BODY = JSON.stringify({ input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] })

function base64(data: Float32Array, shape: readonly number[]): { shape: number[]; dtype: 'float32'; base64: string } {
  // little-endian host (x86/ARM), as the wire wants
  return { shape: [...shape], dtype: 'float32', base64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') }
}

/** A scenario's job as its HTTP request with base64 tensors (4-D shapes: output keeps N and C). */
export function base64Body(scenario: Scenario, job: Job = scenario.job()): string {
  const tensors: Record<string, unknown> = { input: base64(job.input, job.geometry.inputShape) }
  if (job.op !== 'pool') tensors['weight'] = base64(job.weight, job.geometry.weightShape)
  return JSON.stringify({ ...tensors, ...scenario.wire.params })
}
