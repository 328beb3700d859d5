import fc from 'fast-check'
import type { BadRequest } from './invalid.js'

/**
 * Well-typed requests whose shapes cannot fit, from the shape arithmetic of api-v1.md: the
 * kernel's dilated extent d·(k−1)+1 beyond the padded input, groups not dividing the channels,
 * weight channels ≠ input channels / groups, bias ≠ Cout, reflect/circular padding beyond the
 * input, pooling padding ≥ the kernel extent, pool parameters for another mode, explain past its
 * limit, and tensors over MAX_ELEMENTS / jobs over MAX_FLOPS (413).
 */
type Form = 'nested' | 'flat' | 'base64'
const form = fc.constantFrom<Form>('nested', 'flat', 'base64')

function tensor(shape: number[], f: Form, fill = 1): unknown {
  const n = shape.reduce((a, b) => a * b, 1)
  const data = Array.from({ length: n }, (_, i) => ((i * 7 + fill) % 11) - 5)
  if (f === 'flat') return { shape, data }
  if (f === 'base64') return { shape, dtype: 'float32', base64: Buffer.from(new Float32Array(data).buffer).toString('base64') }
  const nest = (d: number[], s: number[]): unknown => {
    if (s.length <= 1) return d
    const step = s.slice(1).reduce((a, b) => a * b, 1)
    return Array.from({ length: s[0]! }, (_, i) => nest(d.slice(i * step, (i + 1) * step), s.slice(1)))
  }
  return nest(data, shape)
}

const size = fc.integer({ min: 1, max: 6 })

const kernelTooLarge = fc
  .record({ h: size, w: size, pad: fc.nat(2), dil: fc.integer({ min: 1, max: 3 }), grow: fc.integer({ min: 1, max: 3 }), tall: fc.boolean(), f: form, pool: fc.boolean() })
  .map(({ h, w, pad, dil, grow, tall, f, pool }) => {
    // smallest k whose dilated extent passes the padded side, plus `grow`
    const side = (tall ? h : w) + 2 * pad
    const k = Math.ceil((side + 1 - 1) / dil) + grow
    const ks = tall ? [k, 1] : [1, k]
    if (pool) {
      // pool padding must stay below the extent: pad < d·(k−1)+1 holds for k ≥ 2
      return { url: '/pool', body: { input: tensor([h, w], f), kernelSize: ks, padding: pad, dilation: dil }, codes: ['KERNEL_TOO_LARGE', 'PADDING_TOO_LARGE'] }
    }
    return { url: '/conv2d', body: { input: tensor([h, w], f), weight: tensor(ks, f), padding: pad, dilation: dil }, codes: ['KERNEL_TOO_LARGE'] }
  })

const groupsMismatch = fc
  .record({ cin: fc.integer({ min: 1, max: 6 }), cout: fc.integer({ min: 1, max: 6 }), groups: fc.integer({ min: 2, max: 5 }), f: form })
  .filter(({ cin, cout, groups }) => cin % groups !== 0 || cout % groups !== 0)
  .map(({ cin, cout, groups, f }) => ({
    url: '/conv2d',
    body: { input: tensor([1, cin, 3, 3], f), weight: tensor([cout, Math.max(1, Math.floor(cin / groups)), 2, 2], f), groups },
    codes: ['GROUPS_MISMATCH'],
  }))

const channelMismatch = fc
  .record({ cin: fc.integer({ min: 1, max: 5 }), wcin: fc.integer({ min: 1, max: 5 }), cout: fc.integer({ min: 1, max: 4 }), rank3: fc.boolean(), f: form })
  .filter(({ cin, wcin }) => cin !== wcin)
  .map(({ cin, wcin, cout, rank3, f }) => ({
    url: '/conv2d',
    body: { input: tensor([cin, 3, 3], f), weight: tensor(rank3 ? [wcin, 2, 2] : [cout, wcin, 2, 2], f) },
    codes: ['CHANNEL_MISMATCH'],
  }))

const biasMismatch = fc
  .record({ cout: fc.integer({ min: 1, max: 4 }), len: fc.integer({ min: 1, max: 6 }), f: form })
  .filter(({ cout, len }) => cout !== len)
  .map(({ cout, len, f }) => ({
    url: '/conv2d',
    body: { input: tensor([1, 3, 3], f), weight: tensor([cout, 1, 2, 2], f), bias: tensor([len], f) },
    codes: ['BIAS_MISMATCH'],
  }))

const modePaddingTooLarge = fc
  .record({ h: size, w: size, mode: fc.constantFrom('reflect', 'circular'), extra: fc.nat(2), f: form })
  .map(({ h, w, mode, extra, f }) => {
    // reflect needs pad < side, circular pad ≤ side (PyTorch F.pad); a 1×1 kernel always fits
    const pad = Math.min(h, w) + (mode === 'reflect' ? 0 : 1) + extra
    return { url: '/conv2d', body: { input: tensor([h, w], f), weight: tensor([1, 1], f), padding: pad, paddingMode: mode }, codes: ['PADDING_TOO_LARGE'] }
  })

const poolPaddingTooLarge = fc
  .record({ k: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 2 }), extra: fc.nat(2), f: form })
  .map(({ k, d, extra, f }) => ({
    url: '/pool',
    body: { input: tensor([8, 8], f), kernelSize: k, dilation: d, padding: d * (k - 1) + 1 + extra },
    codes: ['PADDING_TOO_LARGE'],
  }))

