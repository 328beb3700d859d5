import { describe, expect, it } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { convTranspose2d } from '../../src/core/conv-transpose2d.js'
import { CoreError, type CoreErrorCode } from '../../src/core/errors.js'
import { resolveConv2d, resolveConvTranspose2d } from '../../src/core/geometry.js'
import type { ConvTranspose2dParams } from '../../src/core/params.js'
import { fromNested, toNested, type Nested } from './util.js'

// Transposed convolution, PyTorch's F.conv_transpose2d (D2L §14.10). Test names carry the job:
// x = input shape, k = kernel, s = stride, p = padding (one number, [ph, pw] or [top, bottom,
// left, right]), op = outputPadding, d = dilation, g = groups.

/** conv_transpose2d through the rank rules: output nested in the contract's wire shape. */
function tconv(x: Nested, k: Nested, params: ConvTranspose2dParams = {}, bias?: number[]): Nested {
  const xi = fromNested(x)
  const ki = fromNested(k)
  const g = resolveConvTranspose2d(xi.shape, ki.shape, bias ? [bias.length] : undefined, params)
  return toNested(convTranspose2d(g, xi.data, ki.data, bias ? Float32Array.from(bias) : undefined), g.wireOutputShape)
}

/** The thrown CoreError (fails the test when nothing, or something else, is thrown). */
function coreError(run: () => unknown): CoreError {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError)
    return e as CoreError
  }
  throw new Error('expected a CoreError, nothing was thrown')
}

function expectError(run: () => unknown, code: CoreErrorCode, field: string, ...numbers: string[]): void {
  const e = coreError(run)
  expect({ code: e.code, field: e.field }).toEqual({ code, field })
  for (const n of numbers) expect(e.message).toContain(n)
}

const pads = (g: { padTop: number; padBottom: number; padLeft: number; padRight: number }) => [g.padTop, g.padBottom, g.padLeft, g.padRight]

// ---------------------------------------------------------------------------------------------
// A random job: every parameter per axis, deterministic from a seed.

interface Job {
  n: number; groups: number; cinPer: number; coutPer: number
  h: number; w: number; kh: number; kw: number
  sh: number; sw: number; dh: number; dw: number
  pt: number; pb: number; pl: number; pr: number
  oph: number; opw: number
  bias: boolean; seed: number
}

/** A small LCG: the same jobs and data on every run, no fast-check shrinking to wait for. */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Floats in [−2, 2) held exactly as float32: the data of the tolerance-checked properties. */
function floats(count: number, seed: number): Float32Array {
  const next = lcg(seed * 7919 + 13)
  return Float32Array.from({ length: count }, () => next() * 4 - 2)
}

const fullSize = (size: number, k: number, s: number, d: number) => (size - 1) * s + d * (k - 1) + 1
const outSize = (j: Job) => [
  fullSize(j.h, j.kh, j.sh, j.dh) - j.pt - j.pb + j.oph,
  fullSize(j.w, j.kw, j.sw, j.dw) - j.pl - j.pr + j.opw,
]

/** `count` jobs with a non-empty output; `accept` narrows them further (e.g. outputPadding < stride). */
function jobs(count: number, seed: number, accept: (j: Job) => boolean = () => true): Job[] {
  const next = lcg(seed)
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const out: Job[] = []
  while (out.length < count) {
    const sh = int(1, 3)
    const sw = int(1, 3)
    const dh = int(1, 3)
    const dw = int(1, 3)
    const j: Job = {
      n: int(1, 2), groups: int(1, 3), cinPer: int(1, 3), coutPer: int(1, 3),
      h: int(1, 5), w: int(1, 5), kh: int(1, 4), kw: int(1, 4), sh, sw, dh, dw,
      pt: int(0, 3), pb: int(0, 3), pl: int(0, 3), pr: int(0, 3),
      // PyTorch's rule: outputPadding < max(stride, dilation)
      oph: int(0, Math.max(sh, dh) - 1), opw: int(0, Math.max(sw, dw) - 1),
      bias: next() < 0.5, seed: int(1, 1 << 30),
    }
    const [oh, ow] = outSize(j)
    if (oh >= 1 && ow >= 1 && accept(j)) out.push(j)
  }
  return out
}

