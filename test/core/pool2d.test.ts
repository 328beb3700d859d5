import { describe, expect, it } from 'vitest'
import { resolvePool2d } from '../../src/core/geometry.js'
import type { Pool2dParams } from '../../src/core/params.js'
import { pool2d } from '../../src/core/pool2d.js'

const run = (shape: number[], data: number[], params: Pool2dParams) => {
  const g = resolvePool2d(shape, params)
  const r = pool2d(g, Float32Array.from(data))
  return { output: Array.from(r.output), indices: r.indices && Array.from(r.indices) }
}

describe('max pooling corners', () => {
  it('NaN wins a max window and reports its index (PyTorch: val > max || isnan(val))', () => {
    expect(run([2, 2], [1, NaN, 3, 2], { kernelSize: 2, returnIndices: true })).toEqual({ output: [NaN], indices: [1] })
    // with two NaNs the last one's index is kept, as PyTorch's loop does
    expect(run([2, 2], [NaN, 5, NaN, 1], { kernelSize: 2, returnIndices: true })).toEqual({ output: [NaN], indices: [2] })
  })
  it('an all −∞ window returns −∞ with the index of its first real cell', () => {
    expect(run([2, 2], [-Infinity, -Infinity, -Infinity, -Infinity], { kernelSize: 2, returnIndices: true })).toEqual({ output: [-Infinity], indices: [0] })
  })
  it('padded cells never win: all-negative input with padding', () => {
    const r = run([2, 2], [-5, -2, -3, -4], { kernelSize: 2, stride: 1, padding: 1, returnIndices: true })
    expect(r.output).toEqual([-5, -2, -2, -3, -2, -2, -3, -3, -4])
    expect(r.indices).toEqual([0, 1, 1, 2, 1, 1, 2, 2, 3])
  })
  it('ties keep the first cell in row-major order', () => {
    expect(run([2, 2], [7, 7, 7, 7], { kernelSize: 2, returnIndices: true }).indices).toEqual([0])
  })
  it('no indices unless asked', () => {
    expect(run([2, 2], [1, 2, 3, 4], { kernelSize: 2 }).indices).toBeUndefined()
  })
  it('adaptive max returns indices over overlapping bins', () => {
    // cols 3 → 2: bins [0,2) and [1,3)
    expect(run([2, 3], [1, 5, 2, 0, 3, 4], { outputSize: [1, 2], returnIndices: true })).toEqual({ output: [5, 5], indices: [1, 1] })
  })
})

describe('avg divisor', () => {
  const row = [1, 2, 3, 4]
  it('ceil overhang beyond the trailing padding never counts (countIncludePad true)', () => {
    // windows start at −1, 1, 3: [pad,1,2], [2,3,4], [4,pad,overhang] → divisors 3, 3, 2
    expect(run([1, 4], row, { mode: 'avg', kernelSize: [1, 3], stride: [1, 2], padding: [0, 1], ceilMode: true }).output).toEqual([1, 3, 2])
  })
  it('countIncludePad false divides by the real cells only', () => {
    expect(run([1, 4], row, { mode: 'avg', kernelSize: [1, 3], stride: [1, 2], padding: [0, 1], ceilMode: true, countIncludePad: false }).output).toEqual([1.5, 3, 4])
  })
  it('with padding 0 and ceil mode, countIncludePad true and false agree on partial windows', () => {
    const a = run([1, 4], row, { mode: 'avg', kernelSize: [1, 3], stride: [1, 2], ceilMode: true })
    const b = run([1, 4], row, { mode: 'avg', kernelSize: [1, 3], stride: [1, 2], ceilMode: true, countIncludePad: false })
    expect(a.output).toEqual([2, 3.5])
    expect(b.output).toEqual(a.output)
  })
  it('divisorOverride replaces the divisor everywhere', () => {
    expect(run([1, 4], row, { mode: 'avg', kernelSize: [1, 3], stride: [1, 2], padding: [0, 1], ceilMode: true, divisorOverride: 2 }).output).toEqual([1.5, 4.5, 2])
  })
})

describe('lp pooling', () => {
  it('(Σ|x|^p)^(1/p) with |x|, not x (ONNX LpPool; PyTorch’s sign trick differs for odd p)', () => {
    expect(run([1, 2], [-3, 4], { mode: 'lp', kernelSize: [1, 2] }).output).toEqual([5])
    expect(run([1, 2], [-1, 2], { mode: 'lp', kernelSize: [1, 2], p: 1 }).output).toEqual([3])
  })
  it('padding adds 0 to the sum', () => {
    expect(run([1, 2], [3, -4], { mode: 'lp', kernelSize: [1, 2], stride: [1, 1], padding: [0, 1] }).output).toEqual([3, 5, 4])
  })
})

describe('dilated windows that miss every real cell (ONNX allows pads up to the dilated extent)', () => {
  // input [[7]], kernel 1×3, dilation 2 (extent 5), padding 3 left/right: windows start at −3, −2, −1;
  // the first and last read taps {−3,−1,1} and {−1,1,3}, none inside the 1-wide input
  const p: Pool2dParams = { kernelSize: [1, 3], dilation: [1, 2], padding: { top: 0, bottom: 0, left: 3, right: 3 }, stride: 1 }
  it('max gives −∞ (PyTorch), index PyTorch’s starting cell (first tap ≥ 0, here column 1)', () => {
    expect(run([1, 1], [7], { ...p, returnIndices: true })).toEqual({ output: [-Infinity, 7, -Infinity], indices: [1, 0, 1] })
  })
  it('avg: countIncludePad counts the padded taps (0/3); without it 0/0 = NaN', () => {
    expect(run([1, 1], [7], { ...p, mode: 'avg' }).output).toEqual([0, Math.fround(7 / 3), 0])
    expect(run([1, 1], [7], { ...p, mode: 'avg', countIncludePad: false }).output).toEqual([NaN, 7, NaN])
  })
  it('lp gives 0', () => {
    expect(run([1, 1], [7], { ...p, mode: 'lp' }).output).toEqual([0, 7, 0])
  })
})

describe('global and adaptive', () => {
  it('global avg / max / lp over the plane, per channel', () => {
    const x = [1, 2, 3, 4, -1, -2, -3, -4]
    expect(run([2, 2, 2], x, { mode: 'avg', global: true }).output).toEqual([2.5, -2.5])
    expect(run([2, 2, 2], x, { mode: 'max', global: true, returnIndices: true })).toEqual({ output: [4, -1], indices: [3, 0] })
    expect(run([1, 2, 2], [1, 1, 1, 1], { mode: 'lp', global: true }).output).toEqual([2])
  })
  it('adaptive avg divides by the bin size; out > in repeats cells', () => {
    // 5 → 2: bins [0,3) and [2,5)
    expect(run([1, 5], [1, 2, 3, 4, 5], { mode: 'avg', outputSize: [1, 2] }).output).toEqual([2, 4])
    // 2 → 3: bins [0,1) [0,2) [1,2)
    expect(run([1, 2], [2, 4], { mode: 'avg', outputSize: [1, 3] }).output).toEqual([2, 3, 4])
  })
  it('rejects input data whose length does not match the geometry', () => {
    const g = resolvePool2d([2, 2], { kernelSize: 2 })
    expect(() => pool2d(g, new Float32Array(3))).toThrow(RangeError)
  })
})
