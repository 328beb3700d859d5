import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client/index.js'
import { K, X, liveClient, plus1 } from './server.js'

const live = liveClient()

const values = (a: Float32Array | Int32Array) => Array.from(a)

describe('client: the textbook examples (D2L ch. 6) against a live server', () => {
  it('6.2 X[3,3] ★ K[2,2] → [[19,25],[37,43]] from nested arrays', async () => {
    const { output } = await live.client.conv2d(X, K)
    expect(output.shape).toEqual([2, 2])
    expect(output.data).toBeInstanceOf(Float32Array)
    expect(values(output.data)).toEqual([19, 25, 37, 43])
  })

  it('accepts {shape, data} with a Float32Array or a plain array, same answer', async () => {
    const input = { shape: [3, 3], data: Float32Array.from(X.flat()) }
    const weight = { shape: [2, 2], data: K.flat() }
    const { output } = await live.client.conv2d(input, weight)
    expect(output.shape).toEqual([2, 2])
    expect(values(output.data)).toEqual([19, 25, 37, 43])
  })

  it('a Float32Array view into a larger buffer sends only its own elements', async () => {
    const backing = new Float32Array([99, 99, ...X.flat(), 99])
    const { output } = await live.client.conv2d({ shape: [3, 3], data: backing.subarray(2, 11) }, K)
    expect(values(output.data)).toEqual([19, 25, 37, 43])
  })

  it('14.10 transposed: X[2,2] ⋆ᵀ K[2,2] stride 2 → 4×4; [1,1,2,2] weight [1,2,2,2] with bias keeps the channel axis', async () => {
    const x = [[0, 1], [2, 3]]
    const { output } = await live.client.convTranspose2d(x, x, { stride: 2 })
    expect(output.shape).toEqual([4, 4])
    expect(values(output.data)).toEqual([0, 0, 0, 1, 0, 0, 2, 3, 0, 2, 0, 3, 4, 6, 6, 9])
    const full = await live.client.convTranspose2d({ shape: [1, 1, 2, 2], data: [0, 1, 2, 3] }, { shape: [1, 2, 2, 2], data: [0, 1, 2, 3, 1, 0, 0, 0] }, { bias: [10, -1] })
    expect(full.output.shape).toEqual([1, 2, 3, 3])
    expect(values(full.output.data)).toEqual([10, 10, 11, 10, 14, 16, 14, 22, 19, -1, 0, -1, 1, 2, -1, -1, -1, -1])
    expect(live.client.lastTiming?.compute).toBeGreaterThanOrEqual(0)
  })

  it('6.3 padding 1, stride [3,2] → [[0,8],[6,8]]', async () => {
    const { output } = await live.client.conv2d(X, K, { padding: 1, stride: [3, 2] })
    expect(values(output.data)).toEqual([0, 8, 6, 8])
  })

  it('6.4 two input channels → [[56,72],[104,120]]; three output channels → [3,2,2]', async () => {
    const two = await live.client.conv2d([X, plus1(X)], [K, plus1(K)])
    expect(two.output.shape).toEqual([2, 2])
    expect(values(two.output.data)).toEqual([56, 72, 104, 120])
    const k2 = [K, plus1(K)]
    const three = await live.client.conv2d([X, plus1(X)], [k2, k2.map(plus1), k2.map((m) => plus1(plus1(m)))])
    expect(three.output.shape).toEqual([3, 2, 2])
    expect(values(three.output.data)).toEqual([56, 72, 104, 120, 76, 100, 148, 172, 96, 128, 192, 224])
  })

  it('bias travels as base64 too and is added per output channel', async () => {
    const { output } = await live.client.conv2d(X, [[K]], { bias: [100] })
    expect(output.shape).toEqual([1, 2, 2])
    expect(values(output.data)).toEqual([119, 125, 137, 143])
  })

  it('6.5 max and avg pooling 2×2 stride 1, max with int32 indices', async () => {
    const max = await live.client.pool(X, { kernelSize: 2, stride: 1, returnIndices: true })
    expect(values(max.output.data)).toEqual([4, 5, 7, 8])
    expect(max.indices?.data).toBeInstanceOf(Int32Array)
    expect(max.indices?.shape).toEqual([2, 2])
    expect(values(max.indices!.data)).toEqual([4, 5, 7, 8])
    const avg = await live.client.pool(X, { mode: 'avg', kernelSize: 2, stride: 1 })
    expect(avg.indices).toBeUndefined()
    expect(values(avg.output.data)).toEqual([2, 3, 5, 6])
  })

  it('explain passes through: the worked sums of 19, 25, 37, 43', async () => {
    const { explain } = await live.client.conv2d(X, K, { explain: true })
    expect(explain?.map((e) => e.text)).toEqual([
      '0×0 + 1×1 + 3×2 + 4×3 = 19',
      '1×0 + 2×1 + 4×2 + 5×3 = 25',
      '3×0 + 4×1 + 6×2 + 7×3 = 37',
      '4×0 + 5×1 + 7×2 + 8×3 = 43',
    ])
    const plain = await live.client.conv2d(X, K)
    expect(plain.explain).toBeUndefined()
  })

  it('NaN in a Float32Array input travels bit-exact in base64 and comes back as NaN', async () => {
    const input = { shape: [2, 2], data: new Float32Array([Number.NaN, 1, 2, 3]) }
    const { output } = await live.client.pool(input, { kernelSize: 1 })
    expect(Number.isNaN(output.data[0])).toBe(true)
    expect(values(output.data.subarray(1))).toEqual([1, 2, 3])
  })

  it('shape: 8×8 ★ 3×5, padding [0,1], stride [3,4] → [2,2] with the formula', async () => {
    const reply = await live.client.shape({ op: 'conv2d', inputShape: [8, 8], weightShape: [3, 5], padding: [0, 1], stride: [3, 4] })
    expect(reply.outputShape).toEqual([2, 2])
    expect(reply.formula.h).toBe('⌊(8 − 3 + 0 + 3) / 3⌋ = 2')
  })

  it('lastTiming holds the Server-Timing figures of the last compute call', async () => {
    const fresh = createClient({ baseUrl: live.server.url })
    expect(fresh.lastTiming).toBeUndefined()
    await fresh.conv2d(X, K)
    const timing = fresh.lastTiming
    // the textbook job is tiny, so it runs inline in the TypeScript core: no queue
    expect(timing?.engine).toBe('reference')
    expect(timing?.queue).toBe(0)
    expect(typeof timing?.compute).toBe('number')
    expect(timing!.total!).toBeGreaterThanOrEqual(timing!.compute!)
    await fresh.close()
  })

  it('health and ready', async () => {
    expect(await live.client.health()).toEqual({ status: 'ok' })
    expect(await live.client.ready()).toMatchObject({ ready: true, status: 'ready' })
  })

  it('a base URL with a trailing slash works the same', async () => {
    const slashed = createClient({ baseUrl: `${live.server.url}/` })
    expect(values((await slashed.conv2d(X, K)).output.data)).toEqual([19, 25, 37, 43])
    await slashed.close()
  })

  it('ragged nested input is refused client-side with the path', async () => {
    await expect(live.client.conv2d([[1, 2], [3]], K)).rejects.toThrow(/tensor\[1\] is ragged/)
    await expect(live.client.conv2d({ shape: [3, 3], data: [1, 2] }, K)).rejects.toThrow(/2 values but shape \[3,3\] needs 9/)
  })
})
