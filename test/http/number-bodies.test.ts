import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { JobSpec } from '../../src/jobs/task.js'
import { fromBase64, inForm, post, startApp } from '../helpers/app.js'

/**
 * Large bodies in the nested and flat forms: their arrays of numbers stay bytes on the main thread
 * (codec/large-body.ts, codec/number-arrays.ts) and are read on the worker that runs the job
 * (codec/read-numbers.ts). Each answer must be the one the same tensors get as base64, and each
 * mistake the answer the same body gets on the usual path (an app that never cuts anything).
 */
const N = 1, C = 6, H = 40
const size = N * C * H * H
// values as clients write them: float32s as 17-digit doubles, small ones in e-notation, integers
// (−0 cannot be compared here: JSON.stringify writes it as 0, base64 keeps its sign)
const input = Array.from({ length: size }, (_, i) => {
  const x = Math.fround(Math.sin(i * 0.7) * 3)
  return i % 97 === 0 ? 0 : i % 13 === 0 ? x * 1e-7 : i % 7 === 0 ? Math.round(x * 4) : x
})
const weight = Array.from({ length: 4 * C * 9 }, (_, i) => Math.fround(Math.cos(i * 1.1) / 3))
const xT = { shape: [N, C, H, H], data: input }
const wT = { shape: [4, C, 3, 3], data: weight }

