import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Conv2dParams, ConvTranspose2dParams, PaddingSpec, Pool2dParams } from '../../src/core/params.js'
import { onnxruntimeEngine, prepackedWeights } from '../../src/engines/onnxruntime/engine.js'
import { worthPrepacking } from '../../src/engines/onnxruntime/prepacked.js'
import { referenceEngine } from '../../src/engines/reference.js'
import { onOrtFallback, runJob } from '../../src/engines/run.js'
import type { ConvJob, ConvTransposeJob, EngineOutput, Job } from '../../src/engines/types.js'
import { convJob, convTransposeJob, firstMismatch, poolJob } from './jobs.js'
import { orNull } from '../helpers/cases.js'

/**
 * onnxruntime against the core on random configurations. Every job runJob sends to onnxruntime
 * must come back equal to the core within 1e-4 relative; every job it declines must still be
 * right (it is the core's own answer then). A fallback caused by an ORT exception is a finding:
 * supports() should have said no.
 */
const fallbacks: unknown[] = []
beforeAll(() => onOrtFallback(({ error }) => fallbacks.push(error)))
afterAll(() => onOrtFallback(undefined))

const padding: fc.Arbitrary<PaddingSpec> = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
  fc.record({ top: fc.nat(3), bottom: fc.nat(3), left: fc.nat(3), right: fc.nat(3) }),
  fc.constantFrom('same' as const, 'valid' as const),
)
const pair = (max: number) => fc.oneof(fc.integer({ min: 1, max }), fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max })))

const convCase = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  groups: fc.integer({ min: 1, max: 3 }),
  cinPerGroup: fc.integer({ min: 1, max: 3 }),
  coutPerGroup: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 1, max: 10 }),
  w: fc.integer({ min: 1, max: 10 }),
  kh: fc.integer({ min: 1, max: 4 }),
  kw: fc.integer({ min: 1, max: 4 }),
  stride: pair(3),
  dilation: pair(2),
  padding,
  paddingMode: fc.constantFrom('zeros' as const, 'reflect' as const, 'replicate' as const, 'circular' as const),
  flipKernel: fc.boolean(),
  bias: fc.boolean(),
  seed: fc.nat(1000),
})

type ConvCase = typeof convCase extends fc.Arbitrary<infer T> ? T : never

const convTransposeCase = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  groups: fc.integer({ min: 1, max: 3 }),
  cinPerGroup: fc.integer({ min: 1, max: 2 }),
  coutPerGroup: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 1, max: 9 }),
  w: fc.integer({ min: 1, max: 9 }),
  kh: fc.integer({ min: 1, max: 4 }),
  kw: fc.integer({ min: 1, max: 4 }),
  stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  dilation: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  padding,
  // taken modulo max(stride, dilation), so every draw is a valid outputPadding (PyTorch's bound)
  outputPadding: fc.tuple(fc.nat(2), fc.nat(2)),
  bias: fc.boolean(),
  seed: fc.nat(1000),
})

type ConvTransposeCase = typeof convTransposeCase extends fc.Arbitrary<infer T> ? T : never

const poolCase = fc.record({
  shape: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 })),
  kind: fc.constantFrom('window', 'window', 'window', 'global', 'adaptive'),
  mode: fc.constantFrom('max' as const, 'avg' as const, 'lp' as const),
  kernelSize: pair(4),
  stride: pair(3),
  dilation: pair(2),
  padding,
  ceilMode: fc.boolean(),
  countIncludePad: fc.boolean(),
  p: fc.constantFrom(1, 2, 3, 1.5),
  outputSize: pair(5),
  returnIndices: fc.boolean(),
  seed: fc.nat(1000),
})

/** the case as a job, or null when its geometry is invalid (the core refuses it; nothing to compare) */
function convJobOf(c: ConvCase): ConvJob | null {
  const params: Conv2dParams = { stride: c.stride, dilation: c.dilation, padding: c.padding, paddingMode: c.paddingMode, groups: c.groups, flipKernel: c.flipKernel }
  return orNull(() =>
    convJob([c.n, c.groups * c.cinPerGroup, c.h, c.w], [c.groups * c.coutPerGroup, c.cinPerGroup, c.kh, c.kw], params, { bias: c.bias, seed: c.seed }),
  )
}

