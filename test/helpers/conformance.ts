import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { convTranspose2d } from '../../src/core/conv-transpose2d.js'
import { resolveConv2d, resolveConvTranspose2d, resolvePool2d } from '../../src/core/geometry.js'
import type { Conv2dParams, ConvTranspose2dParams, Pool2dParams } from '../../src/core/params.js'
import { pool2d } from '../../src/core/pool2d.js'

/**
 * Conformance cases stored as data in the shared neutral format, and their mapping onto the HTTP
 * API, used by the core, engine and HTTP tests alike. Two directories hold them: the shared set
 * (test/fixtures/conformance, see its SOURCE.md) and the PyTorch differential set
 * (test/fixtures/torch-random, scripts/torch-cases.py). conv_transpose2d cases map onto
 * /conv-transpose2d, which convserve adds beside API v1.
 */

export interface FixtureTensor {
  readonly shape: number[]
  readonly dtype: 'float32' | 'int64' | 'uint8'
  readonly data: number[]
}

export interface Tolerance {
  readonly rtol: number
  readonly atol: number
}

export type FixtureOp =
  | 'conv2d' | 'conv_transpose2d' | 'maxpool2d' | 'avgpool2d' | 'lppool2d'
  | 'global_maxpool' | 'global_avgpool' | 'adaptive_avgpool2d' | 'adaptive_maxpool2d'

export interface ConformanceCase {
  readonly id: string
  readonly source: string
  readonly op: FixtureOp
  /** PyTorch names, every value explicit; `padding` is [top, left, bottom, right] (ONNX order) */
  readonly attrs: Record<string, unknown>
  readonly inputs: { input: FixtureTensor; weight?: FixtureTensor; bias?: FixtureTensor }
  readonly outputs: { output: FixtureTensor; indices?: FixtureTensor }
  readonly tolerance: Tolerance
  readonly note?: string
  /** the fixture file, e.g. `torch_pool.json` */
  readonly file: string
}

export interface FlatTensor {
  readonly shape: number[]
  readonly data: number[]
}

export interface ApiCase {
  readonly id: string
  readonly route: '/conv2d' | '/conv-transpose2d' | '/pool'
  /** request body: tensors as flat `{shape, data}`, parameters under the API's names */
  readonly body: Record<string, unknown>
  readonly expected: { output: FlatTensor; indices?: FlatTensor }
  readonly tolerance: Tolerance
}

/** the shared set, copied from shared/conformance */
export const SHARED_FIXTURES = fileURLToPath(new URL('../fixtures/conformance/', import.meta.url))
/** the PyTorch differential set drawn by scripts/torch-cases.py */
export const TORCH_RANDOM_FIXTURES = fileURLToPath(new URL('../fixtures/torch-random/', import.meta.url))

/** Every case of every `*.json` file in `dir`, files in name order. */
export function loadConformanceCases(dir: string = SHARED_FIXTURES): ConformanceCase[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
  const cases: ConformanceCase[] = []
  for (const file of files) {
    const list = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<ConformanceCase, 'file'>[]
    for (const c of list) cases.push({ ...c, file })
  }
  return cases
}

