import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, startApp, toBase64 } from '../helpers/app.js'
import { K, X } from '../helpers/textbook.js'


let app: FastifyInstance
beforeAll(async () => {
  app = await startApp({ maxElements: 10_000, maxFlops: 1_000_000, bodyLimit: 200_000 })
})
afterAll(async () => {
  await app.close()
})

interface Bad {
  name: string
  url?: string
  body: unknown
  raw?: string
  contentType?: string
  status: number
  code: string
  /** every fragment must appear in the message (the field and the numbers) */
  says: (string | RegExp)[]
}

const cases: Bad[] = [
  { name: 'malformed JSON', raw: '{"input": [[1,2],', body: null, status: 400, code: 'INVALID_JSON', says: ['not valid JSON'] },
  { name: 'empty body', raw: '', body: null, status: 400, code: 'INVALID_JSON', says: ['empty'] },
  { name: 'body is an array', body: [1, 2], status: 400, code: 'INVALID_BODY', says: ['JSON object'] },
  { name: 'ragged nested input', body: { input: [[1, 2, 3], [4, 5]], kernel: K }, status: 400, code: 'RAGGED_TENSOR', says: ['input[1]', '2 elements', '3'] },
  { name: 'ragged deeper', body: { input: [[[1, 2], [3, 4]], [[5, 6], [7]]], kernel: [K, K] }, status: 400, code: 'RAGGED_TENSOR', says: ['input[1][1]'] },
  { name: 'number where a row was expected', body: { input: [[1, 2], 3], kernel: K }, status: 400, code: 'RAGGED_TENSOR', says: ['input[1]'] },
  { name: 'rank 5 nested input', body: { input: [[[[[1]]]]], kernel: K }, status: 400, code: 'INVALID_RANK|INVALID_TENSOR', says: ['input', 'rank'] },
  { name: 'rank 5 flat shape', body: { input: { shape: [1, 1, 1, 1, 1], data: [1] }, kernel: K }, status: 400, code: 'INVALID_TENSOR', says: ['input', '4'] },
  { name: 'deep nesting (10,000 levels)', raw: `{"input":${'['.repeat(10_000)}1${']'.repeat(10_000)},"kernel":[[1]]}`, body: null, status: 400, code: 'INVALID_BODY', says: ['deeper than 8'] },
  { name: 'unknown field', body: { input: X, kernel: K, strides: 2 }, status: 400, code: 'UNKNOWN_FIELD', says: ['strides'] },
  { name: 'unknown field inside a tensor', body: { input: { shape: [3, 3], data: X.flat(), extra: 1 }, kernel: K }, status: 400, code: 'UNKNOWN_FIELD', says: ['extra'] },
  { name: 'string number (no coercion)', body: { input: X, kernel: K, stride: '2' }, status: 400, code: 'INVALID_BODY', says: ['stride', '"2"'] },
  { name: 'string inside a tensor', body: { input: [[1, '2'], [3, 4]], kernel: K }, status: 400, code: 'INVALID_TENSOR', says: ['input[0][1]', '"2"'] },
  { name: 'zero stride', body: { input: X, kernel: K, stride: 0 }, status: 400, code: 'INVALID_BODY', says: ['stride'] },
  { name: 'negative padding', body: { input: X, kernel: K, padding: -1 }, status: 400, code: 'INVALID_BODY', says: ['padding', '-1'] },
  { name: 'negative shape dimension', body: { input: { shape: [3, -3], data: [] }, kernel: K }, status: 400, code: 'INVALID_TENSOR', says: ['input'] },
  { name: 'zero-size dimension', body: { input: { shape: [3, 0], data: [] }, kernel: K }, status: 400, code: /INVALID_|OUTPUT_EMPTY|KERNEL_TOO_LARGE/.source, says: ['input'] },
  { name: 'flat data length ≠ shape product', body: { input: { shape: [3, 3], data: [1, 2, 3] }, kernel: K }, status: 400, code: 'SHAPE_MISMATCH', says: ['input.data', '3 values', '9'] },
  { name: 'base64 byte length ≠ 4 × elements', body: { input: { shape: [3, 3], dtype: 'float32', base64: toBase64([1, 2, 3]) }, kernel: K }, status: 400, code: 'SHAPE_MISMATCH', says: ['input.base64', '12 bytes', '36'] },
  { name: 'base64 not base64', body: { input: { shape: [3, 3], base64: '!!!!' }, kernel: K }, status: 400, code: 'INVALID_BASE64', says: ['input.base64'] },
  { name: 'base64 of the right length with one bad character', body: { input: { shape: [3, 3], dtype: 'float32', base64: `!${toBase64([0, 1, 2, 3, 4, 5, 6, 7, 8]).slice(1)}` }, kernel: K }, status: 400, code: 'INVALID_BASE64', says: ['input.base64'] },
  { name: 'base64 weight with a URL-safe character', body: { input: X, weight: { shape: [2, 2], dtype: 'float32', base64: `${toBase64([0, 1, 2, 3]).slice(0, -4)}-A==` } }, status: 400, code: 'INVALID_BASE64', says: ['weight.base64'] },
  { name: 'base64 wrong dtype', body: { input: { shape: [1], dtype: 'float64', base64: 'AAAAAA==' }, kernel: K }, status: 400, code: 'INVALID_TENSOR', says: ['input'] },
  { name: 'float32 overflow 1e39', body: { input: [[1e39, 0], [0, 0]], kernel: K }, status: 400, code: 'NON_FINITE', says: ['input[0][0]', 'float32'] },
  { name: 'kernel larger than input', body: { input: X, kernel: [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]] }, status: 400, code: 'KERNEL_TOO_LARGE', says: ['4', '3'] },
  { name: 'weight channels ≠ input channels', body: { input: [X, X], kernel: [K, K, K] }, status: 400, code: 'CHANNEL_MISMATCH', says: ['3', '2'] },
  { name: 'groups not dividing channels', body: { input: { shape: [1, 3, 3, 3], data: Array(27).fill(1) }, weight: { shape: [2, 1, 2, 2], data: Array(8).fill(1) }, groups: 2 }, status: 400, code: 'GROUPS_MISMATCH', says: ['groups', '3'] },
  { name: 'bias length ≠ Cout', body: { input: X, kernel: K, bias: [1, 2] }, status: 400, code: 'BIAS_MISMATCH', says: ['bias', '2', '1'] },
  { name: 'bad padding word', body: { input: X, kernel: K, padding: 'full' }, status: 400, code: 'INVALID_BODY', says: ['padding', '"full"'] },
  { name: 'bad padding mode', body: { input: X, kernel: K, paddingMode: 'mirror' }, status: 400, code: 'INVALID_BODY', says: ['paddingMode', '"mirror"'] },
  { name: 'reflect padding ≥ input', body: { input: X, kernel: K, padding: 3, paddingMode: 'reflect' }, status: 400, code: 'PADDING_TOO_LARGE', says: ['3'] },
  { name: 'padding pair of three', body: { input: X, kernel: K, padding: [1, 1, 1] }, status: 400, code: 'INVALID_BODY', says: ['padding'] },
  { name: 'missing weight', body: { input: X }, status: 400, code: 'MISSING_FIELD', says: ['weight'] },
  { name: 'weight and kernel both', body: { input: X, weight: K, kernel: K }, status: 400, code: 'INVALID_BODY', says: ['weight', 'kernel'] },
  { name: 'missing input', body: { kernel: K }, status: 400, code: 'MISSING_FIELD', says: ['input'] },
  { name: 'NaN cannot be sent as JSON', raw: '{"input":[[NaN,1],[1,1]],"kernel":[[1]]}', body: null, status: 400, code: 'INVALID_JSON', says: ['JSON'] },
  { name: 'prototype poisoning', raw: '{"input":[[1]],"kernel":[[1]],"__proto__":{"polluted":true}}', body: null, status: 400, code: 'FORBIDDEN_PROPERTY', says: ['__proto__'] },
  { name: 'constructor.prototype poisoning', raw: '{"input":[[1]],"kernel":[[1]],"constructor":{"prototype":{"polluted":true}}}', body: null, status: 400, code: 'FORBIDDEN_PROPERTY', says: ['constructor'] },
  { name: 'pool: returnIndices with avg', url: '/pool', body: { input: X, mode: 'avg', kernelSize: 2, returnIndices: true }, status: 400, code: 'INVALID_PARAMETER', says: ['returnIndices'] },
  { name: 'pool: padding not smaller than the kernel extent', url: '/pool', body: { input: X, kernelSize: 2, padding: 2 }, status: 400, code: 'PADDING_TOO_LARGE', says: ['2'] },
  { name: 'pool: missing kernelSize', url: '/pool', body: { input: X }, status: 400, code: 'INVALID_PARAMETER', says: ['kernelSize'] },
  { name: 'pool: bad mode', url: '/pool', body: { input: X, mode: 'median', kernelSize: 2 }, status: 400, code: 'INVALID_BODY', says: ['mode'] },
  { name: 'pool: p ≤ 0', url: '/pool', body: { input: X, mode: 'lp', p: 0, kernelSize: 2 }, status: 400, code: 'INVALID_BODY', says: ['p'] },
  { name: 'shape: weightShape missing', url: '/shape', body: { op: 'conv2d', inputShape: [3, 3] }, status: 400, code: 'MISSING_FIELD', says: ['weightShape'] },
  { name: 'shape: pool field on conv2d', url: '/shape', body: { op: 'conv2d', inputShape: [3, 3], weightShape: [2, 2], kernelSize: 2 }, status: 400, code: 'UNKNOWN_FIELD', says: ['kernelSize', 'conv2d'] },
  { name: 'shape: unknown op', url: '/shape', body: { op: 'conv3d', inputShape: [3, 3] }, status: 400, code: 'INVALID_BODY', says: ['op'] },
  { name: 'input over MAX_ELEMENTS', body: { input: { shape: [200, 200], data: [] }, kernel: K }, status: 413, code: 'TENSOR_TOO_LARGE', says: ['40000', '10000', 'MAX_ELEMENTS'] },
  { name: 'job over MAX_FLOPS', body: { input: { shape: [1, 16, 20, 20], dtype: 'float32', base64: toBase64(new Array(6400).fill(1)) }, weight: { shape: [16, 16, 3, 3], dtype: 'float32', base64: toBase64(new Array(2304).fill(1)) } }, status: 413, code: 'JOB_TOO_LARGE', says: ['MAX_FLOPS', '1000000'] },
  { name: 'body over BODY_LIMIT', raw: JSON.stringify({ input: new Array(60_000).fill(1.25), kernel: [1] }), body: null, status: 413, code: 'BODY_TOO_LARGE', says: ['200000'] },
  { name: 'explain over 1,024 outputs', body: { input: { shape: [40, 40], data: new Array(1600).fill(0) }, kernel: [[1]], explain: true }, status: 400, code: 'UNSUPPORTED', says: ['1024', '1600'] },
]

