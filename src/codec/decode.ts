import { ApiError } from '../errors.js'
import { asBuffer, byteAt, piecesInclude, piecesLength, piecesToLatin1, type BytePieces } from './byte-pieces.js'
import { toFloat32 } from './float32.js'
import { decodeNumberText, numberArrayOf, type NumberText } from './number-text.js'
import { checkElements, probeNestedShape } from './shape.js'

export type WireForm = 'nested' | 'flat' | 'base64'

export interface Decoded {
  readonly shape: number[]
  readonly data: Float32Array
  readonly form: WireForm
}

const MAX_RANK = 4
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * Wire form → Float32Array + shape. Element counts are checked against `maxElements` from the
 * shape alone, before anything is allocated (typed arrays live off-heap: no V8 limit stops them).
 * Every allocation is a fresh ArrayBuffer of exactly the tensor's size, so it can be transferred
 * to a worker thread as is.
 */
export function decodeTensor(value: unknown, field: string, maxElements: number): Decoded {
  if (Array.isArray(value)) return decodeNested(value, field, maxElements)
  if (isBase64Form(value)) return decodeBase64(value, field, maxElements)
  if (value !== null && typeof value === 'object' && 'data' in value) return decodeFlat(value as Record<string, unknown>, field, maxElements)
  throw new ApiError('INVALID_TENSOR', `${field} must be nested arrays, {shape, data} or {shape, dtype, base64}`)
}

function checkShape(shape: unknown, field: string, maxElements: number): number[] {
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > MAX_RANK) {
    throw new ApiError('INVALID_TENSOR', `${field}.shape must list 1 to ${MAX_RANK} dimensions`)
  }
  let size = 1
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new ApiError('INVALID_TENSOR', `${field}.shape[${i}] must be an integer ≥ 0, got ${JSON.stringify(d)}`)
    }
    size *= d
  }
  checkElements(size, shape as number[], field, maxElements)
  return shape as number[]
}

/**
 * A tensor whose numbers are still the body's bytes (codec/number-text.ts) → the checks made here
 * on parsed arrays, with the same messages: the element limit, and for a flat tensor the count
 * against its shape; undefined when the tensor's numbers are not bytes.
 */
export function checkNumberTensor(value: unknown, field: string, maxElements: number): NumberText | undefined {
  const numbers = numberArrayOf(value)
  if (!numbers) return undefined
  if (Array.isArray(value)) {
    const shape = [...numbers.shape]
    const size = shape.reduce((a, b) => a * b, 1)
    checkElements(size, shape, field, maxElements)
    return { field, form: 'nested', shape, size, text: numbers.bytes }
  }
  const shape = checkShape((value as { shape?: unknown }).shape, field, maxElements)
  const size = shape.reduce((a, b) => a * b, 1)
  const count = numbers.shape[0]!
  if (count !== size) {
    throw new ApiError('SHAPE_MISMATCH', `${field}.data has ${count} values but shape [${shape.join(',')}] needs ${size}`)
  }
  return { field, form: 'flat', shape, size, text: numbers.bytes }
}

function decodeFlat(v: Record<string, unknown>, field: string, maxElements: number): Decoded {
  const numbers = checkNumberTensor(v, field, maxElements)
  if (numbers) return { shape: numbers.shape, data: decodeNumberText(numbers), form: 'flat' }
  const shape = checkShape(v.shape, field, maxElements)
  const values = v.data
  if (!Array.isArray(values)) throw new ApiError('INVALID_TENSOR', `${field}.data must be an array of numbers`)
  const size = shape.reduce((a, b) => a * b, 1)
  if (values.length !== size) {
    throw new ApiError(
      'SHAPE_MISMATCH',
      `${field}.data has ${values.length} values but shape [${shape.join(',')}] needs ${size}`,
    )
  }
  const data = new Float32Array(size)
  for (let i = 0; i < size; i++) data[i] = toFloat32(values[i], () => `${field}.data[${i}]`)
  return { shape, data, form: 'flat' }
}

/**
 * Base64 tensors of large bodies whose text stayed as bytes (codec/large-body.ts): the wire
 * object (its `base64` a placeholder string) → those bytes.
 */
const base64Bytes = new WeakMap<object, BytePieces>()

export function attachBase64Bytes(tensor: object, bytes: BytePieces): void {
  base64Bytes.set(tensor, bytes)
}

/**
 * A base64 tensor whose shape, dtype and text length are checked but whose text is not yet
 * read: everything a client can get wrong except a bad character, found without touching the
 * megabyte. A large body's text is still its bytes, and then the decoding can happen on a worker.
 */
export interface Base64Text {
  readonly field: string
  readonly shape: number[]
  readonly size: number
  readonly text: string | BytePieces
}

