import { describe, expect, it } from 'vitest'
import { CoreError, type CoreErrorCode } from '../../src/core/errors.js'
import { adaptiveBin, resolveConv2d, resolvePool2d } from '../../src/core/geometry.js'

const pads = (g: { padTop: number; padBottom: number; padLeft: number; padRight: number }) =>
  [g.padTop, g.padBottom, g.padLeft, g.padRight]

describe('resolveConv2d: rank rules', () => {
  it('X[3,3] ★ K[2,2] → [2,2], NCHW views [1,1,3,3] / [1,1,2,2]', () => {
    const g = resolveConv2d([3, 3], [2, 2], undefined, {})
    expect(g.inputShape).toEqual([1, 1, 3, 3])
    expect(g.weightShape).toEqual([1, 1, 2, 2])
    expect(g.outputShape).toEqual([1, 1, 2, 2])
    expect(g.wireOutputShape).toEqual([2, 2])
  })
  it('X[2,3,3] ★ K[2,2,2] → [2,2] (one output channel summing both inputs)', () => {
    const g = resolveConv2d([2, 3, 3], [2, 2, 2], undefined, {})
    expect(g.weightShape).toEqual([1, 2, 2, 2])
    expect(g.wireOutputShape).toEqual([2, 2])
  })
  it('X[2,3,3] ★ K[3,2,2,2] → [3,2,2]', () => {
    expect(resolveConv2d([2, 3, 3], [3, 2, 2, 2], undefined, {}).wireOutputShape).toEqual([3, 2, 2])
  })
  it('X[4,1,5,5] ★ K[3,3] → [4,3,3]: batch kept, no channel axis', () => {
    expect(resolveConv2d([4, 1, 5, 5], [3, 3], undefined, {}).wireOutputShape).toEqual([4, 3, 3])
  })
  it('X[4,2,5,5] ★ K[6,2,3,3] → [4,6,3,3]', () => {
    expect(resolveConv2d([4, 2, 5, 5], [6, 2, 3, 3], [6], {}).wireOutputShape).toEqual([4, 6, 3, 3])
  })
})

