import { describe, expect, it } from 'vitest'
import { attachBase64Bytes, BASE64_PIECE, decodeTensor } from '../../src/codec/decode.js'
import { ApiError } from '../../src/errors.js'

/**
 * The base64 form is checked through the decoder's byte count instead of a regex over the whole
 * text (codec/decode.ts): every way Node's lenient decoder could accept a non-standard text must
 * still be refused.
 */
const b64 = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString('base64')

/** `bytes`: the text kept as its UTF-8 bytes, as a large body's base64 is (codec/large-body.ts) */
function code(base64: string, shape: number[], bytes = false): string | undefined {
  try {
    const tensor = { shape, dtype: 'float32', base64: bytes ? 'placeholder' : base64 }
    if (bytes) attachBase64Bytes(tensor, [Buffer.from(base64, 'utf8')])
    decodeTensor(tensor, 'input', 1 << 20)
    return undefined
  } catch (error) {
    return error instanceof ApiError ? error.code : String(error)
  }
}

describe('base64 tensors', () => {
  it('decodes standard base64 bit-exact, with each padding length', () => {
    for (const values of [[1.5, -2, 3.25], [Math.PI], [0, -0, 1e-40, 3.4e38, NaN, -Infinity]]) {
      const decoded = decodeTensor({ shape: [values.length], dtype: 'float32', base64: b64(values) }, 'input', 1 << 20)
      expect(Array.from(decoded.data)).toEqual(Array.from(new Float32Array(values)))
      expect(decoded.form).toBe('base64')
    }
  })

  it('refuses characters Node would skip, stop at, or read another way', () => {
    const good = b64([1, 2, 3]) // 12 bytes, 16 characters, no padding
    expect(good).toHaveLength(16)
    const swap = (at: number, ch: string) => good.slice(0, at) + ch + good.slice(at + 1)
    for (const bad of [swap(5, '!'), swap(5, ' '), swap(5, '\n'), swap(5, '-'), swap(5, '_'), swap(5, '='), swap(5, '\u0141'), swap(5, '\u00c1'), swap(15, '\uFF21')]) {
      expect(bad).toHaveLength(16)
      expect(code(bad, [3]), JSON.stringify(bad)).toBe('INVALID_BASE64')
      expect(code(bad, [3], true), `${JSON.stringify(bad)} as bytes`).toBe('INVALID_BASE64')
    }
    expect(code(good, [3], true)).toBeUndefined()
  })

  it('decodes a text kept as bytes exactly as the same text as a string', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e3)
    const tensor = { shape: [1000], dtype: 'float32', base64: 'placeholder' }
    attachBase64Bytes(tensor, [Buffer.from(b64(values), 'latin1')])
    expect(Array.from(decodeTensor(tensor, 'input', 1 << 20).data)).toEqual(Array.from(new Float32Array(values)))
  })

  it('refuses unpadded or over-padded text', () => {
    expect(code(b64([1]).replace(/=+$/, ''), [1])).toBe('INVALID_BASE64')
    expect(code('AAA===', [1])).toBe('INVALID_BASE64')
    expect(code('A===', [1])).toBe('INVALID_BASE64')
    expect(code('AAA===', [1], true)).toBe('INVALID_BASE64')
    expect(code(b64([1]).replace(/=+$/, ''), [1], true)).toBe('INVALID_BASE64')
  })

  it('calls a bad text a format error before a length mismatch, and a good one of the wrong size a mismatch', () => {
    expect(code('!!!!', [3, 3])).toBe('INVALID_BASE64')
    expect(code(b64([1, 2, 3]), [3, 3])).toBe('SHAPE_MISMATCH')
  })

  describe('a text kept as bytes spanning several decoding pieces', () => {
    const values = Array.from({ length: 60_000 }, (_, i) => Math.cos(i) * 100)
    const good = b64(values) // 240,000 bytes → 320,000 characters: 4 pieces
    const swap = (at: number, ch: string) => good.slice(0, at) + ch + good.slice(at + ch.length)

    it('decodes exactly', () => {
      expect(good.length).toBeGreaterThan(3 * BASE64_PIECE)
      const tensor = { shape: [values.length], dtype: 'float32', base64: 'placeholder' }
      attachBase64Bytes(tensor, [Buffer.from(good, 'latin1')])
      expect(Array.from(decodeTensor(tensor, 'input', 1 << 20).data)).toEqual(Array.from(new Float32Array(values)))
    })

    it('refuses a bad character in any piece, and padding at the end of an inner piece', () => {
      const bad = [
        swap(10, '!'),
        swap(BASE64_PIECE + 7, '*'),
        swap(2 * BASE64_PIECE - 1, '-'),
        swap(3 * BASE64_PIECE + 100, '_'),
        swap(good.length - 5, ' '),
        swap(BASE64_PIECE - 2, '=='),
        swap(2 * BASE64_PIECE - 4, 'A==='),
      ]
      for (const text of bad) {
        expect(text).toHaveLength(good.length)
        expect(code(text, [values.length], true)).toBe('INVALID_BASE64')
      }
      const nonAscii = Buffer.from(good, 'latin1')
      nonAscii[BASE64_PIECE + 3] = 0xc1
      const tensor = { shape: [values.length], dtype: 'float32', base64: 'placeholder' }
      attachBase64Bytes(tensor, [nonAscii])
      expect(() => decodeTensor(tensor, 'input', 1 << 20)).toThrow(/input\.base64 is not standard padded base64/)
    })
  })

  describe('a text kept as the chunks it arrived in (cut anywhere, not at groups of four)', () => {
    const values = Array.from({ length: 60_000 }, (_, i) => Math.sin(i / 7) * 50)
    const good = b64(values) // 320,000 characters: more than three decoding pieces
    /** the text cut at `cuts` into separate buffers, as a body's chunks are */
    const chunked = (text: string, cuts: number[]) => {
      const bytes = Buffer.from(text, 'latin1')
      const at = [0, ...cuts, bytes.length]
      return at.slice(1).map((end, i) => Buffer.from(bytes.subarray(at[i]!, end)))
    }
    const decode = (pieces: Buffer[]) => {
      const tensor = { shape: [values.length], dtype: 'float32', base64: 'placeholder' }
      attachBase64Bytes(tensor, pieces)
      return decodeTensor(tensor, 'input', 1 << 20).data
    }
    const cutSets = [
      [1],
      [2, 3, 5],
      [65_535, 65_536 + 1],
      [BASE64_PIECE - 1, BASE64_PIECE + 2, 2 * BASE64_PIECE + 3],
      [7, 7, 8, 9, 10, 11], // an empty piece and pieces shorter than a group
      Array.from({ length: 40 }, (_, i) => 13 + i * 2_611),
    ]

    it('decodes exactly wherever the cuts fall', () => {
      expect(good.length).toBeGreaterThan(2 * BASE64_PIECE + 3)
      const expected = Array.from(new Float32Array(values))
      for (const cuts of cutSets) expect(Array.from(decode(chunked(good, cuts))), `cuts ${cuts.join(',')}`).toEqual(expected)
    })

    it('refuses a bad character next to a cut and padding inside the text', () => {
      const swap = (at: number, ch: string) => good.slice(0, at) + ch + good.slice(at + ch.length)
      const cut = 65_537 // not a multiple of 4
      for (const [text, why] of [
        [swap(cut - 1, '!'), 'before a cut'],
        [swap(cut, '*'), 'after a cut'],
        [swap(cut + 1, '-'), 'URL-safe'],
        [swap(cut - 2, '=='), 'padding across a cut'],
        [swap(cut - 3, 'A=='), 'padding before a cut'],
      ] as const) {
        expect(() => decode(chunked(text, [cut, cut + 2])), why).toThrow(/input\.base64 is not standard padded base64/)
      }
    })
  })
})
