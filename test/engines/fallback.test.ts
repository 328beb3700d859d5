import { afterEach, describe, expect, it } from 'vitest'
import type { PoolGeometry, ConvGeometry } from '../../src/core/geometry-types.js'
import type { ConvTranspose2dParams, Pool2dParams } from '../../src/core/params.js'
import { onnxruntimeEngine } from '../../src/engines/onnxruntime/engine.js'
import { referenceEngine } from '../../src/engines/reference.js'
import { onOrtFallback, runJob, setOrtEngineForTests, type Fallback } from '../../src/engines/run.js'
import { EngineDeclined, type Engine, type EngineOutput, type Job } from '../../src/engines/types.js'
import { convJob, convTransposeJob, firstMismatch, poolJob } from './jobs.js'

afterEach(() => {
  setOrtEngineForTests(undefined)
  onOrtFallback(undefined)
})

async function expectReference(job: Job): Promise<void> {
  expect(onnxruntimeEngine.supports(job)).toBe(false)
  const got = await runJob(job, 'onnxruntime')
  const want = referenceEngine.run(job) as EngineOutput
  expect(got.engine).toBe('reference')
  expect(firstMismatch(got.output, want.output, 0, 0)).toBeNull()
}

const filled = (n: number, v: number) => new Float32Array(n).fill(v)