describe('resolveConv2d: parameter forms', () => {
  const g0 = (padding: Parameters<typeof resolveConv2d>[3]['padding'], extra = {}) =>
    resolveConv2d([1, 1, 6, 7], [1, 1, 3, 2], undefined, { padding, ...extra })
  it('int padding → every side', () => expect(pads(g0(2))).toEqual([2, 2, 2, 2]))
  it('[ph, pw] → top/bottom ph, left/right pw', () => expect(pads(g0([1, 2]))).toEqual([1, 1, 2, 2]))
  it('{top,bottom,left,right} as given', () => expect(pads(g0({ top: 0, bottom: 2, left: 1, right: 0 }))).toEqual([0, 2, 1, 0]))
  it('"valid" and omitted → 0', () => {
    expect(pads(g0('valid'))).toEqual([0, 0, 0, 0])
    expect(pads(g0(undefined))).toEqual([0, 0, 0, 0])
  })
  it('"same", stride 1, even kernel: the odd pixel goes bottom/right', () => {
    const g = g0('same')
    expect(pads(g)).toEqual([1, 1, 0, 1])
    expect([g.outH, g.outW]).toEqual([6, 7])
  })
  it('"same" with stride 2: out ceil(in/s), total (out−1)·s + k − in', () => {
    // H: in 6, k 3 → out 3, total 2·2+3−6 = 1 → 0/1; W: in 7, k 2 → out 4, total 3·2+2−7 = 1 → 0/1
    const g = g0('same', { stride: 2 })
    expect(pads(g)).toEqual([0, 1, 0, 1])
    expect([g.outH, g.outW]).toEqual([3, 4])
  })
  it('"same" with dilation 2: total d·(k−1) = 4 → 2/2 for k 3', () => {
    const g = g0('same', { dilation: 2 })
    expect([g.effKH, g.effKW]).toEqual([5, 3])
    expect(pads(g)).toEqual([2, 2, 1, 1])
    expect([g.outH, g.outW]).toEqual([6, 7])
  })
  it('"same" never pads negatively: in 5, k 1, stride 2 → total 0, out 3', () => {
    const g = resolveConv2d([5, 5], [1, 1], undefined, { padding: 'same', stride: 2 })
    expect(pads(g)).toEqual([0, 0, 0, 0])
    expect(g.outH).toBe(3)
  })
  it('"same" ≡ its explicit pads', () => {
    const same = resolveConv2d([9, 8], [4, 3], undefined, { padding: 'same', stride: [2, 3], dilation: [1, 2] })
    const explicit = resolveConv2d([9, 8], [4, 3], undefined, {
      padding: { top: same.padTop, bottom: same.padBottom, left: same.padLeft, right: same.padRight },
      stride: [2, 3],
      dilation: [1, 2],
    })
    expect(explicit).toEqual(same)
    expect([same.outH, same.outW]).toEqual([5, 3])
  })
  it('stride/dilation pairs, groups, flipKernel, paddingMode, defaults', () => {
    const g = resolveConv2d([1, 4, 9, 9], [6, 2, 3, 3], [6], { stride: [2, 1], dilation: [1, 2], groups: 2, flipKernel: true, paddingMode: 'reflect', padding: 1 })
    expect(g).toMatchObject({
      strideH: 2, strideW: 1, dilationH: 1, dilationW: 2, effKH: 3, effKW: 5, groups: 2,
      inChannelsPerGroup: 2, outChannelsPerGroup: 3, flipKernel: true, paddingMode: 'reflect', hasBias: true,
      outH: 5, outW: 7,
    })
    const d = resolveConv2d([3, 3], [2, 2], undefined, {})
    expect(d).toMatchObject({ strideH: 1, dilationW: 1, groups: 1, flipKernel: false, paddingMode: 'zeros', hasBias: false })
  })
  it('the record is plain data: survives structuredClone and JSON unchanged', () => {
    const g = resolveConv2d([2, 4, 9, 9], [6, 2, 3, 3], [6], { groups: 2, padding: 'same' })
    expect(structuredClone(g)).toEqual(g)
    expect(JSON.parse(JSON.stringify(g))).toEqual(g)
  })
})

