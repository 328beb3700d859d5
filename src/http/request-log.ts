import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify'

/** the job's part of the line, built only when a line is written (prepacked only when true) */
function jobFields(request: FastifyRequest): Record<string, unknown> | undefined {
  const t = request.jobTiming
  if (!t) return undefined
  const fields: Record<string, unknown> = { op: t.op, engine: t.engine, flops: t.flops, computeMs: t.computeMs }
  if (t.prepacked) fields['prepacked'] = true
  return fields
}

/**
 * One log line per request, when it is answered: Fastify's request line (method, URL, host,
 * client address and port, status, response time) and, for a computed job, `job`: its op,
 * engine, FLOPs, compute time and whether its weight ran prepacked. Fastify's own controller
 * writes an "incoming request" line as well, and the job had a third line of its own. At the
 * default level (info) the one line gave the textbook request 4–17 % more throughput than the
 * three (docs/performance.md, "Logging"). Errors keep Fastify's "request errored" line, at error
 * level.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    // an override takes over the disableRequestLogging check (Fastify's docs)
    if (this.isLogDisabled(request)) return
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime, job: jobFields(request) }, 'request errored')
    } else if (infoEnabled(reply.log)) {
      // the object is built only when it will be written (at warn, the default of the bench)
      reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime, job: jobFields(request) }, 'request completed')
    }
  }
}

/** pino's loggers have isLevelEnabled; Fastify's base logger type does not declare it */
function infoEnabled(log: FastifyBaseLogger): boolean {
  return (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') ?? true
}