const pair = (a: number, b: number) => (a === b ? `${a}` : `[${a},${b}]`)
const name = (j: Job) =>
  `x=[${j.n},${j.cinPer * j.groups},${j.h},${j.w}] k=${pair(j.kh, j.kw)} s=${pair(j.sh, j.sw)} ` +
  `p=${j.pt === j.pb && j.pb === j.pl && j.pl === j.pr ? j.pt : `[${j.pt},${j.pb},${j.pl},${j.pr}]`} ` +
  `op=${pair(j.oph, j.opw)} d=${pair(j.dh, j.dw)} g=${j.groups}${j.bias ? ' bias' : ''}`

/** The job's tensors (weight [Cin, Cout/groups, kh, kw]) and params. */
function materialise(j: Job) {
  const cin = j.cinPer * j.groups
  const cout = j.coutPer * j.groups
  const params: ConvTranspose2dParams = {
    stride: [j.sh, j.sw],
    dilation: [j.dh, j.dw],
    groups: j.groups,
    padding: { top: j.pt, bottom: j.pb, left: j.pl, right: j.pr },
    outputPadding: [j.oph, j.opw],
  }
  return {
    cin,
    cout,
    xShape: [j.n, cin, j.h, j.w],
    wShape: [cin, j.coutPer, j.kh, j.kw],
    x: floats(j.n * cin * j.h * j.w, j.seed),
    weight: floats(cin * j.coutPer * j.kh * j.kw, j.seed + 1),
    bias: j.bias ? floats(cout, j.seed + 2) : undefined,
    params,
  }
}

function runT(xShape: number[], x: Float32Array, wShape: number[], weight: Float32Array, params: ConvTranspose2dParams, bias?: Float32Array) {
  const g = resolveConvTranspose2d(xShape, wShape, bias ? [bias.length] : undefined, params)
  return { g, out: convTranspose2d(g, x, weight, bias) }
}

const abs = (a: Float32Array) => a.map(Math.abs)
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/**
 * Two float32 results of the same sum taken in different orders: each is the float64 sum rounded
 * once, so they differ by at most an ulp of float32 of the sum of |products| (`mass`), not of the
 * value, which may be small after cancellation.
 */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, mass: ArrayLike<number>): void {
  expect(got.length).toBe(want.length)
  for (let i = 0; i < got.length; i++) {
    const tol = 2 ** -22 * mass[i]! + 1e-30
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) expect.fail(`element ${i}: ${got[i]} vs ${want[i]} (tolerance ${tol})`)
  }
}

/** The scatter straight from the definition: every (input, tap) pair, bounds tested inline. */
function naiveScatter(j: Job, x: Float32Array, w: Float32Array, bias?: Float32Array): { data: number[]; landed: number } {
  const [oh, ow] = outSize(j)
  const cin = j.cinPer * j.groups
  const cout = j.coutPer * j.groups
  const data = new Array<number>(j.n * cout * oh * ow).fill(0)
  let landed = 0
  for (let b = 0; b < j.n; b++)
    for (let oc = 0; oc < cout; oc++) data.fill(bias ? bias[oc]! : 0, (b * cout + oc) * oh * ow, (b * cout + oc + 1) * oh * ow)
  for (let b = 0; b < j.n; b++)
    for (let ic = 0; ic < cin; ic++)
      for (let o = 0; o < j.coutPer; o++)
        for (let iy = 0; iy < j.h; iy++)
          for (let ix = 0; ix < j.w; ix++)
            for (let ky = 0; ky < j.kh; ky++)
              for (let kx = 0; kx < j.kw; kx++) {
                const y = iy * j.sh + ky * j.dh - j.pt
                const xo = ix * j.sw + kx * j.dw - j.pl
                if (y < 0 || y >= oh || xo < 0 || xo >= ow) continue
                landed++
                const oc = Math.floor(ic / j.cinPer) * j.coutPer + o
                data[((b * cout + oc) * oh + y) * ow + xo]! +=
                  x[((b * cin + ic) * j.h + iy) * j.w + ix]! * w[((ic * j.coutPer + o) * j.kh + ky) * j.kw + kx]!
              }
  return { data, landed }
}

