import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64ByteLength, decodeBase64Bytes } from '../../src/codec/base64-bytes.js'

const STRICT = /^[A-Za-z0-9+/]*={0,2}$/

describe('decodeBase64Bytes', () => {
  it('decodes what Node encodes, bit for bit, for every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64')
        const src = Buffer.from(text, 'latin1')
        const out = new Uint8Array(base64ByteLength(src))
        expect(out.length).toBe(bytes.length)
        expect(decodeBase64Bytes(src, out)).toBe(true)
        expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('accepts exactly the texts the string path accepts (strict alphabet, padding only at the end)', () => {
    const chars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .\n'.split(''))
    fc.assert(
      fc.property(fc.array(chars, { minLength: 1, maxLength: 12 }), (list) => {
        const text = list.join('').padEnd(Math.ceil(list.length / 4) * 4, 'A')
        const src = Buffer.from(text, 'latin1')
        const length = base64ByteLength(src)
        const ok = length >= 0 && decodeBase64Bytes(src, new Uint8Array(Math.max(length, 0)))
        const written = Buffer.alloc(Math.max(length, 0)).write(text, 'base64')
        const stringPath = STRICT.test(text) && written === length
        expect(ok, JSON.stringify(text)).toBe(stringPath)
      }),
      { numRuns: 2000 },
    )
  })
})
