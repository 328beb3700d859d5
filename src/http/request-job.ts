import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Job } from '../engines/types.js'
import type { RunOutcome } from '../jobs/scheduler.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** queue and compute durations of this request's job, for Server-Timing */
    jobTiming?: { queueMs: number; computeMs: number; engine: string }
  }
}

/**
 * Runs a job for a request. If the client goes away first, the job is abandoned: a queued job
 * never starts, a running one finishes and its result is dropped. Inline jobs finish before the
 * client could go, so they skip the abort wiring (it costs more than the textbook job itself).
 */
export async function runForRequest(request: FastifyRequest, reply: FastifyReply, job: Job): Promise<RunOutcome> {
  const { scheduler } = request.server
  if (scheduler.runsInline(job)) return done(request, job, await scheduler.run(job))
  const controller = new AbortController()
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort()
  }
  reply.raw.once('close', onClose)
  try {
    return done(request, job, await scheduler.run(job, controller.signal))
  } finally {
    reply.raw.removeListener('close', onClose)
  }
}

function done(request: FastifyRequest, job: Job, outcome: RunOutcome): RunOutcome {
  request.jobTiming = { queueMs: outcome.queueMs, computeMs: outcome.computeMs, engine: outcome.engine }
  request.log.info({ op: job.op, engine: outcome.engine, flops: job.geometry.flops, computeMs: outcome.computeMs }, 'job done')
  return outcome
}
