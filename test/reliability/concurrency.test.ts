import type { FastifyInstance } from 'fastify'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp } from '../helpers/app.js'
import { expectAnswer } from '../helpers/answer.js'
import { heavyJob } from './jobs.js'
import { convCase, poolCase, type ValidCase } from './valid.js'

/**
 * 120+ distinct requests in flight at once over real sockets, mixed conv/pool, wire forms and
 * sizes (some heavy enough for the workers), with a queue that admits them all: each must get its
 * own answer. Cross-talk (a result delivered to the wrong request, buffers shared between jobs
 * transferred to different workers, an encoding taken from another request) fails the comparison.
 */
let app: FastifyInstance
let base: string
beforeAll(async () => {
  app = await startApp({ workers: 2, maxQueue: 400, engine: 'auto' })
  base = await app.listen({ port: 0, host: '127.0.0.1' })
})
afterAll(async () => {
  await app.close()
})

function cases(): ValidCase[] {
  const pick = (arb: fc.Arbitrary<ValidCase | null>, seed: number) =>
    fc.sample(arb, { numRuns: 120, seed }).filter((c): c is ValidCase => c !== null)
  const out = [...pick(convCase, 11).slice(0, 60), ...pick(poolCase, 12).slice(0, 60)]
  // a few S2-like jobs with distinct channel counts, so that several heavy jobs overlap on the workers
  for (const channels of [8, 12, 16, 20]) {
    const h = heavyJob(channels, 40)
    out.push({ url: '/conv2d', body: h.body, want: h.want, flops: 0 })
  }
  return out
}

describe('concurrency: no cross-talk', () => {
  it('every one of 120+ concurrent distinct requests gets its own correct result', async () => {
    const all = cases()
    expect(all.length).toBeGreaterThanOrEqual(120)
    const engines = new Map<string, number>()
    const replies = await Promise.all(
      all.map(async (c) => {
        const res = await fetch(base + c.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.body) })
        return { c, status: res.status, text: await res.text(), timing: res.headers.get('server-timing') ?? '' }
      }),
    )
    for (const { c, status, text, timing } of replies) {
      expectAnswer(status, text, c.want, `${c.url} ${JSON.stringify(c.body).slice(0, 200)}`)
      const engine = /desc="(\w+)"/.exec(timing)?.[1] ?? 'none'
      engines.set(engine, (engines.get(engine) ?? 0) + 1)
    }
    // both the main-thread core and the workers' onnxruntime served part of the burst
    expect(engines.get('onnxruntime') ?? 0, JSON.stringify([...engines])).toBeGreaterThanOrEqual(4)
    expect(engines.get('reference') ?? 0, JSON.stringify([...engines])).toBeGreaterThanOrEqual(10)
  })
})
