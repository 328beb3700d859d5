import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { resolveConv2d, resolvePool2d } from '../../src/core/geometry.js'
import type { Conv2dParams, PaddingMode } from '../../src/core/params.js'
import { pool2d } from '../../src/core/pool2d.js'
import { ints, naiveConv, naivePool, type NaiveConv } from './naive.js'
import { poolJobs } from './pool-jobs.js'

// Kept modest (a few hundred small convolutions in all) so the file runs in a few seconds.
const RUNS = { numRuns: 60 }

/** A random conv job that fits (dilated kernel ≤ padded input), with exact small-integer data. */
const convJob = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 3 }),
    cinPer: fc.integer({ min: 1, max: 3 }),
    coutPer: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 1, max: 8 }),
    w: fc.integer({ min: 1, max: 8 }),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    dh: fc.integer({ min: 1, max: 3 }),
    dw: fc.integer({ min: 1, max: 3 }),
    pt: fc.integer({ min: 0, max: 3 }),
    pb: fc.integer({ min: 0, max: 3 }),
    pl: fc.integer({ min: 0, max: 3 }),
    pr: fc.integer({ min: 0, max: 3 }),
    bias: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1 << 30 }),
  })
  .filter((j) => j.dh * (j.kh - 1) + 1 <= j.h + j.pt + j.pb && j.dw * (j.kw - 1) + 1 <= j.w + j.pl + j.pr)
  .map((j) => {
    const c: NaiveConv = { ...j, cin: j.cinPer * j.groups, cout: j.coutPer * j.groups }
    const x = ints(c.n * c.cin * c.h * c.w, j.seed)
    const wt = ints(c.cout * j.cinPer * c.kh * c.kw, j.seed + 1)
    const bias = j.bias ? ints(c.cout, j.seed + 2) : undefined
    const params: Conv2dParams = {
      stride: [c.sh, c.sw],
      dilation: [c.dh, c.dw],
      groups: c.groups,
      padding: { top: c.pt, bottom: c.pb, left: c.pl, right: c.pr },
    }
    return { c, x, wt, bias, params }
  })

function runConv(xShape: number[], x: Float32Array, wShape: number[], wt: Float32Array, params: Conv2dParams, bias?: Float32Array) {
  const g = resolveConv2d(xShape, wShape, bias ? [bias.length] : undefined, params)
  return { g, out: Array.from(conv2d(g, x, wt, bias)) }
}

