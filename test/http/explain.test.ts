import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, startApp } from '../helpers/app.js'
import { parseXml } from '../figures/xml.js'
import { K, X, plus1 } from '../helpers/textbook.js'


let app: FastifyInstance
beforeAll(async () => {
  app = await startApp()
})
afterAll(async () => {
  await app.close()
})

describe('explain mode over HTTP', () => {
  it('the textbook cross-correlation: one worked sum per output element, in the book\'s notation', async () => {
    const res = await post(app, '/conv2d', { input: X, kernel: K, explain: true })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.output).toEqual([[19, 25], [37, 43]])
    expect(body.explain[0]).toEqual({
      index: [0, 0],
      window: { rows: [0, 1], cols: [0, 1] },
      terms: '0×0 + 1×1 + 3×2 + 4×3',
      value: 19,
      text: '0×0 + 1×1 + 3×2 + 4×3 = 19',
    })
    expect(body.explain.map((e: { text: string }) => e.text)).toEqual([
      '0×0 + 1×1 + 3×2 + 4×3 = 19',
      '1×0 + 2×1 + 4×2 + 5×3 = 25',
      '3×0 + 4×1 + 6×2 + 7×3 = 37',
      '4×0 + 5×1 + 7×2 + 8×3 = 43',
    ])
  })

  it('two input channels: one bracket per channel, = 56', async () => {
    const res = await post(app, '/conv2d', { input: [X, plus1(X)], kernel: [K, plus1(K)], explain: true })
    expect(res.json().explain[0].text).toBe('(1×1 + 2×2 + 4×3 + 5×4) + (0×0 + 1×1 + 3×2 + 4×3) = 56')
  })

  it('pooling: max(0, 1, 3, 4) = 4', async () => {
    const res = await post(app, '/pool', { input: X, kernelSize: 2, stride: 1, explain: true })
    expect(res.json().explain[0].text).toBe('max(0, 1, 3, 4) = 4')
  })

  it('explain works with base64 tensors too (the values are the computed ones)', async () => {
    const res = await post(app, '/conv2d', {
      input: { shape: [3, 3], dtype: 'float32', base64: 'AAAAAAAAgD8AAABAAABAQAAAgEAAAKBAAADAQAAA4EAAAABB' },
      kernel: K,
      explain: true,
    })
    expect(res.json().explain.map((e: { value: number }) => e.value)).toEqual([19, 25, 37, 43])
  })
})

describe('SVG figures over HTTP (Accept: image/svg+xml)', () => {
  const svg = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers: { accept: 'image/svg+xml' } })

  it('draws the textbook example as a well-formed, self-contained SVG whose cells carry the values', async () => {
    const res = await svg('/conv2d', { input: X, kernel: K })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/)
    expect(parseXml(res.body).name).toBe('svg')
    expect(res.body).toMatch(/^(<\?xml[^>]*>\s*)?<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(res.body).not.toMatch(/<script|@import|url\(http|href="http/)
    for (const v of [19, 25, 37, 43]) expect(res.body).toContain(`data-value="${v}"`)
    expect(res.body).toContain('0×0 + 1×1 + 3×2 + 4×3 = 19')
  })

  it('?highlight=1,1 draws the window of output [1,1] and its sum = 43', async () => {
    const res = await app.inject({ method: 'POST', url: '/conv2d?highlight=1,1', payload: { input: X, kernel: K }, headers: { accept: 'image/svg+xml' } })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('4×0 + 5×1 + 7×2 + 8×3 = 43')
  })

  it('a highlight outside the output is a 400 naming the numbers', async () => {
    const res = await app.inject({ method: 'POST', url: '/conv2d?highlight=5,0', payload: { input: X, kernel: K }, headers: { accept: 'image/svg+xml' } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'INVALID_PARAMETER' })
    expect(res.json().message).toMatch(/5,0.*2×2/)
  })

  it('planes over 16×16 are a 400 that says the limit', async () => {
    const big = { shape: [20, 20], data: new Array(400).fill(1) }
    const res = await svg('/conv2d', { input: big, kernel: K })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/16×16.*20×20/)
  })

  // content negotiation (http/figure.ts): the Accept header's weights decide, a tie is JSON
  it.each([
    ['image/svg+xml', 'svg'],
    ['IMAGE/SVG+XML', 'svg'],
    ['image/*', 'svg'],
    ['application/json;q=0.5, image/svg+xml', 'svg'],
    ['image/svg+xml;q=0.5, application/json', 'json'],
    ['image/svg+xml;q=0, */*', 'json'],
    ['image/png', 'json'],
    ['*/*', 'json'],
    ['application/xml', 'json'],
  ])('Accept: %s → %s', async (accept, expected) => {
    const res = await app.inject({ method: 'POST', url: '/conv2d', payload: { input: X, kernel: K }, headers: { accept } })
    expect(res.statusCode, res.body).toBe(200)
    if (expected === 'svg') {
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/)
      expect(res.body).toContain('0×0 + 1×1 + 3×2 + 4×3 = 19')
    } else {
      expect(res.headers['content-type']).toMatch(/^application\/json/)
      expect(res.json()).toEqual({ output: [[19, 25], [37, 43]] })
    }
  })

  it('draws a pooling job', async () => {
    const res = await svg('/pool', { input: X, mode: 'avg', kernelSize: 2, stride: 1 })
    expect(res.statusCode).toBe(200)
    expect(parseXml(res.body).name).toBe('svg')
    for (const v of [2, 3, 5, 6]) expect(res.body).toContain(`data-value="${v}"`)
  })
})