const j = (v: unknown): string => String(JSON.stringify(v)).replace(/"/g, '')

/** A test name that carries the case's parameters, e.g. `torch:seed=1000 conv2d x=[2,1,9,11] w=[4,1,4,4] bias s=[1,1] …` */
export function caseName(c: ConformanceCase): string {
  const a = c.attrs
  const x = `x=${j(c.inputs.input.shape)}`
  const common = `s=${j(a['stride'])} p=${j(a['padding'])} d=${j(a['dilation'])}`
  switch (c.op) {
    case 'conv2d':
      return `${c.source} conv2d ${x} w=${j(c.inputs.weight!.shape)}${c.inputs.bias ? ' bias' : ''} ${common} g=${a['groups']} ${a['padding_mode']} [${c.id}]`
    case 'conv_transpose2d':
      return `${c.source} conv_transpose2d ${x} w=${j(c.inputs.weight!.shape)}${c.inputs.bias ? ' bias' : ''} ${common} op=${j(a['output_padding'])} g=${a['groups']} [${c.id}]`
    case 'maxpool2d':
    case 'avgpool2d':
    case 'lppool2d': {
      const extra = [
        a['ceil_mode'] ? 'ceil' : '',
        a['count_include_pad'] === false ? 'nocip' : '',
        a['divisor_override'] != null ? `div=${a['divisor_override']}` : '',
        a['p'] !== undefined ? `p=${a['p']}` : '',
        a['return_indices'] ? 'indices' : '',
      ].filter(Boolean).join(' ')
      return `${c.source} ${c.op} ${x} k=${j(a['kernel_size'])} ${common}${extra ? ' ' + extra : ''} [${c.id}]`
    }
    case 'adaptive_avgpool2d':
    case 'adaptive_maxpool2d':
      return `${c.source} ${c.op} ${x} out=${j(a['output_size'])}${a['return_indices'] ? ' indices' : ''} [${c.id}]`
    default:
      return `${c.source} ${c.op} ${x} [${c.id}]`
  }
}

const flat = (t: FixtureTensor): FlatTensor => ({ shape: [...t.shape], data: [...t.data] })

/**
 * The request's padding: the original spec when the API has the same form (int, [ph, pw], "same",
 * "valid"; ONNX SAME_UPPER is exactly the API's "same"), otherwise the resolved sides. Fixture
 * `padding` is [top, left, bottom, right].
 */
export function apiPadding(attrs: Record<string, unknown>): unknown {
  const [top, left, bottom, right] = attrs['padding'] as number[]
  const explicit = { top, bottom, left, right }
  const spec = attrs['padding_spec']
  if (spec === 'same' || spec === 'valid') return spec
  if (spec === 'SAME_UPPER') return 'same'
  if (typeof spec === 'number' && [top, left, bottom, right].every((p) => p === spec)) return spec
  if (Array.isArray(spec) && spec.length === 2 && top === bottom && left === right && spec[0] === top && spec[1] === left) {
    return [spec[0], spec[1]]
  }
  return explicit
}

export function toApiCase(c: ConformanceCase): ApiCase {
  const a = c.attrs
  const body: Record<string, unknown> = { input: flat(c.inputs.input) }
  let route: ApiCase['route'] = '/pool'
  switch (c.op) {
    case 'conv2d':
    case 'conv_transpose2d': {
      const transposed = c.op === 'conv_transpose2d'
      route = transposed ? '/conv-transpose2d' : '/conv2d'
      body['weight'] = flat(c.inputs.weight!)
      if (c.inputs.bias) body['bias'] = flat(c.inputs.bias)
      Object.assign(body, { stride: a['stride'], padding: apiPadding(a), dilation: a['dilation'], groups: a['groups'] })
      // the one parameter each has that the other lacks
      if (transposed) body['outputPadding'] = a['output_padding']
      else body['paddingMode'] = a['padding_mode']
      break
    }
    case 'maxpool2d':
    case 'avgpool2d':
    case 'lppool2d': {
      const mode = c.op === 'maxpool2d' ? 'max' : c.op === 'avgpool2d' ? 'avg' : 'lp'
      Object.assign(body, {
        mode,
        kernelSize: a['kernel_size'],
        stride: a['stride'],
        padding: apiPadding(a),
        dilation: a['dilation'],
        ceilMode: a['ceil_mode'],
      })
      if (mode === 'avg') {
        body['countIncludePad'] = a['count_include_pad']
        if (a['divisor_override'] !== null && a['divisor_override'] !== undefined) body['divisorOverride'] = a['divisor_override']
      }
      if (mode === 'lp') body['p'] = a['p']
      if (mode === 'max') body['returnIndices'] = a['return_indices'] === true
      break
    }
    case 'global_maxpool':
    case 'global_avgpool':
      Object.assign(body, { mode: c.op === 'global_maxpool' ? 'max' : 'avg', global: true })
      break
    case 'adaptive_maxpool2d':
    case 'adaptive_avgpool2d':
      Object.assign(body, { mode: c.op === 'adaptive_maxpool2d' ? 'max' : 'avg', outputSize: a['output_size'] })
      if (c.op === 'adaptive_maxpool2d') body['returnIndices'] = a['return_indices'] === true
      break
    default:
      throw new Error(`conformance: unknown op ${String(c.op)} in ${c.id}`)
  }
  const expected: ApiCase['expected'] = { output: flat(c.outputs.output) }
  const wantIndices = body['returnIndices'] === true && c.outputs.indices !== undefined
  return {
    id: c.id,
    route,
    body,
    expected: wantIndices ? { ...expected, indices: flat(c.outputs.indices!) } : expected,
    tolerance: c.tolerance,
  }
}

const samePair = (v: unknown): boolean => Array.isArray(v) && v.length === 2 && v[0] === v[1]
const isPair = (v: unknown, a: number, b: number): boolean => Array.isArray(v) && v.length === 2 && v[0] === a && v[1] === b

/**
 * The same request written the short way the contract also allows: a pair with equal halves as
 * one int, every parameter at its default left out (stride 1 for conv and kernelSize for pool,
 * dilation 1, groups 1, paddingMode zeros, padding 0, ceilMode false, countIncludePad true, p 2,
 * returnIndices false), symmetric per-side padding as `[ph, pw]` or one int. The server's
 * defaults and short forms must give exactly the answer of the explicit request.
 */
export function compactApiCase(c: ApiCase): ApiCase {
  const body: Record<string, unknown> = { ...c.body }
  const drop = (key: string, isDefault: (v: unknown) => boolean): void => {
    if (key in body && isDefault(body[key])) delete body[key]
  }
  const shorten = (key: string): void => {
    if (samePair(body[key])) body[key] = (body[key] as number[])[0]
  }
  const kernel = body['kernelSize']
  if (c.route !== '/pool') {
    drop('stride', (v) => v === 1 || isPair(v, 1, 1))
    drop('outputPadding', (v) => v === 0 || isPair(v, 0, 0))
  } else if (kernel !== undefined) {
    drop('stride', (v) => JSON.stringify(v) === JSON.stringify(kernel))
  }
  drop('dilation', (v) => v === 1 || isPair(v, 1, 1))
  drop('groups', (v) => v === 1)
  drop('paddingMode', (v) => v === 'zeros')
  drop('ceilMode', (v) => v === false)
  drop('countIncludePad', (v) => v === true)
  drop('p', (v) => v === 2)
  drop('returnIndices', (v) => v === false)
  const pad = body['padding']
  if (pad !== null && typeof pad === 'object' && !Array.isArray(pad)) {
    const { top, bottom, left, right } = pad as { top: number; bottom: number; left: number; right: number }
    if (top === bottom && left === right) body['padding'] = top === left ? top : [top, left]
  }
  shorten('padding')
  drop('padding', (v) => v === 0)
  for (const key of ['stride', 'dilation', 'kernelSize', 'outputSize', 'outputPadding']) shorten(key)
  return { ...c, body }
}

/**
 * The same request in the textbook's short ranks (api-v1.md, "Rank rules"), when the case allows
 * it: batch 1 → input `[C,H,W]`, and one channel as well → `[H,W]`; one output channel (conv,
 * groups 1) → weight `[Cin,kh,kw]`, or `[kh,kw]` with one input channel. The expected output
 * (and indices) lose the same axes: the batch axis only with a rank-4 input, the channel axis
 * only with a rank-4 weight, pooling keeps the input's rank. `undefined` when the batch is > 1.
 */
export function squeezedApiCase(c: ApiCase): ApiCase | undefined {
  const input = c.body['input'] as FlatTensor
  const [n, ch, h, w] = input.shape as [number, number, number, number]
  if (n !== 1) return undefined
  const inShape = ch === 1 ? [h, w] : [ch, h, w]
  const body: Record<string, unknown> = { ...c.body, input: { shape: inShape, data: input.data } }
  const squeeze = (t: FlatTensor): FlatTensor => {
    const [, oc, oh, ow] = t.shape as [number, number, number, number]
    return { shape: keepChannels ? [oc, oh, ow] : [oh, ow], data: t.data }
  }
  let keepChannels = ch !== 1
  if (c.route === '/conv2d') {
    const weight = c.body['weight'] as FlatTensor
    const [cout, cinPerGroup, kh, kw] = weight.shape as [number, number, number, number]
    const groups = (c.body['groups'] as number | undefined) ?? 1
    keepChannels = !(cout === 1 && groups === 1)
    if (!keepChannels) body['weight'] = { shape: cinPerGroup === 1 ? [kh, kw] : [cinPerGroup, kh, kw], data: weight.data }
  } else if (c.route === '/conv-transpose2d') {
    // [Cin, Cout/groups, kh, kw]: one output channel → [Cin, kh, kw], or [kh, kw] with one input channel
    const weight = c.body['weight'] as FlatTensor
    const [cin, coutPerGroup, kh, kw] = weight.shape as [number, number, number, number]
    const groups = (c.body['groups'] as number | undefined) ?? 1
    keepChannels = !(coutPerGroup === 1 && groups === 1)
    if (!keepChannels) body['weight'] = { shape: cin === 1 ? [kh, kw] : [cin, kh, kw], data: weight.data }
  }
  const expected: ApiCase['expected'] = { output: squeeze(c.expected.output) }
  return {
    ...c,
    body,
    expected: c.expected.indices ? { ...expected, indices: squeeze(c.expected.indices) } : expected,
  }
}

/**
 * A case through the core as three requests that must give the same answer: the explicit one
 * toApiCase writes, the short one the contract also allows (compactApiCase) and, for batch 1,
 * the textbook's short ranks (squeezedApiCase).
 */
export function checkInCoreEveryForm(c: ConformanceCase): void {
  const api = toApiCase(c)
  checkInCore(c, api)
  checkInCore(c, compactApiCase(api))
  const squeezed = squeezedApiCase(api)
  if (squeezed) checkInCore(c, squeezed)
}

/** Elementwise |got − exp| ≤ atol + rtol·|exp|; throws naming the first mismatching index. */
export function assertClose(
  got: ArrayLike<number | null>,
  expected: ArrayLike<number | null>,
  tol: Tolerance,
  label: string,
): void {
  if (got.length !== expected.length) {
    throw new Error(`${label}: got ${got.length} elements, expected ${expected.length}`)
  }
  for (let i = 0; i < got.length; i++) {
    const g = got[i] ?? NaN
    const e = expected[i] ?? NaN
    if (Number.isNaN(e) && Number.isNaN(g)) continue
    if (g === e) continue // covers ±Infinity
    if (!(Math.abs(g - e) <= tol.atol + tol.rtol * Math.abs(e))) {
      throw new Error(`${label}: first mismatch at index ${i}: got ${g}, expected ${e} (rtol ${tol.rtol}, atol ${tol.atol})`)
    }
  }
}

/**
 * One case through the core, from the API request `api` (toApiCase or compactApiCase of `c`):
 * geometry (the resolved padding must be the fixture's, the output shape the expected one), then
 * the kernel, then indices exactly.
 */
export function checkInCore(c: ConformanceCase, api: ApiCase): void {
  const input = api.body['input'] as FlatTensor
  const fixturePadding = c.attrs['padding'] as number[] | undefined
  if (api.route !== '/pool') {
    const weight = api.body['weight'] as FlatTensor
    const bias = api.body['bias'] as FlatTensor | undefined
    const g =
      api.route === '/conv2d'
        ? resolveConv2d(input.shape, weight.shape, bias?.shape, api.body as Conv2dParams)
        : resolveConvTranspose2d(input.shape, weight.shape, bias?.shape, api.body as ConvTranspose2dParams)
    // the fixture's resolved padding must be what the geometry resolved from the API's form
    expect([g.padTop, g.padLeft, g.padBottom, g.padRight]).toEqual(fixturePadding)
    expect([...g.wireOutputShape]).toEqual(api.expected.output.shape)
    const [x, w, b] = [input, weight, bias].map((t) => t && Float32Array.from(t.data)) as [Float32Array, Float32Array, Float32Array?]
    const out = g.op === 'conv2d' ? conv2d(g, x, w, b) : convTranspose2d(g, x, w, b)
    assertClose(out, api.expected.output.data, api.tolerance, c.id)
    return
  }
  const g = resolvePool2d(input.shape, api.body as Pool2dParams)
  if (g.kind === 'window') expect([g.padTop, g.padLeft, g.padBottom, g.padRight]).toEqual(fixturePadding)
  expect([...g.wireOutputShape]).toEqual(api.expected.output.shape)
  const { output, indices } = pool2d(g, Float32Array.from(input.data))
  assertClose(output, api.expected.output.data, api.tolerance, c.id)
  if (api.expected.indices) {
    expect(indices).toBeDefined()
    expect(Array.from(indices!)).toEqual(api.expected.indices.data)
  } else {
    expect(indices).toBeUndefined()
  }
}