/** A large body's text is still its bytes; otherwise the client's value, which must be a string. */
function base64TextOf(v: Record<string, unknown>): string | BytePieces | undefined {
  return base64Bytes.get(v) ?? (typeof v.base64 === 'string' ? v.base64 : undefined)
}

export function isBase64Form(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'base64' in value
}

export function checkBase64Tensor(v: Record<string, unknown>, field: string, maxElements: number): Base64Text {
  const shape = checkShape(v.shape, field, maxElements)
  if (v.dtype !== undefined && v.dtype !== 'float32') {
    throw new ApiError('INVALID_TENSOR', `${field}.dtype must be "float32", got ${JSON.stringify(v.dtype)}`)
  }
  const text = base64TextOf(v)
  if (text === undefined || textLength(text) % 4 !== 0) throw invalidBase64(field)
  // only the last 2 characters may be '=': an earlier one is caught while decoding
  const size = shape.reduce((a, b) => a * b, 1)
  const bytes = decodedLength(text)
  if (bytes !== 4 * size) {
    // the rare error path may afford the full alphabet check: a bad text is a format error first
    if (!BASE64.test(asString(text))) throw invalidBase64(field)
    throw new ApiError(
      'SHAPE_MISMATCH',
      `${field}.base64 holds ${bytes} bytes but shape [${shape.join(',')}] needs ${4 * size} (4 bytes × ${size} float32)`,
    )
  }
  return { field, shape, size, text }
}

/**
 * The checked text → a fresh Float32Array (its own buffer, transferable), decoded by Node (native,
 * ~7× a JavaScript loop) straight into the tensor's buffer.
 */
export function decodeBase64Text(t: Base64Text): Float32Array {
  const data = new Float32Array(t.size)
  const out = Buffer.from(data.buffer)
  if (typeof t.text === 'string') {
    if (!decodedExactly(t.text, out.write(t.text, 'base64'), out.length)) throw invalidBase64(t.field)
  } else if (!decodePieces(t.text, out)) throw invalidBase64(t.field)
  if (BIG_ENDIAN) swapBytes(data)
  return data
}

/**
 * Base64 characters per piece when decoding bytes: a multiple of 4. Node decodes only from a
 * string, and a string over ~128 kB goes to V8's large-object space, where only a full
 * mark-compact frees it: S2's 1 MB input as one string cost ~1 ms of page faults and a
 * mark-compact every few requests. Pieces this size live and die in the young generation, and a
 * body's chunk (Node's HTTP parser gives up to 64 kB) decodes as one piece: with 48 kB pieces, S2's
 * input in its 18 chunks decoded 1.29–1.33× as slowly as the same text in one buffer, with 96 kB
 * 1.11–1.15× (scratch/decode-pieces.ts, three alternating runs each).
 */
export const BASE64_PIECE = 96 * 1024

function decodePieces(pieces: BytePieces, out: Buffer): boolean {
  // Node would read the URL-safe '-' and '_' as '+' and '/', so they are refused here
  // (Buffer#indexOf is a native byte search; a Uint8Array's is an element loop, 0.3 ms per MB).
  // No ASCII pass: a byte above 0x7f becomes a Latin-1 letter outside the alphabet, which the
  // decoder skips, so the piece's length check below refuses it (the bytes of a large body were
  // also checked as ASCII when they were cut out, codec/large-body.ts).
  if (piecesInclude(pieces, 0x2d) || piecesInclude(pieces, 0x5f)) return false
  let at = 0
  // the characters of a group of four that a piece's end split off (0–3 of them)
  let pending = ''
  const write = (text: string): boolean => {
    // a skipped or stopping character leaves fewer bytes than the text's length promises
    const written = out.write(text, at, 'base64')
    at += written
    return written === decodedLength(text)
  }
  for (const piece of pieces) {
    const bytes = asBuffer(piece)
    let i = 0
    if (pending.length > 0) {
      const need = Math.min(4 - pending.length, bytes.length)
      pending += bytes.toString('latin1', 0, need)
      i = need
      if (pending.length < 4) continue
      if (!write(pending)) return false
      pending = ''
    }
    const whole = i + Math.floor((bytes.length - i) / 4) * 4
    for (; i < whole; i += BASE64_PIECE) {
      if (!write(bytes.toString('latin1', i, Math.min(i + BASE64_PIECE, whole)))) return false
    }
    if (whole < bytes.length) pending = bytes.toString('latin1', whole, bytes.length)
  }
  return pending.length === 0 && at === out.length
}

/** A tensor whose values are still text: a large body's base64 or numbers, checked but not yet read. */
export type DeferredTensor = Base64Text | NumberText

export function decodeDeferred(t: DeferredTensor): Float32Array {
  // a number text names its form (nested or flat); a base64 text has no need to
  return 'form' in t ? decodeNumberText(t) : decodeBase64Text(t)
}

