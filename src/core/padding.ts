import { CoreError } from './errors.js'
import type { PaddingSpec, SidePadding } from './params.js'
import { checkInt } from './checks.js'

/** One spatial axis before padding is known: input size, dilated kernel extent, stride. */
export interface AxisSpec {
  readonly size: number
  readonly effK: number
  readonly stride: number
}

/**
 * Every padding form of the contract → explicit per-side padding.
 *
 * - int: every side; `[ph, pw]`: top = bottom = ph, left = right = pw (PyTorch's pair meaning);
 *   `{top,bottom,left,right}`: as given; `"valid"`: 0.
 * - `"same"`: output `ceil(in/s)`, total `max((out−1)·s + d·(k−1) + 1 − in, 0)`, the odd pixel at the
 *   bottom/right — ONNX SAME_UPPER / TensorFlow SAME. With stride 1 this is PyTorch's `padding='same'`;
 *   with a larger stride PyTorch refuses, ONNX/TF define it this way, and so do we.
 */
export function resolvePadding(spec: PaddingSpec | undefined, h: AxisSpec, w: AxisSpec): SidePadding {
  if (spec === undefined || spec === 'valid') return { top: 0, bottom: 0, left: 0, right: 0 }
  if (spec === 'same') {
    const [top, bottom] = samePads(h)
    const [left, right] = samePads(w)
    return { top, bottom, left, right }
  }
  if (typeof spec === 'number') {
    checkInt(spec, 'padding', 0)
    return { top: spec, bottom: spec, left: spec, right: spec }
  }
  if (Array.isArray(spec)) {
    if (spec.length !== 2) {
      throw new CoreError('INVALID_PARAMETER', 'padding', `padding as a list must be [ph, pw], got ${JSON.stringify(spec)}`)
    }
    const ph = checkInt(spec[0], 'padding', 0)
    const pw = checkInt(spec[1], 'padding', 0)
    return { top: ph, bottom: ph, left: pw, right: pw }
  }
  if (typeof spec === 'object' && spec !== null) {
    const s = spec as SidePadding
    return {
      top: checkInt(s.top, 'padding.top', 0),
      bottom: checkInt(s.bottom, 'padding.bottom', 0),
      left: checkInt(s.left, 'padding.left', 0),
      right: checkInt(s.right, 'padding.right', 0),
    }
  }
  throw new CoreError('INVALID_PARAMETER', 'padding', `padding must be an integer ≥ 0, [ph, pw], {top,bottom,left,right}, "same" or "valid", got ${JSON.stringify(spec)}`)
}

function samePads(a: AxisSpec): [number, number] {
  const out = Math.ceil(a.size / a.stride)
  const total = Math.max((out - 1) * a.stride + a.effK - a.size, 0)
  const before = Math.floor(total / 2)
  return [before, total - before]
}
