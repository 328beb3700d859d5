import { ApiError } from '../errors.js'
import { base64ByteLength, decodeBase64Bytes } from './base64-bytes.js'
import { checkElements, probeNestedShape } from './shape.js'

export type WireForm = 'nested' | 'flat' | 'base64'

export interface Decoded {
  readonly shape: number[]
  readonly data: Float32Array
  readonly form: WireForm
}

/** float32's largest finite value: a JSON number beyond it would round to ±Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38
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
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>
    if ('base64' in v) return decodeBase64(v, field, maxElements)
    if ('data' in v) return decodeFlat(v, field, maxElements)
  }
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

function toFloat32(x: unknown, path: () => string): number {
  if (typeof x !== 'number') {
    throw new ApiError('INVALID_TENSOR', `${path()} must be a number, got ${JSON.stringify(x)}`)
  }
  if (!Number.isFinite(x)) throw new ApiError('NON_FINITE', `${path()} is not finite`)
  if (Math.abs(x) > FLOAT32_MAX) {
    throw new ApiError('NON_FINITE', `${path()} = ${x} overflows float32 (largest magnitude ${FLOAT32_MAX})`)
  }
  return x
}

function decodeFlat(v: Record<string, unknown>, field: string, maxElements: number): Decoded {
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
const base64Bytes = new WeakMap<object, Uint8Array>()

export function attachBase64Bytes(tensor: object, bytes: Uint8Array): void {
  base64Bytes.set(tensor, bytes)
}

function decodeBase64(v: Record<string, unknown>, field: string, maxElements: number): Decoded {
  const shape = checkShape(v.shape, field, maxElements)
  if (v.dtype !== undefined && v.dtype !== 'float32') {
    throw new ApiError('INVALID_TENSOR', `${field}.dtype must be "float32", got ${JSON.stringify(v.dtype)}`)
  }
  const raw = base64Bytes.get(v)
  const text: string | Uint8Array | undefined = raw ?? (typeof v.base64 === 'string' ? v.base64 : undefined)
  if (text === undefined || text.length % 4 !== 0) {
    throw new ApiError('INVALID_BASE64', `${field}.base64 is not standard padded base64`)
  }
  const size = shape.reduce((a, b) => a * b, 1)
  const bytes = raw ? base64ByteLength(raw) : stringByteLength(text as string)
  const invalid = () => new ApiError('INVALID_BASE64', `${field}.base64 is not standard padded base64`)
  if (bytes !== 4 * size) {
    // the rare error path may afford the full alphabet check: a bad text is a format error first
    if (raw ? !decodeBase64Bytes(raw, new Uint8Array(bytes)) : !BASE64.test(text as string)) throw invalid()
    throw new ApiError(
      'SHAPE_MISMATCH',
      `${field}.base64 holds ${bytes} bytes but shape [${shape.join(',')}] needs ${4 * size} (4 bytes × ${size} float32)`,
    )
  }
  // Decode straight into the tensor's own buffer: no intermediate Buffer copy.
  const data = new Float32Array(size)
  if (raw) {
    if (!decodeBase64Bytes(raw, new Uint8Array(data.buffer))) throw invalid()
  } else if (!decodedExactly(text as string, Buffer.from(data.buffer).write(text as string, 'base64'), bytes)) {
    throw invalid()
  }
  if (BIG_ENDIAN) swapBytes(data)
  return { shape, data, form: 'base64' }
}

function stringByteLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  return (text.length / 4) * 3 - padding
}

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
