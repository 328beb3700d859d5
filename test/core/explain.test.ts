import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { CoreError } from '../../src/core/errors.js'
import { assertExplainable, EXPLAIN_MAX_OUTPUTS, explainConv2d, explainPool2d } from '../../src/core/explain.js'
import { resolveConv2d, resolvePool2d } from '../../src/core/geometry.js'
import type { Conv2dParams, Pool2dParams } from '../../src/core/params.js'
import { pool2d } from '../../src/core/pool2d.js'

const f = (xs: number[]) => new Float32Array(xs)
const X = f([0, 1, 2, 3, 4, 5, 6, 7, 8])
const K = f([0, 1, 2, 3])
const X2 = f([0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9])
const K2 = f([0, 1, 2, 3, 1, 2, 3, 4])
const X16 = f(Array.from({ length: 16 }, (_, i) => i))

const conv = (x: Float32Array, xs: number[], w: Float32Array, ws: number[], params: Conv2dParams = {}, b?: Float32Array) => {
  const g = resolveConv2d(xs, ws, b ? [b.length] : undefined, params)
  return { g, entries: explainConv2d(g, x, w, b), output: conv2d(g, x, w, b) }
}
const pool = (x: Float32Array, xs: number[], params: Pool2dParams) => {
  const g = resolvePool2d(xs, params)
  return { g, entries: explainPool2d(g, x), output: pool2d(g, x).output }
}

describe('explain: the textbook cross-correlation', () => {
  const { entries } = conv(X, [3, 3], K, [2, 2])

  it('writes the four lines of the book exactly, in row-major order', () => {
    expect(entries.map((e) => e.text)).toEqual([
      '0×0 + 1×1 + 3×2 + 4×3 = 19',
      '1×0 + 2×1 + 4×2 + 5×3 = 25',
      '3×0 + 4×1 + 6×2 + 7×3 = 37',
      '4×0 + 5×1 + 7×2 + 8×3 = 43',
    ])
  })

  it('gives index, window, terms and value as the contract example', () => {
    expect(entries[0]).toEqual({
      index: [0, 0],
      window: { rows: [0, 1], cols: [0, 1] },
      terms: '0×0 + 1×1 + 3×2 + 4×3',
      value: 19,
      text: '0×0 + 1×1 + 3×2 + 4×3 = 19',
    })
    expect(entries[3]!.index).toEqual([1, 1])
    expect(entries[3]!.window).toEqual({ rows: [1, 2], cols: [1, 2] })
  })
})

describe('explain: channels, bias, padding', () => {
  it('brackets each input channel, last channel first, as the contract (and the book) writes the 56 line', () => {
    const { entries } = conv(X2, [2, 3, 3], K2, [2, 2, 2])
    expect(entries[0]!.text).toBe('(1×1 + 2×2 + 4×3 + 5×4) + (0×0 + 1×1 + 3×2 + 4×3) = 56')
    expect(entries.map((e) => e.value)).toEqual([56, 72, 104, 120])
  })

  it('indexes outputs in the wire rank: [Cout, H, W] for a rank-4 weight over a rank-3 input', () => {
    const w = f([0, 1, 2, 3, 1, 2, 3, 4, 1, 2, 3, 4, 2, 3, 4, 5, 2, 3, 4, 5, 3, 4, 5, 6])
    const { entries, output } = conv(X2, [2, 3, 3], w, [3, 2, 2, 2])
    expect(entries).toHaveLength(12)
    expect(entries[5]!.index).toEqual([1, 0, 1])
    expect(entries.map((e) => e.value)).toEqual([...output])
  })

  it('adds the bias last, negative numbers in parentheses', () => {
    const { entries } = conv(X, [3, 3], K, [2, 2], {}, f([0.5]))
    expect(entries[0]!.text).toBe('0×0 + 1×1 + 3×2 + 4×3 + 0.5 = 19.5')
    const neg = conv(X, [3, 3], f([1, -1, 0, 0]), [2, 2], {}, f([-2]))
    expect(neg.entries[0]!.text).toBe('0×1 + 1×(-1) + 3×0 + 4×0 + (-2) = -3')
  })

  it('shows zero padding as 0 and gives windows in input coordinates (outside the input)', () => {
    const { entries } = conv(X, [3, 3], K, [2, 2], { padding: 1 })
    expect(entries).toHaveLength(16)
    expect(entries[0]!.window).toEqual({ rows: [-1, 0], cols: [-1, 0] })
    expect(entries[0]!.text).toBe('0×0 + 0×1 + 0×2 + 0×3 = 0')
    expect(entries[15]!.window).toEqual({ rows: [2, 3], cols: [2, 3] })
    expect(entries[15]!.text).toBe('8×0 + 0×1 + 0×2 + 0×3 = 0')
  })

  it('the stride example: the book\'s [[0, 8], [6, 8]] and the windows that make them', () => {
    const { entries } = conv(X, [3, 3], K, [2, 2], { padding: 1, stride: [3, 2] })
    expect(entries.map((e) => e.value)).toEqual([0, 8, 6, 8])
    expect(entries[3]!.window).toEqual({ rows: [2, 3], cols: [1, 2] })
    expect(entries[3]!.text).toBe('7×0 + 8×1 + 0×2 + 0×3 = 8')
  })

  it('shows the reflected value that a reflect-padded window reads', () => {
    const { entries, output } = conv(X, [3, 3], K, [2, 2], { padding: 1, paddingMode: 'reflect' })
    // padded row −1 reflects row 1, padded col −1 reflects col 1: the corner reads 4
    expect(entries[0]!.terms).toBe('4×0 + 3×1 + 1×2 + 0×3')
    expect(entries.map((e) => e.value)).toEqual([...output])
  })

  it('multiplies by the rotated kernel when flipKernel is set', () => {
    const { entries } = conv(X, [3, 3], K, [2, 2], { flipKernel: true })
    expect(entries[0]!.text).toBe('0×3 + 1×2 + 3×1 + 4×0 = 5')
  })

  it('spans the dilated extent but lists only the taps', () => {
    const x = f(Array.from({ length: 25 }, (_, i) => i))
    const { entries } = conv(x, [5, 5], K, [2, 2], { dilation: 2 })
    expect(entries[0]!.window).toEqual({ rows: [0, 2], cols: [0, 2] })
    expect(entries[0]!.terms).toBe('0×0 + 2×1 + 10×2 + 12×3')
  })
})

