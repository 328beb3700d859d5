import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { registerAuth } from './auth.js'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

export interface Metrics {
  readonly registry: Registry
  /** one finished (or refused, timed-out, …) job: counted by op, engine and outcome; its compute time when it ran */
  recordJob(op: string, engine: string, outcome: string, ran?: { computeMs: number; hopMs: number; prepacked?: boolean }): void
}

/**
 * The labelled child of a metric for each label set, looked up once: prom-client's `labels()`
 * otherwise builds a labels object and new bound functions on every call, on every request (each
 * observation still validates and hashes its labels inside prom-client).
 */
export function childPerLabels<C>(make: (...values: string[]) => C): (...values: string[]) => C {
  const children = new Map<string, C>()
  return (...values) => {
    const key = values.join('\u0000')
    let child = children.get(key)
    if (!child) children.set(key, (child = make(...values)))
    return child
  }
}

/**
 * Prometheus metrics in a registry of this app's own (tests build many apps in one process).
 * Request durations by route and status; job duration by op and engine; a worker job's hop by op;
 * queue depth and pool utilisation read at scrape time; Node's default process metrics.
 */
export interface MetricsOptions {
  queueDepth: () => number
  running: () => number
  utilization: () => number
  /** API_KEYS: /metrics needs one of them when set (api-v1.md) */
  apiKeys?: readonly string[]
  /**
   * PROCESSES > 1 (cluster.ts): given this app's registry, the source of the whole service's
   * metrics, which /metrics then answers instead of this process's own
   */
  clusterMetrics?: (registry: Registry) => () => Promise<string>
}

async function metricsPlugin(app: FastifyInstance, opts: MetricsOptions) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const requestDuration = new Histogram({
    name: 'convserve_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const jobDuration = new Histogram({
    name: 'convserve_job_duration_seconds',
    help: 'engine compute time of a job, by op and engine',
    labelNames: ['op', 'engine'] as const,
    buckets: [0.00001, 0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const jobHop = new Histogram({
    name: 'convserve_job_hop_seconds',
    help: "a worker job's passage to its thread and back (round trip less the worker's own time), by op; grows when threads wait for a core",
    labelNames: ['op'] as const,
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [registry],
  })
  const jobs = new Counter({
    name: 'convserve_jobs_total',
    help: 'jobs by op, engine and outcome (ok, timeout, aborted, failed)',
    labelNames: ['op', 'engine', 'outcome'] as const,
    registers: [registry],
  })
  const prepackedJobs = new Counter({
    name: 'convserve_prepacked_jobs_total',
    help: 'jobs whose conv weight ran prepacked: on a session holding it as a constant (PREPACK_MB)',
    labelNames: ['op'] as const,
    registers: [registry],
  })
  new Gauge({
    name: 'convserve_job_queue_depth',
    help: 'jobs waiting for a worker',
    registers: [registry],
    collect() {
      this.set(opts.queueDepth())
    },
  })
  new Gauge({
    name: 'convserve_jobs_running',
    help: 'jobs running on worker threads',
    registers: [registry],
    collect() {
      this.set(opts.running())
    },
  })
  new Gauge({
    name: 'convserve_pool_utilization',
    help: 'fraction of worker-thread time spent running jobs since start (piscina utilization)',
    registers: [registry],
    collect() {
      this.set(opts.utilization())
    },
  })

  const jobDurationFor = childPerLabels((op, engine) => jobDuration.labels(op!, engine!))
  const jobsFor = childPerLabels((op, engine, outcome) => jobs.labels(op!, engine!, outcome!))
  const prepackedFor = childPerLabels((op) => prepackedJobs.labels(op!))
  const jobHopFor = childPerLabels((op) => jobHop.labels(op!))
  app.decorate('metrics', {
    registry,
    recordJob(op, engine, outcome, ran) {
      jobsFor(op, engine, outcome).inc()
      if (!ran) return
      jobDurationFor(op, engine).observe(ran.computeMs / 1000)
      // a job run inline never left the main thread (hop 0): only worker jobs are observed
      if (ran.hopMs > 0) jobHopFor(op).observe(ran.hopMs / 1000)
      if (ran.prepacked) prepackedFor(op).inc()
    },
  } satisfies Metrics)
  const metricsText = opts.clusterMetrics ? opts.clusterMetrics(registry) : () => registry.metrics()

  // a callback hook (see security.ts), and the labelled child looked up once per method, route and status
  const requestDurationFor = childPerLabels((method, route, status) => requestDuration.labels(method!, route!, status!))
  app.addHook('onResponse', (request, reply, done) => {
    requestDurationFor(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode)).observe(reply.elapsedTime / 1000)
    done()
  })

  // Its own encapsulated scope: this plugin is registered at the root (the request hooks above must
  // see every route), so the compute routes' bearer-auth would not reach /metrics, which then
  // answered 200 without a key while API_KEYS was set.
  await app.register(async (scope) => {
    await registerAuth(scope, { apiKeys: opts.apiKeys ?? [], rateLimit: 0 })
    scope.get(
      '/metrics',
      {
        schema: {
          operationId: 'metrics',
          tags: ['operations'],
          summary: 'Prometheus metrics',
          security: [{ bearerAuth: [] }, {}],
          response: { 200: { type: 'string', description: 'Prometheus text exposition format' } },
        },
      },
      async (_request, reply) => {
        void reply.type(registry.contentType)
        return metricsText()
      },
    )
  })
}

export default fp(metricsPlugin, { name: 'convserve-metrics' })
