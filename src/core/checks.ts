import { CoreError } from './errors.js'
import type { IntPair } from './params.js'

/**
 * Small validators shared by the conv and pool geometry. Every failure is a CoreError that names
 * the request field and shows the offending numbers, so the HTTP layer never rewrites a message.
 */

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`
}

/** An int or an `[h, w]` pair → `[h, w]`, each an integer ≥ `min`. */
export function intPair(value: IntPair, field: string, min: number): readonly [number, number] {
  const pair: readonly number[] = typeof value === 'number' ? [value, value] : value
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new CoreError('INVALID_PARAMETER', field, `${field} must be an integer or a pair [h, w], got ${JSON.stringify(value)}`)
  }
  for (const v of pair) checkInt(v, field, min)
  return [pair[0]!, pair[1]!]
}

export function checkInt(v: unknown, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new CoreError('INVALID_PARAMETER', field, `${field} must be an integer ≥ ${min}, got ${String(v)}`)
  }
  return v
}

/**
 * Shape sanity: integer dimensions, rank within [minRank, maxRank], no zero-sized axis (a zero axis
 * makes an empty output, which the contract treats as a client error rather than returning `[]`).
 */
export function checkShape(shape: readonly number[], field: string, minRank: number, maxRank: number): void {
  if (!Array.isArray(shape) || shape.length < minRank || shape.length > maxRank) {
    const want = minRank === maxRank ? `${minRank}` : `${minRank}–${maxRank}`
    throw new CoreError('INVALID_RANK', field, `${field} must have rank ${want}, got shape ${fmtShape(shape ?? [])} (rank ${shape?.length ?? 0})`)
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new CoreError('INVALID_RANK', field, `${field} shape ${fmtShape(shape)} must hold non-negative integers`)
    }
  }
  if (shape.includes(0)) {
    throw new CoreError('OUTPUT_EMPTY', field, `${field} has a zero-sized dimension (shape ${fmtShape(shape)})`)
  }
}
