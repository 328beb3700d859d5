import cluster, { type Worker } from 'node:cluster'
import { AggregatorRegistry, type Registry } from 'prom-client'
import type { Config } from './config.js'

/**
 * PROCESSES > 1: this process becomes a supervisor that forks that many HTTP processes
 * (node:cluster), each a whole convserve (its own event loop and worker pool) sharing one port —
 * what gunicorn's `-w` is to a Python service. A single event loop tops out at one core of HTTP
 * work; with several, small requests scale with the cores. (Behind Kubernetes, more replicas of
 * PROCESSES=1 do the same; this is for one container on a multi-core host.)
 *
 * The supervisor serves no requests. It restarts a process that dies, forwards SIGTERM to every
 * process and exits once all have drained (0 if they all exited 0), and answers their requests
 * for the cluster's metrics, so `/metrics` on any of them reports the whole service.
 */
const METRICS_REQUEST = 'convserve:metrics-request'
const METRICS_REPLY = 'convserve:metrics-reply'
/** a process that dies this soon after its start is not restarted in a loop: the supervisor waits */
const RESTART_DELAY_MS = 1_000

interface MetricsRequest {
  readonly type: typeof METRICS_REQUEST
  readonly id: number
}

interface MetricsReply {
  readonly type: typeof METRICS_REPLY
  readonly id: number
  readonly text?: string
  readonly error?: string
}

export const isClusterWorker = (): boolean => cluster.isWorker

export function runSupervisor(config: Config): void {
  const log = (msg: string, extra: Record<string, unknown> = {}) =>
    console.log(JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, msg, ...extra }))
  const aggregator = new AggregatorRegistry()
  let stopping = false

  const fork = () => cluster.fork()
  for (let i = 0; i < config.processes; i++) fork()
  log('convserve supervisor: HTTP processes started', { processes: config.processes, workersEach: config.workers })

  cluster.on('message', (worker: Worker, message: unknown) => {
    const m = message as Partial<MetricsRequest>
    if (m?.type !== METRICS_REQUEST || typeof m.id !== 'number') return
    const id = m.id
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_REPLY, id, text } satisfies MetricsReply),
      (error: unknown) => worker.send({ type: METRICS_REPLY, id, error: String(error) } satisfies MetricsReply),
    )
  })

  const exitCodes: number[] = []
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      exitCodes.push(code ?? 1)
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCodes.every((c) => c === 0) ? 0 : 1)
      return
    }
    log('convserve supervisor: an HTTP process exited; starting another', { pid: worker.process.pid, code, signal })
    setTimeout(() => {
      if (!stopping) fork()
    }, RESTART_DELAY_MS).unref()
  })

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    log('convserve supervisor: shutting down', { signal })
    // each process drains on its own (server.ts): accepted jobs finish and are answered
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
    // a process that outlives its own grace period (it exits 1 itself) is not waited for forever
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 5_000).unref()
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  // a terminal's Ctrl-C reaches every process of the group: they drain by themselves
  process.on('SIGINT', () => stop('SIGINT'))
}

/**
 * In an HTTP process of a cluster: the metrics of every process, aggregated by the supervisor
 * (prom-client's AggregatorRegistry sums counters and histograms across processes).
 */
export function clusterMetricsSource(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry])
  // installs prom-client's worker-side listener that answers the supervisor with this registry
  new AggregatorRegistry()
  let next = 0
  const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void }>()
  process.on('message', (message: unknown) => {
    const m = message as Partial<MetricsReply>
    if (m?.type !== METRICS_REPLY || typeof m.id !== 'number') return
    const waiter = pending.get(m.id)
    if (!waiter) return
    pending.delete(m.id)
    if (m.error !== undefined) waiter.reject(new Error(m.error))
    else waiter.resolve(m.text ?? '')
  })
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++
      pending.set(id, { resolve, reject })
      process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest)
    })
}
