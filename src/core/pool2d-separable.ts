import type { PoolGeometry } from './geometry-types.js'
import { finishSum, type AxisTaps } from './pool-ranges.js'
import type { PoolResult } from './pool2d.js'

/**
 * Pooling in two 1-D passes. A pooling window is the product of a set of rows and a set of
 * columns (pool-ranges.ts), and max, sum and Σ|x|^p each reduce a product set row by row: first
 * every input row read by some window is reduced over each output column's taps, then each output
 * reduces its window's rows of those partial results. A k×k window then costs about 2k reads
 * instead of k² — 31× fewer for k = 63 — while small or non-overlapping windows (2×2 stride 2)
 * read more this way than directly, so pool2d picks by the tap counts (`separableReads`).
 *
 * The results are pool2d's direct loops' results:
 * - max, values and indices bit for bit: a row keeps its first maximum (strict `>`) or its last
 *   NaN, and so does the column pass over the rows, which together is the direct loop's first
 *   maximum or last NaN in row-major order; a window with no real cell or only −∞ reports the same
 *   first tap;
 * - avg and lp sum the same float64 terms in another order (per row, then the rows), so a result
 *   can differ from the direct loop's by the float64 rounding of a sum, which rounded to float32
 *   is the same value or, rarely, the neighbouring one (1 ulp);
 * - lp raises each input cell to p once, not once per window it falls in.
 */
export interface SeparableReads {
  /** cells the direct loops read per plane */
  readonly direct: number
  /** cells the two passes read per plane */
  readonly separable: number
  /** the input rows some window reads, in increasing order (strided windows may skip rows) */
  readonly rowsRead: Int32Array
}

export function separableReads(H: number, rows: AxisTaps, cols: AxisTaps, outW: number): SeparableReads {
  const rowTaps = tapCount(rows)
  const colTaps = tapCount(cols)
  const read = rowsRead(H, rows)
  return { direct: rowTaps * colTaps, separable: read.length * colTaps + outW * rowTaps, rowsRead: read }
}

function tapCount(axis: AxisTaps): number {
  let n = 0
  for (let o = 0; o < axis.lo.length; o++) n += axis.hi[o]! - axis.lo[o]!
  return n
}

function rowsRead(H: number, rows: AxisTaps): Int32Array {
  const read = new Uint8Array(H)
  for (let o = 0; o < rows.lo.length; o++) {
    for (let t = rows.lo[o]!; t < rows.hi[o]!; t++) read[rows.first[o]! + t * rows.step] = 1
  }
  const list = new Int32Array(H)
  let count = 0
  for (let y = 0; y < H; y++) if (read[y]) list[count++] = y
  return list.subarray(0, count)
}

/** `used`: separableReads' rowsRead, which pool2d has already counted for its choice */
export function pool2dSeparable(g: PoolGeometry, input: Float32Array, rows: AxisTaps, cols: AxisTaps, used: Int32Array): PoolResult {
  const [n, c, H, W] = g.inputShape
  const { outH, outW } = g
  const planes = n * c
  const out = new Float32Array(planes * outH * outW)
  if (g.mode === 'max') {
    const indices = g.returnIndices ? new Int32Array(out.length) : undefined
    maxPlanes(input, out, indices, planes, H, W, outH, outW, rows, cols, used)
    return indices ? { output: out, indices } : { output: out }
  }
  sumPlanes(g, input, out, planes, H, W, outH, outW, rows, cols, used)
  return { output: out }
}

function maxPlanes(
  input: Float32Array, out: Float32Array, indices: Int32Array | undefined, planes: number,
  H: number, W: number, outH: number, outW: number, rows: AxisTaps, cols: AxisTaps, used: Int32Array,
): void {
  // per input row and output column: the row's maximum over the column taps, and its column
  const rowMax = new Float32Array(H * outW)
  const rowArg = new Int32Array(H * outW)
  const dW = cols.step
  const dH = rows.step
  let o = 0
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * H * W
    for (let u = 0; u < used.length; u++) {
      const y = used[u]!
      const row = base + y * W
      for (let ox = 0; ox < outW; ox++) {
        const x0 = cols.first[ox]!
        const kxHi = cols.hi[ox]!
        let kx = cols.lo[ox]!
        let best = -Infinity
        let bestX = x0 + kx * dW
        for (; kx < kxHi; kx++) {
          const x = x0 + kx * dW
          const v = input[row + x]!
          if (v > best || v !== v) {
            best = v
            bestX = x
          }
        }
        rowMax[y * outW + ox] = best
        rowArg[y * outW + ox] = bestX
      }
    }
    for (let oy = 0; oy < outH; oy++) {
      const y0 = rows.first[oy]!
      const kyLo = rows.lo[oy]!
      const kyHi = rows.hi[oy]!
      for (let ox = 0; ox < outW; ox++, o++) {
        let best = -Infinity
        let bestAt = (y0 + kyLo * dH) * W + (cols.first[ox]! + cols.lo[ox]! * dW)
        for (let ky = kyLo; ky < kyHi; ky++) {
          const y = y0 + ky * dH
          const v = rowMax[y * outW + ox]!
          if (v > best || v !== v) {
            best = v
            bestAt = y * W + rowArg[y * outW + ox]!
          }
        }
        out[o] = best
        if (indices) indices[o] = bestAt
      }
    }
  }
}

function sumPlanes(
  g: PoolGeometry, input: Float32Array, out: Float32Array, planes: number,
  H: number, W: number, outH: number, outW: number, rows: AxisTaps, cols: AxisTaps, used: Int32Array,
): void {
  const lp = g.mode === 'lp'
  const p = g.p
  // the rows read, as float64 terms: the cell, or lp's |x|^p taken once per cell (the direct
  // loop takes it once per window read); one array type keeps the row pass monomorphic
  const cells = new Float64Array(H * W)
  const rowSum = new Float64Array(H * outW)
  const dW = cols.step
  const dH = rows.step
  let o = 0
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * H * W
    for (let u = 0; u < used.length; u++) {
      const row = used[u]! * W
      if (lp) for (let x = 0; x < W; x++) cells[row + x] = Math.pow(Math.abs(input[base + row + x]!), p)
      else for (let x = 0; x < W; x++) cells[row + x] = input[base + row + x]!
    }
    for (let u = 0; u < used.length; u++) {
      const y = used[u]!
      const row = y * W
      for (let ox = 0; ox < outW; ox++) {
        const x0 = row + cols.first[ox]!
        const kxHi = cols.hi[ox]!
        let sum = 0
        for (let kx = cols.lo[ox]!; kx < kxHi; kx++) sum += cells[x0 + kx * dW]!
        rowSum[y * outW + ox] = sum
      }
    }
    for (let oy = 0; oy < outH; oy++) {
      const y0 = rows.first[oy]!
      const kyLo = rows.lo[oy]!
      const kyHi = rows.hi[oy]!
      for (let ox = 0; ox < outW; ox++, o++) {
        let sum = 0
        for (let ky = kyLo; ky < kyHi; ky++) sum += rowSum[(y0 + ky * dH) * outW + ox]!
        out[o] = finishSum(g, rows, cols, oy, ox, sum)
      }
    }
  }
}
