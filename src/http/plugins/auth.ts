import bearerAuth from '@fastify/bearer-auth'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../errors.js'

/**
 * Registered inside the context that holds the compute routes and /metrics only, so /healthz,
 * /readyz, /docs, /openapi.json and the playground stay open (api-v1.md, API_KEYS).
 * Not wrapped in fastify-plugin on purpose: its hooks must stay encapsulated.
 */
export async function registerAuth(app: FastifyInstance, opts: { apiKeys: readonly string[]; rateLimit: number }) {
  if (opts.apiKeys.length > 0) {
    // bearer-auth compares keys in constant time
    await app.register(bearerAuth, {
      keys: new Set(opts.apiKeys),
      addHook: 'onRequest',
      errorResponse: () => new ApiError('UNAUTHORIZED', 'this route needs "Authorization: Bearer <key>" with one of the API keys').toBody(),
    })
  }
  if (opts.rateLimit > 0) {
    await app.register(rateLimit, {
      max: opts.rateLimit,
      timeWindow: 60_000,
      // per API key when keys are in use, else per client address
      keyGenerator: (request) => {
        const auth = request.headers.authorization
        return auth?.startsWith('Bearer ') ? `key:${auth.slice(7)}` : `ip:${request.ip}`
      },
      errorResponseBuilder: (_request, context) =>
        new ApiError('RATE_LIMITED', `more than ${context.max} requests per minute (RATE_LIMIT); retry in ${Math.ceil(context.ttl / 1000)} s`),
    })
  }
}
