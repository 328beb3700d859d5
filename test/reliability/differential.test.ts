import type { FastifyInstance } from 'fastify'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, startApp } from '../helpers/app.js'
import { expectAnswer } from '../helpers/answer.js'
import { convCase, poolCase, type ValidCase } from './valid.js'

/**
 * Differential fuzz: random valid configurations through HTTP under ENGINE auto (the TypeScript
 * core inline for tiny jobs, onnxruntime on the workers for the rest) against the TypeScript core
 * called directly. Each property counts how many cases were valid and how many went to workers, so
 * a generator drifting into rejected or all-tiny cases fails the test instead of passing vacuously.
 */
let app: FastifyInstance
beforeAll(async () => {
  // ENGINE auto with its default thresholds: jobs over 20,000 FLOPs go to the workers and onnxruntime
  // inline only below the worker-side threshold (10k FLOPs) instead of the main thread's 50k, so
  // that enough random jobs reach onnxruntime on the workers for both paths to be compared
  app = await startApp({ workers: 2, engine: 'auto', maxQueue: 64, inlineFlops: 10_000 })
})
afterAll(async () => {
  await app.close()
})

/** → the engine that computed it, from Server-Timing's `compute;desc="…"` */
async function agrees(c: ValidCase): Promise<string> {
  const res = await post(app, c.url, c.body)
  expectAnswer(res.statusCode, res.body, c.want, `${c.url} ${JSON.stringify(c.body).slice(0, 400)}`)
  return /desc="(\w+)"/.exec(String(res.headers['server-timing']))?.[1] ?? 'unknown'
}

describe('differential: the service equals the TypeScript core', () => {
  // [name, cases, runs, least onnxruntime answers]: onnxruntime declines some configurations
  // (e.g. lp with ceil mode) and the worker then runs the core, so not every big job counts
  for (const [name, arb, runs, leastOrt] of [['conv2d', convCase, 220, 5], ['pool', poolCase, 200, 3]] as const) {
    it(`${name}: random shapes (rank shorthand too), parameter forms, padding modes, wire forms`, async () => {
      let valid = 0
      const engines = new Map<string, number>()
      await fc.assert(
        fc.asyncProperty(arb, async (c) => {
          if (!c) return
          valid++
          const engine = await agrees(c)
          engines.set(engine, (engines.get(engine) ?? 0) + 1)
        }),
        { numRuns: runs },
      )
      expect(valid).toBeGreaterThan(runs / 3)
      // both paths are exercised: onnxruntime on the workers and the core inline
      expect(engines.get('onnxruntime') ?? 0, JSON.stringify([...engines])).toBeGreaterThanOrEqual(leastOrt)
      expect(engines.get('reference') ?? 0, JSON.stringify([...engines])).toBeGreaterThan(5)
    })
  }
})