describe('conv2d properties', () => {
  it('matches the naive definition; geometry output shape ≡ computed length', () => {
    fc.assert(
      fc.property(convJob, ({ c, x, wt, bias, params }) => {
        const { g, out } = runConv([c.n, c.cin, c.h, c.w], x, [c.cout, c.cin / c.groups, c.kh, c.kw], wt, params, bias)
        const want = naiveConv(c, x, wt, bias)
        expect([...g.outputShape]).toEqual(want.shape)
        expect(out.length).toBe(g.outputShape.reduce((a, b) => a * b, 1))
        expect(out).toEqual(want.data)
      }),
      RUNS,
    )
  })

  it('dilation ≡ the kernel stuffed with zeros (dilation 1)', () => {
    fc.assert(
      fc.property(convJob, ({ c, x, wt, params }) => {
        const cinPer = c.cin / c.groups
        const ekh = c.dh * (c.kh - 1) + 1
        const ekw = c.dw * (c.kw - 1) + 1
        const stuffed = new Float32Array(c.cout * cinPer * ekh * ekw)
        for (let o = 0; o < c.cout * cinPer; o++)
          for (let ky = 0; ky < c.kh; ky++)
            for (let kx = 0; kx < c.kw; kx++) stuffed[(o * ekh + ky * c.dh) * ekw + kx * c.dw] = wt[(o * c.kh + ky) * c.kw + kx]!
        const xs = [c.n, c.cin, c.h, c.w]
        const a = runConv(xs, x, [c.cout, cinPer, c.kh, c.kw], wt, params).out
        const b = runConv(xs, x, [c.cout, cinPer, ekh, ekw], stuffed, { ...params, dilation: 1 }).out
        expect(a).toEqual(b)
      }),
      RUNS,
    )
  })

  it('groups ≡ the per-group convolutions concatenated along channels', () => {
    fc.assert(
      fc.property(convJob, ({ c, x, wt, bias, params }) => {
        const cinPer = c.cin / c.groups
        const coutPer = c.cout / c.groups
        const whole = runConv([c.n, c.cin, c.h, c.w], x, [c.cout, cinPer, c.kh, c.kw], wt, params, bias)
        const plane = whole.g.outH * whole.g.outW
        const parts: number[][] = []
        for (let grp = 0; grp < c.groups; grp++) {
          const xg = new Float32Array(c.n * cinPer * c.h * c.w)
          for (let b = 0; b < c.n; b++) {
            const from = (b * c.cin + grp * cinPer) * c.h * c.w
            xg.set(x.subarray(from, from + cinPer * c.h * c.w), b * cinPer * c.h * c.w)
          }
          const wsize = coutPer * cinPer * c.kh * c.kw
          const wg = wt.subarray(grp * wsize, (grp + 1) * wsize)
          const bg = bias?.subarray(grp * coutPer, (grp + 1) * coutPer)
          parts.push(runConv([c.n, cinPer, c.h, c.w], xg, [coutPer, cinPer, c.kh, c.kw], wg, { ...params, groups: 1 }, bg).out)
        }
        const joined: number[] = []
        for (let b = 0; b < c.n; b++)
          for (const part of parts) joined.push(...part.slice(b * coutPer * plane, (b + 1) * coutPer * plane))
        expect(whole.out).toEqual(joined)
      }),
      RUNS,
    )
  })

  it('flipKernel ≡ cross-correlation with the kernel rotated 180°', () => {
    fc.assert(
      fc.property(convJob, ({ c, x, wt, bias, params }) => {
        const ws = [c.cout, c.cin / c.groups, c.kh, c.kw]
        const rotated = new Float32Array(wt.length)
        const k = c.kh * c.kw
        for (let o = 0; o < wt.length / k; o++)
          for (let i = 0; i < k; i++) rotated[o * k + i] = wt[o * k + (k - 1 - i)]!
        const flipped = runConv([c.n, c.cin, c.h, c.w], x, ws, wt, { ...params, flipKernel: true }, bias).out
        expect(flipped).toEqual(runConv([c.n, c.cin, c.h, c.w], x, ws, rotated, params, bias).out)
      }),
      RUNS,
    )
  })

  it('"same" ≡ its explicit pads (record and output), output ceil(in/stride)', () => {
    fc.assert(
      fc.property(convJob, ({ c, x, wt, params }) => {
        const xs = [c.n, c.cin, c.h, c.w]
        const ws = [c.cout, c.cin / c.groups, c.kh, c.kw]
        const same = runConv(xs, x, ws, wt, { ...params, padding: 'same' })
        const g = same.g
        expect([g.outH, g.outW]).toEqual([Math.ceil(c.h / c.sh), Math.ceil(c.w / c.sw)])
        expect(g.padBottom - g.padTop).toBeGreaterThanOrEqual(0)
        expect(g.padBottom - g.padTop).toBeLessThanOrEqual(1)
        const explicit = runConv(xs, x, ws, wt, { ...params, padding: { top: g.padTop, bottom: g.padBottom, left: g.padLeft, right: g.padRight } })
        expect(explicit.g).toEqual(g)
        expect(explicit.out).toEqual(same.out)
      }),
      RUNS,
    )
  })

  it('1×1 conv ≡ matrix product over channels at every pixel', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1 << 30 }), (cin, cout, hw, seed) => {
        const x = ints(cin * hw, seed)
        const wt = ints(cout * cin, seed + 7)
        const { out } = runConv([cin, 1, hw], x, [cout, cin, 1, 1], wt, {})
        for (let o = 0; o < cout; o++)
          for (let p = 0; p < hw; p++) {
            let s = 0
            for (let i = 0; i < cin; i++) s += wt[o * cin + i]! * x[i * hw + p]!
            expect(out[o * hw + p]).toBe(s)
          }
      }),
      RUNS,
    )
  })

  it('reflect/replicate/circular ≡ padding the input by hand, then a valid conv', () => {
    const modeJob = fc.tuple(convJob, fc.constantFrom<PaddingMode>('reflect', 'replicate', 'circular')).filter(([{ c }, mode]) => {
      const limit = (p: number, n: number) => (mode === 'reflect' ? p < n : mode === 'circular' ? p <= n : true)
      return limit(c.pt, c.h) && limit(c.pb, c.h) && limit(c.pl, c.w) && limit(c.pr, c.w)
    })
    fc.assert(
      fc.property(modeJob, ([{ c, x, wt, bias, params }, mode]) => {
        const ws = [c.cout, c.cin / c.groups, c.kh, c.kw]
        const got = runConv([c.n, c.cin, c.h, c.w], x, ws, wt, { ...params, paddingMode: mode }, bias).out
        const [padded, ph, pw] = padByHand(x, c.n * c.cin, c.h, c.w, c, mode)
        const want = runConv([c.n, c.cin, ph, pw], padded, ws, wt, { ...params, padding: 0 }, bias).out
        expect(got).toEqual(want)
      }),
      RUNS,
    )
  })
})

