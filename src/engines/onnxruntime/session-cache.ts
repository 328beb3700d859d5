import type { InferenceSession } from 'onnxruntime-node'
import { loadOrt } from './ort.js'
import type { Plan } from './plan.js'

export interface SessionLimits {
  readonly maxEntries: number
  /** the sum of the entries' declared bytes (a prepacked weight's memory) stays within this */
  readonly maxBytes: number
}

export interface CachedSession<D> {
  readonly key: string
  readonly session: Promise<InferenceSession>
  /** set once the session exists: a caller that must not wait checks this */
  ready: InferenceSession | undefined
  readonly bytes: number
  /** what the owner keeps beside the session (a prepacked weight's copy) */
  readonly data: D
  busy: number
  evicted: boolean
}

async function create(plan: Plan): Promise<InferenceSession> {
  const ort = await loadOrt()
  return ort.InferenceSession.create(plan.build(), {
    // one worker per core, one thread per session: 2 × 1 thread beat 1 × 2 threads here (284 vs 200 GFLOP/s)
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // ORT's own log lines go to stderr outside the service's logger; errors reach us as exceptions
    logSeverityLevel: 4,
    // No per-session memory arena: each session's arena grows to the largest job it ran and never
    // shrinks, so 64 attribute sessions plus the prepacked ones would each keep their own peak.
    // Without it a run's buffers go back to malloc for the next run of any session (the image's
    // GLIBC_TUNABLES keep them in the process). Measured with 75 cached S2 sessions: +193 MB RSS
    // with arenas, +83 MB without. Run times (scratch runs alternating both settings): S1–S3 and
    // the pools within noise (S1 1.62 vs 1.63 ms, S2 1.23–1.26 vs 1.26–1.27 ms prepacked); the
    // small jobs pay malloc per run: S4 0.12 vs 0.11 ms, S5 0.09 vs 0.09 ms. Without the
    // image's GLIBC_TUNABLES no run fell into the 12 ms mmap mode; with arenas one did (S1).
    enableCpuMemArena: false,
    enableMemPattern: false,
  })
}

/**
 * A per-worker LRU of onnxruntime sessions, bounded by count and by declared bytes. A session
 * evicted while a run is in flight is released when that run ends, never under it; a session
 * whose creation failed leaves the cache, so the next job tries again (or falls back again).
 */
export class SessionCache<D = undefined> {
  readonly #entries = new Map<string, CachedSession<D>>()
  #bytes = 0

  constructor(readonly limits: SessionLimits) {}

  /** the entry for the plan's key, now the most recently used; created (session and all) on a miss */
  open(plan: Plan, data: D, bytes = 0): CachedSession<D> {
    const found = this.peek(plan.key)
    if (found) return found
    const entry: CachedSession<D> = { key: plan.key, session: create(plan), ready: undefined, bytes, data, busy: 0, evicted: false }
    this.#entries.set(plan.key, entry)
    this.#bytes += bytes
    entry.session.then(
      (s) => {
        entry.ready = s
      },
      () => {
        if (this.#entries.get(plan.key) === entry) this.#remove(entry)
      },
    )
    this.#evictOverflow(entry)
    return entry
  }

  /** the entry if cached (made the most recently used), without creating one */
  peek(key: string): CachedSession<D> | undefined {
    const entry = this.#entries.get(key)
    if (entry) {
      this.#entries.delete(key)
      this.#entries.set(key, entry)
    }
    return entry
  }

  /** runs `use` with the entry's session, holding it against release until `use` settles */
  async use<T>(entry: CachedSession<D>, use: (s: InferenceSession) => Promise<T>): Promise<T> {
    entry.busy++
    try {
      return await use(entry.ready ?? (await entry.session))
    } finally {
      entry.busy--
      if (entry.evicted && entry.busy === 0) release(entry)
    }
  }

  /** resolves once every session being created has been created (or failed): for tests */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#entries.values()].map((e) => e.session))
  }

  /** drops the entry (released once no run uses it): a session that failed is not tried again */
  evict(entry: CachedSession<D>): void {
    if (this.#entries.get(entry.key) !== entry) return
    this.#remove(entry)
    entry.evicted = true
    if (entry.busy === 0) release(entry)
  }

  /** drops every entry, releasing each once no run uses it */
  clear(): void {
    for (const entry of [...this.#entries.values()]) this.evict(entry)
  }

  keys(): string[] {
    return [...this.#entries.keys()]
  }

  get bytes(): number {
    return this.#bytes
  }

  #remove(entry: CachedSession<D>): void {
    this.#entries.delete(entry.key)
    this.#bytes -= entry.bytes
  }

  /** the newest entry is never evicted for its own sake: a plan larger than the budget is the owner's to refuse */
  #evictOverflow(newest: CachedSession<D>): void {
    while (this.#entries.size > this.limits.maxEntries || this.#bytes > this.limits.maxBytes) {
      const oldest = this.#entries.values().next().value as CachedSession<D>
      if (oldest === newest) return
      this.evict(oldest)
    }
  }
}

function release(entry: CachedSession<unknown>): void {
  entry.session.then((s) => s.release()).catch(() => undefined)
}
