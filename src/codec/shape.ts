import { ApiError } from '../errors.js'
import { numberArrayOf } from './number-text.js'

const MAX_RANK = 4

/**
 * A tensor's shape without decoding its data, so geometry, FLOP and size limits are checked
 * before any large allocation or decoding work. Nested arrays are probed along their first
 * elements (raggedness is found later, while copying); flat and base64 forms state their shape.
 */
export function peekShape(value: unknown, field: string, maxElements: number): number[] {
  let shape: number[]
  if (Array.isArray(value)) {
    // a large body's numbers may still be bytes, with the shape their scan found
    shape = numberArrayOf(value)?.shape.slice() ?? probeNestedShape(value, field)
  } else if (value !== null && typeof value === 'object' && Array.isArray((value as { shape?: unknown }).shape)) {
    shape = (value as { shape: number[] }).shape
    for (let i = 0; i < shape.length; i++) {
      if (!Number.isSafeInteger(shape[i]) || shape[i]! < 0) {
        throw new ApiError('INVALID_TENSOR', `${field}.shape[${i}] must be an integer ≥ 0, got ${JSON.stringify(shape[i])}`)
      }
    }
  } else {
    throw new ApiError('INVALID_TENSOR', `${field} must be nested arrays, {shape, data} or {shape, dtype, base64}`)
  }
  if (shape.length < 1 || shape.length > MAX_RANK) {
    throw new ApiError('INVALID_RANK', `${field} has rank ${shape.length}; ranks 1 to ${MAX_RANK} are accepted`)
  }
  checkElements(shape.reduce((a, b) => a * b, 1), shape, field, maxElements)
  return shape
}

/**
 * The shape of nested arrays read along their first elements, iteratively: a body nested
 * thousands deep is refused at depth 5 without recursion.
 */
export function probeNestedShape(value: readonly unknown[], field: string): number[] {
  const shape: number[] = []
  let probe: unknown = value
  while (Array.isArray(probe)) {
    if (shape.length === MAX_RANK) {
      throw new ApiError('INVALID_RANK', `${field} is nested more than ${MAX_RANK} deep (rank ≤ ${MAX_RANK})`)
    }
    shape.push(probe.length)
    if (probe.length === 0) break
    probe = probe[0]
  }
  return shape
}

/** MAX_ELEMENTS, checked from a shape before anything of that size is allocated → 413. */
export function checkElements(size: number, shape: readonly number[], field: string, maxElements: number): void {
  if (size > maxElements) {
    throw new ApiError(
      'TENSOR_TOO_LARGE',
      `${field} has ${size} elements (shape [${shape.join(',')}]), more than the limit of ${maxElements} (MAX_ELEMENTS)`,
    )
  }
}
