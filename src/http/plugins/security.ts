import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet from 'helmet'

/**
 * Security headers that keep Swagger UI and the playground working (both load only same-origin
 * scripts; Swagger UI sets inline styles and data: images), and CORS off unless origins are named.
 *
 * helmet decides the headers; they are computed once at start and set as a constant on every
 * reply. (@fastify/helmet runs helmet's middleware on every request: measured here, that alone
 * cost 37% of a bare route's requests/s, the same headers set as a constant 11%.)
 */
export function securityHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()]
    },
  }
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The service is usually reached over plain HTTP inside a cluster; TLS is the balancer's job.
    strictTransportSecurity: false,
  })({} as never, response as never, () => {})
  return Object.freeze(headers)
}

async function securityPlugin(app: FastifyInstance, opts: { corsOrigins: readonly string[] }) {
  const headers = securityHeaders()
  app.addHook('onRequest', async (_request, reply) => {
    void reply.headers(headers)
  })
  if (opts.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: opts.corsOrigins.includes('*') ? true : [...opts.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: ['Content-Type', 'Authorization', 'Accept'],
      exposedHeaders: ['Server-Timing', 'Retry-After'],
    })
  }
}

export default fp(securityPlugin, { name: 'convserve-security' })
