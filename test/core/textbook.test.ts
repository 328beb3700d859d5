import { describe, expect, it } from 'vitest'
import { conv, pool, type Nested } from './util.js'

// D2L ch. 6 (Convolutional Neural Networks), the worked examples with the book's numbers, written in
// the textbook's rank shorthand ([H,W], [C,H,W]) as a client would send them.
const X = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
const K = [[0, 1], [2, 3]]
const X2 = [X, [[1, 2, 3], [4, 5, 6], [7, 8, 9]]]
const K2 = [K, [[1, 2], [3, 4]]]
const plus = (t: Nested, c: number): Nested => (Array.isArray(t) ? t.map((v) => plus(v, c)) : t + c)

describe('6.2 convolutions for images', () => {
  it('corr2d(X, K) = [[19,25],[37,43]] (X[3,3] ★ K[2,2] → [2,2])', () => {
    expect(conv(X, K)).toEqual([[19, 25], [37, 43]])
  })

  it('edge detection: X = 6×8 ones with columns 2..5 zero, K = [[1,−1]] → 1 at the white→black edge, −1 at black→white', () => {
    const edges = Array.from({ length: 6 }, () => [1, 1, 0, 0, 0, 0, 1, 1])
    const row = [0, 1, 0, 0, 0, -1, 0]
    expect(conv(edges, [[1, -1]])).toEqual(Array.from({ length: 6 }, () => row))
  })

  it('edge detection on X.T: the horizontal kernel sees no vertical edges → all zeros', () => {
    const xt = [1, 1, 0, 0, 0, 0, 1, 1].map((v) => Array.from({ length: 6 }, () => v))
    expect(conv(xt, [[1, -1]])).toEqual(Array.from({ length: 8 }, () => [0, 0, 0, 0, 0]))
  })

  it('flipKernel gives the mathematical convolution: X ∗ K = corr2d(X, K rotated 180°) = [[5,11],[23,29]]', () => {
    expect(conv(X, K, { flipKernel: true })).toEqual([[5, 11], [23, 29]])
    expect(conv(X, [[3, 2], [1, 0]])).toEqual([[5, 11], [23, 29]])
  })
})

describe('6.3 padding and stride', () => {
  it('padding 1 on X[3,3] with K[2,2] → 4×4 (n − k + p + 1 = 3 − 2 + 2 + 1)', () => {
    expect(conv(X, K, { padding: 1 })).toEqual([
      [0, 3, 8, 4],
      [9, 19, 25, 10],
      [21, 37, 43, 16],
      [6, 7, 8, 0],
    ])
  })

  it('8×8 input, 3×3 kernel, padding 1 keeps the shape 8×8', () => {
    const x = Array.from({ length: 8 }, () => Array.from({ length: 8 }, () => 1))
    const y = conv(x, [[1, 1, 1], [1, 1, 1], [1, 1, 1]], { padding: 1 }) as number[][]
    expect([y.length, y[0]!.length]).toEqual([8, 8])
    expect(y[0]![0]).toBe(4) // corner sees 4 real cells
    expect(y[3]![3]).toBe(9)
  })

  it('stride (3,2) with padding 1 on X → [[0,8],[6,8]]', () => {
    expect(conv(X, K, { padding: 1, stride: [3, 2] })).toEqual([[0, 8], [6, 8]])
  })
})

describe('6.4 multiple input and output channels', () => {
  it('two input channels summed: X[2,3,3] ★ K[2,2,2] → [[56,72],[104,120]]', () => {
    expect(conv(X2, K2)).toEqual([[56, 72], [104, 120]])
  })

  it('three output channels K, K+1, K+2: X[2,3,3] ★ K[3,2,2,2] → [3,2,2]', () => {
    const K3 = [K2, plus(K2, 1), plus(K2, 2)]
    expect(conv(X2, K3)).toEqual([
      [[56, 72], [104, 120]],
      [[76, 100], [148, 172]],
      [[96, 128], [192, 224]],
    ])
  })

  it('1×1 convolution ≡ matrix product over channels (corr2d_multi_in_out_1x1)', () => {
    const x = Array.from({ length: 3 }, (_, c) => Array.from({ length: 3 }, (_, i) => [0, 1, 2].map((j) => c * 9 + i * 3 + j - 13)))
    const w = [[1, 0, -1], [0.5, 0.25, -2]]
    const y = conv(x, w.map((row) => row.map((v) => [[v]]))) as number[][][]
    for (let o = 0; o < 2; o++) {
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const want = w[o]!.reduce((s, wv, c) => s + wv * x[c]![i]![j]!, 0)
          expect(y[o]![i]![j]).toBe(want)
        }
      }
    }
  })
})

describe('6.5 pooling', () => {
  it('2×2 max pooling (stride 1) on X → [[4,5],[7,8]]', () => {
    expect(pool(X, { mode: 'max', kernelSize: 2, stride: 1 }).output).toEqual([[4, 5], [7, 8]])
  })

  it('2×2 average pooling (stride 1) on X → [[2,3],[5,6]]', () => {
    expect(pool(X, { mode: 'avg', kernelSize: 2, stride: 1 }).output).toEqual([[2, 3], [5, 6]])
  })

  const X16 = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => i * 4 + j))
  it('MaxPool2d(3) on arange(16) 4×4: stride defaults to the kernel → [[10]]', () => {
    expect(pool([X16], { kernelSize: 3 }).output).toEqual([[[10]]])
  })

  it('MaxPool2d(3, padding=1, stride=2) → [[5,7],[13,15]]', () => {
    expect(pool(X16, { kernelSize: 3, padding: 1, stride: 2 }).output).toEqual([[5, 7], [13, 15]])
  })

  it('MaxPool2d((2,3), stride=(2,3), padding=(0,1)) → [[5,7],[13,15]]', () => {
    expect(pool(X16, { kernelSize: [2, 3], padding: [0, 1], stride: [2, 3] }).output).toEqual([[5, 7], [13, 15]])
  })

  it('pooling keeps channels apart: cat(X, X+1) → [[5,7],[13,15]] and [[6,8],[14,16]]', () => {
    expect(pool([X16, plus(X16, 1)], { kernelSize: 3, padding: 1, stride: 2 }).output).toEqual([
      [[5, 7], [13, 15]],
      [[6, 8], [14, 16]],
    ])
  })
})