describe('explain: pooling', () => {
  it('max lists the window and names the winner', () => {
    const { entries } = pool(X, [3, 3], { mode: 'max', kernelSize: 2, stride: 1 })
    expect(entries.map((e) => e.text)).toEqual(['max(0, 1, 3, 4) = 4', 'max(1, 2, 4, 5) = 5', 'max(3, 4, 6, 7) = 7', 'max(4, 5, 7, 8) = 8'])
  })

  it('avg shows the sum and its divisor', () => {
    const { entries } = pool(X, [3, 3], { mode: 'avg', kernelSize: 2, stride: 1 })
    expect(entries[0]!.terms).toBe('(0 + 1 + 3 + 4) / 4')
    expect(entries[0]!.text).toBe('avg(0, 1, 3, 4) = (0 + 1 + 3 + 4) / 4 = 2')
  })

  it('max leaves padding cells out; avg counts them only with countIncludePad', () => {
    const max = pool(X16, [4, 4], { mode: 'max', kernelSize: 3, stride: 2, padding: 1 })
    expect(max.entries[0]!.window).toEqual({ rows: [-1, 1], cols: [-1, 1] })
    expect(max.entries[0]!.text).toBe('max(0, 1, 4, 5) = 5')
    const cip = pool(X16, [4, 4], { mode: 'avg', kernelSize: 3, stride: 2, padding: 1 })
    expect(cip.entries[0]!.text).toBe('avg(0, 0, 0, 0, 0, 1, 0, 4, 5) = (0 + 0 + 0 + 0 + 0 + 1 + 0 + 4 + 5) / 9 = 1.1111112')
    const nocip = pool(X16, [4, 4], { mode: 'avg', kernelSize: 3, stride: 2, padding: 1, countIncludePad: false })
    expect(nocip.entries[0]!.text).toBe('avg(0, 1, 4, 5) = (0 + 1 + 4 + 5) / 4 = 2.5')
  })

  it('lp spells the powers and the root', () => {
    const { entries } = pool(f([3, -4, 0, 0]), [2, 2], { mode: 'lp', kernelSize: 2 })
    expect(entries[0]!.text).toBe('lp(3, -4, 0, 0) = (3^2 + |-4|^2 + 0^2 + 0^2)^(1/2) = 5')
  })

  it('global pooling reads the whole plane', () => {
    const { entries } = pool(X, [1, 3, 3], { mode: 'max', global: true })
    expect(entries).toEqual([
      { index: [0, 0, 0], window: { rows: [0, 2], cols: [0, 2] }, terms: 'max(0, 1, 2, 3, 4, 5, 6, 7, 8)', value: 8, text: 'max(0, 1, 2, 3, 4, 5, 6, 7, 8) = 8' },
    ])
  })
})

describe('explain values are the computed values, bit for bit', () => {
  const floats = (n: number) => fc.array(fc.float({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n })

  it('conv2d with padding modes, stride, dilation, bias and two channels', () => {
    fc.assert(
      fc.property(
        floats(2 * 5 * 5),
        floats(2 * 2 * 3 * 3),
        floats(2),
        fc.constantFrom('zeros', 'reflect', 'replicate', 'circular' as const),
        fc.integer({ min: 1, max: 2 }),
        (x, w, b, paddingMode, stride) => {
          const { entries, output } = conv(f(x), [2, 5, 5], f(w), [2, 2, 3, 3], { padding: 1, paddingMode, stride }, f(b))
          expect(entries.map((e) => e.value)).toEqual([...output])
        },
      ),
      { numRuns: 60 },
    )
  })

  it('pool2d in every mode, with padding and ceilMode', () => {
    fc.assert(
      fc.property(floats(2 * 5 * 5), fc.constantFrom('max', 'avg', 'lp' as const), fc.boolean(), (x, mode, ceilMode) => {
        const { entries, output } = pool(f(x), [2, 5, 5], { mode, kernelSize: 3, stride: 2, padding: 1, ceilMode })
        expect(entries.map((e) => e.value)).toEqual([...output])
      }),
      { numRuns: 60 },
    )
  })
})

describe('explain limit', () => {
  it('refuses more than 1,024 output elements, naming the limit and the count', () => {
    const g = resolveConv2d([33, 33], [2, 2], undefined, {})
    expect(g.outH * g.outW).toBe(1024)
    expect(() => assertExplainable(g)).not.toThrow()
    const big = resolveConv2d([34, 34], [2, 2], undefined, {})
    const error = (() => {
      try {
        explainConv2d(big, new Float32Array(34 * 34), K, undefined)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(CoreError)
    expect(error).toMatchObject({ code: 'UNSUPPORTED', field: 'explain' })
    expect((error as Error).message).toContain(String(EXPLAIN_MAX_OUTPUTS))
    expect((error as Error).message).toContain('1089')
  })

  it('refuses a job whose sums would run to too many terms', () => {
    const g = resolveConv2d([1, 512, 8, 8], [1, 512, 3, 3], undefined, { padding: 1 })
    expect(() => assertExplainable(g)).toThrow(/terms/)
  })
})
