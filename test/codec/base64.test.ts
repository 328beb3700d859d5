import { describe, expect, it } from 'vitest'
import { decodeTensor } from '../../src/codec/decode.js'
import { ApiError } from '../../src/errors.js'

/**
 * The base64 form is checked through the decoder's byte count instead of a regex over the whole
 * text (codec/decode.ts): every way Node's lenient decoder could accept a non-standard text must
 * still be refused.
 */
const b64 = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString('base64')

function code(base64: string, shape: number[]): string | undefined {
  try {
    decodeTensor({ shape, dtype: 'float32', base64 }, 'input', 1 << 20)
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
    }
  })

  it('refuses unpadded or over-padded text', () => {
    expect(code(b64([1]).replace(/=+$/, ''), [1])).toBe('INVALID_BASE64')
    expect(code('AAA===', [1])).toBe('INVALID_BASE64')
    expect(code('A===', [1])).toBe('INVALID_BASE64')
  })

  it('calls a bad text a format error before a length mismatch, and a good one of the wrong size a mismatch', () => {
    expect(code('!!!!', [3, 3])).toBe('INVALID_BASE64')
    expect(code(b64([1, 2, 3]), [3, 3])).toBe('SHAPE_MISMATCH')
  })
})