// ---------------------------------------------------------------------------------------------

describe('D2L §14.10: the textbook numbers', () => {
  const X = [[0, 1], [2, 3]]
  const K = [[0, 1], [2, 3]]

  it('x=[2,2] k=2 s=1 p=0 op=0 d=1 g=1: trans_conv(X, K) = [[0,0,1],[0,4,6],[4,12,9]]', () => {
    expect(tconv(X, K)).toEqual([[0, 0, 1], [0, 4, 6], [4, 12, 9]])
  })

  it('x=[1,1,2,2] k=2 s=1 p=0 op=0 d=1 g=1: the same in NCHW (nn.ConvTranspose2d(1, 1, 2))', () => {
    expect(tconv([[X]], [[K]])).toEqual([[[[0, 0, 1], [0, 4, 6], [4, 12, 9]]]])
  })

  it('x=[1,1,2,2] k=2 s=1 p=1 op=0 d=1 g=1: padding crops the output → [[4]]', () => {
    expect(tconv([[X]], [[K]], { padding: 1 })).toEqual([[[[4]]]])
  })

  it('x=[1,1,2,2] k=2 s=2 p=0 op=0 d=1 g=1: stride 2 → the 4×4 of the book', () => {
    expect(tconv([[X]], [[K]], { stride: 2 })).toEqual([[[[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]]]])
  })

  it('x=[2,2,2] k=[2,2,2] s=1 p=0 op=0 d=1 g=1: a [Cin,kh,kw] weight sums the channels into one output', () => {
    const X1 = [[1, 2], [3, 4]]
    const K1 = [[1, 2], [3, 4]]
    const a = tconv(X, K) as number[][]
    const b = tconv(X1, K1) as number[][]
    const sum = a.map((row, i) => row.map((v, j) => v + b[i]![j]!))
    expect(tconv([X, X1], [K, K1])).toEqual(sum)
    expect(sum).toEqual([[1, 4, 5], [6, 24, 22], [13, 36, 25]])
  })

  it('x=[3,3] k=2: the transposed conv is multiplication by Wᵀ, W the conv\'s kernel2matrix (§14.10.3)', () => {
    const X3 = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    const K3 = [[1, 2], [3, 4]]
    // the book's kernel2matrix(K): each output of the 2×2 conv is one row over the 9 inputs
    const k = [1, 2, 0, 3, 4]
    const W = [0, 1, 3, 4].map((at) => Array.from({ length: 9 }, (_, c) => (c >= at && c < at + 5 ? k[c - at]! : 0)))
    const Y = conv2d(resolveConv2d([3, 3], [2, 2], undefined, {}), fromNested(X3).data, fromNested(K3).data)
    expect([...Y]).toEqual(W.map((row) => dot(row, X3.flat())))
    const Z = tconv(toNested(Y, [2, 2]), K3) as number[][]
    expect(Z.flat()).toEqual(Array.from({ length: 9 }, (_, c) => W.reduce((s, row, r) => s + row[c]! * Y[r]!, 0)))
  })

  it('x=[1,10,16,16] k=5 s=3 p=2: nn.ConvTranspose2d(20, 10, 5, padding=2, stride=3) undoes the conv\'s shape', () => {
    const conv = resolveConv2d([1, 10, 16, 16], [20, 10, 5, 5], undefined, { padding: 2, stride: 3 })
    expect(conv.outputShape).toEqual([1, 20, 6, 6])
    const back = resolveConvTranspose2d(conv.outputShape, [20, 10, 5, 5], undefined, { padding: 2, stride: 3 })
    expect(back.outputShape).toEqual([1, 10, 16, 16])
  })
})

