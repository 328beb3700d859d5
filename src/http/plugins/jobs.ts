import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../../config.js'
import { DEFAULT_INLINE_FLOPS } from '../../jobs/inline.js'
import { createPool } from '../../jobs/pool.js'
import { ReplyBuffers } from '../../jobs/reply-buffers.js'
import { Scheduler } from '../../jobs/scheduler.js'

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: Scheduler
  }
}

/**
 * Shared reply buffers kept for reuse, at most (jobs/reply-buffers.ts): room for 16 S2-sized
 * replies being sent at once (each takes a 2 MB buffer); larger or further replies get their own.
 * The memory stays with the process once used (`npm run load`'s RSS grew by the whole budget
 * when it was 64 MB).
 */
const REPLY_BUFFER_BYTES = 32 * 1024 * 1024

/** The worker pool and its scheduler live as long as the app; closing the app drains them. */
async function jobsPlugin(app: FastifyInstance, opts: { config: Config }) {
  const { config } = opts
  const pool = createPool({
    workers: config.workers,
    nice: config.workerNice,
    prepackBytes: config.prepackBytes,
    workerFile: config.workerFile,
  })
  const scheduler = new Scheduler(pool, {
    workers: config.workers,
    maxQueue: config.maxQueue,
    jobTimeoutMs: config.jobTimeoutMs,
    engine: config.engine,
    inlineFlops: config.inlineFlops ?? DEFAULT_INLINE_FLOPS,
    replyBuffers: new ReplyBuffers(REPLY_BUFFER_BYTES),
    onJobDone(job, outcome, status) {
      const engine = outcome?.engine ?? 'none'
      app.metrics?.recordJob(job.op, engine, status, outcome)
    },
  })
  pool.on('error', (error: unknown) => app.log.error({ err: error }, 'worker pool error'))
  app.decorate('scheduler', scheduler)
  // Shutdown drains over keep-alive connections too. Fastify's close() closes the connections
  // idle at that moment and then waits in server.close() for every other one; a connection whose
  // request was in flight stays open after its answer (keep-alive, Fastify's keepAliveTimeout is
  // 72 s), so close() — and with it the scheduler and pool — waited until SHUTDOWN_GRACE_MS ran
  // out and the process exited 1. Answers sent while closing end their connection instead.
  let draining = false
  app.addHook('preClose', async () => {
    draining = true
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close')
    done(null, payload)
  })
  app.addHook('onClose', async () => {
    await scheduler.close()
  })
}

export default fp(jobsPlugin, { name: 'convserve-jobs', dependencies: ['convserve-metrics'] })
