import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError } from '../../errors.js'

// /metrics too: a scrape during overload is what shows the overload (it answered 503 under load)
const OPEN_ROUTES = new Set(['/healthz', '/readyz', '/metrics'])

/**
 * Event-loop delay and heap guards: past them new compute requests get a coded 503 at once
 * instead of queueing behind a stalled loop. Health and readiness are always answered (readiness
 * reports the pressure); liveness must not fail just because the service is busy.
 */
async function pressurePlugin(app: FastifyInstance, opts: { maxEventLoopDelayMs: number }) {
  await app.register(underPressure, {
    maxEventLoopDelay: opts.maxEventLoopDelayMs,
    // heap (not typed-array memory, which is checked from shapes before allocation)
    maxHeapUsedBytes: 0,
    exposeStatusRoute: false,
    pressureHandler: (request, reply, type, value) => {
      if (OPEN_ROUTES.has(request.url.split('?')[0]!)) return
      // under-pressure reports Infinity when its last window held no sample at all: the loop was
      // blocked for the whole window once (start-up: module loading, the first JIT). That reading
      // is stale by the time this request runs; a loop that keeps lagging shows finite delays.
      if (value === Number.POSITIVE_INFINITY) return
      const error = new ApiError('OVERLOADED', `the service is overloaded (${type} ${Math.round(Number(value))}); retry shortly`, { 'retry-after': '1' })
      void reply.code(error.statusCode).headers(error.headers).send(error.toBody())
    },
  })
}

export default fp(pressurePlugin, { name: 'convserve-pressure' })
