import { monitorEventLoopDelay } from 'node:perf_hooks'
import Fastify, { type FastifyInstance } from 'fastify'

/**
 * A benchmark server in a process of its own (forked by `child.ts`), so the load generator and the
 * server never share an event loop. `convserve` is the real app, from the built `dist/` when it
 * exists (plain JavaScript workers, as deployed) else from the sources (workers then load through
 * tsx); `floor` is a bare Fastify route answering a constant (and one answering a constant of a
 * given size): the cheapest HTTP reply this stack can
 * give, with the same body limit and logger. The main thread's event-loop delay is sampled all
 * along, over each whole round and over the round's saturated window; the parent marks both and
 * reads them over IPC.
 */
export interface ServerSpec {
  readonly kind: 'convserve' | 'floor'
  readonly workers?: number
  readonly maxQueue?: number
  /** PREPACK_MB (default: the app's, 32) */
  readonly prepackMb?: number
  readonly logLevel: string
  /** the app module (dist/app.js or src/app.ts) and how to name it; see child.ts */
  readonly appUrl?: string
  readonly appLabel?: string
}

/**
 * `eld-reset` starts a round's histogram afresh; `eld-open` and `eld-close` bound the round's
 * saturated window (http.ts: the round less its first and last moments, when connections open
 * and close and the workers idle) in a second histogram; `eld-read` returns both.
 */
export type ServerRequest = { type: 'eld-reset' } | { type: 'eld-open' } | { type: 'eld-close' } | { type: 'eld-read' } | { type: 'close' }

export interface EventLoopDelay {
  readonly maxMs: number
  readonly p99Ms: number
  readonly meanMs: number
  /** the sampling interval; every sample includes it (Node measures timer-to-timer), so maxMs overstates a stall by up to this */
  readonly resolutionMs: number
}

export type ServerMessage =
  | { type: 'ready'; port: number; source: string }
  | { type: 'eld'; round: EventLoopDelay; saturated: EventLoopDelay }
  | { type: 'closed' }

const BODY_LIMIT = 33_554_432
/** the textbook toy's answer, so the floor sends as many bytes as convserve does */
const TOY_ANSWER = '{"output":[[19,25],[37,43]]}'
const RESOLUTION_MS = 2

async function build(spec: ServerSpec): Promise<{ app: FastifyInstance; source: string }> {
  const logger = { level: spec.logLevel }
  if (spec.kind === 'floor') {
    const app = Fastify({ logger, bodyLimit: BODY_LIMIT })
    app.post('/conv2d', async (_request, reply) => reply.type('application/json').send(TOY_ANSWER))
    // the wire alone for a large job: the body read into one buffer (not parsed) and a constant
    // reply of ?bytes= sent — what any service pays to move those bytes on this machine
    const replies = new Map<number, Buffer>()
    await app.register(async (wire) => {
      wire.removeAllContentTypeParsers()
      wire.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
      wire.post('/sized-reply', async (request, reply) => {
        const bytes = Number((request.query as { bytes?: string }).bytes)
        let body = replies.get(bytes)
        if (!body) replies.set(bytes, (body = Buffer.alloc(bytes, 0x41)))
        return reply.type('application/json').send(body)
      })
    })
    return { app, source: 'bare Fastify' }
  }
  const mod = (await import(spec.appUrl ?? new URL('../src/app.ts', import.meta.url).href)) as typeof import('../src/app.js')
  const overrides = {
    workers: spec.workers,
    maxQueue: spec.maxQueue,
    logLevel: spec.logLevel,
    ...(spec.prepackMb !== undefined ? { prepackBytes: spec.prepackMb * 1024 * 1024 } : {}),
  }
  const app = await mod.buildApp(overrides, { logger })
  return { app, source: spec.appLabel ?? 'src/' }
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as ServerSpec
  const round = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  round.enable()
  const saturated = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  const read = (h: typeof round): EventLoopDelay => ({
    maxMs: h.max / 1e6,
    p99Ms: h.percentile(99) / 1e6,
    meanMs: h.count > 0 ? h.mean / 1e6 : 0,
    resolutionMs: RESOLUTION_MS,
  })
  const { app, source } = await build(spec)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const send = (m: ServerMessage) => process.send?.(m)
  process.on('message', (m: ServerRequest) => {
    if (m.type === 'eld-reset') {
      round.reset()
      saturated.reset()
    } else if (m.type === 'eld-open') {
      saturated.reset()
      saturated.enable()
    } else if (m.type === 'eld-close') saturated.disable()
    else if (m.type === 'eld-read') send({ type: 'eld', round: read(round), saturated: read(saturated) })
    else if (m.type === 'close') {
      // app.close drains the scheduler and closes piscina: a worker is never terminated mid-run
      void app.close().then(() => {
        send({ type: 'closed' })
        process.removeAllListeners('disconnect')
        process.disconnect()
        // nothing should hold the loop now; if something does, the job is done anyway
        setTimeout(() => process.exit(0), 1000).unref()
      })
    }
  })
  // the bench died without closing us: do not outlive it
  process.on('disconnect', () => {
    void app.close().finally(() => process.exit(0))
  })
  send({ type: 'ready', port, source })
}

// only as a forked child given a spec (the tsx CLI gives its own child an IPC channel too)
if (process.send && process.argv[2]?.startsWith('{')) await main()
