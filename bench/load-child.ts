import { setPriority } from 'node:os'
import autocannon from 'autocannon'

/**
 * The load generator in a process of its own, at lower priority (nice +10): on the two shared
 * cores the servers' threads — not the load generator — get a busy core first, which is as close
 * as this machine comes to load from another machine. Every contender is measured by this same
 * process. Runs one autocannon run per request from the parent and answers with the figures the
 * bench reads.
 */
export interface LoadRequest {
  readonly id: number
  readonly url: string
  readonly body: string
  readonly connections: number
  readonly seconds: number
}

export interface LoadFigures {
  readonly id: number
  readonly ok: number
  readonly non2xx: number
  readonly errors: number
  readonly duration: number
  readonly p50: number
  readonly p99: number
}

export const LOAD_GENERATOR_NICE = 10

try {
  setPriority(process.pid, LOAD_GENERATOR_NICE)
} catch {
  // not permitted here: it runs at the priority it has
}

process.on('message', (m: LoadRequest) => {
  void autocannon({
    url: m.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: m.body,
    connections: m.connections,
    pipelining: 1,
    duration: m.seconds,
    timeout: 30,
  }).then((r) => {
    const figures: LoadFigures = { id: m.id, ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, duration: r.duration, p50: r.latency.p50, p99: r.latency.p99 }
    process.send?.(figures)
  })
})
process.send?.({ ready: true })