describe('resolveConvTranspose2d: geometry', () => {
  it('x=[2,2] k=2 s=2 p=0 op=0 d=1 g=1: out (in − 1)·s + d·(k − 1) + 1 − pads + op, and its formula text', () => {
    const g = resolveConvTranspose2d([2, 2], [2, 2], undefined, { stride: 2 })
    expect([g.outH, g.outW]).toEqual([4, 4])
    expect(g.formula).toEqual({ h: '(2 − 1) × 2 + 2 − 0 + 0 = 4', w: '(2 − 1) × 2 + 2 − 0 + 0 = 4' })
  })

  it('x=[1,1,3,4] k=[3,2] s=[2,3] p=[1,0] op=[1,2] d=[2,1] g=1: every term of the formula per axis', () => {
    const g = resolveConvTranspose2d([1, 1, 3, 4], [1, 1, 3, 2], undefined, { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], dilation: [2, 1] })
    expect(g.formula).toEqual({ h: '(3 − 1) × 2 + 5 − 2 + 1 = 8', w: '(4 − 1) × 3 + 2 − 0 + 2 = 13' })
    expect(g).toMatchObject({ outH: 8, outW: 13, effKH: 5, effKW: 2, outputPaddingH: 1, outputPaddingW: 2 })
    expect(pads(g)).toEqual([1, 1, 0, 0])
  })

  it('x=[3,3] k=3 s=1 p=[1,0,0,2] op=0 d=1 g=1: per-side padding crops each side as given', () => {
    const g = resolveConvTranspose2d([3, 3], [3, 3], undefined, { padding: { top: 1, bottom: 0, left: 0, right: 2 } })
    expect(pads(g)).toEqual([1, 0, 0, 2])
    expect([g.outH, g.outW]).toEqual([4, 3])
    // the crop is taken from the full 5×5 scatter: row 0 and columns 3, 4 go
    const x = [[1, 0, 0], [0, 0, 0], [0, 0, 0]]
    const k = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    expect(tconv(x, k, { padding: { top: 1, bottom: 0, left: 0, right: 2 } })).toEqual([[4, 5, 6], [7, 8, 9], [0, 0, 0], [0, 0, 0]])
  })

  it('x=[3,3] k=3 s=1 p=[ph,pw] and p=int: PyTorch\'s pair meaning', () => {
    expect(pads(resolveConvTranspose2d([3, 3], [3, 3], undefined, { padding: [1, 0] }))).toEqual([1, 1, 0, 0])
    expect(pads(resolveConvTranspose2d([3, 3], [3, 3], undefined, { padding: 1 }))).toEqual([1, 1, 1, 1])
  })

  it('x=[3,3] k=[4,3] s=2 p=same op=0 d=1 g=1: output in·stride, the odd row at the bottom/right', () => {
    // full 8×7, wanted 6×6: crop 2 → 1/1 in height, 1 → 0/1 in width
    const g = resolveConvTranspose2d([3, 3], [4, 3], undefined, { padding: 'same', stride: 2 })
    expect([g.outH, g.outW]).toEqual([6, 6])
    expect(pads(g)).toEqual([1, 1, 0, 1])
  })

  it('x=[5,5] k=3 s=1 p=same: stride 1 keeps the size (padding (k − 1)/2)', () => {
    const g = resolveConvTranspose2d([5, 5], [3, 3], undefined, { padding: 'same' })
    expect([g.outH, g.outW]).toEqual([5, 5])
    expect(pads(g)).toEqual([1, 1, 1, 1])
  })

  it('x=[3,3] k=1 s=2 p=same op=0: the scatter fills 5 < 6, the error names outputPadding; op=1 fills it', () => {
    expectError(() => resolveConvTranspose2d([3, 3], [1, 1], undefined, { padding: 'same', stride: 2 }), 'INVALID_PARAMETER', 'padding', 'outputPadding 1', '6', '5')
    const g = resolveConvTranspose2d([3, 3], [1, 1], undefined, { padding: 'same', stride: 2, outputPadding: 1 })
    expect([g.outH, g.outW]).toEqual([6, 6])
    expect(pads(g)).toEqual([0, 0, 0, 0])
  })

  it('outputPadding must be smaller than the stride or the dilation (PyTorch)', () => {
    expectError(() => resolveConvTranspose2d([2, 2], [2, 2], undefined, { stride: 2, outputPadding: 2 }), 'INVALID_PARAMETER', 'outputPadding', 'outputPadding 2', 'height', 'stride (2)', 'dilation (1)')
    expectError(() => resolveConvTranspose2d([2, 2], [2, 2], undefined, { stride: [1, 3], outputPadding: [0, 3] }), 'INVALID_PARAMETER', 'outputPadding', 'outputPadding 3', 'width', 'stride (3)')
    // below the dilation is enough: s=1 d=2 op=1 adds one row of zeros
    const g = resolveConvTranspose2d([2, 2], [2, 2], undefined, { dilation: 2, outputPadding: 1 })
    expect([g.outH, g.outW]).toEqual([5, 5])
    expect(tconv([[1, 0], [0, 0]], [[1, 1], [1, 1]], { dilation: 2, outputPadding: 1 })).toEqual([
      [1, 0, 1, 0, 0],
      [0, 0, 0, 0, 0],
      [1, 0, 1, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ])
  })

  it('x=[1,3,4,4] k=2 g=2: groups must divide the input channels', () => {
    expectError(() => resolveConvTranspose2d([1, 3, 4, 4], [3, 2, 2, 2], undefined, { groups: 2 }), 'GROUPS_MISMATCH', 'groups', 'groups=2', '(3)')
  })

  it('x=[2,3,3] w=[2,2,2] g=2: the [Cin,kh,kw] shorthand is one output channel, so groups > 1 is refused', () => {
    // read as [Cin,1,kh,kw] it would make 2 output channels, and the wire shape [4,4] (no channel
    // axis) would hold half the data
    expectError(() => resolveConvTranspose2d([2, 3, 3], [2, 2, 2], undefined, { groups: 2 }), 'GROUPS_MISMATCH', 'groups', 'groups=2', '[2,2,2]', 'one output channel')
    const g = resolveConvTranspose2d([2, 3, 3], [2, 1, 2, 2], undefined, { groups: 2 })
    expect(g.wireOutputShape).toEqual([2, 4, 4])
  })

  it('x=[1,2,4,4] w=[3,1,2,2]: the weight\'s first axis is the input channels', () => {
    expectError(() => resolveConvTranspose2d([1, 2, 4, 4], [3, 1, 2, 2], undefined, {}), 'CHANNEL_MISMATCH', 'weight', '3 input channels', '2 channels', '[3,1,2,2]', '[1,2,4,4]')
  })

  it('x=[1,4,3,3] w=[4,3,2,2] g=2: bias must have Cout = 3 × 2 elements', () => {
    expectError(() => resolveConvTranspose2d([1, 4, 3, 3], [4, 3, 2, 2], [3], { groups: 2 }), 'BIAS_MISMATCH', 'bias', '3 elements', '6 channels', 'groups=2')
    expect(resolveConvTranspose2d([1, 4, 3, 3], [4, 3, 2, 2], [6], { groups: 2 }).outputShape).toEqual([1, 6, 4, 4])
  })

  it('x=[2,2] k=2 p=2 and p=[3,0,0,0]: padding that crops everything is OUTPUT_EMPTY with the sizes', () => {
    expectError(() => resolveConvTranspose2d([2, 2], [2, 2], undefined, { padding: 2 }), 'OUTPUT_EMPTY', 'padding', '3×3', 'top 2', 'bottom 2', '-1×-1')
    expectError(() => resolveConvTranspose2d([2, 2], [2, 2], undefined, { padding: { top: 3, bottom: 0, left: 0, right: 0 } }), 'OUTPUT_EMPTY', 'padding', 'top 3', '0×3')
  })

  it('rank rules: [kh,kw] = [1,1,kh,kw], [Cin,kh,kw] = [Cin,1,kh,kw]; the wire shape drops the size-1 axes the request did', () => {
    const wire = (xs: number[], ws: number[]) => {
      const g = resolveConvTranspose2d(xs, ws, undefined, {})
      // the wire shape is a view of the NCHW output: the same number of elements
      expect(g.wireOutputShape.reduce((a, b) => a * b, 1)).toBe(g.outputShape.reduce((a, b) => a * b, 1))
      return g.wireOutputShape
    }
    expect(resolveConvTranspose2d([2, 2], [2, 2], undefined, {}).weightShape).toEqual([1, 1, 2, 2])
    expect(resolveConvTranspose2d([3, 2, 2], [3, 2, 2], undefined, {}).weightShape).toEqual([3, 1, 2, 2])
    expect(wire([2, 2], [2, 2])).toEqual([3, 3])
    expect(wire([3, 2, 2], [3, 2, 2])).toEqual([3, 3])
    expect(wire([3, 2, 2], [3, 4, 2, 2])).toEqual([4, 3, 3])
    expect(wire([5, 3, 2, 2], [3, 4, 2, 2])).toEqual([5, 4, 3, 3])
    expect(wire([5, 1, 2, 2], [2, 2])).toEqual([5, 3, 3])
  })

  it('x=[2,4,3,5] k=[3,2] s=[2,3] p=[1,0,2,1] op=[1,0] d=[1,2] g=2 bias: FLOPs = 2 × landed products + one add per output, counted one by one', () => {
    const j: Job = { n: 2, groups: 2, cinPer: 2, coutPer: 3, h: 3, w: 5, kh: 3, kw: 2, sh: 2, sw: 3, dh: 1, dw: 2, pt: 1, pb: 0, pl: 2, pr: 1, oph: 1, opw: 0, bias: true, seed: 5 }
    const m = materialise(j)
    const g = resolveConvTranspose2d(m.xShape, m.wShape, [m.cout], m.params)
    const outputs = g.outputShape.reduce((a, b) => a * b, 1)
    const { landed } = naiveScatter(j, m.x, m.weight, m.bias)
    expect(g.flops).toBe(2 * landed + outputs)
    // not every (input, tap) pair lands: the crop and the taps past the bottom/right drop some
    expect(landed).toBeLessThan(j.n * m.cin * j.coutPer * j.h * j.w * j.kh * j.kw)
    expect(resolveConvTranspose2d(m.xShape, m.wShape, undefined, m.params).flops).toBe(2 * landed)
  })
})

