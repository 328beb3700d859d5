import accepts from '@fastify/accepts'
import Fastify, { type FastifyInstance } from 'fastify'
import { resolveConfig, type Config, type ConfigOverrides } from './config.js'
import { clientErrorHandler, headersTimeoutMs } from './http/client-errors.js'
import registerRoutes from './http/routes/index.js'
import { requestId } from './http/request-id.js'
import { RequestLog } from './http/request-log.js'
import batchedReplies from './http/plugins/batched-replies.js'
import errors from './http/plugins/errors.js'
import jobs from './http/plugins/jobs.js'
import jsonParser from './http/plugins/json-parser.js'
import metrics, { type MetricsOptions } from './http/plugins/metrics.js'
import pressure from './http/plugins/pressure.js'
import requestEncodings from './http/plugins/request-encodings.js'
import security from './http/plugins/security.js'
import serverTiming from './http/plugins/server-timing.js'
import swagger from './http/plugins/swagger.js'
import { components } from './http/schemas/index.js'

export interface BuildOptions {
  /** pino logger options, or false for none (tests) */
  readonly logger?: boolean | Record<string, unknown>
  /** in an HTTP process of a cluster (cluster.ts): /metrics reports every process */
  readonly clusterMetrics?: MetricsOptions['clusterMetrics']
}

/**
 * Builds the Fastify app from a Config: plugins, schemas, routes; it does not listen (tests use
 * `app.inject`, server.ts listens). Closing the app drains the job queue and closes the workers.
 */
export async function buildApp(overrides: ConfigOverrides | Config = {}, options: BuildOptions = {}): Promise<FastifyInstance> {
  const config = resolveConfig(overrides)
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimit,
    // request ids in every log line and on every answer; tensors are never logged (no body serializer)
    requestIdHeader: false,
    genReqId: requestId,
    // one log line per request, with its job (http/request-log.ts)
    logController: new RequestLog(),
    return503OnClosing: true,
    requestTimeout: config.requestTimeoutMs,
    // a connection with no byte moving either way for this long is closed (Node destroys it)
    connectionTimeout: config.idleTimeoutMs,
    http: config.requestTimeoutMs > 0 ? requestTimeouts(config.requestTimeoutMs) : null,
    clientErrorHandler: clientErrorHandler(config.requestTimeoutMs),
    ajv: {
      customOptions: {
        // strict: "2" is not 2, and unknown fields are an error (not silently dropped)
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: false,
        allErrors: false,
        verbose: true,
      },
    },
  })
  // Responses are built explicitly by the handlers; plain JSON.stringify avoids fast-json-stringify's
  // union matching over large tensors (the response schemas still document every status).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))

  for (const schema of Object.values(components)) app.addSchema(schema)

  await app.register(errors, { bodyLimit: config.bodyLimit })
  await app.register(requestEncodings)
  await app.register(jsonParser, { bodyLimit: config.bodyLimit, largeBodyBytes: config.largeBodyBytes, longStringBytes: config.longStringBytes })
  await app.register(security, { corsOrigins: config.corsOrigins })
  await app.register(swagger)
  await app.register(batchedReplies)
  await app.register(serverTiming)
  await app.register(metrics, {
    queueDepth: () => app.scheduler.queued,
    running: () => app.scheduler.active,
    utilization: () => app.scheduler.utilization(),
    apiKeys: config.apiKeys,
    ...(options.clusterMetrics ? { clusterMetrics: options.clusterMetrics } : {}),
  })
  await app.register(jobs, { config })
  if (config.maxEventLoopDelayMs > 0) await app.register(pressure, { maxEventLoopDelayMs: config.maxEventLoopDelayMs })
  // content negotiation for the routes that can also draw their job (http/figure.ts)
  await app.register(accepts)
  await app.register(registerRoutes, { config })

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  return app
}

/**
 * Node's own timers for a request's arrival, given at the server's creation (Fastify sets
 * `requestTimeout` after it): the headers' limit no longer than the whole request's (see
 * headersTimeoutMs), and a look for requests past their time each second at most (Node's default
 * is every 30 s), which keeps a 408 near its deadline for one pass over the open connections.
 */
function requestTimeouts(requestTimeoutMs: number) {
  return {
    headersTimeout: headersTimeoutMs(requestTimeoutMs),
    connectionsCheckingInterval: Math.min(1000, Math.max(25, requestTimeoutMs >> 2)),
  }
}