/** the case as a job, or null when the padding crops the whole output (the core refuses it) */
function convTransposeJobOf(c: ConvTransposeCase): ConvTransposeJob | null {
  const [sH, sW] = c.stride
  const [dH, dW] = c.dilation
  const outputPadding: [number, number] = [c.outputPadding[0] % Math.max(sH, dH), c.outputPadding[1] % Math.max(sW, dW)]
  const params: ConvTranspose2dParams = { stride: c.stride, dilation: c.dilation, padding: c.padding, outputPadding, groups: c.groups }
  const weightShape = [c.groups * c.cinPerGroup, c.coutPerGroup, c.kh, c.kw]
  return orNull(() => convTransposeJob([c.n, c.groups * c.cinPerGroup, c.h, c.w], weightShape, params, { bias: c.bias, seed: c.seed }))
}

async function agrees(job: Job): Promise<boolean> {
  const before = fallbacks.length
  const got = await runJob(job, 'onnxruntime')
  const want = referenceEngine.run(job) as EngineOutput
  expect(fallbacks.length, String(fallbacks.at(-1))).toBe(before)
  expect(got.engine).toBe(onnxruntimeEngine.supports(job) ? 'onnxruntime' : 'reference')
  expect(firstMismatch(got.output, want.output)).toBeNull()
  if (want.indices) expect(firstMismatch(got.indices!, want.indices, 0, 0)).toBeNull()
  return got.engine === 'onnxruntime'
}

describe('onnxruntime engine against the core', () => {
  it('conv2d: random shapes, strides, padding forms and modes, dilation, groups, flip, bias', async () => {
    let onOrt = 0
    await fc.assert(
      fc.asyncProperty(convCase, async (c) => {
        const job = convJobOf(c)
        if (job && (await agrees(job))) onOrt++
      }),
      { numRuns: 300 },
    )
    // the property is about onnxruntime: most valid cases must have run there
    expect(onOrt).toBeGreaterThan(50)
  })

  it('conv2d, the same weight three times: the third run is on a session holding it as a constant', async () => {
    let prepackedRuns = 0
    await fc.assert(
      fc.asyncProperty(convCase, async (c) => {
        const job = convJobOf(c)
        if (!job) return
        const hits = prepackedWeights().stats.hits
        for (let i = 0; i < 3; i++) {
          await agrees(job)
          await prepackedWeights().settled()
        }
        const prepackable = onnxruntimeEngine.supports(job) && worthPrepacking(job.geometry)
        // a weight an earlier case already prepacked hits on every run; a 1×1 kernel never does
        if (prepackable) expect(prepackedWeights().stats.hits).toBeGreaterThan(hits)
        else expect(prepackedWeights().stats.hits).toBe(hits)
        if (prepackable) prepackedRuns++
      }),
      { numRuns: 120 },
    )
    expect(prepackedRuns).toBeGreaterThan(20)
  })

  it('conv_transpose2d: random shapes, strides, dilation, padding forms, output padding, groups, bias', async () => {
    let valid = 0
    let onOrt = 0
    const packed = { ...prepackedWeights().stats }
    await fc.assert(
      fc.asyncProperty(convTransposeCase, async (c) => {
        const job = convTransposeJobOf(c)
        if (!job) return
        valid++
        if (await agrees(job)) onOrt++
      }),
      { numRuns: 300 },
    )
    // the property is about onnxruntime: supports() refuses only outputPadding ≥ stride (under a
    // third of these draws), so most valid cases must have run there
    expect(onOrt).toBeGreaterThan(valid / 2)
    expect(onOrt).toBeGreaterThan(100)
    // and none of them went near the conv2d-only prepacked sessions
    expect(prepackedWeights().stats).toEqual(packed)
  })

  it('pool: random windows, modes, ceil mode, padding, dilation, global and adaptive, indices', async () => {
    let onOrt = 0
    await fc.assert(
      fc.asyncProperty(poolCase, async (c) => {
        const params: Pool2dParams =
          c.kind === 'global'
            ? { mode: c.mode, global: true }
            : c.kind === 'adaptive'
              ? { mode: c.mode, outputSize: c.outputSize }
              : { mode: c.mode, kernelSize: c.kernelSize, stride: c.stride, dilation: c.dilation, padding: c.padding, ceilMode: c.ceilMode }
        const full: Pool2dParams = {
          ...params,
          ...(c.mode === 'avg' && c.kind === 'window' ? { countIncludePad: c.countIncludePad } : {}),
          ...(c.mode === 'lp' ? { p: c.p } : {}),
          ...(c.mode === 'max' ? { returnIndices: c.returnIndices } : {}),
        }
        const job = orNull(() => poolJob(c.shape, full, undefined, c.seed))
        if (job && (await agrees(job))) onOrt++
      }),
      { numRuns: 400 },
    )
    expect(onOrt).toBeGreaterThan(50)
  })
})