describe('convTranspose2d ≡ the scatter definition', () => {
  for (const j of jobs(30, 101)) {
    it(name(j), () => {
      const m = materialise(j)
      const { g, out } = runT(m.xShape, m.x, m.wShape, m.weight, m.params, m.bias)
      const want = naiveScatter(j, m.x, m.weight, m.bias)
      expect([...g.outputShape]).toEqual([j.n, m.cout, ...outSize(j)])
      const mass = naiveScatter(j, abs(m.x), abs(m.weight), m.bias && abs(m.bias)).data
      expectClose(out, want.data, mass)
    })
  }
})

describe('adjoint: ⟨conv2d(x, W), y⟩ = ⟨x, convTranspose2d(y, W)⟩', () => {
  // conv2d reads the same weight as [Cout = Cin_t, Cin/groups = Cout_t/groups, kh, kw] with the same
  // stride, dilation, groups and padding. Its output is floor(((h − 1)·s + op)/s) + 1 = h only when
  // op < s, so jobs with outputPadding ≥ stride (allowed when the dilation is larger) have no
  // matching conv and are left out.
  const matching = jobs(40, 202, (j) => j.oph < j.sh && j.opw < j.sw)
  for (const j of matching) {
    it(name(j), () => {
      const m = materialise(j)
      const y = m.x
      const T = runT(m.xShape, y, m.wShape, m.weight, m.params)
      const x = floats(T.out.length, j.seed + 3)
      const { padding, stride, dilation, groups } = m.params
      const cg = resolveConv2d([...T.g.outputShape], m.wShape, undefined, { padding, stride, dilation, groups })
      expect(cg.outputShape).toEqual(T.g.inputShape)
      const lhs = dot(conv2d(cg, x, m.weight), y)
      const rhs = dot(x, T.out)
      // each side is a float64 sum of float32 outputs each rounded once: an ulp of the absolute mass
      const mass = dot(conv2d(cg, abs(x), abs(m.weight)), abs(y))
      expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(2 ** -21 * mass + 1e-30)
    })
  }

  it('x=[1,1,2,2] k=3 s=1 p=0 op=1 d=2: outputPadding ≥ stride has no conv with a matching shape (skipped above)', () => {
    const T = resolveConvTranspose2d([1, 1, 2, 2], [1, 1, 3, 3], undefined, { dilation: 2, outputPadding: 1 })
    expect(resolveConv2d([...T.outputShape], [1, 1, 3, 3], undefined, { dilation: 2 }).outputShape).toEqual([1, 1, 3, 3])
  })
})

