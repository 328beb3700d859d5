import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll } from 'vitest'
import { buildApp } from '../../src/app.js'
import { createClient, type ConvserveClient } from '../../src/client/index.js'
import type { ConfigOverrides } from '../../src/config.js'

export interface LiveServer {
  readonly app: FastifyInstance
  readonly url: string
}

/** A real server on an ephemeral port, as a client sees it. */
export async function startServer(overrides: ConfigOverrides = {}): Promise<LiveServer> {
  // under-pressure off: on a shared 2-core machine the event loop can lag past 1 s while workers
  // start, and an OVERLOADED 503 there would be noise, not what these tests look at
  const app = await buildApp({ workers: 1, maxEventLoopDelayMs: 0, ...overrides })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address')
  return { app, url: `http://127.0.0.1:${address.port}` }
}

/**
 * A live server and a client of it for the enclosing suite (or file): started before its tests,
 * both closed after them. Read `.client` and `.server` inside the tests.
 */
export function liveClient(overrides: ConfigOverrides = {}): { readonly server: LiveServer; readonly client: ConvserveClient } {
  const live = {} as { server: LiveServer; client: ConvserveClient }
  beforeAll(async () => {
    live.server = await startServer(overrides)
    live.client = createClient({ baseUrl: live.server.url })
  })
  afterAll(async () => {
    await live.client.close()
    await live.server.app.close()
  })
  return live
}

/** Polls a condition on the server (e.g. "the worker is busy"); never a fixed sleep. */
export async function waitUntil(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

// Dive into Deep Learning, ch. 6: the book's input and kernel, shared with the HTTP tests.
export { K, X, plus1 } from '../helpers/textbook.js'
