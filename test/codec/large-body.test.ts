import { describe, expect, it } from 'vitest'
import { restoreLongStrings, splitLongStrings } from '../../src/codec/large-body.js'

describe('splitLongStrings', () => {
  it('cuts long ASCII values out as bytes and leaves keys, short and escaped strings in the text', () => {
    const long = 'A'.repeat(40)
    const body = Buffer.from(JSON.stringify({ input: { shape: [10], base64: long }, [long]: 1, note: `x\\"${long}`, s: 'short' }))
    const split = splitLongStrings(body, 16)!
    expect(split.strings.map((b) => b.toString('latin1'))).toEqual([long])
    const value = JSON.parse(split.text) as Record<string, unknown>
    expect(value[long]).toBe(1)
    expect((value.input as { base64: string }).base64.startsWith(split.marker)).toBe(true)
    expect(restoreLongStrings(value, split)).toMatchObject({ input: { shape: [10] }, s: 'short', note: `x\\"${long}` })
  })

  it('the bytes belong to a buffer of the body alone, even when the body came from Node\'s shared pool', () => {
    // small Buffers share one pool ArrayBuffer: moving it to a worker would detach every other one
    const pooled = Buffer.from(JSON.stringify({ input: { shape: [1], base64: 'AAAAAAAAAAAAAAAA' } }))
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length)
    const split = splitLongStrings(pooled, 8)!
    const own = split.strings[0]!
    expect(own.buffer).not.toBe(pooled.buffer)
    expect(own.buffer.byteLength).toBe(pooled.length)
    expect(own.toString('latin1')).toBe('AAAAAAAAAAAAAAAA')
  })

  it('each body gets a marker of its own: a placeholder copied from one body is plain text in the next', () => {
    const first = splitLongStrings(Buffer.from(JSON.stringify({ input: { shape: [10], base64: 'A'.repeat(40) } })), 16)!
    const forged = `${first.marker}0`
    const other = 'B'.repeat(40)
    const second = splitLongStrings(Buffer.from(JSON.stringify({ other, note: forged })), 16)!
    expect(second.marker).not.toBe(first.marker)
    expect(second.marker.startsWith('\u0000')).toBe(true)
    // the client's own text stays; only this body's placeholder gets its string back
    expect(restoreLongStrings(JSON.parse(second.text), second)).toEqual({ other, note: forged })
  })
})
