import { afterEach, describe, expect, it } from 'vitest'
import { referenceEngine } from '../../src/engines/reference.js'
import { onnxruntimeEngine, prepackedWeights, setPrepackBudget } from '../../src/engines/onnxruntime/engine.js'
import { DEFAULT_PREPACK_BYTES, fingerprint, prepackCost } from '../../src/engines/onnxruntime/prepacked.js'
import type { Conv2dParams } from '../../src/core/params.js'
import type { ConvJob, EngineOutput } from '../../src/engines/types.js'
import { convJob, convTransposeJob, firstMismatch } from './jobs.js'

/** waits for the sessions started in the background, so a run's path never depends on timing */
const settle = () => prepackedWeights().settled()

async function runTimes(job: ConvJob, times: number): Promise<EngineOutput[]> {
  const outs: EngineOutput[] = []
  for (let i = 0; i < times; i++) {
    outs.push(await onnxruntimeEngine.run(job))
    await settle()
  }
  return outs
}

function expectLikeCore(out: EngineOutput, job: ConvJob): void {
  const want = referenceEngine.run(job) as EngineOutput
  expect(firstMismatch(out.output, want.output)).toBeNull()
}

afterEach(() => setPrepackBudget(DEFAULT_PREPACK_BYTES))

describe('prepacked weights (the weight built into the session as a constant)', () => {
  const cases: [string, readonly number[], readonly number[], Conv2dParams, boolean][] = [
    ['x=[1,3,9,9] w=[4,3,3,3] p=1', [1, 3, 9, 9], [4, 3, 3, 3], { padding: 1 }, false],
    ['x=[2,4,8,7] w=[6,2,3,2] s=2 d=1 groups=2 bias', [2, 4, 8, 7], [6, 2, 3, 2], { stride: 2, groups: 2 }, true],
    ['x=[1,2,7,7] w=[3,2,3,3] p=2 reflect d=2', [1, 2, 7, 7], [3, 2, 3, 3], { padding: 2, paddingMode: 'reflect', dilation: 2 }, false],
    ['x=[1,2,6,6] w=[2,2,3,2] true convolution p=1', [1, 2, 6, 6], [2, 2, 3, 2], { padding: 1, flipKernel: true }, true],
  ]
  for (const [name, x, w, params, bias] of cases) {
    it(`${name}: first sighting remembered, second starts the session, later runs use it; all equal the core`, async () => {
      setPrepackBudget(DEFAULT_PREPACK_BYTES)
      const job = convJob(x, w, params, { bias, seed: 3 })
      const outs = await runTimes(job, 4)
      const stats = prepackedWeights().stats
      expect(stats.created).toBe(1)
      expect(stats.hits).toBe(2)
      for (const out of outs) expectLikeCore(out, job)
    })
  }

  it('a weight sharing a fingerprint but not its values never runs on the other weight’s session', async () => {
    setPrepackBudget(DEFAULT_PREPACK_BYTES)
    // 300 words: the fingerprint samples every 4th and the last, so word 1 is not looked at
    const a = convJob([1, 10, 6, 6], [10, 10, 3, 1], { padding: [1, 0] }, { seed: 5 })
    const weight = a.weight.slice()
    weight[1] = weight[1]! + 1
    const b: ConvJob = { ...a, weight }
    expect(fingerprint(b.weight)).toBe(fingerprint(a.weight))
    await runTimes(a, 3)
    expect(prepackedWeights().stats.hits).toBe(1)
    for (const out of await runTimes(b, 3)) expectLikeCore(out, b)
    expect(prepackedWeights().stats.hits).toBe(1)
    expect(prepackedWeights().stats.created).toBe(1)
  })

  it('the cache keeps a copy: a weight changed in place afterwards is a different weight', async () => {
    setPrepackBudget(DEFAULT_PREPACK_BYTES)
    const job = convJob([1, 10, 6, 6], [10, 10, 3, 1], { padding: [1, 0] }, { seed: 9 })
    await runTimes(job, 3)
    expect(prepackedWeights().stats.hits).toBe(1)
    // word 1 is not sampled by the fingerprint (see above): the same key, other values
    job.weight[1] = job.weight[1]! - 2
    const [out] = await runTimes(job, 1)
    expectLikeCore(out!, job)
    expect(prepackedWeights().stats.hits).toBe(1)
  })

  it('a prepacked session that throws is dropped: the weight goes back to being an input', async () => {
    setPrepackBudget(DEFAULT_PREPACK_BYTES)
    const job = convJob([1, 3, 8, 8], [4, 3, 3, 3], { padding: 1 }, { seed: 60 })
    await runTimes(job, 2)
    const cache = prepackedWeights()
    const entry = cache.sessionFor(job)
    expect(entry).toBeDefined()
    await expect(cache.use(entry!, () => Promise.reject(new Error('as ORT would')))).rejects.toThrow('as ORT would')
    expect(cache.keys()).toEqual([])
    const hits = cache.stats.hits
    for (const out of await runTimes(job, 1)) expectLikeCore(out, job)
    expect(cache.stats.hits).toBe(hits)
  })

  it('stays within its byte budget: the least recently used weights go', async () => {
    const weightBytes = 4 * 3 * 3 * 3 * 4
    const budget = 5 * prepackCost(weightBytes)
    setPrepackBudget(budget)
    const jobs = Array.from({ length: 8 }, (_, i) => convJob([1, 3, 8, 8], [4, 3, 3, 3], { padding: 1 }, { seed: 20 + i }))
    for (const job of jobs) await runTimes(job, 2)
    const cache = prepackedWeights()
    expect(cache.stats.created).toBe(8)
    expect(cache.keys().length).toBe(5)
    expect(cache.bytes).toBeLessThanOrEqual(budget)
    // the newest five remain and are used; the oldest was evicted and is only seen anew
    for (const out of await runTimes(jobs[7]!, 1)) expectLikeCore(out, jobs[7]!)
    expect(cache.stats.hits).toBe(1)
    await runTimes(jobs[0]!, 1)
    expect(cache.stats.hits).toBe(1)
  })

  it('x=[1,16,9,9] w=[8,16,1,1]: a 1×1 kernel is never prepacked (the blocked layout made it slower)', async () => {
    setPrepackBudget(DEFAULT_PREPACK_BYTES)
    const job = convJob([1, 16, 9, 9], [8, 16, 1, 1], {}, { seed: 70 })
    for (const out of await runTimes(job, 4)) expectLikeCore(out, job)
    expect(prepackedWeights().stats).toEqual({ hits: 0, created: 0 })
  })

  it('a transposed convolution is never prepacked: its weight stays an input, however often it is sent', async () => {
    setPrepackBudget(DEFAULT_PREPACK_BYTES)
    const job = convTransposeJob([1, 3, 8, 8], [3, 4, 3, 3], { padding: 1, stride: 2, outputPadding: 1 }, { bias: true, seed: 80 })
    const want = referenceEngine.run(job) as EngineOutput
    for (let i = 0; i < 4; i++) {
      const out = await onnxruntimeEngine.run(job)
      await settle()
      expect(out.prepacked).toBeUndefined()
      expect(firstMismatch(out.output, want.output)).toBeNull()
    }
    expect(prepackedWeights().stats).toEqual({ hits: 0, created: 0 })
    expect(prepackedWeights().keys()).toEqual([])
  })

  it('a weight larger than a quarter of the budget is never prepacked; budget 0 turns it off', async () => {
    const job = convJob([1, 3, 8, 8], [4, 3, 3, 3], {}, { seed: 40 })
    setPrepackBudget(prepackCost(job.weight.byteLength) * 4 - 1)
    await runTimes(job, 3)
    expect(prepackedWeights().stats.created).toBe(0)
    setPrepackBudget(0)
    for (const out of await runTimes(job, 3)) expectLikeCore(out, job)
    expect(prepackedWeights().stats).toEqual({ hits: 0, created: 0 })
  })
})
