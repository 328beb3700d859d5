import { describe, expect, it } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { resolveConv2d } from '../../src/core/geometry.js'
import { conv } from './util.js'

describe('padding modes on a concrete row (F.pad semantics)', () => {
  const x = [[1, 2, 3]]
  const id = [[1]]
  it('reflect mirrors without repeating the edge', () => {
    expect(conv(x, id, { padding: [0, 2], paddingMode: 'reflect' })).toEqual([[3, 2, 1, 2, 3, 2, 1]])
  })
  it('replicate repeats the edge', () => {
    expect(conv(x, id, { padding: [0, 2], paddingMode: 'replicate' })).toEqual([[1, 1, 1, 2, 3, 3, 3]])
  })
  it('circular wraps, up to one full input', () => {
    expect(conv(x, id, { padding: [0, 2], paddingMode: 'circular' })).toEqual([[2, 3, 1, 2, 3, 1, 2]])
    expect(conv(x, id, { padding: [0, 3], paddingMode: 'circular' })).toEqual([[1, 2, 3, 1, 2, 3, 1, 2, 3]])
  })
  it('zeros pads with 0; in 2-D all four sides (asymmetric)', () => {
    expect(conv(x, id, { padding: { top: 1, bottom: 0, left: 0, right: 1 } })).toEqual([[0, 0, 0, 0], [1, 2, 3, 0]])
    expect(conv([[1, 2], [3, 4]], id, { padding: 1, paddingMode: 'reflect' })).toEqual([
      [4, 3, 4, 3],
      [2, 1, 2, 1],
      [4, 3, 4, 3],
      [2, 1, 2, 1],
    ])
  })
})

describe('conv2d details', () => {
  it('bias is added once per output element', () => {
    expect(conv([[1, 2], [3, 4]], [[[[1]]], [[[2]]]], {}, [10, -1])).toEqual([[[11, 12], [13, 14]], [[1, 3], [5, 7]]])
  })
  it('depthwise (groups = Cin) keeps channels apart', () => {
    const x = [[[1, 2], [3, 4]], [[10, 20], [30, 40]]]
    expect(conv(x, [[[[1, 1], [1, 1]]], [[[0, 0], [0, 1]]]], { groups: 2 })).toEqual([[[10]], [[40]]])
  })
  it('NaN and ±∞ in the input propagate as in IEEE arithmetic (0·NaN = NaN)', () => {
    const g = resolveConv2d([1, 2], [1, 1], undefined, {})
    expect(Array.from(conv2d(g, Float32Array.from([NaN, Infinity]), Float32Array.from([0])))).toEqual([NaN, NaN])
  })
  it('float32 inputs are summed in float64 and rounded once', () => {
    const g = resolveConv2d([1, 3], [1, 3], undefined, {})
    // 2^24 + 1 − 2^24 loses the 1 in float32 step by step, not when summed in float64 first
    const out = conv2d(g, Float32Array.from([16777216, 1, -16777216]), Float32Array.from([1, 1, 1]))
    expect(out[0]).toBe(1)
  })
  it('rejects data whose length does not match the geometry', () => {
    const g = resolveConv2d([3, 3], [2, 2], [1], {})
    expect(() => conv2d(g, new Float32Array(8), new Float32Array(4), new Float32Array(1))).toThrow(RangeError)
    expect(() => conv2d(g, new Float32Array(9), new Float32Array(4))).toThrow(/bias/)
  })
})
