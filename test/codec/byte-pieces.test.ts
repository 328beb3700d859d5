import { describe, expect, it } from 'vitest'
import { byteAt, ownsItsBuffer, piecesInclude, piecesLength, piecesToLatin1, piecesToUtf8 } from '../../src/codec/byte-pieces.js'

describe('byte pieces', () => {
  const own = (text: string) => {
    const b = Buffer.allocUnsafeSlow(text.length)
    b.write(text, 'latin1')
    return b
  }
  const pieces = [own('ab'), own(''), own('cde'), new Uint8Array(own('f').buffer)]

  it('reads the pieces as one run: length, the byte at a position, a byte anywhere, the text', () => {
    expect(piecesLength(pieces)).toBe(6)
    expect([0, 1, 2, 4, 5, 6, -1].map((i) => byteAt(pieces, i))).toEqual([0x61, 0x62, 0x63, 0x65, 0x66, undefined, undefined])
    expect(piecesInclude(pieces, 0x66)).toBe(true)
    expect(piecesInclude(pieces, 0x7a)).toBe(false)
    expect(piecesToLatin1(pieces)).toBe('abcdef')
    expect(piecesToLatin1([])).toBe('')
  })

  it('UTF-8 text of pieces keeps a character split between them whole', () => {
    const bytes = Buffer.from('é→x', 'utf8') // 2 + 3 + 1 bytes
    for (let cut = 0; cut <= bytes.length; cut++) expect(piecesToUtf8([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe('é→x')
    expect(piecesToUtf8([bytes])).toBe('é→x')
    expect(piecesToUtf8([])).toBe('')
  })

  it('a view owns its buffer only when it is the whole of an ArrayBuffer of its own', () => {
    expect(ownsItsBuffer(own('xyz'))).toBe(true)
    expect(ownsItsBuffer(own('xyz').subarray(1))).toBe(false)
    expect(ownsItsBuffer(Buffer.from('pooled'))).toBe(false) // Node's shared pool for small buffers
    expect(ownsItsBuffer(new Uint8Array(new SharedArrayBuffer(4)))).toBe(false)
  })
})