/**
 * The input with s − 1 zeros between elements, then `before` zero rows/cols added (or, when
 * negative, input rows cropped) at the top/left and `after` at the bottom/right. The padding
 * d·(k − 1) − p goes negative when PyTorch's p exceeds the dilated kernel, so the conv below
 * gets it here and pads nothing itself.
 */
function stuff(x: Float32Array, planes: number, h: number, w: number, s: [number, number], top: number, bottom: number, left: number, right: number) {
  const H = (h - 1) * s[0] + 1 + top + bottom
  const W = (w - 1) * s[1] + 1 + left + right
  const out = new Float32Array(planes * H * W)
  for (let p = 0; p < planes; p++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        const r = i * s[0] + top
        const c = j * s[1] + left
        if (r >= 0 && r < H && c >= 0 && c < W) out[(p * H + r) * W + c] = x[(p * h + i) * w + j]!
      }
  return { data: out, H, W }
}

describe('convTranspose2d ≡ conv2d over the zero-stuffed input with the rotated, channel-swapped kernel', () => {
  for (const j of jobs(40, 303)) {
    it(name(j), () => {
      const m = materialise(j)
      const T = runT(m.xShape, m.x, m.wShape, m.weight, m.params, m.bias)
      const z = stuff(
        m.x, j.n * m.cin, j.h, j.w, [j.sh, j.sw],
        j.dh * (j.kh - 1) - j.pt, j.dh * (j.kh - 1) - j.pb + j.oph,
        j.dw * (j.kw - 1) - j.pl, j.dw * (j.kw - 1) - j.pr + j.opw,
      )
      // [Cin, Cout/g, kh, kw] → [Cout, Cin/g, kh, kw], each plane rotated 180°, within each group
      const taps = j.kh * j.kw
      const rotated = new Float32Array(m.weight.length)
      for (let grp = 0; grp < j.groups; grp++)
        for (let i = 0; i < j.cinPer; i++)
          for (let o = 0; o < j.coutPer; o++)
            for (let t = 0; t < taps; t++) {
              const from = ((grp * j.cinPer + i) * j.coutPer + o) * taps + (taps - 1 - t)
              rotated[((grp * j.coutPer + o) * j.cinPer + i) * taps + t] = m.weight[from]!
            }
      const cg = resolveConv2d([j.n, m.cin, z.H, z.W], [m.cout, j.cinPer, j.kh, j.kw], m.bias && [m.cout], { dilation: [j.dh, j.dw], groups: j.groups })
      expect(cg.outputShape).toEqual(T.g.outputShape)
      const mass = runT(m.xShape, abs(m.x), m.wShape, abs(m.weight), m.params, m.bias && abs(m.bias)).out
      expectClose(conv2d(cg, z.data, rotated, m.bias), T.out, mass)
    })
  }
})