describe('formula text and FLOPs', () => {
  it('floor form with the request numbers: in 3, k 2, p 1+1, s 3 → ⌊(3 − 2 + 2 + 3) / 3⌋ = 2', () => {
    const g = resolveConv2d([3, 3], [2, 2], undefined, { padding: 1, stride: 3 })
    expect(g.formula.h).toBe('⌊(3 − 2 + 2 + 3) / 3⌋ = 2')
    expect(g.outH).toBe(2)
  })
  it('the kernel in the formula is the dilated extent; "same" shows its resolved total', () => {
    const g = resolveConv2d([6, 7], [3, 2], undefined, { padding: 'same', dilation: 2 })
    expect(g.formula).toEqual({ h: '⌊(6 − 5 + 4 + 1) / 1⌋ = 6', w: '⌊(7 − 3 + 2 + 1) / 1⌋ = 7' })
  })
  it('ceil mode: ⌈⌉, and " − 1 = n" when the last window would start in the trailing padding', () => {
    const kept = resolvePool2d([4, 4], { kernelSize: 3, stride: 2, ceilMode: true })
    expect(kept.formula.h).toBe('⌈(4 − 3 + 0 + 2) / 2⌉ = 2')
    expect(kept.outH).toBe(2)
    // ONNX test_maxpool_2d_ceil_output_size_reduce_by_one: in 2, k 1, s 2 → 1, not 2
    const dropped = resolvePool2d([2, 2], { kernelSize: 1, stride: 2, ceilMode: true })
    expect(dropped.formula.h).toBe('⌈(2 − 1 + 0 + 2) / 2⌉ = 2 − 1 = 1')
    expect([dropped.outH, dropped.outW]).toEqual([1, 1])
  })
  it('ceil drop rule with padding: in 5, k 2, s 2, pad 1 → ⌈3.5⌉ = 4, window 4 starts at 6 ≥ 5 + 1 → 3', () => {
    const g = resolvePool2d([5, 5], { kernelSize: 2, stride: 2, padding: 1, ceilMode: true })
    expect(g.outH).toBe(3)
    expect(g.formula.h).toBe('⌈(5 − 2 + 2 + 2) / 2⌉ = 4 − 1 = 3')
    // the same without ceil: floor
    expect(resolvePool2d([5, 5], { kernelSize: 2, stride: 2, padding: 1 }).outH).toBe(3)
    // in 6: ⌈(6−2+2)/2⌉+1 = 4, last window starts at 3·2 − 1 = 5 < 6: kept, one more than floor (4 vs 4)
    expect(resolvePool2d([6, 6], { kernelSize: 2, stride: 2, padding: 1, ceilMode: true }).outH).toBe(4)
    expect(resolvePool2d([6, 6], { kernelSize: 3, stride: 2, ceilMode: true }).outH).toBe(3)
    expect(resolvePool2d([6, 6], { kernelSize: 3, stride: 2 }).outH).toBe(2)
  })
  it('conv FLOPs: 2·N·Cout·outH·outW·(Cin/groups)·kH·kW plus one add per output with a bias', () => {
    const g = resolveConv2d([1, 3, 7, 5], [4, 3, 3, 2], [4], {})
    expect([g.outH, g.outW]).toEqual([5, 4])
    expect(g.flops).toBe(2 * 4 * 5 * 4 * 3 * 3 * 2 + 4 * 5 * 4)
    const grouped = resolveConv2d([2, 4, 5, 5], [6, 2, 3, 3], undefined, { groups: 2 })
    expect(grouped.flops).toBe(2 * 2 * 6 * 3 * 3 * 2 * 3 * 3)
  })
  it('pool FLOPs: N·C·outH·outW·kH·kW; global N·C·H·W; adaptive uses the real bin sizes', () => {
    expect(resolvePool2d([2, 3, 6, 6], { kernelSize: 2 }).flops).toBe(2 * 3 * 3 * 3 * 2 * 2)
    expect(resolvePool2d([2, 3, 6, 5], { global: true }).flops).toBe(2 * 3 * 6 * 5)
    // 7 → 3: bins [0,3) [2,5) [4,7) = 9 rows; 4 → 4: 4 columns
    expect(resolvePool2d([1, 1, 7, 4], { outputSize: [3, 4] }).flops).toBe(9 * 4)
  })
})

