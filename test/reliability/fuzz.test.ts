import type { FastifyInstance } from 'fastify'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERRORS, isErrorCode } from '../../src/errors.js'
import { post, startApp } from '../helpers/app.js'
import { K, X, missingField, notARequest, poisoned, unknownField, wrongField, type BadRequest } from './invalid.js'
import { misfit } from './misfits.js'
import { assertCleanError } from './clean.js'

/**
 * Malformed and semantically invalid requests, generated: every answer must be a 4xx with a coded
 * body whose status matches the code's, never a 5xx. The counter proves the volume (≥ 5,000 per
 * run); the textbook example afterwards proves the service still computes.
 */
let app: FastifyInstance
let sent = 0
const seenCodes = new Map<string, number>()

beforeAll(async () => {
  app = await startApp({ maxElements: 100_000, maxFlops: 50_000_000, bodyLimit: 1_000_000 })
})
afterAll(async () => {
  await app.close()
})

async function send(req: BadRequest): Promise<void> {
  sent++
  const res = await app.inject({
    method: 'POST',
    url: req.url,
    payload: req.raw ?? JSON.stringify(req.body),
    headers: { 'content-type': req.contentType ?? 'application/json' },
  })
  const context = `${req.url} ${String(req.raw ?? JSON.stringify(req.body)).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`
  expect(res.statusCode, context).toBeGreaterThanOrEqual(400)
  expect(res.statusCode, context).toBeLessThan(500)
  const body = res.json() as { statusCode: number; code: string; message: string; error: string }
  expect(isErrorCode(body.code), context).toBe(true)
  expect(ERRORS[body.code as keyof typeof ERRORS], context).toBe(res.statusCode)
  expect(body.statusCode, context).toBe(res.statusCode)
  if (req.codes) expect(req.codes, context).toContain(body.code)
  assertCleanError(res.body, context)
  seenCodes.set(body.code, (seenCodes.get(body.code) ?? 0) + 1)
}

const property = (arb: fc.Arbitrary<BadRequest>, numRuns: number) => fc.assert(fc.asyncProperty(arb, send), { numRuns })

describe('fuzz: invalid requests are coded 4xx answers', () => {
  it('a field of a valid body given a value outside its schema', async () => {
    await property(wrongField, 2000)
  })
  it('required fields missing, unknown fields added', async () => {
    await property(missingField, 100)
    await property(unknownField.map((r) => ({ ...r, codes: ['UNKNOWN_FIELD', 'FORBIDDEN_PROPERTY'] })), 500)
  })
  it('bodies that are not requests: non-objects, random bytes, truncated JSON, other media types', async () => {
    await property(notARequest, 1200)
  })
  it('prototype poisoning keys, at the top and inside a tensor', async () => {
    await property(poisoned, 200)
  })
  it('well-typed requests whose shapes cannot fit, and requests over the size limits', async () => {
    await property(misfit, 1200)
  })

  it('covered at least 5,000 requests and a wide spread of codes, then still computes the textbook example', async () => {
    expect(sent).toBeGreaterThanOrEqual(5000)
    // the generators reach each family of mistakes (not only the schema's INVALID_BODY)
    for (const code of ['INVALID_JSON', 'INVALID_BODY', 'UNKNOWN_FIELD', 'MISSING_FIELD', 'FORBIDDEN_PROPERTY', 'INVALID_TENSOR', 'RAGGED_TENSOR', 'NON_FINITE', 'INVALID_BASE64', 'SHAPE_MISMATCH', 'INVALID_RANK', 'INVALID_PARAMETER', 'KERNEL_TOO_LARGE', 'CHANNEL_MISMATCH', 'GROUPS_MISMATCH', 'BIAS_MISMATCH', 'PADDING_TOO_LARGE', 'UNSUPPORTED', 'UNSUPPORTED_MEDIA_TYPE', 'TENSOR_TOO_LARGE', 'JOB_TOO_LARGE']) {
      expect(seenCodes.get(code) ?? 0, `${code} never produced; seen ${JSON.stringify(Object.fromEntries(seenCodes))}`).toBeGreaterThan(0)
    }
    const res = await post(app, '/conv2d', { input: X, kernel: K })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ output: [[19, 25], [37, 43]] })
  })
})

/**
 * The same generators against a second app that cuts every string and every array of numbers out
 * of every body (the large-body path, codec/large-body.ts, at its smallest thresholds): each
 * invalid request must get the same status and body from both.
 */
describe('fuzz: the large-body path answers each invalid request as the usual path does', () => {
  let bytesApp: FastifyInstance
  beforeAll(async () => {
    bytesApp = await startApp({ maxElements: 100_000, maxFlops: 50_000_000, bodyLimit: 1_000_000, largeBodyBytes: 0, longStringBytes: 1 })
  })
  afterAll(async () => {
    await bytesApp.close()
  })
  const same = async (req: BadRequest) => {
    const request = {
      method: 'POST' as const,
      url: req.url,
      payload: req.raw ?? JSON.stringify(req.body),
      headers: { 'content-type': req.contentType ?? 'application/json' },
    }
    const [usual, bytes] = await Promise.all([app.inject(request), bytesApp.inject(request)])
    const context = `${req.url} ${String(request.payload).slice(0, 300)} → ${usual.statusCode} ${usual.body.slice(0, 200)} / ${bytes.statusCode} ${bytes.body.slice(0, 200)}`
    expect(bytes.statusCode, context).toBe(usual.statusCode)
    expect(bytes.json(), context).toEqual(usual.json())
  }
  it.each([
    ['a field given a value outside its schema', wrongField, 1500],
    ['bodies that are not requests', notARequest, 400],
    ['shapes that cannot fit, sizes over the limits', misfit, 1000],
  ] as const)('%s', async (_, arb, numRuns) => {
    await fc.assert(fc.asyncProperty(arb as fc.Arbitrary<BadRequest>, same), { numRuns })
  })
})
