import type { PoolGeometry } from './geometry-types.js'
import { pool2dSeparable, separableReads, type SeparableReads } from './pool2d-separable.js'
import { finishSum, poolTaps, type AxisTaps } from './pool-ranges.js'

export interface PoolResult {
  readonly output: Float32Array
  /** with returnIndices (max only): flat `h·W + w` into each input plane, as PyTorch */
  readonly indices?: Int32Array
}

/**
 * Reference pooling over NCHW float32: max, avg, lp for window, global and adaptive kinds.
 *
 * - max: PyTorch's `val > max || isnan(val)`, so a NaN wins and the last NaN's index is kept; padded
 *   cells never win (they are not read). The running index starts at the first tap inside the
 *   input, as PyTorch, so an all −∞ window reports that cell. A window with no real cell (possible
 *   only with dilation) gives −∞, again as PyTorch.
 * - avg: sum of real cells / divisorOverride, else the taps inside input + padding
 *   (countIncludePad), else the real cells. A dilated window with no real cell and
 *   countIncludePad=false is 0/0 = NaN.
 * - lp: (Σ|x|^p)^(1/p) over real cells (ONNX LpPool; padding adds 0).
 * - adaptive: the same over PyTorch bins; the divisor is the bin size.
 * Sums run in float64, rounded to float32 once.
 *
 * Two ways to the same results (pool2d-separable.ts says how they agree): the direct loops below,
 * one window at a time, and two 1-D passes, which read about 2k cells per k×k window instead of
 * k². `auto` takes the cheaper by the geometry's exact tap counts (prefersSeparable).
 */
export function pool2d(g: PoolGeometry, input: Float32Array, method: 'auto' | 'direct' | 'separable' = 'auto'): PoolResult {
  const [n, c, H, W] = g.inputShape
  if (input.length !== n * c * H * W) {
    throw new RangeError(`pool2d: input has ${input.length} elements, geometry expects ${n * c * H * W}`)
  }
  const { rows, cols } = poolTaps(g)
  if (method === 'direct') return pool2dDirect(g, input, rows, cols)
  const reads = separableReads(H, rows, cols, g.outW)
  if (method === 'separable' || prefersSeparable(g, reads)) return pool2dSeparable(g, input, rows, cols, reads.rowsRead)
  return pool2dDirect(g, input, rows, cols)
}

/**
 * Read for read, the two passes cost about twice the direct loop (each partial result is stored
 * and read back, each row read is first copied as float64 terms), while a direct lp read also
 * takes a Math.pow, about three plain reads. Measured here (Node 24, 1×16×112×112 and 1×64×112×112,
 * scratch): max 3×3 s1 direct 18–25 ms, separable 18–20; max 3×3 s2 4.3 vs 8.0; max 2×2 s2 3.3 vs
 * 5.4; max 7×7 s1 16 vs 6; avg 5×5 s1 12 vs 4; lp 3×3 s1 11 vs 4.3; lp 2×2 s2 1.4 vs 2.2;
 * avg 63×63 on 512² 1,490 vs 64 ms. Equal costs keep the direct loop.
 */
export function prefersSeparable(g: PoolGeometry, { direct, separable }: Pick<SeparableReads, 'direct' | 'separable'>): boolean {
  return separable * 2 < direct * (g.mode === 'lp' ? 3 : 1)
}

function pool2dDirect(g: PoolGeometry, input: Float32Array, rows: AxisTaps, cols: AxisTaps): PoolResult {
  const [n, c, H, W] = g.inputShape
  const { outH, outW } = g
  const planes = n * c
  const out = new Float32Array(planes * outH * outW)
  const wantIndices = g.mode === 'max' && g.returnIndices
  const indices = wantIndices ? new Int32Array(out.length) : undefined
  const dH = rows.step
  const dW = cols.step
  const mode = g.mode
  const p = g.p

  let o = 0
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * H * W
    for (let oy = 0; oy < outH; oy++) {
      const y0 = rows.first[oy]!
      const kyLo = rows.lo[oy]!
      const kyHi = rows.hi[oy]!
      for (let ox = 0; ox < outW; ox++, o++) {
        const x0 = cols.first[ox]!
        const kxLo = cols.lo[ox]!
        const kxHi = cols.hi[ox]!
        if (mode === 'max') {
          let best = -Infinity
          let bestAt = (y0 + kyLo * dH) * W + (x0 + kxLo * dW)
          for (let ky = kyLo; ky < kyHi; ky++) {
            const row = (y0 + ky * dH) * W + x0
            for (let kx = kxLo; kx < kxHi; kx++) {
              const at = row + kx * dW
              const v = input[base + at]!
              if (v > best || v !== v) {
                best = v
                bestAt = at
              }
            }
          }
          out[o] = best
          if (indices) indices[o] = bestAt
        } else {
          let sum = 0
          for (let ky = kyLo; ky < kyHi; ky++) {
            const row = base + (y0 + ky * dH) * W + x0
            if (mode === 'avg') {
              for (let kx = kxLo; kx < kxHi; kx++) sum += input[row + kx * dW]!
            } else {
              for (let kx = kxLo; kx < kxHi; kx++) sum += Math.pow(Math.abs(input[row + kx * dW]!), p)
            }
          }
          out[o] = finishSum(g, rows, cols, oy, ox, sum)
        }
      }
    }
  }
  return indices ? { output: out, indices } : { output: out }
}
