import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { convTranspose2d } from '../../src/core/conv-transpose2d.js'
import { CoreError } from '../../src/core/errors.js'
import { assertExplainable, EXPLAIN_MAX_OUTPUTS, EXPLAIN_MAX_TERMS, explainConv2d, explainConvTranspose2d, explainPool2d } from '../../src/core/explain.js'
import { resolveConv2d, resolveConvTranspose2d, resolvePool2d } from '../../src/core/geometry.js'
import type { Conv2dParams, ConvTranspose2dParams, Pool2dParams } from '../../src/core/params.js'
import { formatFloat32 } from '../../src/core/format.js'
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
const tconv = (x: Float32Array, xs: number[], w: Float32Array, ws: number[], params: ConvTranspose2dParams = {}, b?: Float32Array) => {
  const g = resolveConvTranspose2d(xs, ws, b ? [b.length] : undefined, params)
  return { g, entries: explainConvTranspose2d(g, x, w, b), output: convTranspose2d(g, x, w, b) }
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

describe('explain: transposed convolution', () => {
  const X4 = f([0, 1, 2, 3])

  it('x=[2,2] k=2 s=1 p=0 op=0 d=1 g=1: the book\'s [[0,0,1],[0,4,6],[4,12,9]], input row-major, taps backwards', () => {
    const { entries } = tconv(X4, [2, 2], K, [2, 2])
    expect(entries.map((e) => e.text)).toEqual([
      '0×0 = 0',
      '0×1 + 1×0 = 0',
      '1×1 = 1',
      '0×2 + 2×0 = 0',
      '0×3 + 1×2 + 2×1 + 3×0 = 4',
      '1×3 + 3×1 = 6',
      '2×2 = 4',
      '2×3 + 3×2 = 12',
      '3×3 = 9',
    ])
    expect(entries[4]).toEqual({
      index: [1, 1],
      window: { rows: [0, 1], cols: [0, 1] },
      terms: '0×3 + 1×2 + 2×1 + 3×0',
      value: 4,
      text: '0×3 + 1×2 + 2×1 + 3×0 = 4',
    })
    // the window is the input cells whose kernel reaches the element: one at a corner
    expect(entries[0]!.window).toEqual({ rows: [0, 0], cols: [0, 0] })
    expect(entries[8]!.window).toEqual({ rows: [1, 1], cols: [1, 1] })
  })

  it('x=[2,2] k=2 s=1 p=1: the crop keeps the middle line, [[4]]', () => {
    const { entries } = tconv(X4, [2, 2], K, [2, 2], { padding: 1 })
    expect(entries).toEqual([
      { index: [0, 0], window: { rows: [0, 1], cols: [0, 1] }, terms: '0×3 + 1×2 + 2×1 + 3×0', value: 4, text: '0×3 + 1×2 + 2×1 + 3×0 = 4' },
    ])
  })

  it('x=[1,1,2,2] k=2 s=2: every element one product, the book\'s 4×4', () => {
    const { entries } = tconv(X4, [1, 1, 2, 2], K, [1, 1, 2, 2], { stride: 2 })
    expect(entries.map((e) => e.value)).toEqual([0, 0, 0, 1, 0, 0, 2, 3, 0, 2, 0, 3, 4, 6, 6, 9])
    expect(entries[7]).toMatchObject({ index: [0, 0, 1, 3], window: { rows: [0, 0], cols: [1, 1] }, text: '1×3 = 3' })
  })

  it('x=[2,2] k=2 s=3 bias: the gap no kernel reaches is the empty sum plus the bias, its window empty', () => {
    const { entries, output } = tconv(X4, [2, 2], K, [2, 2], { stride: 3 }, f([0.5]))
    expect(entries).toHaveLength(25)
    // column 2 lies between the kernels of input columns 0 (cols 0–1) and 1 (cols 3–4)
    expect(entries[2]).toEqual({ index: [0, 2], window: { rows: [0, 0], cols: [1, 0] }, terms: '0 + 0.5', value: 0.5, text: '0 + 0.5 = 0.5' })
    expect(entries[4]!.text).toBe('1×1 + 0.5 = 1.5')
    expect(entries.map((e) => e.value)).toEqual([...output])
  })

  it('x=[2,2] k=1 s=2 op=1: an outputPadding row is `0`, its window [2, 1] (both input rows end above it)', () => {
    const { entries } = tconv(f([1, 2, 3, 4]), [2, 2], f([-1]), [1, 1], { stride: 2, outputPadding: 1 })
    expect(entries).toHaveLength(16)
    expect(entries[0]!.text).toBe('1×(-1) = -1')
    expect(entries[15]).toEqual({ index: [3, 3], window: { rows: [2, 1], cols: [2, 1] }, terms: '0', value: 0, text: '0 = 0' })
    expect(entries[10]!.text).toBe('4×(-1) = -4')
  })

  it('x=[3,3] k=2 d=2: the window spans the dilated kernels, a row in it may land no tap', () => {
    const { entries } = tconv(X, [3, 3], K, [2, 2], { dilation: 2 })
    expect(entries).toHaveLength(25)
    // output (2, 2) gathers input rows/cols 0 and 2 (taps 1 and 0); row 1's kernel covers rows 1–3 but lands on 1 and 3
    expect(entries[12]).toMatchObject({ window: { rows: [0, 2], cols: [0, 2] }, text: '0×3 + 2×2 + 6×1 + 8×0 = 10' })
    // output (1, 1): input 0's kernel spans it without a tap there
    expect(entries[6]).toMatchObject({ window: { rows: [0, 1], cols: [0, 1] }, text: '4×0 = 0' })
  })

  it('x=[2,2,2] k=[2,2,2] bias: one bracket per input channel, last first, the bias last', () => {
    const { entries, output } = tconv(f([0, 1, 2, 3, 1, 2, 3, 4]), [2, 2, 2], K2, [2, 2, 2], {}, f([-1]))
    expect(entries[4]!.text).toBe('(1×4 + 2×3 + 3×2 + 4×1) + (0×3 + 1×2 + 2×1 + 3×0) + (-1) = 23')
    expect(entries[0]!.text).toBe('(1×1) + (0×0) + (-1) = 0')
    expect(entries[4]!.index).toEqual([1, 1])
    expect(entries.map((e) => e.value)).toEqual([0, 3, 4, 5, 23, 21, 12, 35, 24])
    expect(entries.map((e) => e.value)).toEqual([...output])
  })

  it('x=[1,4,2,2] w=[4,3,2,2] g=2: each output channel reads its group\'s input channels, wire index [N, C, H, W]', () => {
    const x = f(Array.from({ length: 16 }, (_, i) => i % 5))
    const w = f(Array.from({ length: 48 }, (_, i) => (i % 7) - 3))
    const { entries, output } = tconv(x, [1, 4, 2, 2], w, [4, 3, 2, 2], { groups: 2 })
    expect(entries).toHaveLength(54)
    expect(entries[9 * 4 + 4]!.index).toEqual([0, 4, 1, 1])
    // output channel 4 = group 1's second: input channels 2 ([3,4,0,1]) and 3 ([2,3,4,0]) with
    // weight planes (2, 1) = [-3,-2,-1,0] and (3, 1) = [2,3,-3,-2], the centre reading each backwards
    expect(entries[9 * 4 + 4]!.text).toBe('(2×(-2) + 3×(-3) + 4×3 + 0×2) + (3×0 + 4×(-1) + 0×(-2) + 1×(-3)) = -8')
    expect(entries.map((e) => e.value)).toEqual([...output])
  })
})

describe('explain values of a transposed convolution are the computed values, bit for bit', () => {
  const floats = (n: number) => fc.array(fc.float({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n })

  // random data rarely makes float64 sums depend on their order; these two do (2^30 prints as the
  // float32's shortest decimal, 1073741800)
  it('x=[1,3] k=[1,3]: the sum runs in the kernel\'s tap order, not the text\'s (2^60 − 2^60 + 1 = 1, 1 − 2^60 + 2^60 = 0)', () => {
    const big = 2 ** 30
    const { entries, output } = tconv(f([1, -big, big]), [1, 3], f([big, big, 1]), [1, 3])
    expect(entries[2]!.text).toBe('1×1 + (-1073741800)×1073741800 + 1073741800×1073741800 = 1')
    expect(output[2]).toBe(1)
  })

  it('x=[3,1,1] k=[3,1,1]: and channel by channel from the first, though the text starts at the last', () => {
    const big = 2 ** 30
    const { entries, output } = tconv(f([big, -big, 1]), [3, 1, 1], f([big, big, 1]), [3, 1, 1])
    expect(entries[0]!.text).toBe('(1×1) + ((-1073741800)×1073741800) + (1073741800×1073741800) = 1')
    expect(output[0]).toBe(1)
  })

  const job = fc
    .record({
      groups: fc.integer({ min: 1, max: 2 }), cinPer: fc.integer({ min: 1, max: 2 }), coutPer: fc.integer({ min: 1, max: 2 }),
      h: fc.integer({ min: 1, max: 4 }), w: fc.integer({ min: 1, max: 4 }), kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }),
      sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }), dh: fc.integer({ min: 1, max: 2 }), dw: fc.integer({ min: 1, max: 2 }),
      pt: fc.integer({ min: 0, max: 2 }), pb: fc.integer({ min: 0, max: 2 }), pl: fc.integer({ min: 0, max: 2 }), pr: fc.integer({ min: 0, max: 2 }),
      oph: fc.integer({ min: 0, max: 2 }), opw: fc.integer({ min: 0, max: 2 }), bias: fc.boolean(),
    })
    .filter((j) => j.oph < Math.max(j.sh, j.dh) && j.opw < Math.max(j.sw, j.dw))
    .filter((j) => (j.h - 1) * j.sh + j.dh * (j.kh - 1) + 1 - j.pt - j.pb + j.oph >= 1)
    .filter((j) => (j.w - 1) * j.sw + j.dw * (j.kw - 1) + 1 - j.pl - j.pr + j.opw >= 1)
    .chain((j) => {
      const cin = j.cinPer * j.groups
      return fc.record({ j: fc.constant(j), x: floats(2 * cin * j.h * j.w), w: floats(cin * j.coutPer * j.kh * j.kw), b: floats(j.coutPer * j.groups) })
    })

  /** One axis from the definition: input positions whose dilated kernel covers o, and the taps landing on it. */
  const axis = (o: number, size: number, k: number, s: number, d: number, p: number) => {
    const reach = Array.from({ length: size }, (_, i) => i).filter((i) => i * s - p <= o && o <= i * s - p + d * (k - 1))
    const before = Array.from({ length: size }, (_, i) => i).filter((i) => i * s - p + d * (k - 1) < o).length
    let taps = 0
    for (let i = 0; i < size; i++) for (let t = 0; t < k; t++) if (i * s + t * d - p === o) taps++
    return { window: reach.length ? [reach[0]!, reach[reach.length - 1]!] : [before, before - 1], taps }
  }

  it('x=[2,Cin,h,w] k≤3 s≤3 p≤2 op d≤2 g≤2: value = output, window and product count as defined', () => {
    fc.assert(
      fc.property(job, ({ j, x, w, b }) => {
        const params: ConvTranspose2dParams = {
          stride: [j.sh, j.sw], dilation: [j.dh, j.dw], groups: j.groups, outputPadding: [j.oph, j.opw],
          padding: { top: j.pt, bottom: j.pb, left: j.pl, right: j.pr },
        }
        const cin = j.cinPer * j.groups
        const { g, entries, output } = tconv(f(x), [2, cin, j.h, j.w], f(w), [cin, j.coutPer, j.kh, j.kw], params, j.bias ? f(b) : undefined)
        expect(entries.map((e) => e.value)).toEqual([...output])
        entries.forEach((e, at) => {
          const [oh, ow] = [Math.floor(at / g.outW) % g.outH, at % g.outW]
          const rows = axis(oh, j.h, j.kh, j.sh, j.dh, j.pt)
          const cols = axis(ow, j.w, j.kw, j.sw, j.dw, j.pl)
          expect(e.window).toEqual({ rows: rows.window, cols: cols.window })
          expect(e.terms.split('×').length - 1).toBe(j.cinPer * rows.taps * cols.taps)
          expect(e.text).toBe(`${e.terms} = ${formatFloat32(e.value)}`)
        })
      }),
      { numRuns: 80, seed: 1410 },
    )
  })
})

