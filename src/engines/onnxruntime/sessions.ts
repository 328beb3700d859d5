import type { InferenceSession } from 'onnxruntime-node'
import type { Plan } from './plan.js'
import { SessionCache } from './session-cache.js'

/**
 * A per-worker LRU of sessions keyed by op and attributes. Each session costs ~90 kB and
 * 0.2–0.3 ms to create (measured), so a bounded cache holds the working set of a busy service
 * without growing with every attribute combination a client tries.
 */
export const SESSION_CACHE_SIZE = 64

const sessions = new SessionCache({ maxEntries: SESSION_CACHE_SIZE, maxBytes: Number.POSITIVE_INFINITY })

/** Runs `use` with the plan's session, creating it on a miss. */
export function withSession<T>(plan: Plan, use: (s: InferenceSession) => Promise<T>): Promise<T> {
  return sessions.use(sessions.open(plan, undefined), use)
}

/** for tests and metrics */
export function cachedSessionKeys(): string[] {
  return sessions.keys()
}