describe('bad requests get a coded 4xx naming the field and the numbers', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const res = await app.inject({
        method: 'POST',
        url: c.url ?? '/conv2d',
        headers: { 'content-type': c.contentType ?? 'application/json' },
        payload: c.raw ?? JSON.stringify(c.body),
      })
      expect(res.statusCode, res.body).toBe(c.status)
      const body = res.json()
      expect(Object.keys(body).sort()).toEqual(['code', 'error', 'message', 'statusCode'])
      expect(body.statusCode).toBe(c.status)
      expect(body.code).toMatch(new RegExp(`^(${c.code})$`))
      for (const fragment of c.says) expect(body.message).toMatch(typeof fragment === 'string' ? new RegExp(escape(fragment)) : fragment)
      expect(body.message).not.toMatch(/\/work\/|node_modules|at .*\(.*:\d+:\d+\)/)
    })
  }

  it('415 for a body that is not JSON', async () => {
    const res = await app.inject({ method: 'POST', url: '/conv2d', headers: { 'content-type': 'text/plain' }, payload: 'hello' })
    expect(res.statusCode).toBe(415)
    expect(res.json()).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' })
  })

  it('404 is coded JSON too', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: 'no route GET /nope' })
  })

  it.each([
    ['GET', '/conv2d', 'POST'],
    ['PUT', '/pool', 'POST'],
    ['DELETE', '/shape?x=1', 'POST'],
    ['POST', '/healthz', 'GET, HEAD'],
    ['POST', '/openapi.json', 'GET, HEAD'],
  ] as const)('%s %s is a 405 METHOD_NOT_ALLOWED with Allow: %s', async (method, url, allow) => {
    const res = await app.inject({ method, url })
    expect(res.statusCode).toBe(405)
    expect(res.headers['allow']).toBe(allow)
    const path = url.split('?')[0]
    expect(res.json()).toEqual({ statusCode: 405, error: 'Method Not Allowed', code: 'METHOD_NOT_ALLOWED', message: `${path} takes ${allow.replace(', ', ' or ')}, not ${method}` })
  })

  it.each([
    ['/conv2d', 'POST, OPTIONS'],
    ['/healthz', 'GET, HEAD, OPTIONS'],
  ])('OPTIONS %s is a 204 with Allow: %s', async (url, allow) => {
    const res = await app.inject({ method: 'OPTIONS', url })
    expect(res.statusCode).toBe(204)
    expect(res.headers['allow']).toBe(allow)
    expect(res.body).toBe('')
  })

  it('OPTIONS on a path that is not served is a 404', async () => {
    expect((await app.inject({ method: 'OPTIONS', url: '/nope' })).statusCode).toBe(404)
  })

  it('after every bad request the service still answers the textbook example', async () => {
    const res = await post(app, '/conv2d', { input: X, kernel: K })
    expect(res.json()).toEqual({ output: [[19, 25], [37, 43]] })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

describe('bodies nested deeper than any request', () => {
  it('90,000 levels of [ (just under BODY_LIMIT here) are refused before parsing, and the service keeps answering', async () => {
    const depth = 90_000
    const raw = `{"input":${'['.repeat(depth)}1${']'.repeat(depth)},"kernel":[[1]]}`
    const res = await app.inject({ method: 'POST', url: '/conv2d', headers: { 'content-type': 'application/json' }, payload: raw })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'INVALID_BODY' })
    expect(res.json().message).toMatch(/deeper than 8 levels/)
    expect((await post(app, '/conv2d', { input: X, kernel: K })).json()).toEqual({ output: [[19, 25], [37, 43]] })
  })
})

