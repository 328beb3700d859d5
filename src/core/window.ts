import { CoreError } from './errors.js'
import type { Formula, Window2d } from './geometry-types.js'
import type { SidePadding } from './params.js'

/**
 * Output size of one axis, the one place it is computed:
 *   floor((in + pb + pe − d·(k−1) − 1) / s) + 1
 * With ceil mode, ceil replaces floor, and a last window that would start in the trailing padding
 * ((out − 1)·s ≥ in + pb) is dropped — PyTorch's pooling_output_shape, also ONNX opset ≥ 19.
 *
 * The formula text is the textbook's ⌊(n − k + p + s) / s⌋ spelled with the request's numbers:
 * n = input size, k = dilated kernel extent d·(k−1)+1, p = total padding pb + pe, s = stride.
 *   floor:            `⌊(3 − 2 + 2 + 3) / 3⌋ = 2`
 *   ceil:             `⌈(4 − 3 + 0 + 2) / 2⌉ = 2`
 *   ceil, dropped:    `⌈(2 − 1 + 0 + 2) / 2⌉ = 2 − 1 = 1`
 * ("same" padding shows the resolved total; adaptive and global pools have their own short texts,
 * see geometry-pool.ts.)
 */
export interface AxisResult {
  readonly out: number
  readonly formula: string
}

export function axisOutput(size: number, effK: number, stride: number, padBefore: number, padAfter: number, ceilMode: boolean): AxisResult {
  const p = padBefore + padAfter
  const span = size + p - effK
  const text = `(${size} − ${effK} + ${p} + ${stride}) / ${stride}`
  if (!ceilMode) {
    const out = Math.floor(span / stride) + 1
    return { out, formula: `⌊${text}⌋ = ${out}` }
  }
  const raw = Math.ceil(span / stride) + 1
  if ((raw - 1) * stride >= size + padBefore) {
    return { out: raw - 1, formula: `⌈${text}⌉ = ${raw} − 1 = ${raw - 1}` }
  }
  return { out: raw, formula: `⌈${text}⌉ = ${raw}` }
}

export interface WindowInputs
  extends Pick<Window2d, 'inH' | 'inW' | 'kH' | 'kW' | 'strideH' | 'strideW' | 'dilationH' | 'dilationW'> {
  readonly pad: SidePadding
  readonly ceilMode: boolean
  /** the field named when the kernel does not fit: `weight` for conv, `kernelSize` for pool */
  readonly kernelField: string
}

/** Kernel, stride, dilation and resolved padding → the Window2d part of a geometry record, plus formulas. */
export function resolveWindow(w: WindowInputs): { window: Window2d; formula: Formula } {
  const effKH = w.dilationH * (w.kH - 1) + 1
  const effKW = w.dilationW * (w.kW - 1) + 1
  const paddedH = w.inH + w.pad.top + w.pad.bottom
  const paddedW = w.inW + w.pad.left + w.pad.right
  if (effKH > paddedH || effKW > paddedW) {
    throw new CoreError(
      'KERNEL_TOO_LARGE',
      w.kernelField,
      `kernel ${w.kH}×${w.kW} (dilated extent ${effKH}×${effKW}) is larger than the padded input ` +
        `${paddedH}×${paddedW} (input ${w.inH}×${w.inW}, padding top ${w.pad.top}, bottom ${w.pad.bottom}, left ${w.pad.left}, right ${w.pad.right})`,
    )
  }
  const h = axisOutput(w.inH, effKH, w.strideH, w.pad.top, w.pad.bottom, w.ceilMode)
  const wd = axisOutput(w.inW, effKW, w.strideW, w.pad.left, w.pad.right, w.ceilMode)
  const window: Window2d = {
    inH: w.inH,
    inW: w.inW,
    kH: w.kH,
    kW: w.kW,
    strideH: w.strideH,
    strideW: w.strideW,
    dilationH: w.dilationH,
    dilationW: w.dilationW,
    effKH,
    effKW,
    padTop: w.pad.top,
    padBottom: w.pad.bottom,
    padLeft: w.pad.left,
    padRight: w.pad.right,
    outH: h.out,
    outW: wd.out,
  }
  return { window, formula: { h: h.formula, w: wd.formula } }
}

/**
 * Positions p in [lo, hi) of [0, count) whose target p·s + offset lands inside [0, size): for
 * conv2d the outputs o that read input o·s + offset (size = input, count = output), for a
 * transposed conv the inputs i that scatter onto output i·s + offset (size = output, count =
 * input). Kernels compute each tap's range once with it, so no bounds test sits in their loops.
 */
export function validRange(offset: number, stride: number, size: number, count: number): [number, number] {
  const lo = offset >= 0 ? 0 : Math.ceil(-offset / stride)
  const hi = Math.min(count, Math.floor((size - 1 - offset) / stride) + 1)
  return [Math.min(lo, count), Math.max(Math.min(lo, count), hi)]
}
