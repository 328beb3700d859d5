import { expect } from 'vitest'
import { firstMismatch } from '../engines/jobs.js'
import { flatten } from './app.js'

/** What a compute reply must hold: the output's wire shape and values, and max-pool indices when asked for. */
export interface Expected {
  readonly shape: readonly number[]
  readonly output: ArrayLike<number>
  readonly indices?: ArrayLike<number>
}

/**
 * The service's answer equals the expected one: status 200, same wire shape, values within the
 * tolerance (by default 1e-4 relative: onnxruntime sums in another order than the core), max-pool
 * indices exactly and only when asked for.
 */
export function expectAnswer(status: number, text: string, want: Expected, context: string, tol = { rtol: 1e-4, atol: 1e-5 }): void {
  expect(status, `${context} → ${text.slice(0, 300)}`).toBe(200)
  const body = JSON.parse(text) as { output: unknown; indices?: unknown }
  const got = flatten(body.output)
  expect(got.shape, context).toEqual([...want.shape])
  // nested and flat replies carry every non-finite value as null (api-v1.md); base64 keeps the bits
  const isBase64 = body.output !== null && typeof body.output === 'object' && 'base64' in body.output
  const expected = isBase64 ? want.output : Array.from(want.output, (x) => (Number.isFinite(x) ? x : Number.NaN))
  expect(firstMismatch(got.data, expected, tol.rtol, tol.atol), context).toBeNull()
  if (want.indices) {
    expect(body.indices, `${context}: indices missing`).toBeDefined()
    const idx = flatten(body.indices, 'int32')
    expect(idx.shape, context).toEqual([...want.shape])
    expect(firstMismatch(idx.data, want.indices, 0, 0), `${context}: indices`).toBeNull()
  } else {
    expect(body.indices, context).toBeUndefined()
  }
}