describe('groups ≡ the per-group transposed convolutions concatenated along channels', () => {
  for (const j of jobs(30, 404, (j) => j.groups > 1)) {
    it(name(j), () => {
      const m = materialise(j)
      const whole = runT(m.xShape, m.x, m.wShape, m.weight, m.params, m.bias)
      const plane = whole.g.outH * whole.g.outW
      const inPlane = j.h * j.w
      const parts: Float32Array[] = []
      for (let grp = 0; grp < j.groups; grp++) {
        const xg = new Float32Array(j.n * j.cinPer * inPlane)
        for (let b = 0; b < j.n; b++) {
          const from = (b * m.cin + grp * j.cinPer) * inPlane
          xg.set(m.x.subarray(from, from + j.cinPer * inPlane), b * j.cinPer * inPlane)
        }
        const wsize = j.cinPer * j.coutPer * j.kh * j.kw
        const wg = m.weight.subarray(grp * wsize, (grp + 1) * wsize)
        const bg = m.bias?.subarray(grp * j.coutPer, (grp + 1) * j.coutPer)
        const shape = [j.n, j.cinPer, j.h, j.w]
        parts.push(runT(shape, xg, [j.cinPer, j.coutPer, j.kh, j.kw], wg, { ...m.params, groups: 1 }, bg).out)
      }
      const joined: number[] = []
      for (let b = 0; b < j.n; b++)
        for (const part of parts) joined.push(...part.subarray(b * j.coutPer * plane, (b + 1) * j.coutPer * plane))
      // the same products added in the same order: equal bit for bit
      expect([...whole.out]).toEqual(joined)
    })
  }
})

