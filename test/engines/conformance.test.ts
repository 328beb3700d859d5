import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveConv2d, resolvePool2d } from '../../src/core/geometry.js'
import type { Conv2dParams, Pool2dParams } from '../../src/core/params.js'
import { onnxruntimeEngine } from '../../src/engines/onnxruntime/engine.js'
import { onOrtFallback, runJob } from '../../src/engines/run.js'
import type { EngineSetting, Job } from '../../src/engines/types.js'
import { assertClose, loadConformanceCases, toApiCase, type ApiCase, type FlatTensor } from '../helpers/conformance.js'

/** Every shared conformance case through runJob, under each engine setting that can pick onnxruntime. */
const cases = loadConformanceCases().map(toApiCase)
const f32 = (t: FlatTensor) => Float32Array.from(t.data)

function jobOf(c: ApiCase): Job {
  const { input, weight, bias, ...params } = c.body as Record<string, FlatTensor | undefined> & Record<string, unknown>
  const x = input as FlatTensor
  if (c.route === '/conv2d') {
    const w = weight as FlatTensor
    const b = bias as FlatTensor | undefined
    const geometry = resolveConv2d(x.shape, w.shape, b?.shape, params as Conv2dParams)
    return b ? { op: 'conv2d', geometry, input: f32(x), weight: f32(w), bias: f32(b) } : { op: 'conv2d', geometry, input: f32(x), weight: f32(w) }
  }
  return { op: 'pool', geometry: resolvePool2d(x.shape, params as Pool2dParams), input: f32(x) }
}

const fallbacks: string[] = []
beforeAll(() => onOrtFallback(({ error }) => fallbacks.push(String(error))))
afterAll(() => onOrtFallback(undefined))

describe.each(['onnxruntime', 'auto'] as EngineSetting[])('conformance through runJob, ENGINE=%s', (setting) => {
  const engines = { onnxruntime: 0, reference: 0 }

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const job = jobOf(c)
    const got = await runJob(job, setting)
    engines[got.engine]++
    assertClose(got.output, c.expected.output.data, c.tolerance, `${c.id} output`)
    if (c.expected.indices) {
      expect(got.indices).toBeDefined()
      expect(Array.from(got.indices!)).toEqual(c.expected.indices.data)
    }
    if (setting === 'onnxruntime') expect(got.engine).toBe(onnxruntimeEngine.supports(job) ? 'onnxruntime' : 'reference')
  })

  it('ran on onnxruntime for the cases it supports, without a single ORT error', () => {
    expect(fallbacks).toEqual([])
    // under `onnxruntime` most cases must really have exercised onnxruntime
    if (setting === 'onnxruntime') expect(engines.onnxruntime).toBeGreaterThan(cases.length / 2)
    expect(engines.onnxruntime + engines.reference).toBe(cases.length)
  })
})
