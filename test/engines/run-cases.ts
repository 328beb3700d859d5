import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onnxruntimeEngine } from '../../src/engines/onnxruntime/engine.js'
import { onOrtFallback, runJob } from '../../src/engines/run.js'
import type { EngineSetting } from '../../src/engines/types.js'
import { assertClose, type ApiCase } from '../helpers/conformance.js'
import { jobOf } from './jobs.js'

/**
 * A set of conformance cases through runJob, under each engine setting that can pick onnxruntime:
 * whatever onnxruntime accepts it must compute as the reference did, and it must not throw (a
 * throw is hidden from clients by the fallback to the core, so it is caught here). Under
 * `onnxruntime` most cases must really have run on it.
 */
export function describeRunJob(set: string, cases: readonly ApiCase[]): void {
  const fallbacks: string[] = []
  beforeAll(() => onOrtFallback(({ job, error }) => fallbacks.push(`${job.op}: ${String(error)}`)))
  afterAll(() => onOrtFallback(undefined))

  describe.each(['onnxruntime', 'auto'] as EngineSetting[])(`${set} through runJob, ENGINE=%s`, (setting) => {
    const engines = { onnxruntime: 0, reference: 0 }

    it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
      const job = jobOf(c)
      const got = await runJob(job, setting)
      engines[got.engine]++
      assertClose(got.output, c.expected.output.data, c.tolerance, `${c.id} output (${got.engine})`)
      if (c.expected.indices) {
        expect(got.indices).toBeDefined()
        expect(Array.from(got.indices!), `${c.id} indices (${got.engine})`).toEqual(c.expected.indices.data)
      }
      if (setting === 'onnxruntime') expect(got.engine).toBe(onnxruntimeEngine.supports(job) ? 'onnxruntime' : 'reference')
    })

    it('ran on onnxruntime for the cases it supports, without a single ORT error', () => {
      expect(fallbacks).toEqual([])
      if (setting === 'onnxruntime') expect(engines.onnxruntime).toBeGreaterThan(cases.length / 2)
      expect(engines.onnxruntime + engines.reference).toBe(cases.length)
    })
  })
}
