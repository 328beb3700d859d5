import { threadId } from 'node:worker_threads'
import type * as ort from 'onnxruntime-node'
import { releaseBuffers } from '../src/jobs/release-buffers.js'
import { rawSession } from './compute.js'
import { SCENARIOS } from './scenarios.js'

/**
 * A piscina task for the raw control of section 4 (scaling.ts): raw onnxruntime-node
 * session.run of a scenario's graph (weight as a graph input, feeds built once, one intra-op
 * thread) in a loop for `seconds`, on this worker thread. Nothing of convserve runs: no hand-off
 * per run, no fresh buffers, so it shows what the machine's cores give the runtime itself.
 */
export interface RawTask {
  readonly id: string
  readonly seconds: number
}

export interface RawRate {
  readonly runsPerSec: number
  readonly threadId: number
}

const sessions = new Map<string, Promise<{ session: ort.InferenceSession; feeds: Record<string, ort.Tensor> }>>()

/** A new session runs its first ~220 calls slower (pool.ts); warmed past that once per thread. */
function sessionFor(id: string) {
  let made = sessions.get(id)
  if (!made) {
    const scenario = SCENARIOS.find((s) => s.id === id)
    if (!scenario) throw new Error(`no scenario ${id}`)
    made = rawSession(scenario.job()).then(async (raw) => {
      for (let i = 0; i < 300; i++) await raw.session.run(raw.feeds)
      return raw
    })
    sessions.set(id, made)
  }
  return made
}

export default async function runRaw({ id, seconds }: RawTask): Promise<RawRate> {
  const { session, feeds } = await sessionFor(id)
  const started = performance.now()
  const until = started + seconds * 1000
  let runs = 0
  while (performance.now() < until) {
    const outputs = await session.run(feeds)
    // freed at once, as the pool's harness frees its outputs (scaling.ts); MaxPool's indices come as int64
    releaseBuffers(Object.values(outputs).map((t) => (t.data as ArrayBufferView).buffer))
    runs++
  }
  return { runsPerSec: runs / ((performance.now() - started) / 1000), threadId }
}
