import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flatten, post, startApp, toBase64 } from '../helpers/app.js'

// POST /conv-transpose2d: the textbook's transposed-convolution numbers (Dive into Deep Learning
// §14.10), the contract's forms and rank rules, and every refusal with its code and numbers. The
// shared ONNX/PyTorch cases run in test/http/conformance.test.ts.

const X = [[0, 1], [2, 3]]
const K = [[0, 1], [2, 3]]

let app: FastifyInstance
beforeAll(async () => {
  app = await startApp({ maxElements: 4096, maxFlops: 1_000_000 })
})
afterAll(async () => {
  await app.close()
})

async function ok(payload: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await post(app, '/conv-transpose2d', payload)
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

async function refused(payload: Record<string, unknown>, status: number, code: string, message: RegExp): Promise<void> {
  const res = await post(app, '/conv-transpose2d', payload)
  expect(res.statusCode, res.body).toBe(status)
  expect(res.json().code).toBe(code)
  expect(res.json().message).toMatch(message)
}

describe('textbook §14.10 over HTTP', () => {
  it('x=[2,2] k=[2,2] s=1 p=0 → [[0,0,1],[0,4,6],[4,12,9]] (kernel alias, nested in and out)', async () => {
    expect(await ok({ input: X, kernel: K })).toEqual({ output: [[0, 0, 1], [0, 4, 6], [4, 12, 9]] })
  })

  it('x=[2,2] k=[2,2] p=1: one row and column cropped on each side → [[4]]', async () => {
    expect(await ok({ input: X, kernel: K, padding: 1 })).toEqual({ output: [[4]] })
  })

  it('x=[2,2] k=[2,2] s=2 → 4×4, each input element placing its own copy of K', async () => {
    expect(await ok({ input: X, weight: K, stride: 2 })).toEqual({ output: [[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]] })
  })

  it('x=[2,2,2] w=[2,2,2] (one output channel): the channels\' scatters add up', async () => {
    const twice = X.map((row) => row.map((v) => 2 * v))
    // channel 1 is twice channel 0, the same kernel: three times the single-channel answer
    expect(await ok({ input: [X, twice], weight: [K, K] })).toEqual({ output: [[0, 0, 3], [0, 12, 18], [12, 36, 27]] })
  })
})

describe('forms, ranks and parameters', () => {
  it('x=[1,1,2,2] w=[1,2,2,2] bias: rank 4 keeps batch and channel axes; each output channel gets its bias', async () => {
    const res = await ok({
      input: { shape: [1, 1, 2, 2], data: [0, 1, 2, 3] },
      weight: { shape: [1, 2, 2, 2], data: [0, 1, 2, 3, 1, 0, 0, 0] },
      bias: [10, -1],
    })
    expect(res.output).toEqual({
      shape: [1, 2, 3, 3],
      data: [10, 10, 11, 10, 14, 16, 14, 22, 19, -1, 0, -1, 1, 2, -1, -1, -1, -1],
    })
  })

  it('base64 in, base64 out: the same numbers, bit for bit', async () => {
    const res = await ok({ input: { shape: [2, 2], dtype: 'float32', base64: toBase64([0, 1, 2, 3]) }, weight: K, stride: 2 })
    expect(res.output.dtype).toBe('float32')
    expect(flatten(res.output)).toEqual({ shape: [4, 4], data: [0, 0, 0, 1, 0, 0, 2, 3, 0, 2, 0, 3, 4, 6, 6, 9] })
  })

  it('x=[1,2,2,2] w=[2,1,2,2] g=2: each input channel scatters into its own output channel', async () => {
    const res = await ok({ input: [[X, X]], weight: [[K], [[[1, 0], [0, 0]]]], groups: 2, outputFormat: 'flat' })
    expect(res.output).toEqual({ shape: [1, 2, 3, 3], data: [0, 0, 1, 0, 4, 6, 4, 12, 9, 0, 1, 0, 2, 3, 0, 0, 0, 0] })
  })

  it('outputPadding 1 with stride 2 adds a zero row and column at the bottom/right; "same" gives in·stride', async () => {
    expect((await ok({ input: X, weight: K, stride: 2, outputPadding: 1 })).output).toEqual([
      [0, 0, 0, 1, 0],
      [0, 0, 2, 3, 0],
      [0, 2, 0, 3, 0],
      [4, 6, 6, 9, 0],
      [0, 0, 0, 0, 0],
    ])
    // k=3 s=2 on 2×2: full 5×5, "same" wants 4×4 and crops the odd row/column at the bottom/right
    const k3 = [[1, 1, 1], [1, 1, 1], [1, 1, 1]]
    const same = await ok({ input: X, weight: k3, stride: 2, padding: 'same' })
    const explicit = await ok({ input: X, weight: k3, stride: 2, padding: { top: 0, left: 0, bottom: 1, right: 1 } })
    expect(same.output).toHaveLength(4)
    expect(same).toEqual(explicit)
  })
})

describe('explain', () => {
  it('x=[2,2] k=[2,2] s=1: each element lists the input elements that land on it, the book\'s Y[1,1] = 0×3 + 1×2 + 2×1 + 3×0 = 4', async () => {
    const res = await ok({ input: X, kernel: K, explain: true })
    expect(res.output).toEqual([[0, 0, 1], [0, 4, 6], [4, 12, 9]])
    expect(res.explain).toHaveLength(9)
    expect(res.explain[4]).toEqual({ index: [1, 1], window: { rows: [0, 1], cols: [0, 1] }, terms: '0×3 + 1×2 + 2×1 + 3×0', value: 4, text: '0×3 + 1×2 + 2×1 + 3×0 = 4' })
    expect(res.explain.map((e: { value: number }) => e.value)).toEqual([0, 0, 1, 0, 4, 6, 4, 12, 9])
  })

  it('an output over the explain limit → 400 UNSUPPORTED with the numbers', async () => {
    const input = { shape: [40, 40], data: Array(1600).fill(1) }
    await refused({ input, weight: [[1]], explain: true }, 400, 'UNSUPPORTED', /explain is limited to 1024 output elements; this output has 1600/)
  })
})

describe('refusals name the field and the numbers', () => {
  it('a weight whose first axis is not the input channels → 400 CHANNEL_MISMATCH', async () => {
    await refused({ input: [X, X], weight: { shape: [3, 1, 2, 2], data: Array(12).fill(1) } }, 400, 'CHANNEL_MISMATCH', /weight has 3 input channels but input has 2.*\[Cin, Cout\/groups, kh, kw\]/)
  })

  it('groups not dividing the input channels → 400 GROUPS_MISMATCH', async () => {
    await refused({ input: [X, X, X], weight: { shape: [3, 1, 2, 2], data: Array(12).fill(1) }, groups: 2 }, 400, 'GROUPS_MISMATCH', /groups=2 must divide the input channels \(3\)/)
  })

  it('a bias of the wrong length → 400 BIAS_MISMATCH', async () => {
    await refused({ input: X, weight: K, bias: [1, 2] }, 400, 'BIAS_MISMATCH', /bias has 2 elements but the output has 1 channels/)
  })

  it('outputPadding not smaller than the stride or the dilation → 400 INVALID_PARAMETER', async () => {
    await refused({ input: X, weight: K, stride: 2, outputPadding: [0, 2] }, 400, 'INVALID_PARAMETER', /outputPadding 2 \(width\) must be smaller than the stride \(2\) or the dilation \(1\)/)
  })

  it('padding that crops the whole output → 400 OUTPUT_EMPTY', async () => {
    await refused({ input: X, weight: K, padding: 2 }, 400, 'OUTPUT_EMPTY', /3×3 before cropping.*leaves -1×-1/)
  })

  it('"same" where the scatter is shorter than in·stride → 400 naming outputPadding', async () => {
    await refused({ input: X, weight: [[1]], stride: 2, padding: 'same' }, 400, 'INVALID_PARAMETER', /input × stride = 4.*only fills 3.*add outputPadding 1/)
  })

  it('paddingMode other than "zeros", and flipKernel (not an option here) → 400 naming the field', async () => {
    const mode = await post(app, '/conv-transpose2d', { input: X, weight: K, paddingMode: 'reflect' })
    expect(mode.statusCode).toBe(400)
    expect(mode.json().message).toMatch(/paddingMode/)
    const flip = await post(app, '/conv-transpose2d', { input: X, weight: K, flipKernel: true })
    expect(flip.statusCode).toBe(400)
    expect(flip.json().message).toMatch(/flipKernel/)
  })

  it('both weight and kernel, or neither → 400', async () => {
    await refused({ input: X, weight: K, kernel: K }, 400, 'INVALID_BODY', /either weight or kernel/)
    await refused({ input: X }, 400, 'MISSING_FIELD', /weight \(or its alias kernel\) is required/)
  })

  it('an output over MAX_ELEMENTS or a job over MAX_FLOPS → 413, before any tensor is read', async () => {
    // a 64×64 kernel (4,096 elements, at the limit) scattered from a 1×2 input: 64×65 = 4,160 outputs
    const kernel = { shape: [64, 64], data: Array(4096).fill(0) }
    await refused({ input: [[1, 1]], weight: kernel }, 413, 'TENSOR_TOO_LARGE', /the output would have 4160 elements \(shape \[64,65\]\), more than the limit of 4096/)
    // 60×60 input, 16×16 kernel, 15 cropped per side: 45×45 outputs, ~1.6 M FLOPs
    const input = { shape: [60, 60], data: Array(3600).fill(1) }
    await refused({ input, weight: { shape: [16, 16], data: Array(256).fill(1) }, padding: 15 }, 413, 'JOB_TOO_LARGE', /the job needs \d+ FLOPs, more than the limit of 1000000/)
  })

  it('Accept: image/svg+xml over a plane past 16×16 → 400 UNSUPPORTED with the size', async () => {
    const input = { shape: [17, 17], data: Array(289).fill(1) }
    const res = await post(app, '/conv-transpose2d', { input, weight: K }, { headers: { accept: 'image/svg+xml' } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/16×16; the input plane is 17×17/) })
  })
})