describe('large nested and flat bodies, read on the worker', () => {
  let app: FastifyInstance
  let usual: FastifyInstance
  beforeAll(async () => {
    // the core computes, so that answers compare exactly (onnxruntime's prepacked weights, used
    // once a weight repeats, sum in another order)
    app = await startApp({ workers: 1, inlineFlops: 0, engine: 'reference' })
    // the same service, but every body parsed whole on the main thread
    usual = await startApp({ workers: 1, inlineFlops: 0, engine: 'reference', largeBodyBytes: 1e9 })
  })
  afterAll(async () => {
    await Promise.all([app.close(), usual.close()])
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('the bodies are large enough to be cut (≥ largeBodyBytes, 64 kB)', () => {
    expect(JSON.stringify({ input: inForm(xT, 'nested') }).length).toBeGreaterThan(65_536)
  })

  it.each(['nested', 'flat'] as const)('conv2d x=[1,6,40,40] k=3 p=1 Cout=4 sent %s: the base64 form\'s answer, and the job took the bytes', async (form) => {
    const run = vi.spyOn(app.scheduler, 'run')
    const res = await post(app, '/conv2d', { input: inForm(xT, form), weight: inForm(wT, form), padding: 1, outputFormat: 'base64' })
    expect(res.statusCode, res.body).toBe(200)
    const job = run.mock.calls.at(-1)![0] as JobSpec
    // still text when handed over: a checked number text, not a decoded Float32Array
    expect(job.input).toMatchObject({ field: 'input', form, shape: [N, C, H, H], size })
    expect(job.op !== 'pool' && job.weight).toMatchObject({ field: 'weight', form, shape: [4, C, 3, 3] })
    const viaBase64 = await post(app, '/conv2d', { input: inForm(xT, 'base64'), weight: inForm(wT, 'base64'), padding: 1, outputFormat: 'base64' })
    expect(res.json().output).toEqual(viaBase64.json().output)
  })

  it('max pool x=[6,40,40] k=2 sent nested (rank 3): the base64 form\'s output and indices', async () => {
    const x3 = { shape: [C, H, H], data: input }
    const body = (form: 'nested' | 'base64') => ({ input: inForm(x3, form), kernelSize: 2, returnIndices: true, outputFormat: 'base64' })
    const [viaNumbers, viaBase64] = await Promise.all([post(app, '/pool', body('nested')), post(app, '/pool', body('base64'))])
    expect(viaNumbers.statusCode, viaNumbers.body).toBe(200)
    expect(viaNumbers.json()).toEqual(viaBase64.json())
  })

  it('every value arrives as the usual path reads it (an identity 1×1 conv echoes the input bit for bit)', async () => {
    const eye = { shape: [C, C, 1, 1], data: Array.from({ length: C * C }, (_, i) => (i % (C + 1) === 0 ? 1 : 0)) }
    const res = await post(app, '/conv2d', { input: inForm(xT, 'nested'), weight: eye, outputFormat: 'base64' })
    expect(res.statusCode, res.body).toBe(200)
    const echoed = Float32Array.from(fromBase64(res.json().output.base64))
    const sent = Float32Array.from(JSON.parse(JSON.stringify(input)) as number[])
    expect(new Uint32Array(echoed.buffer)).toEqual(new Uint32Array(sent.buffer))
  })

  it('a nested body answered in the nested form: the same text as the usual path gives', async () => {
    const body = { input: inForm(xT, 'nested'), weight: inForm(wT, 'nested'), padding: 1 }
    const [a, b] = await Promise.all([post(app, '/conv2d', body), post(usual, '/conv2d', body)])
    expect(a.statusCode).toBe(200)
    expect(a.body).toBe(b.body)
  })

  const nestedText = JSON.stringify(inForm(xT, 'nested'))
  const flatText = JSON.stringify(xT.data)
  const w = JSON.stringify(inForm(wT, 'nested'))
  const mistakes: [string, string][] = [
    ['a short row (ragged)', `{"input":${nestedText.replace(/,[^,\]]+\]/, ']')},"weight":${w}}`],
    ['a number where a row is', `{"input":${nestedText.replace(/\[[^[\]]+\]/, '5')},"weight":${w}}`],
    ['a null inside', `{"input":${nestedText.replace(/,[^,\]]+\]/, ',null]')},"weight":${w}}`],
    ['a number beyond float32', `{"input":${nestedText.replace(/,[^,\]]+\]/, ',1e39]')},"weight":${w}}`],
    ['a malformed number', `{"input":${nestedText.replace(/,[^,\]]+\]/, ',01]')},"weight":${w}}`],
    ['NaN', `{"input":${nestedText.replace(/,[^,\]]+\]/, ',NaN]')},"weight":${w}}`],
    ['a trailing comma', `{"input":${nestedText.replace(/\]\]\]\]$/, ',]]]]')},"weight":${w}}`],
    ['rank 5', `{"input":[${nestedText}],"weight":${w}}`],
    ['flat data one short of its shape', `{"input":{"shape":[1,${C},${H},${H}],"data":${flatText.replace(/,[^,]+\]$/, ']')}},"weight":${w}}`],
    ['flat data nested', `{"input":{"shape":[1,${C},${H},${H}],"data":${nestedText}},"weight":${w}}`],
    ['channels that do not match the weight', `{"input":${nestedText},"weight":${JSON.stringify(inForm({ shape: [4, C + 1, 3, 3], data: new Array(4 * (C + 1) * 9).fill(0.5) }, 'nested'))}}`],
    ['an array of numbers in an unknown field', `{"input":${nestedText},"weight":${w},"extra":${flatText}}`],
    // the depth check before parsing counts a cut array as deep as it was (found by the fuzz test)
    ['a weight nested 8 deep', `{"input":${nestedText},"weight":[[[[[[[${flatText}]]]]]]]}`],
    ['a rank-4 array of numbers deep inside something passed over', `{"input":${nestedText},"weight":${w},"x":[[[[{},[[[${flatText}]]]]]]]}`],
  ]

  it.each(mistakes)('%s: the usual path\'s status, code and message', async (_, raw) => {
    expect(raw.length).toBeGreaterThan(65_536)
    const request = { method: 'POST' as const, url: '/conv2d', headers: { 'content-type': 'application/json' }, payload: raw }
    const [a, b] = await Promise.all([app.inject(request), usual.inject(request)])
    expect(b.statusCode).toBeGreaterThanOrEqual(400)
    expect(a.statusCode).toBe(b.statusCode)
    expect(a.json()).toEqual(b.json())
  })
})
