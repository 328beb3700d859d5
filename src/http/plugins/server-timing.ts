import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

const ms = (x: number) => x.toFixed(3)

/**
 * `Server-Timing: queue;dur=…, compute;dur=…, codec;dur=…, hop;dur=…, total;dur=…` (W3C syntax,
 * milliseconds) on every compute reply: queue = waiting for a worker, compute = the engine's run,
 * codec = decoding the tensors and building the reply where the job ran (the worker's share for
 * a large base64 body; inline jobs and the main thread's own decoding count only in total),
 * hop = the job's passage to its worker and back (0 inline), total = the whole request as the
 * server saw it.
 */
async function serverTiming(app: FastifyInstance) {
  // a callback hook: cheaper per request than an async one (see security.ts)
  app.addHook('onSend', (request, reply, payload, done) => {
    const timing = request.jobTiming
    if (timing) {
      reply.header(
        'server-timing',
        `queue;dur=${ms(timing.queueMs)}, compute;dur=${ms(timing.computeMs)};desc="${timing.engine}", codec;dur=${ms(timing.codecMs)}, hop;dur=${ms(timing.hopMs)}, total;dur=${ms(reply.elapsedTime)}`,
      )
    }
    done(null, payload)
  })
}

export default fp(serverTiming, { name: 'convserve-server-timing' })
