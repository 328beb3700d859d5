import type { FastifyInstance } from 'fastify'

const Status = {
  type: 'object',
  properties: {
    status: { type: 'string' },
    queued: { type: 'integer' },
    running: { type: 'integer' },
  },
  required: ['status'],
  additionalProperties: false,
} as const

/** Liveness answers while the process runs; readiness only while work can be taken. */
export default async function opsRoutes(app: FastifyInstance) {
  app.get(
    '/healthz',
    { schema: { operationId: 'healthz', tags: ['operations'], summary: 'liveness: the process is up', response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  )
  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'readyz',
        tags: ['operations'],
        summary: 'readiness: workers up, queue not full, not shutting down or overloaded',
        response: { 200: Status, 503: Status },
      },
    },
    async (_request, reply) => {
      const scheduler = app.scheduler
      const pressured = typeof app.isUnderPressure === 'function' && app.isUnderPressure()
      const ready = scheduler.isReady() && !pressured
      const status = scheduler.isClosing ? 'shutting-down' : pressured ? 'overloaded' : ready ? 'ready' : 'busy'
      void reply.code(ready ? 200 : 503)
      return { status, queued: scheduler.queued, running: scheduler.active }
    },
  )
}
