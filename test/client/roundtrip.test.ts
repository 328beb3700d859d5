import { describe, expect, it } from 'vitest'
import { conv2d, resolveConv2d } from '../../src/core/index.js'
import { liveClient } from './server.js'

// A ResNet-style layer: 1×64×56×56 ★ 64×64×3×3, padding 1 (231 MFLOPs, 800 kB in and out).
const INPUT_SHAPE = [1, 64, 56, 56]
const WEIGHT_SHAPE = [64, 64, 3, 3]

/** Deterministic values in [-1, 1) with fractional bits, so a lossy wire would show. */
function seeded(length: number, seed: number): Float32Array {
  const out = new Float32Array(length)
  let state = seed >>> 0
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    out[i] = state / 2 ** 31 - 1
  }
  return out
}

const input = { shape: INPUT_SHAPE, data: seeded(64 * 56 * 56, 1) }
const weight = { shape: WEIGHT_SHAPE, data: seeded(64 * 64 * 9, 2) }
const expected = conv2d(resolveConv2d(INPUT_SHAPE, WEIGHT_SHAPE, undefined, { padding: 1 }), input.data, weight.data)

describe('client: base64 round trip of a 1×64×56×56 ★ 64×64×3×3 job', () => {
  const live = liveClient({ engine: 'reference' })

  it('equals the core result bit for bit when the server computes with the same core', async () => {
    const { output } = await live.client.conv2d(input, weight, { padding: 1 })
    expect(output.shape).toEqual([1, 64, 56, 56])
    expect(output.data.length).toBe(expected.length)
    // compare the bytes: equal Float32 bit patterns, so nothing was lost in base64 either way
    expect(Buffer.from(output.data.buffer).equals(Buffer.from(expected.buffer))).toBe(true)
    expect(live.client.lastTiming?.engine).toBe('reference')
  })
})

describe('client: the same job on the default engine', () => {
  const live = liveClient()

  it('agrees with the core to float32 summation-order error (576 terms per output)', async () => {
    const { output } = await live.client.conv2d(input, weight, { padding: 1 })
    let worst = 0
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(output.data[i]! - expected[i]!))
    expect(worst).toBeLessThan(1e-3)
    expect(live.client.lastTiming?.engine).toBe('onnxruntime')
  })
})
