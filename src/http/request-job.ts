import type { FastifyReply, FastifyRequest } from 'fastify'
import type { WireForm } from '../codec/decode.js'
import type { RunOutcome, Scheduler } from '../jobs/scheduler.js'
import type { JobSpec, ReplySpec } from '../jobs/task.js'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * this request's job, for Server-Timing (queue, hop, compute and codec durations, engine) and
     * the request's log line (op, engine, FLOPs, compute ms, prepacked); `onWorker` when the job
     * ran on a worker thread rather than inline (plugins/batched-replies.ts)
     */
    jobTiming?: { op: string; flops: number; prepacked: boolean; queueMs: number; hopMs: number; computeMs: number; codecMs: number; engine: string; onWorker: boolean }
  }
}

/**
 * Runs a job for a request; with `replySpec`, the outcome carries the reply body built where the
 * job ran (see jobs/task.ts). If the client goes away first, the job is abandoned: a queued job
 * never starts, a running one finishes and its result is dropped. Inline jobs finish before the
 * client could go, so they skip the abort wiring (it costs more than the textbook job itself).
 */
export async function runForRequest(request: FastifyRequest, reply: FastifyReply, job: JobSpec, replySpec?: ReplySpec): Promise<RunOutcome> {
  const { scheduler } = request.server
  if (scheduler.runsInline(job)) return done(request, reply, job, await scheduler.run(job, undefined, replySpec), false)
  const controller = new AbortController()
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort()
  }
  reply.raw.once('close', onClose)
  try {
    return done(request, reply, job, await scheduler.run(job, controller.signal, replySpec), true)
  } finally {
    reply.raw.removeListener('close', onClose)
  }
}

function done(request: FastifyRequest, reply: FastifyReply, job: JobSpec, outcome: RunOutcome, onWorker: boolean): RunOutcome {
  const { release } = outcome
  if (release) {
    // the body is a view of a shared reply buffer: it serves another reply once this one is out
    // ('close' follows 'finish', and comes alone when the client goes away mid-reply)
    if (reply.raw.closed) release()
    else reply.raw.once('close', release)
  }
  request.jobTiming = {
    op: job.op,
    flops: job.geometry.flops,
    prepacked: outcome.prepacked === true,
    queueMs: outcome.queueMs,
    hopMs: outcome.hopMs,
    computeMs: outcome.computeMs,
    codecMs: outcome.codecMs,
    engine: outcome.engine,
    onWorker,
  }
  return outcome
}

/**
 * How a job's answer is built when this thread needs nothing of it (no explain, no figure): where
 * the job runs, as the reply's bytes. Always for base64 (a worker writes it into a shared reply
 * buffer); for the JSON number forms when the job goes to a worker, whose encoding of a large
 * output would otherwise hold this thread for a tenth of a second or more. An inline job's few
 * numbers go the usual way, through the route's serializer.
 */
export function replySpecFor(scheduler: Scheduler, job: JobSpec, form: WireForm, tensors: ReplySpec['tensors']): ReplySpec | undefined {
  if (form !== 'base64' && scheduler.runsInline(job)) return undefined
  return { form, tensors }
}
