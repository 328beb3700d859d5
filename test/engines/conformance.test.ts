import { describe, expect, it } from 'vitest'
import { onnxruntimeEngine } from '../../src/engines/onnxruntime/engine.js'
import { loadConformanceCases, toApiCase } from '../helpers/conformance.js'
import { jobOf } from './jobs.js'
import { describeRunJob } from './run-cases.js'

const cases = loadConformanceCases().map(toApiCase)

// Every shared conformance case (test/fixtures/conformance) through runJob, under each engine
// setting that can pick onnxruntime.
describeRunJob('conformance', cases)

describe('conformance conv_transpose2d cases on onnxruntime', () => {
  // none has outputPadding ≥ stride (the one ORT rule, supports.ts), so under ENGINE=onnxruntime
  // describeRunJob's per-case check means each of them ran on onnxruntime and matched the fixture
  it('every one of the 17 is a job onnxruntime supports', () => {
    const transposed = cases.filter((c) => c.route === '/conv-transpose2d')
    expect(transposed).toHaveLength(17)
    expect(transposed.filter((c) => !onnxruntimeEngine.supports(jobOf(c))).map((c) => c.id)).toEqual([])
  })
})
