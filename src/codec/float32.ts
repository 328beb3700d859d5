import { ApiError } from '../errors.js'

/** float32's largest finite value: a JSON number beyond it would round to ±Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38

/** A JSON value that is to become a float32 element: a finite number within float32's range, or a 400 naming `path()`. */
export function toFloat32(x: unknown, path: () => string): number {
  if (typeof x !== 'number') {
    throw new ApiError('INVALID_TENSOR', `${path()} must be a number, got ${JSON.stringify(x)}`)
  }
  if (!Number.isFinite(x)) throw new ApiError('NON_FINITE', `${path()} is not finite`)
  if (Math.abs(x) > FLOAT32_MAX) {
    throw new ApiError('NON_FINITE', `${path()} = ${x} overflows float32 (largest magnitude ${FLOAT32_MAX})`)
  }
  return x
}