/** F.pad by construction: each row, then each column, extended with slices of itself. */
function padLine(line: number[], before: number, after: number, mode: PaddingMode): number[] {
  const n = line.length
  if (mode === 'reflect') return [...line.slice(1, before + 1).reverse(), ...line, ...line.slice(n - 1 - after, n - 1).reverse()]
  if (mode === 'replicate') return [...Array(before).fill(line[0]), ...line, ...Array(after).fill(line[n - 1])]
  return [...line.slice(n - before), ...line, ...line.slice(0, after)]
}

function padByHand(x: Float32Array, planes: number, h: number, w: number, p: { pt: number; pb: number; pl: number; pr: number }, mode: PaddingMode): [Float32Array, number, number] {
  const ph = h + p.pt + p.pb
  const pw = w + p.pl + p.pr
  const out: number[] = []
  for (let q = 0; q < planes; q++) {
    const rows = Array.from({ length: h }, (_, y) => padLine(Array.from(x.subarray((q * h + y) * w, (q * h + y + 1) * w)), p.pl, p.pr, mode))
    const cols = Array.from({ length: pw }, (_, cx) => padLine(rows.map((r) => r[cx]!), p.pt, p.pb, mode))
    for (let y = 0; y < ph; y++) for (let cx = 0; cx < pw; cx++) out.push(cols[cx]![y]!)
  }
  return [Float32Array.from(out), ph, pw]
}

const poolJob = poolJobs({ size: 9, kernel: 4, stride: 4, dilation: 2, pad: 3 })
  // a dilated window may miss every real cell; the naive oracle leaves that corner to pool2d.test.ts
  .filter((j) => j.dh === 1 && j.dw === 1 ? true : j.h >= j.kh * j.dh && j.w >= j.kw * j.dw)

describe('pool2d properties', () => {
  it('matches the naive definition (max with indices, avg divisors, lp, ceil mode, dilation)', () => {
    fc.assert(
      fc.property(poolJob, (j) => {
        const x = ints(j.planes * j.h * j.w, j.seed)
        const g = resolvePool2d([j.planes, j.h, j.w], j.params)
        const r = pool2d(g, x)
        const want = naivePool({ ...j }, x)
        expect([...g.outputShape]).toEqual(want.shape)
        expect(r.output.length).toBe(want.data.length)
        want.data.forEach((v, i) => expect(r.output[i]).toBeCloseTo(v, 4))
        if (j.mode === 'max') expect(Array.from(r.indices!)).toEqual(want.indices)
      }),
      RUNS,
    )
  })

  it('global pool ≡ a window pool with kernel = the input plane', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }),
        fc.constantFrom<'max' | 'avg' | 'lp'>('max', 'avg', 'lp'), fc.integer({ min: 1, max: 1 << 30 }),
        (c, h, w, mode, seed) => {
          const x = ints(c * h * w, seed)
          const global = pool2d(resolvePool2d([c, h, w], { mode, global: true }), x)
          const window = pool2d(resolvePool2d([c, h, w], { mode, kernelSize: [h, w] }), x)
          expect(Array.from(global.output)).toEqual(Array.from(window.output))
        },
      ),
      RUNS,
    )
  })
})
