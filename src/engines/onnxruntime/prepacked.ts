import { Buffer } from 'node:buffer'
import type { InferenceSession } from 'onnxruntime-node'
import type { ConvJob } from '../types.js'
import { convKey, convPlan, convWeight } from './plan.js'
import { SessionCache, type CachedSession } from './session-cache.js'

/**
 * Sessions with a weight built in as a constant, for the weights clients send again and again.
 *
 * With the weight as a graph input, onnxruntime packs it for MLAS's GEMM on every run; as an
 * initializer it is packed once, when the session is created. Measured on S2 (1×64×56×56→64,
 * 3×3, one thread, scratch script over onnxruntime-node 1.30): 1.59 ms per run as an input,
 * 1.23 ms as a constant, and 1.2 ms to create the constant session.
 *
 * The policy, per worker:
 * - a weight seen for the first time is only remembered, by fingerprint (most weights in a
 *   varied workload are never seen again, and creating a session costs about one run);
 * - seen a second time, its session is created in the background while that job runs with the
 *   weight as an input, as before;
 * - once the session exists, jobs with that weight use it.
 *
 * The fingerprint only finds the candidate: the weight is compared in full (2 µs for S2's 147 kB)
 * before its session is used, so two weights that share a fingerprint cost a miss, never a wrong
 * answer. Memory is bounded by a byte budget; the least recently used weights go first.
 */

/** per worker, unless PREPACK_MB says otherwise: about 40 S2-sized weights */
export const DEFAULT_PREPACK_BYTES = 32 * 1024 * 1024

/**
 * What a cached weight is charged against the budget: its session's measured memory. RSS over
 * 30–200 cached sessions (no arena, see session-cache.ts), less the same jobs unprepacked: 0.77 MB
 * per session for a 144 kB weight (S2), 0.23 MB for 64 kB (1×1, 256→64), 8.1 MB for 2.25 MB
 * (3×3, 256→256), 0.18 MB for 600 B. Four times the weight (the copy kept here, the initializer,
 * the packed form, the graph's own) plus 192 kB per session covers each.
 */
export function prepackCost(weightBytes: number): number {
  return 4 * weightBytes + 192 * 1024
}

const SIGHTINGS_KEPT = 1024
/** words the fingerprint samples: enough to tell real kernels apart, cheap on any size */
const SAMPLES = 64

export interface PrepackStats {
  /** jobs run on a prepacked session */
  hits: number
  /** sessions created */
  created: number
}

export class PrepackedWeights {
  readonly #cache: SessionCache<Float32Array>
  readonly #sightings = new Map<string, true>()
  readonly stats: PrepackStats = { hits: 0, created: 0 }

  /** `budgetBytes` 0 turns prepacking off */
  constructor(readonly budgetBytes: number) {
    this.#cache = new SessionCache({ maxEntries: Number.POSITIVE_INFINITY, maxBytes: budgetBytes })
  }

  /**
   * The ready session for this job's weight, or undefined: then the job runs with its weight as
   * an input, and this call may have started the session for the next one.
   */
  sessionFor(job: ConvJob): CachedSession<Float32Array> | undefined {
    const g = job.geometry
    if (!worthPrepacking(g)) return undefined
    const cost = prepackCost(job.weight.byteLength)
    if (cost > this.budgetBytes / 4) return undefined
    const id = `${g.flipKernel ? 'f' : ''}${g.weightShape.join('x')}#${fingerprint(job.weight)}`
    const key = convKey(g, id)
    const entry = this.#cache.peek(key)
    if (entry) {
      if (!entry.ready || !sameBits(entry.data, job.weight)) return undefined
      this.stats.hits++
      return entry
    }
    if (!this.#sightings.delete(key)) {
      this.#sightings.set(key, true)
      if (this.#sightings.size > SIGHTINGS_KEPT) this.#sightings.delete(this.#sightings.keys().next().value as string)
      return undefined
    }
    // the copy is the cache's own: the job's buffer goes back to the main thread with the reply
    const weight = job.weight.slice()
    this.#cache.open(convPlan(g, { id, weight: convWeight(g, weight) }), weight, cost)
    this.stats.created++
    return undefined
  }

  /** runs on the entry's session; a session that throws is dropped, so its weight goes back to being an input */
  async use<T>(entry: CachedSession<Float32Array>, run: (s: InferenceSession) => Promise<T>): Promise<T> {
    try {
      return await this.#cache.use(entry, run)
    } catch (error) {
      this.#cache.evict(entry)
      throw error
    }
  }

  /** releases every cached session (a budget change, tests) */
  clear(): void {
    this.#cache.clear()
    this.#sightings.clear()
  }

  /** for tests */
  keys(): string[] {
    return this.#cache.keys()
  }

  /** for tests: every session started in the background is ready */
  settled(): Promise<void> {
    return this.#cache.settled()
  }

  get bytes(): number {
    return this.#cache.bytes
  }
}

/**
 * Only kernels of more than one tap. With a constant weight, onnxruntime's layout optimisation
 * runs the conv in its blocked NCHWc form, which is what makes 3×3 and 7×7 faster; a 1×1 conv
 * then pays the reorders and got slower. Measured (median of 150 runs, three alternations,
 * input/prepacked): 1×1 256→64 on 56×56 0.72/0.77 ms, 1×1 64→256 on 56×56 0.87/1.02 ms,
 * 1×1 512→512 on 7×7 0.20/0.20 ms; 3×3 256→256 on 14×14 1.47/1.27 ms. (Without the layout
 * optimisation, graphOptimizationLevel 'extended', the 3×3 gain went too: 1.48/1.56 ms.)
 */
export function worthPrepacking(g: ConvJob['geometry']): boolean {
  return g.kH * g.kW > 1
}

/** FNV-1a over the length and SAMPLES words spread evenly across the weight */
export function fingerprint(weight: Float32Array): string {
  const words = new Uint32Array(weight.buffer, weight.byteOffset, weight.length)
  const step = Math.max(1, Math.floor(words.length / SAMPLES))
  let h = 0x811c9dc5 ^ words.length
  for (let i = 0; i < words.length; i += step) h = Math.imul(h ^ words[i]!, 0x01000193)
  h = Math.imul(h ^ (words[words.length - 1] ?? 0), 0x01000193)
  return (h >>> 0).toString(16)
}

/** bit-for-bit equality (so −0 ≠ 0, and NaN payloads count): the weight the session was built with. memcmp: 2 µs on S2's 147 kB */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}
