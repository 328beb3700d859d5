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

/**
 * JSON from the compute routes is never rendered as a document, so the document policies (CSP
 * sources, opener/agent isolation, …) add bytes and per-header validation to every reply for
 * nothing; these are what an API reply needs (OWASP REST security headers).
 */
const API_HEADERS = Object.freeze({
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
})

const COMPUTE_ROUTES = new Set(['/conv2d', '/conv-transpose2d', '/pool', '/shape'])

/** the URL without its query */
export function pathOf(url: string): string {
  const q = url.indexOf('?')
  return q < 0 ? url : url.slice(0, q)
}

async function securityPlugin(app: FastifyInstance, opts: { corsOrigins: readonly string[] }) {
  const documentHeaders = securityHeaders()
  // A callback hook on the raw path: an async hook costs a promise and a microtask turn, and
  // `request.routeOptions` builds a fresh object on every read; on the textbook request these
  // four per-request hooks (here, server-timing, metrics, jobs) cost ~11% of requests/s.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(COMPUTE_ROUTES.has(pathOf(request.url)) ? API_HEADERS : documentHeaders)
    // not a security header, but one every answer carries: set here rather than in a hook of its own
    void reply.header('x-request-id', request.id)
    done()
  })
  if (opts.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: opts.corsOrigins.includes('*') ? true : [...opts.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: ['Content-Type', 'Authorization', 'Accept'],
      exposedHeaders: ['Server-Timing', 'Retry-After', 'X-Request-Id'],
    })
  }
}

export default fp(securityPlugin, { name: 'convserve-security' })