describe('resolvePool2d: kinds and defaults', () => {
  it('defaults: mode max, stride = kernelSize, countIncludePad true, p 2, dilation 1, no override', () => {
    const g = resolvePool2d([1, 2, 7, 9], { kernelSize: [2, 3] })
    expect(g).toMatchObject({
      op: 'pool', kind: 'window', mode: 'max', strideH: 2, strideW: 3, dilationH: 1, dilationW: 1,
      countIncludePad: true, p: 2, divisorOverride: null, returnIndices: false, ceilMode: false, outH: 3, outW: 3,
    })
  })
  it('keeps the input rank: [H,W] → [oh,ow], [C,H,W] → [C,oh,ow], [N,C,H,W] → [N,C,oh,ow]', () => {
    expect(resolvePool2d([4, 4], { kernelSize: 2 }).wireOutputShape).toEqual([2, 2])
    expect(resolvePool2d([3, 4, 4], { kernelSize: 2 }).wireOutputShape).toEqual([3, 2, 2])
    expect(resolvePool2d([2, 3, 4, 4], { kernelSize: 2 }).wireOutputShape).toEqual([2, 3, 2, 2])
  })
  it('global: kernel = plane, output 1×1, formula "global: n → 1"', () => {
    const g = resolvePool2d([3, 5, 6], { mode: 'avg', global: true })
    expect(g).toMatchObject({ kind: 'global', kH: 5, kW: 6, strideH: 5, strideW: 6, outH: 1, outW: 1 })
    expect(g.wireOutputShape).toEqual([3, 1, 1])
    expect(g.formula).toEqual({ h: 'global: 5 → 1', w: 'global: 6 → 1' })
  })
  it('adaptive: kernel = largest bin, stride = max(1, ⌊in/out⌋), never 0; out > in allowed', () => {
    const g = resolvePool2d([7, 4], { outputSize: [3, 7] })
    expect(g).toMatchObject({ kind: 'adaptive', kH: 3, strideH: 2, kW: 2, strideW: 1, outH: 3, outW: 7, padTop: 0 })
    expect(g.formula).toEqual({ h: 'adaptive: 7 → 3', w: 'adaptive: 4 → 7' })
  })
  it('adaptive bins are PyTorch’s [⌊i·in/out⌋, ⌈(i+1)·in/out⌉)', () => {
    expect([0, 1, 2].map((i) => adaptiveBin(i, 7, 3))).toEqual([[0, 3], [2, 5], [4, 7]])
    expect([0, 1, 2, 3].map((i) => adaptiveBin(i, 3, 4))).toEqual([[0, 1], [0, 2], [1, 3], [2, 3]])
  })
  it('"same" padding on a pool with stride: ONNX SAME_UPPER pads', () => {
    const g = resolvePool2d([1, 1, 5, 5], { kernelSize: 2, stride: 1, padding: 'same' })
    expect(pads(g)).toEqual([0, 1, 0, 1])
    const s = resolvePool2d([1, 1, 5, 5], { kernelSize: 3, stride: 2, padding: 'same' })
    expect(pads(s)).toEqual([1, 1, 1, 1])
    expect([s.outH, s.outW]).toEqual([3, 3])
  })
  it('parameters at their default values are accepted in any mode', () => {
    expect(() => resolvePool2d([4, 4], { mode: 'max', kernelSize: 2, countIncludePad: true, p: 2, returnIndices: false })).not.toThrow()
  })
})

function expectCoreError(fn: () => unknown, code: CoreErrorCode, field: string, ...fragments: string[]): void {
  let err: unknown
  try {
    fn()
  } catch (e) {
    err = e
  }
  expect(err, `expected ${code}`).toBeInstanceOf(CoreError)
  const ce = err as CoreError
  expect({ code: ce.code, field: ce.field }).toEqual({ code, field })
  for (const f of fragments) expect(ce.message).toContain(f)
}

