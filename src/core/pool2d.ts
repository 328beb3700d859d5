import type { PoolGeometry } from './geometry-types.js'
import { poolTaps } from './pool-ranges.js'

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
 */
export function pool2d(g: PoolGeometry, input: Float32Array): PoolResult {
  const [n, c, H, W] = g.inputShape
  if (input.length !== n * c * H * W) {
    throw new RangeError(`pool2d: input has ${input.length} elements, geometry expects ${n * c * H * W}`)
  }
  const { rows, cols } = poolTaps(g)
  const { outH, outW } = g
  const planes = n * c
  const out = new Float32Array(planes * outH * outW)
  const wantIndices = g.mode === 'max' && g.returnIndices
  const indices = wantIndices ? new Int32Array(out.length) : undefined
  const dH = rows.step
  const dW = cols.step
  const mode = g.mode
  const p = g.p
  const invP = 1 / p
  const override = g.divisorOverride

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
          if (mode === 'lp') {
            out[o] = Math.pow(sum, invP)
          } else {
            const divisor =
              override !== null
                ? override
                : g.countIncludePad
                  ? rows.padded[oy]! * cols.padded[ox]!
                  : (kyHi - kyLo) * (kxHi - kxLo)
            out[o] = sum / divisor
          }
        }
      }
    }
  }
  return indices ? { output: out, indices } : { output: out }
}