describe('jobs onnxruntime gets wrong go to the core', () => {
  it('pool padding ≥ kernel (allowed up to the dilated extent): ORT would throw', async () => {
    const job = poolJob([1, 2, 7, 7], { mode: 'max', kernelSize: 2, dilation: 3, padding: 2, stride: 2 })
    await expect(Promise.resolve().then(() => onnxruntimeEngine.run(job))).rejects.toThrow(/smaller than kernel/)
    await expectReference(job)
  })

  it('a max window with no input element is −∞ (ORT: −3.4e38)', async () => {
    const job = poolJob([1, 1, 1, 1], { mode: 'max', kernelSize: 4, dilation: 2, stride: 1, padding: 'same' })
    await expectReference(job)
    expect((await runJob(job, 'onnxruntime')).output[0]).toBe(-Infinity)
  })

  it('an avg window with no input element and countIncludePad=false is NaN (ORT: 0)', async () => {
    const job = poolJob([1, 1, 1, 1], { mode: 'avg', kernelSize: 4, dilation: 2, stride: 1, padding: 'same', countIncludePad: false })
    await expectReference(job)
    expect((await runJob(job, 'onnxruntime')).output[0]).toBeNaN()
  })

  // NaN and −∞ are found after the run (an input sum the graph computes), so supports() says yes
  // and the engine declines; the core answers and no failure is reported
  it('NaN in a max-pool input propagates as in PyTorch (ORT skips it)', async () => {
    const input = filled(16, 1)
    input[5] = NaN
    const job = poolJob([1, 1, 4, 4], { mode: 'max', kernelSize: 2, returnIndices: true }, input)
    const seen: Fallback[] = []
    onOrtFallback((f) => seen.push(f))
    await expect(Promise.resolve().then(() => onnxruntimeEngine.run(job))).rejects.toBeInstanceOf(EngineDeclined)
    const got = await runJob(job, 'onnxruntime')
    expect(got.engine).toBe('reference')
    expect(Array.from(got.output)).toEqual([NaN, 1, 1, 1])
    expect(got.indices![0]).toBe(5)
    expect(seen).toEqual([])
  })

  it('a max window of −∞ stays −∞, in window, global and adaptive pools', async () => {
    for (const params of [{ kernelSize: 2 }, { global: true }, { outputSize: 1 }] as Pool2dParams[]) {
      const job = poolJob([1, 1, 2, 2], { mode: 'max', ...params }, filled(4, -Infinity))
      const got = await runJob(job, 'onnxruntime')
      expect(got.engine).toBe('reference')
      expect(got.output[0]).toBe(-Infinity)
    }
  })

  it('finite max-pool input still runs on onnxruntime', async () => {
    const job = poolJob([1, 1, 4, 4], { mode: 'max', kernelSize: 2 }, Float32Array.from({ length: 16 }, (_, i) => -1e30 * i))
    const got = await runJob(job, 'onnxruntime')
    expect(got.engine).toBe('onnxruntime')
    expect(Array.from(got.output)).toEqual([-0, -2e30, -8e30, -1e31].map(Math.fround))
  })

  it('lp with a non-integer p, or sums that overflow float32', async () => {
    await expectReference(poolJob([1, 2, 6, 6], { mode: 'lp', p: 1.5, kernelSize: 2 }))
    const big = poolJob([1, 1, 2, 2], { mode: 'lp', p: 2, kernelSize: 2 }, filled(4, 1e20))
    await expectReference(big)
    expect((await runJob(big, 'onnxruntime')).output[0]).toBeCloseTo(2e20, -15)
  })

  it('divisorOverride, uneven adaptive bins, global lp, global max with indices', async () => {
    const cases: Pool2dParams[] = [
      { mode: 'avg', kernelSize: 2, divisorOverride: 3 },
      { mode: 'avg', outputSize: [4, 3] },
      { mode: 'max', outputSize: 4, returnIndices: true },
      { mode: 'lp', global: true },
      { mode: 'max', global: true, returnIndices: true },
    ]
    for (const params of cases) await expectReference(poolJob([2, 2, 7, 6], params))
  })

  it('adaptive bins that tile the plane evenly do run on onnxruntime, indices per plane', async () => {
    const job = poolJob([2, 3, 8, 6], { mode: 'max', outputSize: [4, 2], returnIndices: true })
    const got = await runJob(job, 'onnxruntime')
    const want = referenceEngine.run(job) as EngineOutput
    expect(got.engine).toBe('onnxruntime')
    expect(Array.from(got.indices!)).toEqual(Array.from(want.indices!))
  })

  it('transposed conv whose output onnxruntime would compute is empty (all of it appended bias rows)', async () => {
    const job = convTransposeJob([1, 1, 1, 1], [1, 1, 1, 1], { stride: 2, padding: { top: 1, bottom: 0, left: 0, right: 0 }, outputPadding: [1, 0] }, { bias: true })
    expect(job.geometry.outputShape).toEqual([1, 1, 1, 1])
    await expectReference(job)
    expect((await runJob(job, 'onnxruntime')).output[0]).toBe(job.bias![0])
  })

  it('transposed conv with outputPadding ≥ stride (PyTorch allows up to the dilation) runs on onnxruntime, and agrees', async () => {
    // ORT's own output_padding throws at the stride: the graph crops less at the end instead, and the
    // engine appends what lies past the full result (bias only)
    const cases: [number[], number[], ConvTranspose2dParams][] = [
      [[1, 2, 3, 4], [2, 3, 3, 2], { stride: [2, 1], dilation: 3, outputPadding: [2, 1], padding: 0 }],
      [[1, 2, 5, 4], [2, 3, 3, 2], { stride: [2, 1], dilation: 3, outputPadding: [2, 1], padding: 2 }],
      [[2, 3, 4, 6], [3, 2, 3, 3], { stride: 1, dilation: 3, outputPadding: 2, padding: { top: 0, bottom: 1, left: 3, right: 0 } }],
      [[1, 4, 6, 5], [4, 1, 2, 3], { stride: [1, 2], dilation: [2, 4], outputPadding: [1, 3], padding: [1, 2], groups: 2 }],
    ]
    for (const [input, weight, params] of cases) {
      for (const bias of [true, false]) {
        const job = convTransposeJob(input, weight, params, { bias })
        expect(onnxruntimeEngine.supports(job), JSON.stringify(params)).toBe(true)
        const got = await runJob(job, 'onnxruntime')
        expect(got.engine).toBe('onnxruntime')
        expect(firstMismatch(got.output, (referenceEngine.run(job) as EngineOutput).output), JSON.stringify(params)).toBeNull()
      }
    }
  })

  it('circular padding larger than the input (the core refuses it; the rule stands on its own)', () => {
    const job = convJob([1, 1, 3, 3], [1, 1, 2, 2], { padding: 1, paddingMode: 'circular' })
    const g: ConvGeometry = { ...job.geometry, padTop: 4, padBottom: 4 }
    expect(onnxruntimeEngine.supports({ ...job, geometry: g })).toBe(false)
    expect(onnxruntimeEngine.supports(job)).toBe(true)
  })
})