describe('validation errors (code, field, numbers in the message)', () => {
  const conv = (x: number[], w: number[], params = {}, b?: number[]) => () => resolveConv2d(x, w, b, params)
  const pool = (x: number[], params = {}) => () => resolvePool2d(x, params)

  it('input rank outside 2–4', () => {
    expectCoreError(conv([9], [2, 2]), 'INVALID_RANK', 'input', 'rank 2–4', '[9]', 'rank 1')
    expectCoreError(conv([1, 1, 1, 3, 3], [2, 2]), 'INVALID_RANK', 'input', '[1,1,1,3,3]', 'rank 5')
    expectCoreError(pool([5], { kernelSize: 1 }), 'INVALID_RANK', 'input', '[5]')
  })
  it('weight rank outside 2–4, bias rank ≠ 1', () => {
    expectCoreError(conv([3, 3], [2]), 'INVALID_RANK', 'weight', '[2]', 'rank 1')
    expectCoreError(conv([3, 3], [1, 1, 1, 2, 2]), 'INVALID_RANK', 'weight', 'rank 5')
    expectCoreError(conv([3, 3], [1, 1, 2, 2], {}, [1, 1]), 'INVALID_RANK', 'bias', 'rank 1', '[1,1]')
  })
  it('zero-sized dimensions', () => {
    expectCoreError(conv([0, 1, 3, 3], [2, 2]), 'OUTPUT_EMPTY', 'input', '[0,1,3,3]')
    expectCoreError(conv([3, 3], [1, 1, 0, 2]), 'OUTPUT_EMPTY', 'weight', '[1,1,0,2]')
    expectCoreError(pool([2, 0, 3], { kernelSize: 1 }), 'OUTPUT_EMPTY', 'input', '[2,0,3]')
  })
  it('stride, dilation, groups must be integers ≥ 1', () => {
    expectCoreError(conv([3, 3], [2, 2], { stride: 0 }), 'INVALID_PARAMETER', 'stride', '≥ 1', 'got 0')
    expectCoreError(conv([3, 3], [2, 2], { stride: [1, 1.5] }), 'INVALID_PARAMETER', 'stride', 'got 1.5')
    expectCoreError(conv([3, 3], [2, 2], { stride: [1, 1, 1] }), 'INVALID_PARAMETER', 'stride', '[1,1,1]')
    expectCoreError(conv([3, 3], [2, 2], { dilation: -1 }), 'INVALID_PARAMETER', 'dilation', 'got -1')
    expectCoreError(conv([3, 3], [2, 2], { groups: 0 }), 'INVALID_PARAMETER', 'groups', 'got 0')
  })
  it('kernelSize, outputSize, divisorOverride must be integers ≥ 1', () => {
    expectCoreError(pool([4, 4], { kernelSize: 0 }), 'INVALID_PARAMETER', 'kernelSize', 'got 0')
    expectCoreError(pool([4, 4], { kernelSize: [2, 2.5] }), 'INVALID_PARAMETER', 'kernelSize', 'got 2.5')
    expectCoreError(pool([4, 4], { outputSize: [0, 2] }), 'INVALID_PARAMETER', 'outputSize', 'got 0')
    expectCoreError(pool([4, 4], { mode: 'avg', kernelSize: 2, divisorOverride: 0 }), 'INVALID_PARAMETER', 'divisorOverride', 'got 0')
    expectCoreError(pool([4, 4], { mode: 'avg', kernelSize: 2, divisorOverride: 1.5 }), 'INVALID_PARAMETER', 'divisorOverride', 'got 1.5')
  })
  it('padding must be integers ≥ 0 in one of the accepted forms', () => {
    expectCoreError(conv([3, 3], [2, 2], { padding: -1 }), 'INVALID_PARAMETER', 'padding', 'got -1')
    expectCoreError(conv([3, 3], [2, 2], { padding: [1, -2] }), 'INVALID_PARAMETER', 'padding', 'got -2')
    expectCoreError(conv([3, 3], [2, 2], { padding: { top: 0, bottom: 1.5, left: 0, right: 0 } }), 'INVALID_PARAMETER', 'padding.bottom', 'got 1.5')
    expectCoreError(conv([3, 3], [2, 2], { padding: 'full' as never }), 'INVALID_PARAMETER', 'padding', '"full"')
    expectCoreError(conv([3, 3], [2, 2], { padding: [1, 1, 1, 1] as never }), 'INVALID_PARAMETER', 'padding', '[1,1,1,1]')
  })
  it('p must be finite and > 0', () => {
    expectCoreError(pool([4, 4], { mode: 'lp', kernelSize: 2, p: 0 }), 'INVALID_PARAMETER', 'p', 'got 0')
    expectCoreError(pool([4, 4], { mode: 'lp', kernelSize: 2, p: -1 }), 'INVALID_PARAMETER', 'p', 'got -1')
    expectCoreError(pool([4, 4], { mode: 'lp', kernelSize: 2, p: Infinity }), 'INVALID_PARAMETER', 'p', 'Infinity')
    expectCoreError(pool([4, 4], { mode: 'lp', kernelSize: 2, p: NaN }), 'INVALID_PARAMETER', 'p', 'NaN')
  })
  it('unknown mode / paddingMode', () => {
    expectCoreError(pool([4, 4], { mode: 'min' as never, kernelSize: 2 }), 'INVALID_PARAMETER', 'mode', '"min"')
    expectCoreError(conv([3, 3], [2, 2], { paddingMode: 'mirror' as never }), 'INVALID_PARAMETER', 'paddingMode', '"mirror"')
  })
  it('kernel larger than the padded input (conv and pool, dilation counted)', () => {
    expectCoreError(conv([3, 3], [4, 4]), 'KERNEL_TOO_LARGE', 'weight', '4×4', 'padded input 3×3')
    expectCoreError(conv([3, 3], [2, 2], { dilation: 3 }), 'KERNEL_TOO_LARGE', 'weight', 'dilated extent 4×4', '3×3')
    expectCoreError(conv([3, 3], [4, 4], { padding: [1, 0] }), 'KERNEL_TOO_LARGE', 'weight', 'padded input 5×3', 'padding top 1, bottom 1, left 0, right 0')
    expectCoreError(pool([3, 5], { kernelSize: 4 }), 'KERNEL_TOO_LARGE', 'kernelSize', '4×4', 'padded input 3×5')
  })
  it('groups must divide input and output channels', () => {
    expectCoreError(conv([1, 3, 4, 4], [4, 1, 2, 2], { groups: 2 }), 'GROUPS_MISMATCH', 'groups', 'groups=2', '(3)', '(4)')
    expectCoreError(conv([1, 4, 4, 4], [3, 2, 2, 2], { groups: 2 }), 'GROUPS_MISMATCH', 'groups', 'groups=2', '(4)', '(3)')
  })
  it('weight channels ≠ input channels / groups', () => {
    expectCoreError(conv([2, 5, 5], [1, 3, 2, 2]), 'CHANNEL_MISMATCH', 'weight', 'weight has 3 input channels per group but input has 2 channels (groups=1')
    expectCoreError(conv([1, 4, 5, 5], [4, 1, 2, 2], { groups: 2 }), 'CHANNEL_MISMATCH', 'weight', 'weight has 1 input channels per group but input has 4 channels (groups=2')
    // [C,H,W] input with a [kh,kw] weight: the shorthand weight has one input channel
    expectCoreError(conv([2, 3, 3], [2, 2]), 'CHANNEL_MISMATCH', 'weight', 'weight has 1 input channels per group but input has 2 channels')
  })
  it('bias length ≠ Cout', () => {
    expectCoreError(conv([3, 3], [2, 1, 2, 2], {}, [3]), 'BIAS_MISMATCH', 'bias', 'bias has 3 elements', '2 output channels')
  })
  it('pool padding per side must be smaller than the dilated kernel extent', () => {
    expectCoreError(pool([5, 5], { kernelSize: 2, padding: 2 }), 'PADDING_TOO_LARGE', 'padding', 'top 2', 'extent 2')
    expectCoreError(pool([5, 5], { kernelSize: 3, padding: { top: 0, bottom: 0, left: 0, right: 3 } }), 'PADDING_TOO_LARGE', 'padding', 'right 3', 'extent 3')
    // ONNX's rule, not PyTorch's k/2: pad 2 with k 3 is accepted, and dilation widens the extent
    expect(() => resolvePool2d([5, 5], { kernelSize: 3, padding: 2 })).not.toThrow()
    expect(() => resolvePool2d([5, 5], { kernelSize: 2, dilation: 2, padding: 2 })).not.toThrow()
  })
  it('reflect padding must be smaller than the input; circular at most the input', () => {
    expectCoreError(conv([3, 4], [2, 2], { padding: [3, 1], paddingMode: 'reflect' }), 'PADDING_TOO_LARGE', 'padding', 'reflect padding top 3', 'height 3')
    expectCoreError(conv([3, 4], [2, 2], { padding: [0, 4], paddingMode: 'reflect' }), 'PADDING_TOO_LARGE', 'padding', 'left 4', 'width 4')
    expect(() => resolveConv2d([3, 4], [2, 2], undefined, { padding: [2, 3], paddingMode: 'reflect' })).not.toThrow()
    expectCoreError(conv([3, 4], [2, 2], { padding: { top: 0, bottom: 4, left: 0, right: 0 }, paddingMode: 'circular' }), 'PADDING_TOO_LARGE', 'padding', 'circular padding bottom 4', 'at most', 'height 3')
    expect(() => resolveConv2d([3, 4], [2, 2], undefined, { padding: [3, 4], paddingMode: 'circular' })).not.toThrow()
    expect(() => resolveConv2d([3, 4], [2, 2], undefined, { padding: 9, paddingMode: 'replicate' })).not.toThrow()
  })
  it('returnIndices with a mode other than max', () => {
    expectCoreError(pool([4, 4], { mode: 'avg', kernelSize: 2, returnIndices: true }), 'INVALID_PARAMETER', 'returnIndices', 'mode avg')
    expectCoreError(pool([4, 4], { mode: 'lp', outputSize: 2, returnIndices: true }), 'INVALID_PARAMETER', 'returnIndices', 'mode lp')
  })
  it('countIncludePad=false, divisorOverride or p ≠ 2 with a mode they do not apply to', () => {
    expectCoreError(pool([4, 4], { mode: 'max', kernelSize: 2, countIncludePad: false }), 'INVALID_PARAMETER', 'countIncludePad', 'mode max')
    expectCoreError(pool([4, 4], { mode: 'lp', kernelSize: 2, divisorOverride: 3 }), 'INVALID_PARAMETER', 'divisorOverride', 'mode lp')
    expectCoreError(pool([4, 4], { mode: 'avg', kernelSize: 2, p: 3 }), 'INVALID_PARAMETER', 'p', 'p=3', 'mode avg')
  })
  it('kernelSize required unless global or outputSize; the three are exclusive', () => {
    expectCoreError(pool([4, 4], {}), 'INVALID_PARAMETER', 'kernelSize', 'required')
    expectCoreError(pool([4, 4], { global: true, outputSize: 2 }), 'INVALID_PARAMETER', 'outputSize', 'global and outputSize')
    expectCoreError(pool([4, 4], { global: true, kernelSize: 2 }), 'INVALID_PARAMETER', 'kernelSize', 'kernelSize 2', 'global')
    expectCoreError(pool([4, 4], { outputSize: 2, kernelSize: [2, 3] }), 'INVALID_PARAMETER', 'kernelSize', '[2,3]', 'outputSize')
  })
  it('window parameters with global/adaptive pooling', () => {
    expectCoreError(pool([4, 4], { global: true, stride: 2 }), 'INVALID_PARAMETER', 'stride', 'stride 2', 'global')
    expectCoreError(pool([4, 4], { global: true, padding: 1 }), 'INVALID_PARAMETER', 'padding', 'padding 1')
    expectCoreError(pool([4, 4], { outputSize: 2, dilation: [1, 2] }), 'INVALID_PARAMETER', 'dilation', '[1,2]')
    expectCoreError(pool([4, 4], { outputSize: 2, ceilMode: true }), 'INVALID_PARAMETER', 'ceilMode', 'outputSize')
    expectCoreError(pool([4, 4], { mode: 'avg', outputSize: 2, divisorOverride: 2 }), 'INVALID_PARAMETER', 'divisorOverride', '2')
    // neutral values are fine
    expect(() => resolvePool2d([4, 4], { global: true, padding: 0, dilation: 1, ceilMode: false })).not.toThrow()
    expect(() => resolvePool2d([4, 4], { mode: 'avg', global: true, divisorOverride: 3 })).not.toThrow()
  })
  it('"same" with a stride is not an error (ONNX SAME_UPPER)', () => {
    expect(() => resolveConv2d([7, 7], [3, 3], undefined, { padding: 'same', stride: 2 })).not.toThrow()
  })
})
