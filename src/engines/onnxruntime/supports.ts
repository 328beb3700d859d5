import type { ConvGeometry, ConvTransposeGeometry, PoolGeometry } from '../../core/geometry-types.js'
import type { Job } from '../types.js'
import { convTransposeAttrs } from './plan.js'

/**
 * The cases onnxruntime 1.30 computes exactly as the core (PyTorch semantics). Anything else goes
 * to the core: each rule below is an ORT behaviour measured on this machine or an ONNX operator
 * that cannot express the PyTorch rule.
 */
export function ortSupports(job: Job): boolean {
  if (job.op === 'conv2d') return convSupported(job.geometry)
  if (job.op === 'convTranspose2d') return convTransposeSupported(job.geometry)
  return poolSupported(job.geometry, job.input)
}

function convSupported(g: ConvGeometry): boolean {
  // ORT's Pad(wrap) reads the wrong elements once a pad exceeds the input (PyTorch: pad ≤ input)
  if (g.paddingMode === 'circular' && (Math.max(g.padTop, g.padBottom) > g.inH || Math.max(g.padLeft, g.padRight) > g.inW)) {
    return false
  }
  // reflect needs pad < input in both (the core rejects it first; kept so the rule is local)
  if (g.paddingMode === 'reflect' && (Math.max(g.padTop, g.padBottom) >= g.inH || Math.max(g.padLeft, g.padRight) >= g.inW)) {
    return false
  }
  return true
}

function convTransposeSupported(g: ConvTransposeGeometry): boolean {
  // PyTorch allows outputPadding up to max(stride, dilation) − 1, and ORT's ConvTranspose throws
  // once output_padding reaches the stride: the graph never uses it (plan.ts, convTransposeAttrs).
  // What ORT computes must hold at least one row and column before the engine appends the rest.
  // Every other drawn configuration (asymmetric pads up to 5, past the dilated kernel; dilation
  // 1–4; outputPadding up to the dilation; groups; bias) matched the core.
  const [extendH, extendW] = convTransposeAttrs(g).extend
  return g.outH - extendH >= 1 && g.outW - extendW >= 1
}

function poolSupported(g: PoolGeometry, input: Float32Array): boolean {
  // ONNX AveragePool has no divisor attribute
  if (g.divisorOverride !== null) return false
  // LpPool's p is an integer attribute in ONNX
  if (g.mode === 'lp' && (!Number.isInteger(g.p) || g.p < 1)) return false
  if (g.kind === 'global') {
    // GlobalMaxPool has no Indices output; ORT 1.30 has no GlobalLpPool kernel for opset 22
    if ((g.mode === 'max' && g.returnIndices) || g.mode === 'lp') return false
    return dataOk(g, input)
  }
  if (g.kind === 'adaptive') {
    // PyTorch's adaptive bins are a plain pool only when they tile the plane evenly
    if (g.mode === 'lp' || g.inH % g.outH !== 0 || g.inW % g.outW !== 0) return false
    return dataOk(g, input)
  }
  // "Pad should be smaller than kernel": ORT compares with the undilated kernel, ONNX and the
  // contract allow up to the dilated extent
  if (Math.max(g.padTop, g.padBottom) >= g.kH || Math.max(g.padLeft, g.padRight) >= g.kW) return false
  // a window that holds no input element (dilation makes it possible): ORT returns −3.4e38 and
  // garbage indices for max and 0 for avg without padding where PyTorch gives −∞ and NaN
  if (!everyWindowTouchesInput(g.outH, g.strideH, g.padTop, g.kH, g.dilationH, g.inH)) return false
  if (!everyWindowTouchesInput(g.outW, g.strideW, g.padLeft, g.kW, g.dilationW, g.inW)) return false
  return dataOk(g, input)
}

function everyWindowTouchesInput(out: number, stride: number, pad: number, k: number, dilation: number, size: number): boolean {
  for (let o = 0; o < out; o++) {
    const start = o * stride - pad
    let touches = false
    for (let t = 0; t < k && !touches; t++) {
      const i = start + t * dilation
      touches = i >= 0 && i < size
    }
    if (!touches) return false
  }
  return true
}

/**
 * Data the ORT kernels treat differently. LpPool sums |x|^p in float32 where the core sums in
 * float64, so it must neither overflow nor fall into the subnormals: one pass over the input,
 * cheap beside the pow() per window element. (MaxPool's NaN and −∞ are caught after the run from
 * an input sum the graph computes: see plan.ts.)
 */
function dataOk(g: PoolGeometry, input: Float32Array): boolean {
  if (g.mode === 'lp') {
    let maxAbs = 0
    let minAbs = Infinity
    for (let i = 0; i < input.length; i++) {
      const a = Math.abs(input[i]!)
      if (!(a < Infinity)) return false
      if (a > maxAbs) maxAbs = a
      if (a !== 0 && a < minAbs) minAbs = a
    }
    const windowSize = g.kind === 'global' ? g.inH * g.inW : g.kH * g.kW
    if (maxAbs === 0) return true
    return maxAbs ** g.p * windowSize < 1e37 && minAbs ** g.p > 1e-30
  }
  return true
}
