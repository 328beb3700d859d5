import fc from 'fast-check'
import { conv2d } from '../../src/core/conv2d.js'
import { resolveConv2d, resolvePool2d } from '../../src/core/geometry.js'
import type { Conv2dParams, PaddingSpec, Pool2dParams } from '../../src/core/params.js'
import { pool2d } from '../../src/core/pool2d.js'
import { inForm } from '../helpers/app.js'
import { seeded } from '../engines/jobs.js'
import { orNull } from '../helpers/cases.js'
import type { Expected } from '../helpers/answer.js'

/**
 * Random VALID requests with the answer the TypeScript core gives for them. Shapes use the
 * textbook's rank shorthand as well as full NCHW, tensors travel in all three wire forms, and the
 * sizes straddle the inline threshold so that ENGINE auto sends the larger ones to the workers
 * (onnxruntime) and computes the small ones on the main thread.
 */
export type Form = 'nested' | 'flat' | 'base64'
export interface ValidCase {
  readonly url: '/conv2d' | '/pool'
  readonly body: Record<string, unknown>
  readonly want: Expected
  readonly flops: number
}

const form = fc.constantFrom<Form>('nested', 'flat', 'base64')
const outputFormat = fc.option(form, { nil: undefined })
const padding: fc.Arbitrary<PaddingSpec> = fc.oneof(
  fc.integer({ min: 0, max: 2 }),
  fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
  fc.record({ top: fc.nat(2), bottom: fc.nat(2), left: fc.nat(2), right: fc.nat(2) }),
  fc.constantFrom('same' as const, 'valid' as const),
)
// sizes drawn uniformly: fast-check's bias towards small integers would keep every job under the
// inline threshold, and the workers (onnxruntime) would never be exercised
const dim = (max: number) => fc.noBias(fc.integer({ min: 1, max }))
const pair = (max: number) => fc.oneof(fc.integer({ min: 1, max }), fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max })))

function wire(data: Float32Array, shape: readonly number[], f: Form): unknown {
  return inForm({ shape: [...shape], data: Array.from(data) }, f)
}

export const convCase: fc.Arbitrary<ValidCase | null> = fc
  .record({
    rank: fc.constantFrom(2, 3, 4),
    weightRank: fc.constantFrom(2, 3, 4, 4),
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 3 }),
    cinPerGroup: dim(6),
    coutPerGroup: dim(6),
    h: dim(28),
    w: dim(28),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    stride: fc.option(pair(3), { nil: undefined }),
    dilation: fc.option(pair(2), { nil: undefined }),
    padding: fc.option(padding, { nil: undefined }),
    paddingMode: fc.option(fc.constantFrom('zeros' as const, 'reflect' as const, 'replicate' as const, 'circular' as const), { nil: undefined }),
    flipKernel: fc.option(fc.boolean(), { nil: undefined }),
    bias: fc.boolean(),
    forms: fc.tuple(form, form, form),
    outputFormat,
    seed: fc.nat(10_000),
  })
  .map((c) => {
    // the shorthand ranks fix some sizes: [kh,kw] is one channel in and out, [Cin,kh,kw] one out
    const groups = c.weightRank === 4 && c.rank !== 2 ? c.groups : 1
    const cin = c.rank === 2 ? 1 : groups * c.cinPerGroup
    const cout = c.weightRank === 4 ? groups * c.coutPerGroup : 1
    if (c.weightRank === 2 && cin !== 1) return null
    const inputShape = c.rank === 2 ? [c.h, c.w] : c.rank === 3 ? [cin, c.h, c.w] : [c.n, cin, c.h, c.w]
    const weightShape = c.weightRank === 2 ? [c.kh, c.kw] : c.weightRank === 3 ? [cin, c.kh, c.kw] : [cout, cin / groups, c.kh, c.kw]
    const params: Conv2dParams = { stride: c.stride, dilation: c.dilation, padding: c.padding, paddingMode: c.paddingMode, flipKernel: c.flipKernel, ...(groups > 1 ? { groups } : {}) }
    const biasShape = c.bias ? [cout] : undefined
    const g = orNull(() => resolveConv2d(inputShape, weightShape, biasShape, params))
    if (!g) return null
    const input = seeded(g.inputShape.reduce((a, b) => a * b, 1), c.seed)
    const weight = seeded(g.weightShape.reduce((a, b) => a * b, 1), c.seed + 1)
    const bias = biasShape ? seeded(cout, c.seed + 2) : undefined
    const body: Record<string, unknown> = {
      input: wire(input, inputShape, c.forms[0]),
      weight: wire(weight, weightShape, c.forms[1]),
      ...(bias ? { bias: wire(bias, [cout], c.forms[2]) } : {}),
      ...defined(params),
      ...(c.outputFormat ? { outputFormat: c.outputFormat } : {}),
    }
    const want = { shape: g.wireOutputShape, output: conv2d(g, input, weight, bias) }
    return { url: '/conv2d' as const, body, want, flops: g.flops }
  })

export const poolCase: fc.Arbitrary<ValidCase | null> = fc
  .record({
    rank: fc.constantFrom(2, 3, 4),
    n: fc.integer({ min: 1, max: 2 }),
    c: dim(12),
    // one case in two with four times the channels: a pool job over the inline threshold
    heavy: fc.constantFrom(1, 4),
    h: dim(48),
    w: dim(48),
    kind: fc.constantFrom('window', 'window', 'window', 'global', 'adaptive'),
    mode: fc.constantFrom('max' as const, 'avg' as const, 'lp' as const),
    kernelSize: pair(4),
    stride: fc.option(pair(3), { nil: undefined }),
    dilation: fc.option(pair(2), { nil: undefined }),
    padding: fc.option(padding, { nil: undefined }),
    ceilMode: fc.option(fc.boolean(), { nil: undefined }),
    countIncludePad: fc.option(fc.boolean(), { nil: undefined }),
    divisorOverride: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
    p: fc.constantFrom(1, 2, 3, 1.5),
    outputSize: pair(6),
    returnIndices: fc.boolean(),
    form,
    outputFormat,
    seed: fc.nat(10_000),
  })
  .map((c) => {
    const channels = c.c * c.heavy
    const inputShape = c.rank === 2 ? [c.h, c.w] : c.rank === 3 ? [channels, c.h, c.w] : [c.n, channels, c.h, c.w]
    const shared: Pool2dParams = { mode: c.mode }
    const kind: Pool2dParams =
      c.kind === 'global'
        ? { global: true }
        : c.kind === 'adaptive'
          ? { outputSize: c.outputSize }
          : { kernelSize: c.kernelSize, stride: c.stride, dilation: c.dilation, padding: c.padding, ceilMode: c.ceilMode }
    const byMode: Pool2dParams =
      c.mode === 'avg'
        ? c.kind === 'window' ? { countIncludePad: c.countIncludePad, divisorOverride: c.divisorOverride } : {}
        : c.mode === 'lp' ? { p: c.p } : { returnIndices: c.returnIndices }
    const params = defined({ ...shared, ...kind, ...byMode }) as Pool2dParams
    const g = orNull(() => resolvePool2d(inputShape, params))
    if (!g) return null
    const input = seeded(g.inputShape.reduce((a, b) => a * b, 1), c.seed)
    const { output, indices } = pool2d(g, input)
    const body = { input: wire(input, inputShape, c.form), ...params, ...(c.outputFormat ? { outputFormat: c.outputFormat } : {}) }
    return { url: '/pool' as const, body, want: { shape: g.wireOutputShape, output, indices }, flops: g.flops }
  })

/** JSON has no `undefined`: leave unset options out of the body. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
