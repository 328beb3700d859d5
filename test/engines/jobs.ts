import { resolveConv2d, resolveConvTranspose2d, resolvePool2d } from '../../src/core/geometry.js'
import type { Conv2dParams, ConvTranspose2dParams, Pool2dParams } from '../../src/core/params.js'
import { shapeSize } from '../../src/core/tensor.js'
import type { ConvJob, ConvTransposeJob, Job, PoolJob } from '../../src/engines/types.js'
import type { ApiCase, FlatTensor } from '../helpers/conformance.js'

/** Deterministic data: a small LCG so a failing property prints a case that reproduces. */
export function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n)
  let s = seed >>> 0 || 1
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = s / 2 ** 31 - 1
  }
  return out
}

export function convJob(
  inputShape: readonly number[],
  weightShape: readonly number[],
  params: Conv2dParams,
  opts: { bias?: boolean; seed?: number } = {},
): ConvJob {
  const biasShape = opts.bias ? [weightShape.length === 4 ? weightShape[0]! : 1] : undefined
  const geometry = resolveConv2d(inputShape, weightShape, biasShape, params)
  return { op: 'conv2d', geometry, ...seededTensors(inputShape, weightShape, biasShape, opts.seed ?? 1) }
}

/** a conv job's input, weight and (when it has one) bias, each drawn from its own seed */
function seededTensors(inputShape: readonly number[], weightShape: readonly number[], biasShape: readonly number[] | undefined, seed: number) {
  const tensors = { input: seeded(shapeSize(inputShape), seed), weight: seeded(shapeSize(weightShape), seed + 7) }
  return biasShape ? { ...tensors, bias: seeded(biasShape[0]!, seed + 13) } : tensors
}

/** A transposed convolution's job; the weight is `[Cin, Cout/groups, kh, kw]`, so a bias has Cout/groups × groups values. */
export function convTransposeJob(
  inputShape: readonly number[],
  weightShape: readonly number[],
  params: ConvTranspose2dParams,
  opts: { bias?: boolean; seed?: number } = {},
): ConvTransposeJob {
  const coutPerGroup = weightShape.length === 4 ? weightShape[1]! : 1
  const biasShape = opts.bias ? [coutPerGroup * (params.groups ?? 1)] : undefined
  const geometry = resolveConvTranspose2d(inputShape, weightShape, biasShape, params)
  return { op: 'convTranspose2d', geometry, ...seededTensors(inputShape, weightShape, biasShape, opts.seed ?? 1) }
}

export function poolJob(inputShape: readonly number[], params: Pool2dParams, input?: Float32Array, seed = 1): PoolJob {
  const geometry = resolvePool2d(inputShape, params)
  return { op: 'pool', geometry, input: input ?? seeded(shapeSize(inputShape), seed) }
}

/** `|got − want| ≤ atol + rtol·|want|` element-wise, NaN equal to NaN; returns the first mismatch or null */
export function firstMismatch(got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-4, atol = 1e-5): string | null {
  if (got.length !== want.length) return `length ${got.length} ≠ ${want.length}`
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!
    const w = want[i]!
    if (Number.isNaN(w) && Number.isNaN(g)) continue
    if (g === w) continue
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) return `element ${i}: got ${g}, want ${w}`
  }
  return null
}

const f32 = (t: FlatTensor) => Float32Array.from(t.data)

/** A conformance case's request (toApiCase) as the job the route would build. */
export function jobOf(c: ApiCase): Job {
  const { input, weight, bias, ...params } = c.body as Record<string, FlatTensor | undefined> & Record<string, unknown>
  const x = input as FlatTensor
  if (c.route === '/conv-transpose2d') {
    const w = weight as FlatTensor
    const b = bias as FlatTensor | undefined
    const geometry = resolveConvTranspose2d(x.shape, w.shape, b?.shape, params as ConvTranspose2dParams)
    return b
      ? { op: 'convTranspose2d', geometry, input: f32(x), weight: f32(w), bias: f32(b) }
      : { op: 'convTranspose2d', geometry, input: f32(x), weight: f32(w) }
  }
  if (c.route === '/conv2d') {
    const w = weight as FlatTensor
    const b = bias as FlatTensor | undefined
    const geometry = resolveConv2d(x.shape, w.shape, b?.shape, params as Conv2dParams)
    return b ? { op: 'conv2d', geometry, input: f32(x), weight: f32(w), bias: f32(b) } : { op: 'conv2d', geometry, input: f32(x), weight: f32(w) }
  }
  return { op: 'pool', geometry: resolvePool2d(x.shape, params as Pool2dParams), input: f32(x) }
}
