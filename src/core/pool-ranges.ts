import type { PoolGeometry } from './geometry-types.js'
import { adaptiveBin } from './geometry-pool.js'

/**
 * Per output position of one axis, which input cells its window reads, resolved once so the
 * pooling loops hold no bounds tests. A window reads taps `first + j·step` for j in [lo, hi)
 * (only real input cells), and `padded` counts its taps inside input + padding (the avg divisor
 * with countIncludePad; overhang past the trailing padding from ceil mode never counts).
 */
export interface AxisTaps {
  readonly first: Int32Array
  readonly step: number
  readonly lo: Int32Array
  readonly hi: Int32Array
  readonly padded: Int32Array
}

export function windowTaps(out: number, size: number, k: number, stride: number, dilation: number, padBefore: number, padAfter: number): AxisTaps {
  const first = new Int32Array(out)
  const lo = new Int32Array(out)
  const hi = new Int32Array(out)
  const padded = new Int32Array(out)
  for (let o = 0; o < out; o++) {
    const start = o * stride - padBefore
    first[o] = start
    // start ≥ −padBefore > −(dilated extent), so lo < k always: some tap lies at or past 0
    lo[o] = start >= 0 ? 0 : Math.ceil(-start / dilation)
    hi[o] = Math.max(lo[o]!, Math.min(k, Math.floor((size - 1 - start) / dilation) + 1))
    padded[o] = Math.min(k, Math.floor((size + padAfter - 1 - start) / dilation) + 1)
  }
  return { first, step: dilation, lo, hi, padded }
}

/** Adaptive bins as taps: step 1, first = bin start, j in [0, bin length). */
export function adaptiveTaps(out: number, size: number): AxisTaps {
  const first = new Int32Array(out)
  const lo = new Int32Array(out)
  const hi = new Int32Array(out)
  for (let o = 0; o < out; o++) {
    const [s, e] = adaptiveBin(o, size, out)
    first[o] = s
    hi[o] = e - s
  }
  return { first, step: 1, lo, hi, padded: hi }
}

export function poolTaps(g: PoolGeometry): { rows: AxisTaps; cols: AxisTaps } {
  if (g.kind === 'adaptive') return { rows: adaptiveTaps(g.outH, g.inH), cols: adaptiveTaps(g.outW, g.inW) }
  return {
    rows: windowTaps(g.outH, g.inH, g.kH, g.strideH, g.dilationH, g.padTop, g.padBottom),
    cols: windowTaps(g.outW, g.inW, g.kW, g.strideW, g.dilationW, g.padLeft, g.padRight),
  }
}

/**
 * A sum pool's output from its window's float64 sum: lp's p-th root, or avg's mean over
 * divisorOverride, else the window's taps inside input + padding (countIncludePad), else its
 * real cells. The direct loops and the separable passes both finish here.
 */
export function finishSum(g: PoolGeometry, rows: AxisTaps, cols: AxisTaps, oy: number, ox: number, sum: number): number {
  if (g.mode === 'lp') return Math.pow(sum, 1 / g.p)
  const divisor =
    g.divisorOverride !== null
      ? g.divisorOverride
      : g.countIncludePad
        ? rows.padded[oy]! * cols.padded[ox]!
        : (rows.hi[oy]! - rows.lo[oy]!) * (cols.hi[ox]! - cols.lo[ox]!)
  return sum / divisor
}
