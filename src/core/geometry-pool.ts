import { CoreError } from './errors.js'
import type { Formula, PoolGeometry, Window2d } from './geometry-types.js'
import type { PaddingSpec, Pool2dParams, PoolMode } from './params.js'
import { checkInt, checkShape, intPair } from './checks.js'
import { inputToNCHW } from './geometry-conv.js'
import { resolvePadding } from './padding.js'
import { resolveWindow } from './window.js'

const MODES: readonly PoolMode[] = ['max', 'avg', 'lp']

/**
 * PyTorch's adaptive bin for output cell `i`: `[⌊i·in/out⌋, ⌈(i+1)·in/out⌉)`. With out > in the
 * bins overlap. The single definition used by geometry (kernel size, FLOPs) and by the kernels.
 */
export function adaptiveBin(i: number, size: number, out: number): [start: number, end: number] {
  return [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)]
}

/**
 * Shapes and Pool2dParams → one resolved record.
 *
 * Defaults (PyTorch's): mode max, stride = kernelSize, padding 0, dilation 1, ceilMode false,
 * countIncludePad true, p 2.
 *
 * Kinds:
 * - `window`: kernelSize (+ stride, padding, dilation, ceilMode).
 * - `global`: kernel = the whole plane, stride = the plane size, no padding → 1×1; formula `global: 5 → 1`.
 * - `adaptive`: PyTorch bins (see adaptiveBin). The Window2d fields are nominal, for display and
 *   limits only: kH/kW = the largest bin, strideH/W = max(1, ⌊in/out⌋), padding 0, dilation 1;
 *   kernels read the bins, never kH/stride. Formula `adaptive: 7 → 3`.
 * Every mode works with every kind (adaptive lp is the lp sum over the bin; PyTorch has no such op,
 * but it is well defined, so the core computes it and the engines decide what they support).
 *
 * Parameters that would have no effect are rejected rather than silently ignored (PyTorch ignores
 * some of them): returnIndices with avg/lp (the contract's 400), countIncludePad=false or
 * divisorOverride with a mode other than avg, p ≠ 2 with a mode other than lp; with global/adaptive
 * also kernelSize, stride, non-zero padding, dilation ≠ 1 and ceilMode=true; divisorOverride with
 * adaptive. A parameter sent with its default value (countIncludePad true, p 2, …) is accepted
 * in every mode, so a schema that fills in defaults does not trip these checks.
 */
export function resolvePool2d(inputShape: readonly number[], params: Pool2dParams): PoolGeometry {
  checkShape(inputShape, 'input', 2, 4)
  const [n, c, inH, inW] = inputToNCHW(inputShape)
  const mode = params.mode ?? 'max'
  if (!MODES.includes(mode)) {
    throw new CoreError('INVALID_PARAMETER', 'mode', `mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}`)
  }
  checkModeParams(mode, params)
  const isGlobal = params.global === true
  const isAdaptive = params.outputSize !== undefined
  const kind = isGlobal ? 'global' : isAdaptive ? 'adaptive' : 'window'
  if (kind !== 'window') checkNoWindowParams(kind, params)

  let window: Window2d
  let formula: Formula
  let flops: number
  if (kind === 'global') {
    window = plainWindow(inH, inW, inH, inW, inH, inW, 1, 1)
    formula = { h: `global: ${inH} → 1`, w: `global: ${inW} → 1` }
    flops = n * c * inH * inW
  } else if (kind === 'adaptive') {
    const [outH, outW] = intPair(params.outputSize!, 'outputSize', 1)
    const h = binStats(inH, outH)
    const w = binStats(inW, outW)
    window = plainWindow(inH, inW, h.largest, w.largest, Math.max(1, Math.floor(inH / outH)), Math.max(1, Math.floor(inW / outW)), outH, outW)
    formula = { h: `adaptive: ${inH} → ${outH}`, w: `adaptive: ${inW} → ${outW}` }
    flops = n * c * h.total * w.total
  } else {
    if (params.kernelSize === undefined) {
      throw new CoreError('INVALID_PARAMETER', 'kernelSize', 'kernelSize is required unless global or outputSize is set')
    }
    const [kH, kW] = intPair(params.kernelSize, 'kernelSize', 1)
    const [strideH, strideW] = intPair(params.stride ?? [kH, kW], 'stride', 1)
    const [dilationH, dilationW] = intPair(params.dilation ?? 1, 'dilation', 1)
    const effKH = dilationH * (kH - 1) + 1
    const effKW = dilationW * (kW - 1) + 1
    const pad = resolvePadding(params.padding, { size: inH, effK: effKH, stride: strideH }, { size: inW, effK: effKW, stride: strideW })
    // ONNX's rule (each side < the dilated extent) rather than PyTorch's pad ≤ k/2: it is what keeps
    // every window touching at least one padded-or-real cell next to the input (see api-v1.md)
    for (const [side, p, ext] of [['top', pad.top, effKH], ['bottom', pad.bottom, effKH], ['left', pad.left, effKW], ['right', pad.right, effKW]] as const) {
      if (p >= ext) {
        const [k, d] = side === 'top' || side === 'bottom' ? [kH, dilationH] : [kW, dilationW]
        throw new CoreError(
          'PADDING_TOO_LARGE',
          'padding',
          `pool padding ${side} ${p} must be smaller than the dilated kernel extent ${ext} (d·(k−1)+1 with k=${k}, d=${d})`,
        )
      }
    }
    const r = resolveWindow({ inH, inW, kH, kW, strideH, strideW, dilationH, dilationW, pad, ceilMode: params.ceilMode === true, kernelField: 'kernelSize' })
    window = r.window
    formula = r.formula
    flops = n * c * window.outH * window.outW * kH * kW
  }

  const { outH, outW } = window
  const wireOutputShape = inputShape.length === 2 ? [outH, outW] : inputShape.length === 3 ? [c, outH, outW] : [n, c, outH, outW]
  return {
    op: 'pool',
    ...window,
    mode,
    kind,
    batch: n,
    channels: c,
    ceilMode: params.ceilMode === true,
    countIncludePad: params.countIncludePad ?? true,
    divisorOverride: params.divisorOverride ?? null,
    p: params.p ?? 2,
    returnIndices: params.returnIndices === true,
    inputShape: [n, c, inH, inW],
    outputShape: [n, c, outH, outW],
    wireOutputShape,
    flops,
    formula,
  }
}

