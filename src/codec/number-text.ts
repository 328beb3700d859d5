import type { BytePieces } from './byte-pieces.js'
import { readNumbers } from './read-numbers.js'

/**
 * Nested and flat tensors of large bodies whose numbers stayed as bytes (codec/large-body.ts,
 * codec/number-arrays.ts). The parsed body holds a stand-in where the numbers were — `[0]` for
 * nested arrays, `[]` for a flat tensor's `data`, so the schema passes them — and the stand-in
 * (nested) or the tensor object (flat) leads here to the bytes and the shape the scan found.
 */
interface NumberArray {
  readonly bytes: BytePieces
  readonly shape: readonly number[]
}

const numberArrays = new WeakMap<object, NumberArray>()

export function attachNumberArray(holder: object, bytes: BytePieces, shape: readonly number[]): void {
  numberArrays.set(holder, { bytes, shape })
}

/** The numbers a nested tensor (the stand-in array) or a flat tensor (its object) holds as bytes. */
export function numberArrayOf(value: unknown): NumberArray | undefined {
  return value !== null && typeof value === 'object' ? numberArrays.get(value) : undefined
}

/**
 * A tensor whose numbers are checked — shape, element count, and (by the scan) each number's
 * spelling and range — but not yet read: the reading can happen on a worker.
 */
export interface NumberText {
  readonly field: string
  readonly form: 'nested' | 'flat'
  readonly shape: number[]
  readonly size: number
  readonly text: BytePieces
}

/**
 * The checked text → a fresh Float32Array (its own buffer, transferable), each value what the
 * usual path's JSON.parse and copy give (codec/read-numbers.ts). The scan has checked the
 * structure, the count and each number, so nothing here is the client's to get wrong.
 */
export function decodeNumberText(t: NumberText): Float32Array {
  const data = new Float32Array(t.size)
  readNumbers(t.text, data)
  return data
}
