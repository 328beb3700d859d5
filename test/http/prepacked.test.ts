import type { FastifyInstance } from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { resolveConv2d } from '../../src/core/geometry.js'
import { fromBase64, post, startApp, toBase64 } from '../helpers/app.js'
import { assertClose } from '../helpers/conformance.js'

/**
 * Prepacked weights seen from outside (engines/onnxruntime/prepacked.ts): the same kernel sent
 * again runs on a session that holds it as a constant, the answer does not change, and
 * /metrics counts those jobs. PREPACK_MB=0 reaches the workers and turns it off.
 */
const C = 4
const H = 12

function request(seed: number) {
  const input = Array.from({ length: C * H * H }, (_, i) => Math.sin(seed + i * 0.37))
  const weight = Array.from({ length: C * C * 9 }, (_, i) => Math.cos(seed * 3 + i) / 4)
  const geometry = resolveConv2d([1, C, H, H], [C, C, 3, 3], undefined, { padding: 1 })
  const expected = conv2d(geometry, new Float32Array(input), new Float32Array(weight))
  const body = {
    input: { shape: [1, C, H, H], dtype: 'float32', base64: toBase64(input) },
    weight: { shape: [C, C, 3, 3], dtype: 'float32', base64: toBase64(weight) },
    padding: 1,
  }
  return { body, expected }
}

const CLOSE = { rtol: 1e-4, atol: 1e-5 }

async function prepackedCount(app: FastifyInstance): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
  const line = text.split('\n').find((l) => l.startsWith('convserve_prepacked_jobs_total{op="conv2d"}'))
  return line ? Number(line.split(' ').pop()) : 0
}

/** posts the request until a job runs prepacked (its session is made in the background), checking every answer */
async function postUntilPrepacked(app: FastifyInstance, seed: number, maxTries: number): Promise<number> {
  const { body, expected } = request(seed)
  for (let tries = 1; tries <= maxTries; tries++) {
    const res = await post(app, '/conv2d', body)
    expect(res.statusCode).toBe(200)
    expect(res.headers['server-timing']).toContain('desc="onnxruntime"')
    assertClose(fromBase64(res.json().output.base64), expected, CLOSE, `seed ${seed}, request ${tries}`)
    if ((await prepackedCount(app)) > 0) return tries
  }
  return Number.POSITIVE_INFINITY
}

describe('prepacked weights over HTTP', () => {
  const apps: FastifyInstance[] = []
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()))
  })

  it('the same kernel sent again runs prepacked from its third request on, with the same answer', async () => {
    const app = await startApp({ engine: 'onnxruntime' })
    apps.push(app)
    const tries = await postUntilPrepacked(app, 1, 40)
    // the first request only remembers the weight and the second starts its session
    expect(tries).toBeGreaterThanOrEqual(3)
    expect(tries).toBeLessThanOrEqual(40)
    // another kernel starts from nothing
    const before = await prepackedCount(app)
    const other = request(2)
    for (let i = 0; i < 2; i++) {
      const res = await post(app, '/conv2d', other.body)
      assertClose(fromBase64(res.json().output.base64), other.expected, CLOSE, `seed 2, request ${i + 1}`)
    }
    expect(await prepackedCount(app)).toBe(before)
  })

  it('PREPACK_MB=0 (prepackBytes 0) reaches the workers: nothing runs prepacked', async () => {
    const app = await startApp({ engine: 'onnxruntime', prepackBytes: 0 })
    apps.push(app)
    expect(await postUntilPrepacked(app, 3, 12)).toBe(Number.POSITIVE_INFINITY)
  })
})