function checkModeParams(mode: PoolMode, params: Pool2dParams): void {
  if (params.returnIndices === true && mode !== 'max') {
    throw new CoreError('INVALID_PARAMETER', 'returnIndices', `returnIndices is only available with mode max, got mode ${mode}`)
  }
  if (params.countIncludePad === false && mode !== 'avg') {
    throw new CoreError('INVALID_PARAMETER', 'countIncludePad', `countIncludePad applies to mode avg only, got mode ${mode}`)
  }
  if (params.divisorOverride !== undefined && params.divisorOverride !== null) {
    if (mode !== 'avg') {
      throw new CoreError('INVALID_PARAMETER', 'divisorOverride', `divisorOverride applies to mode avg only, got mode ${mode}`)
    }
    checkInt(params.divisorOverride, 'divisorOverride', 1)
  }
  if (params.p !== undefined) {
    const p = params.p
    if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0) {
      throw new CoreError('INVALID_PARAMETER', 'p', `p must be a finite number > 0, got ${String(p)}`)
    }
    if (p !== 2 && mode !== 'lp') {
      throw new CoreError('INVALID_PARAMETER', 'p', `p applies to mode lp only, got p=${p} with mode ${mode}`)
    }
  }
}

function checkNoWindowParams(kind: 'global' | 'adaptive', params: Pool2dParams): void {
  const other = kind === 'global' ? 'outputSize' : 'global'
  if (kind === 'global' && params.outputSize !== undefined) {
    throw new CoreError('INVALID_PARAMETER', other, 'global and outputSize cannot be combined: choose one')
  }
  const clash = (field: string, why: string): never => {
    throw new CoreError('INVALID_PARAMETER', field, `${field} ${why} cannot be combined with ${kind === 'global' ? 'global' : 'outputSize'} pooling`)
  }
  if (params.kernelSize !== undefined) clash('kernelSize', `${JSON.stringify(params.kernelSize)}`)
  if (params.stride !== undefined) clash('stride', `${JSON.stringify(params.stride)}`)
  if (!isZeroPadding(params.padding)) clash('padding', `${JSON.stringify(params.padding)}`)
  if (params.dilation !== undefined && intPair(params.dilation, 'dilation', 1).some((d) => d !== 1)) {
    clash('dilation', `${JSON.stringify(params.dilation)}`)
  }
  if (params.ceilMode === true) clash('ceilMode', 'true')
  if (kind === 'adaptive' && params.divisorOverride !== undefined && params.divisorOverride !== null) {
    clash('divisorOverride', `${params.divisorOverride}`)
  }
}

function isZeroPadding(p: PaddingSpec | undefined): boolean {
  if (p === undefined || p === 'valid' || p === 0) return true
  if (Array.isArray(p)) return p.every((v) => v === 0)
  if (typeof p === 'object' && p !== null) return Object.values(p).every((v) => v === 0)
  return false
}

function binStats(size: number, out: number): { largest: number; total: number } {
  let largest = 0
  let total = 0
  for (let i = 0; i < out; i++) {
    const [s, e] = adaptiveBin(i, size, out)
    largest = Math.max(largest, e - s)
    total += e - s
  }
  return { largest, total }
}

function plainWindow(inH: number, inW: number, kH: number, kW: number, strideH: number, strideW: number, outH: number, outW: number): Window2d {
  return {
    inH, inW, kH, kW, strideH, strideW,
    dilationH: 1, dilationW: 1, effKH: kH, effKW: kW,
    padTop: 0, padBottom: 0, padLeft: 0, padRight: 0,
    outH, outW,
  }
}