for (const [label, inlineFlops] of [
  ['decoded on the main thread (inline jobs)', undefined],
  ['decoded on a worker (every job leaves the main thread)', 0],
] as const) {
  describe(`the same catalogue with every string of every body kept as bytes (the large-body path), ${label}`, () => {
    let bytesApp: FastifyInstance
    beforeAll(async () => {
      bytesApp = await startApp({ maxElements: 10_000, maxFlops: 1_000_000, bodyLimit: 200_000, largeBodyBytes: 0, longStringBytes: 1, inlineFlops })
    })
    afterAll(async () => {
      await bytesApp.close()
    })

    it('every bad request gets the same status, code and message as on the usual path', async () => {
      for (const c of cases) {
        const request = {
          method: 'POST' as const,
          url: c.url ?? '/conv2d',
          headers: { 'content-type': c.contentType ?? 'application/json' },
          payload: c.raw ?? JSON.stringify(c.body),
        }
        const [usual, bytes] = await Promise.all([app.inject(request), bytesApp.inject(request)])
        expect(bytes.statusCode, c.name).toBe(usual.statusCode)
        expect(bytes.json(), c.name).toEqual(usual.json())
      }
      expect((await post(bytesApp, '/conv2d', { input: X, kernel: K })).json()).toEqual({ output: [[19, 25], [37, 43]] })
    })
  })
}
