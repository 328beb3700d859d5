import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onnxruntimeEngine } from '../../src/engines/onnxruntime/engine.js'
import { onOrtFallback, runJob } from '../../src/engines/run.js'
import type { EngineSetting } from '../../src/engines/types.js'
import { assertClose, loadConformanceCases, toApiCase } from '../helpers/conformance.js'
import { jobOf } from './jobs.js'

/** Every shared conformance case through runJob, under each engine setting that can pick onnxruntime. */
const cases = loadConformanceCases().map(toApiCase)
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
