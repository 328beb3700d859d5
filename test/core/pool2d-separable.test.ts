import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { resolvePool2d } from '../../src/core/geometry.js'
import type { Pool2dParams } from '../../src/core/params.js'
import { prefersSeparable, pool2d } from '../../src/core/pool2d.js'
import { poolTaps } from '../../src/core/pool-ranges.js'
import { separableReads } from '../../src/core/pool2d-separable.js'
import { ints } from './naive.js'
import { poolJobs } from './pool-jobs.js'

/**
 * The separable passes (core/pool2d-separable.ts) against the direct loops on the same geometry:
 * max values and indices bit for bit, avg and lp within one float32 ulp (the same float64 terms
 * summed in another order). The data are small integers, so windows hold ties, with NaN and ±∞
 * dropped in, so the first-maximum and last-NaN rules are exercised.
 */
const RUNS = { numRuns: 150 }

const ulpApart = (a: number, b: number): boolean => {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return true
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false
  const words = new Int32Array(new Float32Array([a, b]).buffer)
  return Math.sign(a) === Math.sign(b) && Math.abs(words[0]! - words[1]!) <= 1
}

const specials = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]

function data(count: number, seed: number, sprinkle: number): Float32Array {
  const x = ints(count, seed)
  for (let i = 0; i < sprinkle && count > 0; i++) x[(seed >>> (i % 7)) % count] = specials[(seed + i) % 3]!
  return x
}

const windowJob = fc.tuple(poolJobs({ size: 14, kernel: 7, stride: 3, dilation: 3, pad: 4 }), fc.nat(3)).map(([j, sprinkle]) => ({ ...j, sprinkle }))

const adaptiveJob = fc.record({
  planes: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 1, max: 16 }),
  w: fc.integer({ min: 1, max: 16 }),
  oh: fc.integer({ min: 1, max: 9 }),
  ow: fc.integer({ min: 1, max: 9 }),
  mode: fc.constantFrom<'max' | 'avg'>('max', 'avg'),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
  sprinkle: fc.nat(3),
})

function expectSameResults(shape: number[], params: Pool2dParams, seed: number, sprinkle: number): void {
  const g = resolvePool2d(shape, params)
  const x = data(g.inputShape.reduce((a, b) => a * b, 1), seed, sprinkle)
  const direct = pool2d(g, x, 'direct')
  const separable = pool2d(g, x, 'separable')
  expect(separable.output.length).toBe(direct.output.length)
  if (g.mode === 'max') {
    expect(Array.from(separable.output)).toEqual(Array.from(direct.output))
    if (g.returnIndices) expect(Array.from(separable.indices!)).toEqual(Array.from(direct.indices!))
    return
  }
  const apart = Array.from(direct.output).flatMap((v, i) => (ulpApart(v, separable.output[i]!) ? [] : [`[${i}] ${v} vs ${separable.output[i]}`]))
  expect(apart).toEqual([])
}

describe('pool2d: the separable passes give the direct loops\' results', () => {
  it('window pools: max (values and indices), avg (every divisor rule), lp; stride, dilation, per-side padding, ceilMode', () => {
    fc.assert(
      fc.property(windowJob, (j) => expectSameResults([j.planes, j.h, j.w], j.params, j.seed, j.sprinkle)),
      RUNS,
    )
  })

  it('adaptive pools (PyTorch bins, overlapping when the output is larger than the input)', () => {
    fc.assert(
      fc.property(adaptiveJob, (j) =>
        expectSameResults([j.planes, j.h, j.w], { mode: j.mode, outputSize: [j.oh, j.ow], ...(j.mode === 'max' ? { returnIndices: true } : {}) }, j.seed, j.sprinkle),
      ),
      RUNS,
    )
  })

  it('x=[1,1,40,40] k=31 s=1 p=15: avg, max with indices and lp agree', () => {
    for (const mode of ['avg', 'max', 'lp'] as const) {
      expectSameResults([1, 1, 40, 40], { mode, kernelSize: 31, stride: 1, padding: 15, ...(mode === 'max' ? { returnIndices: true } : {}) }, 7, 2)
    }
  })

  it('an all −∞ window reports its first tap inside the input, as the direct loop', () => {
    const g = resolvePool2d([1, 3, 3], { mode: 'max', kernelSize: 3, stride: 1, padding: 1, returnIndices: true })
    const x = new Float32Array(9).fill(Number.NEGATIVE_INFINITY)
    const s = pool2d(g, x, 'separable')
    expect(Array.from(s.indices!)).toEqual([0, 0, 1, 0, 0, 1, 3, 3, 4])
    expect(Array.from(s.indices!)).toEqual(Array.from(pool2d(g, x, 'direct').indices!))
  })
})

describe('pool2d: which way auto takes', () => {
  const choice = (shape: number[], params: Pool2dParams) => {
    const g = resolvePool2d(shape, params)
    const { rows, cols } = poolTaps(g)
    return prefersSeparable(g, separableReads(g.inH, rows, cols, g.outW)) ? 'separable' : 'direct'
  }

  it.each(([
    ['x=[1,64,112,112] max k=2 s=2', [1, 64, 112, 112], { mode: 'max', kernelSize: 2, stride: 2 }, 'direct'],
    ['x=[1,64,112,112] max k=3 s=2 p=1', [1, 64, 112, 112], { mode: 'max', kernelSize: 3, stride: 2, padding: 1 }, 'direct'],
    ['x=[1,64,112,112] avg k=3 s=1 p=1', [1, 64, 112, 112], { mode: 'avg', kernelSize: 3, stride: 1, padding: 1 }, 'direct'],
    ['x=[1,16,112,112] avg k=5 s=1 p=2', [1, 16, 112, 112], { mode: 'avg', kernelSize: 5, stride: 1, padding: 2 }, 'separable'],
    ['x=[1,16,112,112] max k=7 s=1 p=3', [1, 16, 112, 112], { mode: 'max', kernelSize: 7, stride: 1, padding: 3 }, 'separable'],
    ['x=[1,16,112,112] lp p=2 k=3 s=1', [1, 16, 112, 112], { mode: 'lp', p: 2, kernelSize: 3, stride: 1 }, 'separable'],
    ['x=[1,16,112,112] lp p=2 k=2 s=2', [1, 16, 112, 112], { mode: 'lp', p: 2, kernelSize: 2, stride: 2 }, 'direct'],
    ['x=[1,64,224,224] adaptive avg out=7 (32×32 tiles)', [1, 64, 224, 224], { mode: 'avg', outputSize: 7 }, 'direct'],
    ['x=[1,1,512,512] avg k=63 s=1 p=31', [1, 1, 512, 512], { mode: 'avg', kernelSize: 63, stride: 1, padding: 31 }, 'separable'],
  ] as [string, number[], Pool2dParams, string][]).map(([name, shape, params, want]) => ({ name, shape, params, want })))(
    '$name → $want',
    ({ shape, params, want }) => {
      expect(choice(shape, params)).toBe(want)
    },
  )
})