function decodeBase64(v: Record<string, unknown>, field: string, maxElements: number): Decoded {
  const checked = checkBase64Tensor(v, field, maxElements)
  return { shape: checked.shape, data: decodeBase64Text(checked), form: 'base64' }
}

const invalidBase64 = (field: string) => new ApiError('INVALID_BASE64', `${field}.base64 is not standard padded base64`)

function asString(text: string | BytePieces): string {
  return typeof text === 'string' ? text : piecesToLatin1(text)
}

function textLength(text: string | BytePieces): number {
  return typeof text === 'string' ? text.length : piecesLength(text)
}

/** Decoded byte count of a text whose length is a multiple of 4 (padding counted from its end). */
function decodedLength(text: string | BytePieces): number {
  const n = textLength(text)
  const at = (i: number) => (typeof text === 'string' ? text.charCodeAt(i) : byteAt(text, i))
  const padding = n > 0 && at(n - 1) === EQUALS ? (at(n - 2) === EQUALS ? 2 : 1) : 0
  return (n / 4) * 3 - padding
}

const EQUALS = 0x3d

/** The wire is little-endian; a big-endian host swaps bytes (no common one runs Node today). */
export const BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0

/**
 * Whether Node's lenient decoder read `text` as strict standard base64, without a second pass of
 * the regex (which cost 6.2 ms on S2's 1 MB input text here, 4× the convolution itself; this check
 * costs ~0.2 ms). The length is already a multiple of 4 with `expected` bytes. Node skips
 * characters outside the alphabet and stops at an inner '=', so any such character leaves fewer
 * bytes written; it also accepts the URL-safe '-' and '_', and reads a character above U+00FF by
 * its low byte ('\u0141' as 'A'), so those are excluded explicitly (a non-ASCII character makes
 * the UTF-8 length exceed the string length).
 */
function decodedExactly(text: string, written: number, expected: number): boolean {
  return written === expected && text.indexOf('-') < 0 && text.indexOf('_') < 0 && Buffer.byteLength(text, 'utf8') === text.length
}

/** The wire is little-endian; only a big-endian host needs to swap (no common one runs Node today). */
export function swapBytes(view: Float32Array | Int32Array): void {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
  for (let i = 0; i < bytes.length; i += 4) {
    const a = bytes[i]!, b = bytes[i + 1]!
    bytes[i] = bytes[i + 3]!
    bytes[i + 1] = bytes[i + 2]!
    bytes[i + 2] = b
    bytes[i + 3] = a
  }
}

/**
 * Nested arrays: the shape is read from the first element at each depth, the element count checked, then every row is checked
 * against that shape while it is copied, so the first ragged row is reported with its path.
 */
function decodeNested(value: unknown[], field: string, maxElements: number): Decoded {
  const numbers = checkNumberTensor(value, field, maxElements)
  if (numbers) return { shape: numbers.shape, data: decodeNumberText(numbers), form: 'nested' }
  const shape = probeNestedShape(value, field)
  if (shape.includes(0)) throw new ApiError('INVALID_TENSOR', `${field} has an empty dimension (shape [${shape.join(',')}])`)
  const size = shape.reduce((a, b) => a * b, 1)
  checkElements(size, shape, field, maxElements)
  const data = new Float32Array(size)
  const rank = shape.length
  const rowLength = shape[rank - 1]!
  // Walk the rows (all but the last axis) with an explicit index vector.
  const index = new Array<number>(rank - 1).fill(0)
  const rows = size / rowLength
  const path = (extra: number[]) => field + [...extra].map((i) => `[${i}]`).join('')
  for (let r = 0; r < rows; r++) {
    let node: unknown = value
    for (let d = 0; d < rank - 1; d++) {
      const arr = node as unknown[]
      node = arr[index[d]!]
      if (!Array.isArray(node) || node.length !== shape[d + 1]) {
        const where = path(index.slice(0, d + 1))
        if (!Array.isArray(node)) {
          throw new ApiError('RAGGED_TENSOR', `${where} must be an array of ${shape[d + 1]} elements (shape [${shape.join(',')}]), got ${JSON.stringify(node)}`)
        }
        throw new ApiError('RAGGED_TENSOR', `${where} has ${node.length} elements but ${shape[d + 1]} were expected (shape [${shape.join(',')}] from the first elements)`)
      }
    }
    const row = node as unknown[]
    const base = r * rowLength
    for (let i = 0; i < rowLength; i++) {
      const x = row[i]
      if (Array.isArray(x)) {
        throw new ApiError('RAGGED_TENSOR', `${path([...index, i])} is an array but a number was expected (shape [${shape.join(',')}])`)
      }
      data[base + i] = toFloat32(x, () => path([...index, i]))
    }
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break
      index[d] = 0
    }
  }
  return { shape, data, form: 'nested' }
}