describe('selection', () => {
  const big = convJob([1, 4, 16, 16], [8, 4, 3, 3], { padding: 1 })
  const tiny = convJob([3, 3], [2, 2], {})

  it('reference never uses onnxruntime; onnxruntime takes tiny jobs too; auto leaves tiny ones to the core', async () => {
    expect((await runJob(big, 'reference')).engine).toBe('reference')
    expect((await runJob(tiny, 'onnxruntime')).engine).toBe('onnxruntime')
    expect((await runJob(tiny, 'auto')).engine).toBe('reference')
    expect((await runJob(big, 'auto')).engine).toBe('onnxruntime')
  })

  it('auto gives the core the pools it computes faster (lp; avg and max over large windows); onnxruntime still takes them', async () => {
    const core: [string, number[], Pool2dParams][] = [
      ['lp p=2 k=2 s=2', [1, 16, 32, 32], { mode: 'lp', p: 2, kernelSize: 2 }],
      ['avg k=5 s=1 p=2', [1, 4, 32, 32], { mode: 'avg', kernelSize: 5, stride: 1, padding: 2 }],
      ['max k=33 s=1 p=16', [1, 1, 48, 48], { mode: 'max', kernelSize: 33, stride: 1, padding: 16, returnIndices: true }],
      ['max k=[5,40] s=1', [1, 1, 48, 48], { mode: 'max', kernelSize: [5, 40], stride: 1 }],
      ['max k=7 d=2 s=1', [1, 1, 48, 48], { mode: 'max', kernelSize: 7, dilation: 2, stride: 1, returnIndices: true }],
    ]
    const ort: [string, number[], Pool2dParams][] = [
      ['max k=2 s=2 (P1)', [1, 16, 32, 32], { mode: 'max', kernelSize: 2 }],
      ['avg k=3 s=1 p=1 (P2)', [1, 8, 32, 32], { mode: 'avg', kernelSize: 3, stride: 1, padding: 1, countIncludePad: false }],
      ['max k=31 s=1 p=15', [1, 1, 48, 48], { mode: 'max', kernelSize: 31, stride: 1, padding: 15 }],
      ['max k=[40,1] s=1 (no fewer reads in passes)', [1, 1, 48, 48], { mode: 'max', kernelSize: [40, 1], stride: 1 }],
      ['global avg', [1, 16, 32, 32], { mode: 'avg', global: true }],
      ['max k=3 d=2 s=1 (no fewer reads in passes)', [1, 1, 48, 48], { mode: 'max', kernelSize: 3, dilation: 2, stride: 1 }],
    ]
    for (const [name, shape, params] of core) {
      const job = poolJob(shape, params)
      expect(onnxruntimeEngine.supports(job), name).toBe(true)
      const auto = await runJob(job, 'auto')
      expect(auto.engine, name).toBe('reference')
      const exact = await runJob(job, 'onnxruntime')
      expect(exact.engine, name).toBe('onnxruntime')
      expect(firstMismatch(auto.output, exact.output), name).toBeNull()
      if (params.returnIndices) expect(Array.from(auto.indices!), name).toEqual(Array.from(exact.indices!))
    }
    for (const [name, shape, params] of ort) expect((await runJob(poolJob(shape, params), 'auto')).engine, name).toBe('onnxruntime')
  })

  it('reports a compute time', async () => {
    const r = await runJob(big, 'auto')
    expect(r.computeMs).toBeGreaterThan(0)
  })
})

describe('an onnxruntime failure never reaches the caller', () => {
  it('a throwing engine: the core answers and the error goes to the listener', async () => {
    const failing: Engine = {
      name: 'onnxruntime',
      supports: () => true,
      run: () => Promise.reject(new Error('/onnxruntime_src/core/session.cc:42 boom')),
    }
    setOrtEngineForTests(failing)
    const seen: Fallback[] = []
    onOrtFallback((f) => seen.push(f))
    const job = convJob([1, 2, 9, 9], [3, 2, 3, 3], { padding: 1 }, { bias: true })
    const got = await runJob(job, 'onnxruntime')
    expect(got.engine).toBe('reference')
    expect(firstMismatch(got.output, (referenceEngine.run(job) as EngineOutput).output, 0, 0)).toBeNull()
    expect(seen).toHaveLength(1)
    expect(String(seen[0]!.error)).toMatch(/boom/)
  })

  it('a real ORT error (a job supports() would refuse, forced through) falls back too', async () => {
    setOrtEngineForTests({ ...onnxruntimeEngine, supports: () => true })
    const seen: Fallback[] = []
    onOrtFallback((f) => seen.push(f))
    const job = poolJob([1, 1, 6, 6], { mode: 'avg', kernelSize: 2, dilation: 3, padding: 2 })
    const got = await runJob(job, 'onnxruntime')
    expect(got.engine).toBe('reference')
    expect(seen).toHaveLength(1)
  })

  it('an output shape that disagrees with the geometry is an error, not a result', async () => {
    const job = poolJob([1, 1, 6, 6], { mode: 'max', kernelSize: 2 })
    const g: PoolGeometry = { ...job.geometry, outH: 2, outputShape: [1, 1, 2, 3] }
    await expect(Promise.resolve().then(() => onnxruntimeEngine.run({ ...job, geometry: g }))).rejects.toThrow(/output shape/)
  })
})
