import { expect } from 'vitest'
import { flatten } from '../helpers/app.js'
import { firstMismatch } from '../engines/jobs.js'
import type { Expected } from './valid.js'

/**
 * The service's answer equals the core's: same wire shape, values within 1e-4 relative (onnxruntime
 * sums in another order than the core), max-pool indices exactly.
 */
export function expectAnswer(status: number, text: string, want: Expected, context: string): void {
  expect(status, `${context} → ${text.slice(0, 300)}`).toBe(200)
  const body = JSON.parse(text) as { output: unknown; indices?: unknown }
  const got = flatten(body.output)
  expect(got.shape, context).toEqual([...want.shape])
  // nested and flat replies carry every non-finite value as null (api-v1.md); base64 keeps the bits
  const isBase64 = body.output !== null && typeof body.output === 'object' && 'base64' in body.output
  const expected = isBase64 ? want.output : Array.from(want.output, (x) => (Number.isFinite(x) ? x : Number.NaN))
  expect(firstMismatch(got.data, expected), context).toBeNull()
  if (want.indices) {
    expect(body.indices, `${context}: indices missing`).toBeDefined()
    const idx = flatten(body.indices, 'int32')
    expect(idx.shape, context).toEqual([...want.shape])
    expect(firstMismatch(idx.data, want.indices, 0, 0), `${context}: indices`).toBeNull()
  } else {
    expect(body.indices, context).toBeUndefined()
  }
}