describe('figure', () => {
  it('Accept: image/svg+xml ?highlight=1,1 → the job drawn, its title the book\'s Y[1,1] = 4', async () => {
    const res = await post(app, '/conv-transpose2d?highlight=1,1', { input: X, weight: K }, { headers: { accept: 'image/svg+xml' } })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/)
    expect(res.body).toContain('<title>Transposed convolution: output [1, 1] = 4</title>')
    expect(res.body).toContain('0×3 + 1×2 + 2×1 + 3×0 = 4')
  })
})

describe('POST /shape op=convTranspose2d', () => {
  it('x=[2,2] k=[2,2] s=2 → [4,4], the formula with the request\'s numbers, FLOPs of every landed multiply-add', async () => {
    const res = await post(app, '/shape', { op: 'convTranspose2d', inputShape: [2, 2], weightShape: [2, 2], stride: 2 })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      outputShape: [4, 4],
      padding: { top: 0, bottom: 0, left: 0, right: 0 },
      flops: 32,
      formula: { h: '(2 − 1) × 2 + 2 − 0 + 0 = 4', w: '(2 − 1) × 2 + 2 − 0 + 0 = 4' },
    })
  })

  it('padding crops, outputPadding extends: the shape /conv-transpose2d answers with', async () => {
    const params = { stride: [3, 2], padding: [1, 0], outputPadding: [2, 1], dilation: 2 }
    const shape = await post(app, '/shape', { op: 'convTranspose2d', inputShape: [1, 2, 3, 4], weightShape: [2, 3, 2, 2], ...params })
    const real = await ok({
      input: { shape: [1, 2, 3, 4], data: Array(24).fill(1) },
      weight: { shape: [2, 3, 2, 2], data: Array(24).fill(1) },
      outputFormat: 'flat',
      ...params,
    })
    expect(shape.json().outputShape).toEqual(real.output.shape)
    expect(real.output.shape).toEqual([1, 3, 3 * 2 + 2 + 1 - 2 + 2, 2 * 3 + 2 + 1 - 0 + 1])
  })

  it('fields of other ops, and a paddingMode other than zeros → 400 naming the field', async () => {
    const flip = await post(app, '/shape', { op: 'convTranspose2d', inputShape: [2, 2], weightShape: [2, 2], flipKernel: true })
    expect(flip.json()).toMatchObject({ code: 'UNKNOWN_FIELD', message: 'field "flipKernel" does not apply to op "convTranspose2d"' })
    const out = await post(app, '/shape', { op: 'conv2d', inputShape: [2, 2], weightShape: [2, 2], outputPadding: 1 })
    expect(out.json()).toMatchObject({ code: 'UNKNOWN_FIELD', message: 'field "outputPadding" does not apply to op "conv2d"' })
    const mode = await post(app, '/shape', { op: 'convTranspose2d', inputShape: [2, 2], weightShape: [2, 2], paddingMode: 'reflect' })
    expect(mode.json()).toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/paddingMode must be "zeros"/) })
    const none = await post(app, '/shape', { op: 'convTranspose2d', inputShape: [2, 2] })
    expect(none.json()).toMatchObject({ code: 'MISSING_FIELD', message: 'weightShape is required for op "convTranspose2d"' })
  })
})
