import { shortestFloat32 } from '../core/format.js'
import type { WireForm } from './decode.js'
import { BIG_ENDIAN, swapBytes } from './decode.js'


type Nested = (number | null | Nested)[]

/**
 * Float32Array (or Int32Array of indices) → the requested wire form. JSON numbers are the
 * float32's shortest round-trip decimal; NaN and ±Infinity cannot be JSON numbers and become
 * `null` (base64 carries them bit-exact).
 */
export function encodeTensor(data: Float32Array | Int32Array, shape: readonly number[], form: WireForm): unknown {
  if (form === 'base64') {
    const dtype = data instanceof Int32Array ? 'int32' : 'float32'
    let view = data
    if (BIG_ENDIAN) {
      view = data.slice()
      swapBytes(view)
    }
    const base64 = Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64')
    return { shape: [...shape], dtype, base64 }
  }
  const values = toNumbers(data)
  if (form === 'flat') return { shape: [...shape], data: values }
  return nest(values, shape)
}

function toNumbers(data: Float32Array | Int32Array): (number | null)[] {
  const out = new Array<number | null>(data.length)
  if (data instanceof Int32Array) {
    for (let i = 0; i < data.length; i++) out[i] = data[i]!
    return out
  }
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!
    out[i] = Number.isFinite(x) ? shortestFloat32(x) : null
  }
  return out
}

function nest(values: (number | null)[], shape: readonly number[]): Nested {
  if (shape.length <= 1) return values
  let level: Nested[] | (number | null)[] = values
  for (let d = shape.length - 1; d >= 1; d--) {
    const len = shape[d]!
    const next: Nested[] = []
    for (let i = 0; i < level.length; i += len) next.push(level.slice(i, i + len) as Nested)
    level = next
  }
  return level as Nested
}
