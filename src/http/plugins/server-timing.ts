import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

const ms = (x: number) => x.toFixed(3)

/**
 * `Server-Timing: queue;dur=…, compute;dur=…, total;dur=…` (W3C syntax, milliseconds) on every
 * compute reply: queue = waiting for a worker, compute = the engine's run, total = the whole
 * request as the server saw it (parsing, validation, decoding, encoding included).
 */
async function serverTiming(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    const timing = request.jobTiming
    if (timing) {
      reply.header(
        'server-timing',
        `queue;dur=${ms(timing.queueMs)}, compute;dur=${ms(timing.computeMs)};desc="${timing.engine}", total;dur=${ms(reply.elapsedTime)}`,
      )
    }
    return payload
  })
}

export default fp(serverTiming, { name: 'convserve-server-timing' })