/** Parameters that belong to another pooling mode or another pooling kind. */
const poolWrongMode = fc
  .oneof(
    fc.constantFrom('avg', 'lp').map((mode) => ({ mode, returnIndices: true })),
    fc.constantFrom('max', 'lp').map((mode) => ({ mode, countIncludePad: false })),
    fc.record({ mode: fc.constantFrom('max', 'lp'), divisorOverride: fc.integer({ min: 1, max: 9 }) }),
    fc.record({ mode: fc.constantFrom('max', 'avg'), p: fc.double({ min: 0.1, max: 8, noNaN: true }).filter((p) => p !== 2) }),
    fc.record({ global: fc.constant(true), outputSize: fc.integer({ min: 1, max: 2 }) }),
    fc.record({ global: fc.constant(true), stride: fc.integer({ min: 1, max: 2 }) }),
    fc.record({ outputSize: fc.integer({ min: 1, max: 2 }), kernelSize: fc.integer({ min: 1, max: 2 }) }),
    fc.record({ outputSize: fc.integer({ min: 1, max: 2 }), padding: fc.integer({ min: 1, max: 2 }) }),
    fc.constant({ mode: 'max' }),
  )
  .chain((params) => form.map((f) => ({ url: '/pool', body: { input: tensor([4, 4], f), ...params }, codes: ['INVALID_PARAMETER'] })))

const explainTooLarge = fc
  .record({ h: fc.integer({ min: 34, max: 60 }), f: form })
  .map(({ h, f }) => ({ url: '/pool', body: { input: tensor([h, h], f), kernelSize: 1, explain: true }, codes: ['UNSUPPORTED'] }))

/** App limits in the fuzz suite: MAX_ELEMENTS 100,000 and MAX_FLOPS 50,000,000. */
const oversize = fc.oneof(
  fc.record({ h: fc.integer({ min: 317, max: 100_000 }), w: fc.integer({ min: 317, max: 100_000 }), base64: fc.boolean() }).map(({ h, w, base64 }) => ({
    url: '/conv2d',
    // no data at all: the shape alone is over the limit, so nothing is decoded
    body: { input: base64 ? { shape: [1, 1, h, w], base64: '' } : { shape: [1, 1, h, w], data: [] }, weight: [[1]] },
    codes: ['TENSOR_TOO_LARGE'],
  })),
  fc.integer({ min: 600, max: 4000 }).map((cout) => ({
    url: '/conv2d',
    // 1×1×250×250 ⋆ cout×1×3×3 'same' → flops 2·cout·62,500·9 > 5e7, output cout·62,500 > 1e5
    body: { input: { shape: [1, 1, 250, 250], data: [] }, weight: { shape: [cout, 1, 3, 3], data: [] }, padding: 'same' },
    codes: ['TENSOR_TOO_LARGE', 'JOB_TOO_LARGE'],
  })),
  fc.integer({ min: 35, max: 110 }).map((c) => ({
    url: '/conv2d',
    // 1×c×30×30 ⋆ 1×c×30×30 'same': 900 outputs × 2·c·900 FLOPs ≥ 5.7e7, every tensor ≤ 99,000 elements
    body: { input: { shape: [1, c, 30, 30], data: [] }, weight: { shape: [1, c, 30, 30], data: [] }, padding: 'same' },
    codes: ['JOB_TOO_LARGE'],
  })),
)

/**
 * Transposed convolutions that cannot be: the weight's first axis not the input channels, groups
 * not dividing them, a bias of the wrong length, outputPadding not below the stride or the
 * dilation, padding that crops the whole output, "same" where the scatter falls short of
 * in·stride, another padding mode, a figure asked for.
 */
const transposedMisfit = fc
  .record({ cin: fc.integer({ min: 1, max: 4 }), h: size, k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 1, max: 3 }), f: form })
  .chain(({ cin, h, k, s, extra, f }) => {
    const input = tensor([1, cin, h, h], f)
    const full = (h - 1) * s + k
    return fc.constantFrom(
      { body: { input, weight: tensor([cin + extra, 1, k, k], f) }, codes: ['CHANNEL_MISMATCH'] },
      { body: { input: tensor([1, 2 * cin + 1, h, h], f), weight: tensor([2 * cin + 1, 1, k, k], f), groups: 2 }, codes: ['GROUPS_MISMATCH'] },
      { body: { input, weight: tensor([cin, 2, k, k], f), bias: tensor([2 + extra], f) }, codes: ['BIAS_MISMATCH'] },
      { body: { input, weight: tensor([cin, 1, k, k], f), stride: s, outputPadding: s + extra - 1 }, codes: ['INVALID_PARAMETER'] },
      { body: { input, weight: tensor([cin, 1, k, k], f), stride: s, padding: Math.ceil(full / 2) + extra - 1 }, codes: ['OUTPUT_EMPTY'] },
      { body: { input, weight: tensor([cin, 1, 1, 1], f), stride: s + 1, padding: 'same' }, codes: ['INVALID_PARAMETER'] },
      { body: { input, weight: tensor([cin, 1, k, k], f), paddingMode: 'reflect' }, codes: ['INVALID_BODY', 'INVALID_PARAMETER'] },
    )
  })
  .map((r) => ({ url: '/conv-transpose2d', ...r }))

export const misfit: fc.Arbitrary<BadRequest> = fc.oneof(
  transposedMisfit,
  kernelTooLarge,
  groupsMismatch,
  channelMismatch,
  biasMismatch,
  modePaddingTooLarge,
  poolPaddingTooLarge,
  poolWrongMode,
  explainTooLarge,
  oversize,
)
