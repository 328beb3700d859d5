import { describe, expect, it } from 'vitest'
import { piecesToLatin1 } from '../../src/codec/byte-pieces.js'
import { restoreLargeValues, splitLargeValues } from '../../src/codec/large-body.js'
import { numberArrayOf } from '../../src/codec/number-text.js'

describe('splitLargeValues', () => {
  it('cuts long ASCII values out as bytes and leaves keys, short and escaped strings in the text', () => {
    const long = 'A'.repeat(40)
    const body = Buffer.from(JSON.stringify({ input: { shape: [10], base64: long }, [long]: 1, note: `x\\"${long}`, s: 'short' }))
    const split = splitLargeValues(body, 16)!
    expect(split.cuts.map((c) => piecesToLatin1(c.bytes))).toEqual([long])
    const value = JSON.parse(split.text) as Record<string, unknown>
    expect(value[long]).toBe(1)
    expect((value.input as { base64: string }).base64.startsWith(split.marker)).toBe(true)
    expect(restoreLargeValues(value, split)).toMatchObject({ input: { shape: [10] }, s: 'short', note: `x\\"${long}` })
  })

  it('the bytes belong to a buffer of the body alone, even when the body came from Node\'s shared pool', () => {
    // small Buffers share one pool ArrayBuffer: moving it to a worker would detach every other one
    const pooled = Buffer.from(JSON.stringify({ input: { shape: [1], base64: 'AAAAAAAAAAAAAAAA' } }))
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length)
    const split = splitLargeValues(pooled, 8)!
    expect(split.cuts[0]!.bytes).toHaveLength(1)
    const own = split.cuts[0]!.bytes[0]!
    expect(own.buffer).not.toBe(pooled.buffer)
    expect(own.buffer.byteLength).toBe(pooled.length)
    expect(piecesToLatin1(split.cuts[0]!.bytes)).toBe('AAAAAAAAAAAAAAAA')
  })

  it('each body gets a marker of its own: a placeholder copied from one body is plain text in the next', () => {
    const first = splitLargeValues(Buffer.from(JSON.stringify({ input: { shape: [10], base64: 'A'.repeat(40) } })), 16)!
    const forged = `${first.marker}0`
    const other = 'B'.repeat(40)
    const second = splitLargeValues(Buffer.from(JSON.stringify({ other, note: forged })), 16)!
    expect(second.marker).not.toBe(first.marker)
    expect(second.marker.startsWith('\u0000')).toBe(true)
    // the client's own text stays; only this body's placeholder gets its string back
    expect(restoreLargeValues(JSON.parse(second.text), second)).toEqual({ other, note: forged })
  })

  describe('a body in the chunks it arrived in gives what the same bytes in one buffer give', () => {
    // long values, keys, escapes and multi-byte characters, so that chunk edges fall inside each
    const b = (n: number, c: string) => c.repeat(n)
    const value = {
      input: { shape: [3, 10], dtype: 'float32', base64: b(40, 'Q') },
      ['k' + b(30, 'y')]: 'short',
      note: `quote \" and backslash \\ in ${b(30, 'z')}`,
      weight: { shape: [7], base64: b(28, 'W') },
      text: `héllo ✓ ${b(25, 'ü')}`,
      kernel: [[1.5, -2, 3e-7], [4, 5.25, -6], [7, 8, 9.125]],
      grid: [0.001, 123456.75, -42, 1e-30, 7, 8],
      tail: b(20, 'T') + '\\',
    }
    const whole = Buffer.from(JSON.stringify(value))
    const viaOneBuffer = splitLargeValues(whole, 16)!
    /** the body cut at `cuts` into chunks each in a buffer of its own, as Node's HTTP parser gives them */
    const cutAt = (cuts: number[]) => {
      const at = [0, ...cuts, whole.length]
      return at.slice(1).map((end, i) => {
        const chunk = Buffer.allocUnsafeSlow(end - at[i]!)
        whole.copy(chunk, 0, at[i]!, end)
        return chunk
      })
    }
    const normalised = (split: NonNullable<ReturnType<typeof splitLargeValues>>) => ({
      // the text holds each placeholder JSON-escaped
      text: split.text.split(JSON.stringify(split.marker).slice(1, -1)).join('<marker>'),
      strings: split.cuts.map((c) => piecesToLatin1(c.bytes)),
    })

    it('for a chunk edge at every position (and at every pair of positions 1–3 apart)', () => {
      const expected = normalised(viaOneBuffer)
      expect(expected.strings).toEqual([b(40, 'Q'), b(28, 'W'), JSON.stringify(value.kernel), JSON.stringify(value.grid)])
      expect(viaOneBuffer.cuts.map((c) => c.shape)).toEqual([undefined, undefined, [3, 3], [6]])
      for (let cut = 1; cut < whole.length; cut++) {
        for (const cuts of [[cut], [cut, cut + 1], [cut, cut + 3]]) {
          const split = splitLargeValues(cutAt(cuts.filter((c) => c < whole.length)), 16)
          expect(split && normalised(split), `cuts ${cuts.join(',')}`).toEqual(expected)
          expect(restoreLargeValues(JSON.parse(split!.text), split!)).toMatchObject({ note: value.note, text: value.text, tail: value.tail, grid: value.grid })
        }
      }
    })

    it('for one-byte chunks, and each string\'s pieces are views of those chunks', () => {
      const chunks = cutAt(Array.from({ length: whole.length - 1 }, (_, i) => i + 1))
      const split = splitLargeValues(chunks, 16)!
      expect(normalised(split)).toEqual(normalised(viaOneBuffer))
      const owners = new Set(chunks.map((c) => c.buffer))
      for (const { bytes } of split.cuts) for (const p of bytes) expect(owners.has(p.buffer as ArrayBuffer)).toBe(true)
    })
  })
  describe('arrays of numbers after parsing', () => {
    const nested = [[[[1, 2], [3, 4]]]]
    const split = (body: unknown) => {
      const cut = splitLargeValues(Buffer.from(JSON.stringify(body)), 8)!
      return restoreLargeValues(JSON.parse(cut.text), cut) as Record<string, unknown>
    }
    it('a tensor field of nested arrays becomes the stand-in [0], leading to the bytes and shape', () => {
      const body = split({ input: nested, kernel: [[0.5, 1.5]] })
      expect(body.input).toEqual([0])
      expect(numberArrayOf(body.input)?.shape).toEqual([1, 1, 2, 2])
      expect(piecesToLatin1(numberArrayOf(body.input)!.bytes)).toBe('[[[[1,2],[3,4]]]]')
      expect(numberArrayOf(body.kernel)?.shape).toEqual([1, 2])
    })
    it('a flat tensor\'s data becomes the stand-in [], the tensor object leading to the numbers', () => {
      const body = split({ input: { shape: [2, 2], data: [1, 2, 3, 4] } }) as { input: { shape: number[]; data: unknown[] } }
      expect(body.input).toEqual({ shape: [2, 2], data: [] })
      expect(numberArrayOf(body.input)?.shape).toEqual([4])
    })
    it('numbers anywhere else, or of a rank their place cannot have, get their value back', () => {
      const body = { input: { shape: [2, 2], data: [[1, 2], [3, 4]] }, weight: { shape: [4], base64: [1, 2, 3, 4] }, other: nested, list: [nested] }
      const restored = split(body)
      expect(restored).toEqual(body)
      expect(numberArrayOf(restored.input)).toBeUndefined()
      expect(numberArrayOf(restored.other)).toBeUndefined()
    })
  })
})
