import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Security headers that keep Swagger UI and the playground working (both load only same-origin
 * scripts; Swagger UI sets inline styles and data: images), and CORS off unless origins are named.
 */
async function securityPlugin(app: FastifyInstance, opts: { corsOrigins: readonly string[] }) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // The service is usually reached over plain HTTP inside a cluster; TLS is the balancer's job.
    hsts: false,
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
