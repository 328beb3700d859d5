import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, startApp } from '../helpers/app.js'
import { K, X, plus1 } from '../helpers/textbook.js'

// Dive into Deep Learning, ch. 6 (Convolutional Neural Networks): the book's worked numbers over HTTP.

let app: FastifyInstance
beforeAll(async () => {
  app = await startApp()
})
afterAll(async () => {
  await app.close()
})

describe('textbook over HTTP (D2L ch. 6)', () => {
  it('6.2 cross-correlation X[3,3] ★ K[2,2] → [[19,25],[37,43]] (kernel alias, nested in and out)', async () => {
    const res = await post(app, '/conv2d', { input: X, kernel: K })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ output: [[19, 25], [37, 43]] })
    // the textbook job runs inline: it never leaves the main thread, so its hop is exactly 0
    expect(res.headers['server-timing']).toMatch(/^queue;dur=[\d.]+, compute;dur=[\d.]+;desc="\w+", codec;dur=[\d.]+, hop;dur=0\.000, total;dur=[\d.]+$/)
  })

  it('6.3 stride (3,2) with padding 1 → [[0,8],[6,8]]', async () => {
    const res = await post(app, '/conv2d', { input: X, weight: K, padding: 1, stride: [3, 2] })
    expect(res.json()).toEqual({ output: [[0, 8], [6, 8]] })
  })

  it('6.4 two input channels X[2,3,3] ★ K[2,2,2] → [[56,72],[104,120]]', async () => {
    const res = await post(app, '/conv2d', { input: [X, plus1(X)], kernel: [K, plus1(K)] })
    expect(res.json()).toEqual({ output: [[56, 72], [104, 120]] })
  })

  it('6.4 three output channels X[2,3,3] ★ K[3,2,2,2] → [3,2,2]', async () => {
    const k2 = [K, plus1(K)]
    const stack = [k2, k2.map(plus1), k2.map((m) => plus1(plus1(m)))]
    const res = await post(app, '/conv2d', { input: [X, plus1(X)], kernel: stack })
    expect(res.json()).toEqual({
      output: [
        [[56, 72], [104, 120]],
        [[76, 100], [148, 172]],
        [[96, 128], [192, 224]],
      ],
    })
  })

  it('6.5 max pooling 2×2 stride 1 → [[4,5],[7,8]]; avg → [[2,3],[5,6]]', async () => {
    expect((await post(app, '/pool', { input: X, kernelSize: 2, stride: 1 })).json()).toEqual({ output: [[4, 5], [7, 8]] })
    expect((await post(app, '/pool', { input: X, mode: 'avg', kernelSize: 2, stride: 1 })).json()).toEqual({ output: [[2, 3], [5, 6]] })
  })

  it('6.2 edge detection: K=[[1,−1]] marks the 1→0 and 0→1 edges', async () => {
    const img = Array.from({ length: 6 }, () => [1, 1, 0, 0, 0, 0, 1, 1])
    const res = await post(app, '/conv2d', { input: img, kernel: [[1, -1]] })
    expect(res.json().output).toEqual(Array.from({ length: 6 }, () => [0, 1, 0, 0, 0, -1, 0]))
  })

  it('6.3 /shape: X 8×8, k 3, padding 1, stride 2 → [4,4], ⌊(8 − 3 + 2 + 2) / 2⌋ = 4', async () => {
    const res = await post(app, '/shape', { op: 'conv2d', inputShape: [8, 8], weightShape: [3, 3], padding: 1, stride: 2 })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      outputShape: [4, 4],
      padding: { top: 1, bottom: 1, left: 1, right: 1 },
      formula: { h: '⌊(8 − 3 + 2 + 2) / 2⌋ = 4', w: '⌊(8 − 3 + 2 + 2) / 2⌋ = 4' },
    })
  })

  it('6.3 /shape: X 8×8, k (3,5), padding (0,1), stride (3,4) → [2,2]', async () => {
    const res = await post(app, '/shape', { op: 'conv2d', inputShape: [8, 8], weightShape: [3, 5], padding: [0, 1], stride: [3, 4] })
    expect(res.json()).toMatchObject({
      outputShape: [2, 2],
      formula: { h: '⌊(8 − 3 + 0 + 3) / 3⌋ = 2', w: '⌊(8 − 5 + 2 + 4) / 4⌋ = 2' },
    })
  })

  it('6.3 /shape textbook stride example: 3×3, k 2×2, pad 1, stride (3,2) → [2,2], ⌊(3 − 2 + 2 + 3) / 3⌋ = 2', async () => {
    const res = await post(app, '/shape', { op: 'conv2d', inputShape: [3, 3], weightShape: [2, 2], padding: 1, stride: [3, 2] })
    const body = res.json()
    expect(body).toMatchObject({ outputShape: [2, 2], formula: { h: '⌊(3 − 2 + 2 + 3) / 3⌋ = 2', w: '⌊(3 − 2 + 2 + 2) / 2⌋ = 2' } })
    expect(body.flops).toBe(2 * 2 * 2 * 4)
  })

  it('6.1 /shape: 3×3 ★ 2×2 → [2,2] and 16 multiply-adds (32 FLOPs)', async () => {
    const res = await post(app, '/shape', { op: 'conv2d', inputShape: [3, 3], weightShape: [2, 2] })
    expect(res.json()).toMatchObject({ outputShape: [2, 2], flops: 32, formula: { h: '⌊(3 − 2 + 0 + 1) / 1⌋ = 2' } })
  })

  it('6.5 /shape for a pool: 4×4, k 3, pad 1, stride 2 → [2,2]', async () => {
    const res = await post(app, '/shape', { op: 'pool', inputShape: [1, 1, 4, 4], kernelSize: 3, stride: 2, padding: 1 })
    expect(res.json()).toMatchObject({ outputShape: [1, 1, 2, 2], formula: { h: '⌊(4 − 3 + 2 + 2) / 2⌋ = 2' } })
  })
})
