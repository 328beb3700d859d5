import type { InferenceSession } from 'onnxruntime-node'
import { loadOrt } from './ort.js'
import type { Plan } from './plan.js'

/**
 * A per-worker LRU of sessions keyed by op and attributes. Each session costs ~90 kB and
 * 0.2–0.3 ms to create (measured), so a bounded cache holds the working set of a busy service
 * without growing with every attribute combination a client tries.
 */
export const SESSION_CACHE_SIZE = 64

interface Entry {
  readonly session: Promise<InferenceSession>
  busy: number
  evicted: boolean
}

const entries = new Map<string, Entry>()

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
  })
}

function release(entry: Entry): void {
  entry.session.then((s) => s.release()).catch(() => undefined)
}

/**
 * Runs `use` with the plan's session. A session evicted while a run is in flight is released
 * when that run ends, never under it.
 */
export async function withSession<T>(plan: Plan, use: (s: InferenceSession) => Promise<T>): Promise<T> {
  let entry = entries.get(plan.key)
  if (entry) {
    entries.delete(plan.key)
    entries.set(plan.key, entry)
  } else {
    entry = { session: create(plan), busy: 0, evicted: false }
    entries.set(plan.key, entry)
    // a failed create must not stay cached: the next job tries again (or falls back again)
    entry.session.catch(() => {
      if (entries.get(plan.key) === entry) entries.delete(plan.key)
    })
    evictOverflow()
  }
  entry.busy++
  try {
    return await use(await entry.session)
  } finally {
    entry.busy--
    if (entry.evicted && entry.busy === 0) release(entry)
  }
}

function evictOverflow(): void {
  while (entries.size > SESSION_CACHE_SIZE) {
    const [oldestKey, oldest] = entries.entries().next().value as [string, Entry]
    entries.delete(oldestKey)
    oldest.evicted = true
    if (oldest.busy === 0) release(oldest)
  }
}

/** for tests and metrics */
export function cachedSessionKeys(): string[] {
  return [...entries.keys()]
}
