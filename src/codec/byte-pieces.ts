/**
 * Bytes kept in the pieces they arrived in. A large request body comes off the socket in ~64 kB
 * chunks, each in an ArrayBuffer of its own; its base64 strings stay views of those chunks
 * instead of one joined copy, and the chunks move to the worker as they are. The join cost the
 * main thread ~0.2 ms per S2 body (1.24 MB, CPU profile under load) in fresh memory, and that
 * memory set off collections: a bare Fastify route taking S2's bytes used 0.36–0.85 ms more CPU
 * per request with the join than without (five alternating pairs, scratch), half of it in V8's
 * collector threads.
 */
export type BytePieces = readonly Uint8Array[]

export function piecesLength(pieces: BytePieces): number {
  let n = 0
  for (const p of pieces) n += p.length
  return n
}

/** The byte at `index` counted over all pieces (undefined past the end). */
export function byteAt(pieces: BytePieces, index: number): number | undefined {
  for (const p of pieces) {
    if (index < p.length) return p[index]
    index -= p.length
  }
  return undefined
}

/** A Buffer over a view's bytes (no copy), for Node's native searches, decoders and writes. */
export function asBuffer(piece: Uint8Array): Buffer {
  return Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
}

/** Whether any piece holds `byte` (a native search per piece). */
export function piecesInclude(pieces: BytePieces, byte: number): boolean {
  for (const p of pieces) if (asBuffer(p).indexOf(byte) >= 0) return true
  return false
}

/** The pieces as UTF-8 text, joined first when there are several, so a character split between pieces stays whole. */
export function piecesToUtf8(pieces: readonly Buffer[]): string {
  if (pieces.length === 0) return ''
  return pieces.length === 1 ? pieces[0]!.toString('utf8') : Buffer.concat(pieces).toString('utf8')
}

/** The pieces as one Latin-1 string (error paths and small texts only: it is a copy). */
export function piecesToLatin1(pieces: BytePieces): string {
  let text = ''
  for (const p of pieces) text += asBuffer(p).toString('latin1')
  return text
}

/** Whether the view is the whole of an ArrayBuffer (so moving that buffer moves nothing else). */
export function ownsItsBuffer(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength && !(b.buffer instanceof SharedArrayBuffer)
}
