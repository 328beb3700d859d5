import type { ConvTransposeGeometry } from './geometry-types.js'
import { validRange } from './window.js'

/**
 * Reference 2-D transposed convolution over NCHW float32, PyTorch's `F.conv_transpose2d`: every
 * input element scatters its value times the kernel into the output, at stride `s` and with the
 * kernel's taps `d` apart. The output is the full result from row `padTop` (column `padLeft`) on,
 * `outH` rows long: `outputPadding` takes back that many of the rows `padBottom` would crop, so
 * they hold real sums, and only rows past the full result hold the bias alone (PyTorch's
 * semantics; every (input, tap) pair whose target lands in [0, out) is added). The weight is
 * `[Cin, Cout/groups, kh, kw]`.
 *
 * It is the adjoint of conv2d with the same weight read as `[Cout, Cin/groups, kh, kw]`
 * (test/core/conv-transpose2d.test.ts holds ⟨conv2d(x), y⟩ = ⟨x, convTranspose2d(y)⟩).
 *
 * Loop order per output plane: input channel → kernel tap → input row → input column, so the
 * innermost loop adds one weight times a contiguous input row into an output row (every s-th
 * element); each tap's valid input range is computed once, so no bounds test sits in it. Sums run
 * in float64 and are rounded to float32 once, as in conv2d.ts.
 */
export function convTranspose2d(g: ConvTransposeGeometry, input: Float32Array, weight: Float32Array, bias?: Float32Array): Float32Array {
  const [n, cin, inH, inW] = g.inputShape
  const [, coutPerGroup, kH, kW] = g.weightShape
  expectLength(input, n * cin * inH * inW, 'input')
  expectLength(weight, cin * coutPerGroup * kH * kW, 'weight')
  if (g.hasBias) expectLength(bias, g.outChannels, 'bias')

  const { outH, outW, strideH: sH, strideW: sW, dilationH: dH, dilationW: dW, padTop, padLeft } = g
  const rowLo = new Int32Array(kH)
  const rowHi = new Int32Array(kH)
  const colLo = new Int32Array(kW)
  const colHi = new Int32Array(kW)
  for (let ky = 0; ky < kH; ky++) [rowLo[ky], rowHi[ky]] = validRange(ky * dH - padTop, sH, outH, inH)
  for (let kx = 0; kx < kW; kx++) [colLo[kx], colHi[kx]] = validRange(kx * dW - padLeft, sW, outW, inW)

  const cout = g.outChannels
  const cinPerGroup = g.inChannelsPerGroup
  const plane = outH * outW
  const out = new Float32Array(n * cout * plane)
  const acc = new Float64Array(plane)
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < cout; oc++) {
      acc.fill(g.hasBias ? bias![oc]! : 0)
      const group = Math.floor(oc / coutPerGroup)
      const ocInGroup = oc - group * coutPerGroup
      for (let i = 0; i < cinPerGroup; i++) {
        const ic = group * cinPerGroup + i
        const inPlane = (b * cin + ic) * inH * inW
        const wBase = (ic * coutPerGroup + ocInGroup) * kH * kW
        for (let ky = 0; ky < kH; ky++) {
          const yLo = rowLo[ky]!
          const yHi = rowHi[ky]!
          const rowOffset = ky * dH - padTop
          for (let kx = 0; kx < kW; kx++) {
            const w = weight[wBase + ky * kW + kx]!
            const xLo = colLo[kx]!
            const xHi = colHi[kx]!
            const colOffset = kx * dW - padLeft
            for (let iy = yLo; iy < yHi; iy++) {
              const inRow = inPlane + iy * inW
              const outRow = (iy * sH + rowOffset) * outW + colOffset
              for (let ix = xLo; ix < xHi; ix++) acc[outRow + ix * sW] += w * input[inRow + ix]!
            }
          }
        }
      }
      out.set(acc, (b * cout + oc) * plane)
    }
  }
  return out
}

function expectLength(a: Float32Array | undefined, want: number, name: string): void {
  if (a === undefined || a.length !== want) {
    // a programming error (the codec checks data against shape first), not a client error
    throw new RangeError(`convTranspose2d: ${name} has ${a?.length ?? 'no'} elements, geometry expects ${want}`)
  }
}
