import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** an id a client or proxy may send: letters, digits and the punctuation trace ids use */
const USABLE_ID = /^[\w.:@/+=-]{1,128}$/

/**
 * The request's id: the client's `X-Request-Id` when it sent a usable one (a proxy in front, or
 * a client tracing its own calls), else a random UUID. Fastify's own ids count from 1 in each
 * process, so every replica and every restart would hand out `req-1` again. The id is in the
 * request's log line and, echoed as `X-Request-Id`, on its answer (http/plugins/security.ts).
 */
export function requestId(request: IncomingMessage): string {
  const sent = request.headers['x-request-id']
  return typeof sent === 'string' && USABLE_ID.test(sent) ? sent : randomUUID()
}
