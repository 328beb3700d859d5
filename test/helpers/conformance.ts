import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The shared conformance cases (test/fixtures/conformance, see its SOURCE.md) and their mapping
 * onto the HTTP API, used by the core tests and the HTTP tests alike. conv_transpose files are
 * left out (not in API v1).
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
  | 'conv2d' | 'maxpool2d' | 'avgpool2d' | 'lppool2d'
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
  readonly route: '/conv2d' | '/pool'
  /** request body: tensors as flat `{shape, data}`, parameters under the API's names */
  readonly body: Record<string, unknown>
  readonly expected: { output: FlatTensor; indices?: FlatTensor }
  readonly tolerance: Tolerance
}

const FIXTURES = fileURLToPath(new URL('../fixtures/conformance/', import.meta.url))

export function loadConformanceCases(): ConformanceCase[] {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json') && !f.includes('conv_transpose'))
    .sort()
  const cases: ConformanceCase[] = []
  for (const file of files) {
    const list = JSON.parse(readFileSync(FIXTURES + file, 'utf8')) as Omit<ConformanceCase, 'file'>[]
    for (const c of list) cases.push({ ...c, file })
  }
  return cases
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
      route = '/conv2d'
      body['weight'] = flat(c.inputs.weight!)
      if (c.inputs.bias) body['bias'] = flat(c.inputs.bias)
      Object.assign(body, {
        stride: a['stride'],
        padding: apiPadding(a),
        dilation: a['dilation'],
        groups: a['groups'],
        paddingMode: a['padding_mode'],
      })
      break
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
