/**
 * Strict standard base64 (RFC 4648 §4, padded) decoded from bytes into bytes. Node decodes base64
 * only from a string, and turning a 1 MB body slice into a string costs 3–4 ms here (page-faulting
 * a fresh string) against ~1 ms for this loop; large request bodies keep their base64 as bytes
 * (codec/large-body.ts) and are decoded here.
 */
const VALUE = new Int16Array(256).fill(-1)
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
for (let i = 0; i < 64; i++) VALUE[ALPHABET.charCodeAt(i)] = i
const EQUALS = 61

/** Decoded byte count of a text whose length is a multiple of 4 (padding counted from its end). */
export function base64ByteLength(src: Uint8Array): number {
  const n = src.length
  const padding = n >= 2 && src[n - 1] === EQUALS ? (src[n - 2] === EQUALS ? 2 : 1) : 0
  return (n / 4) * 3 - padding
}

/**
 * Decodes `src` (length a multiple of 4) into `out` (exactly base64ByteLength(src) bytes).
 * Returns false for any character outside the alphabet or an inner or misplaced '=' — everything
 * Node's lenient decoder would skip or read another way. Bits left over in a padded final group
 * are ignored, as Node ignores them, so both paths accept exactly the same texts.
 */
export function decodeBase64Bytes(src: Uint8Array, out: Uint8Array): boolean {
  const n = src.length
  if (n === 0) return out.length === 0
  const last = n - 4
  let o = 0
  for (let i = 0; i < last; i += 4) {
    const a = VALUE[src[i]!]!, b = VALUE[src[i + 1]!]!, c = VALUE[src[i + 2]!]!, d = VALUE[src[i + 3]!]!
    if ((a | b | c | d) < 0) return false
    const v = (a << 18) | (b << 12) | (c << 6) | d
    out[o] = v >> 16
    out[o + 1] = (v >> 8) & 255
    out[o + 2] = v & 255
    o += 3
  }
  // the final group carries the padding
  const a = VALUE[src[last]!]!, b = VALUE[src[last + 1]!]!
  const c3 = src[last + 2]!, d3 = src[last + 3]!
  if ((a | b) < 0) return false
  if (c3 === EQUALS) {
    if (d3 !== EQUALS) return false
    out[o] = (a << 2) | (b >> 4)
    return o + 1 === out.length
  }
  const c = VALUE[c3]!
  if (c < 0) return false
  if (d3 === EQUALS) {
    out[o] = (a << 2) | (b >> 4)
    out[o + 1] = ((b & 15) << 4) | (c >> 2)
    return o + 2 === out.length
  }
  const d = VALUE[d3]!
  if (d < 0) return false
  const v = (a << 18) | (b << 12) | (c << 6) | d
  out[o] = v >> 16
  out[o + 1] = (v >> 8) & 255
  out[o + 2] = v & 255
  return o + 3 === out.length
}

const ALPHABET_BYTES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0))

/** Encoded length of `n` bytes, padded. */
export function base64EncodedLength(n: number): number {
  return Math.ceil(n / 3) * 4
}

/**
 * Standard padded base64 of `src` written into `out` from `offset` — bytes to bytes, so a reply's
 * megabyte of base64 never exists as a JavaScript string (measured here: Buffer#toString('base64')
 * of S2's 800 kB output 3.2 ms, JSON.stringify over the result another 4–5 ms).
 */
export function encodeBase64Bytes(src: Uint8Array, out: Uint8Array, offset: number): number {
  const n = src.length
  const whole = n - (n % 3)
  let o = offset
  for (let i = 0; i < whole; i += 3) {
    const v = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!
    out[o] = ALPHABET_BYTES[v >> 18]!
    out[o + 1] = ALPHABET_BYTES[(v >> 12) & 63]!
    out[o + 2] = ALPHABET_BYTES[(v >> 6) & 63]!
    out[o + 3] = ALPHABET_BYTES[v & 63]!
    o += 4
  }
  const rest = n - whole
  if (rest > 0) {
    const v = (src[whole]! << 16) | (rest === 2 ? src[whole + 1]! << 8 : 0)
    out[o] = ALPHABET_BYTES[v >> 18]!
    out[o + 1] = ALPHABET_BYTES[(v >> 12) & 63]!
    out[o + 2] = rest === 2 ? ALPHABET_BYTES[(v >> 6) & 63]! : EQUALS
    out[o + 3] = EQUALS
    o += 4
  }
  return o
}
