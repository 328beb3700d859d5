/**
 * A tensor as the core sees it: row-major (C order) float32 data and its shape.
 * The core never copies data to change a shape: the rank shorthand of the textbook
 * (`[H,W]`, `[C,H,W]`) is a view of the same buffer as NCHW.
 */
export interface Tensor {
  readonly shape: readonly number[]
  readonly data: Float32Array
}

/** NCHW as a fixed 4-tuple. */
export type Shape4 = readonly [n: number, c: number, h: number, w: number]

export function shapeSize(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}
