import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import { registerAuth } from '../plugins/auth.js'
import playground from '../plugins/playground.js'
import conv2dRoutes from './conv2d.js'
import convTranspose2dRoutes from './conv-transpose2d.js'
import opsRoutes from './ops.js'
import poolRoutes from './pool.js'
import shapeRoutes from './shape.js'

/**
 * Open routes (health, readiness, the playground page) beside one encapsulated context for everything that needs an
 * API key when API_KEYS is set: the compute routes and /metrics.
 */
export default async function registerRoutes(app: FastifyInstance, opts: { config: Config }) {
  await app.register(opsRoutes)
  await app.register(playground)
  await app.register(async (secured) => {
    await registerAuth(secured, { apiKeys: opts.config.apiKeys, rateLimit: opts.config.rateLimit })
    await secured.register(conv2dRoutes, { config: opts.config })
    await secured.register(convTranspose2dRoutes, { config: opts.config })
    await secured.register(poolRoutes, { config: opts.config })
    await secured.register(shapeRoutes)
  })
}
