import { describe, expect, it } from 'vitest'
import { onnxruntimeEngine } from '../../src/engines/onnxruntime/engine.js'
import { planFor } from '../../src/engines/onnxruntime/plan.js'
import { cachedSessionKeys, SESSION_CACHE_SIZE } from '../../src/engines/onnxruntime/sessions.js'
import { convJob, convTransposeJob, poolJob } from './jobs.js'

describe('session cache', () => {
  it('keys by op and attributes, never by shapes or kernel size', () => {
    const a = planFor(convJob([1, 3, 8, 8], [4, 3, 3, 3], { padding: 1 }))
    const b = planFor(convJob([2, 5, 11, 9], [7, 5, 2, 4], { padding: 1 }))
    const c = planFor(convJob([1, 3, 8, 8], [4, 3, 3, 3], { padding: 1, stride: 2 }))
    expect(a.key).toBe(b.key)
    expect(a.key).not.toBe(c.key)
    expect(planFor(poolJob([1, 1, 8, 8], { kernelSize: 2 })).key).toBe(planFor(poolJob([3, 4, 10, 12], { kernelSize: 2 })).key)
  })

  it('transposed convs: keyed by attributes only, never shared with a conv of the same attributes', () => {
    const a = planFor(convTransposeJob([1, 3, 8, 8], [3, 4, 3, 3], { padding: 1, stride: 2, outputPadding: 1 }))
    const b = planFor(convTransposeJob([2, 6, 5, 9], [6, 1, 2, 4], { padding: 1, stride: 2, outputPadding: 1 }))
    const c = planFor(convTransposeJob([1, 3, 8, 8], [3, 4, 3, 3], { padding: 1, stride: 2 }))
    expect(a.key).toBe(b.key)
    expect(a.key).not.toBe(c.key)
    const conv = planFor(convJob([1, 3, 8, 8], [4, 3, 3, 3], { padding: 1, stride: 2 }))
    expect(c.key).not.toBe(conv.key)
  })

  it('one transposed-conv session serves different shapes and kernel sizes', async () => {
    for (const [n, c, h, k] of [[1, 3, 8, 3], [2, 5, 11, 2], [1, 1, 4, 4]] as const) {
      const job = convTransposeJob([n, c, h, h], [c, 2, k, k], { padding: [1, 0], stride: [2, 3], outputPadding: [1, 2] }, { bias: true })
      const out = await onnxruntimeEngine.run(job)
      expect(out.output.length).toBe(job.geometry.outputShape.reduce((x, y) => x * y))
    }
    // outputPadding gives back the bottom padding's row first (plan.ts): the graph crops 1,0,0,0
    expect(cachedSessionKeys().filter((k) => k.startsWith('convT|') && k.includes('|s2,3|') && k.includes('|p1,0,0,0|')).length).toBe(1)
  })

  it('one session serves different shapes', async () => {
    for (const [n, c, h] of [[1, 3, 8], [2, 5, 11], [1, 1, 4]] as const) {
      const job = convJob([n, c, h, h], [2, c, 3, 3], { padding: [1, 2], stride: [1, 2] })
      const out = await onnxruntimeEngine.run(job)
      expect(out.output.length).toBe(job.geometry.outputShape.reduce((x, y) => x * y))
    }
    expect(cachedSessionKeys().filter((k) => k.includes('p1,2,1,2')).length).toBe(1)
  })

  it('stays bounded: the least recently used sessions go', async () => {
    for (let s = 1; s <= SESSION_CACHE_SIZE + 6; s++) {
      await onnxruntimeEngine.run(poolJob([1, 1, 2 * s, 3], { kernelSize: [1, 1], stride: [s, 1] }))
    }
    const keys = cachedSessionKeys()
    expect(keys.length).toBe(SESSION_CACHE_SIZE)
    expect(keys.some((k) => k.includes('|1,1|1,1|'))).toBe(false)
    // the newest is kept
    expect(keys.at(-1)).toContain(`|${SESSION_CACHE_SIZE + 6},1|`)
  })
})