describe('"same" ≡ the explicit pads it resolves to (record and output), output in·stride', () => {
  // "same" needs the scatter to reach in·s; outputPadding makes up a short one when the rule allows
  const sameJobs = jobs(60, 505)
    .map((j) => {
      const need = (size: number, k: number, s: number, d: number) => Math.max(0, size * s - fullSize(size, k, s, d))
      return { ...j, pt: 0, pb: 0, pl: 0, pr: 0, oph: need(j.h, j.kh, j.sh, j.dh), opw: need(j.w, j.kw, j.sw, j.dw) }
    })
    .filter((j) => j.oph < Math.max(j.sh, j.dh) && j.opw < Math.max(j.sw, j.dw))
    .slice(0, 30)

  it('enough of the random jobs qualify', () => expect(sameJobs.length).toBe(30))

  for (const j of sameJobs) {
    it(name(j).replace(/ p=\S+/, ' p=same'), () => {
      const m = materialise(j)
      const same = runT(m.xShape, m.x, m.wShape, m.weight, { ...m.params, padding: 'same' }, m.bias)
      const g = same.g
      expect([g.outH, g.outW]).toEqual([j.h * j.sh, j.w * j.sw])
      for (const odd of [g.padBottom - g.padTop, g.padRight - g.padLeft]) expect([0, 1]).toContain(odd)
      const explicit = runT(m.xShape, m.x, m.wShape, m.weight, { ...m.params, padding: { top: g.padTop, bottom: g.padBottom, left: g.padLeft, right: g.padRight } }, m.bias)
      expect(explicit.g).toEqual(g)
      expect([...explicit.out]).toEqual([...same.out])
    })
  }
})