describe('explain limit: transposed convolution', () => {
  it('x=[1,1,16,16] k=3 s=2: 33×33 = 1,089 outputs are refused; k=2 s=2 gives 32×32 = 1,024, accepted', () => {
    const big = resolveConvTranspose2d([1, 1, 16, 16], [1, 1, 3, 3], undefined, { stride: 2 })
    expect(() => assertExplainable(big)).toThrow(CoreError)
    expect(() => explainConvTranspose2d(big, new Float32Array(256), new Float32Array(9))).toThrow(/1024.*1089/)
    expect(() => assertExplainable(resolveConvTranspose2d([1, 1, 16, 16], [1, 1, 2, 2], undefined, { stride: 2 }))).not.toThrow()
  })

  it('x=[1,C,16,16] k=16: counts the products exactly, 4 × 256² = 2^18 is at the limit, 5 × 256² over it', () => {
    // each axis lands 16 taps × 16 inputs = 256 products over 31 outputs; the most on one element is C·16·16
    const at = resolveConvTranspose2d([1, 4, 16, 16], [4, 1, 16, 16], undefined, {})
    expect(at.outputShape).toEqual([1, 1, 31, 31])
    expect(4 * 256 * 256).toBe(EXPLAIN_MAX_TERMS)
    expect(() => assertExplainable(at)).not.toThrow()
    const over = resolveConvTranspose2d([1, 5, 16, 16], [5, 1, 16, 16], undefined, {})
    expect(() => assertExplainable(over)).toThrow(/961 output elements hold 327680 \(up to 1280 each\)/)
  })

  it('x=[1,C,14,14] k=3 s=2 d=2: the most on one element is every tap (C·3·3), not C·⌈3/2⌉²', () => {
    // s = d: taps t and t' land together whenever (t − t')·d is a multiple of s, i.e. always
    const g = resolveConvTranspose2d([1, 300, 14, 14], [300, 1, 3, 3], undefined, { stride: 2, dilation: 2 })
    expect(g.outputShape).toEqual([1, 1, 31, 31])
    const error = (() => {
      try {
        assertExplainable(g)
      } catch (e) {
        return e
      }
    })()
    expect(error).toMatchObject({ code: 'UNSUPPORTED', field: 'explain' })
    expect((error as Error).message).toContain(`limited to ${EXPLAIN_MAX_TERMS} terms`)
    expect((error as Error).message).toContain('961 output elements hold 529200 (up to 2700 each)')
  })
})
