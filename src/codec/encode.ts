import { shortestFloat32 } from '../core/format.js'
import type { WireForm } from './decode.js'
import { BASE64_PIECE, BIG_ENDIAN, swapBytes } from './decode.js'

/** bytes per piece: a multiple of 3, so only the last piece is padded */
const ENCODE_PIECE = (BASE64_PIECE / 4) * 3

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

export interface NamedTensor {
  readonly name: 'output' | 'indices'
  readonly data: Float32Array | Int32Array
  readonly shape: readonly number[]
}

/** What a base64 reply's length depends on: each tensor's name, shape and element type. */
export interface TensorLayout {
  readonly name: NamedTensor['name']
  readonly shape: readonly number[]
  readonly dtype: 'float32' | 'int32'
}

function head(t: TensorLayout, first: boolean): string {
  return `${first ? '{' : ','}"${t.name}":{"shape":[${t.shape.join(',')}],"dtype":"${t.dtype}","base64":"`
}

/** The exact byte length base64JsonBody gives for these tensors, known before they are computed. */
export function base64JsonLength(layout: readonly TensorLayout[]): number {
  return layout.reduce((n, t, i) => {
    const bytes = 4 * t.shape.reduce((a, b) => a * b, 1)
    return n + head(t, i === 0).length + Math.ceil(bytes / 3) * 4 + 2
  }, 1)
}

/**
 * A whole base64 reply as one buffer: the same JSON text `JSON.stringify` gives for
 * `{output: {shape, dtype, base64}, indices?: …}` (a test holds them equal), without the JSON as
 * a second megabyte string. S2's 800 kB output costs ~0.1 ms this way; through JSON.stringify it
 * cost 4–5 ms here. Written into `into` when it is given and large enough (a shared reply buffer,
 * see jobs/reply-buffers.ts), else into a buffer of its own; the result is the written part.
 */
export function base64JsonBody(tensors: readonly NamedTensor[], into?: Uint8Array): Buffer {
  const layout = tensors.map((t) => ({ name: t.name, shape: t.shape, dtype: t.data instanceof Int32Array ? ('int32' as const) : ('float32' as const) }))
  const length = base64JsonLength(layout)
  const out = into && into.byteLength >= length ? Buffer.from(into.buffer, into.byteOffset, length) : Buffer.allocUnsafeSlow(length)
  let at = 0
  tensors.forEach((t, i) => {
    at += out.write(head(layout[i]!, i === 0), at, 'latin1')
    let view = t.data
    if (BIG_ENDIAN) {
      view = t.data.slice()
      swapBytes(view)
    }
    // Node's encoder (native) makes one-byte strings; writing them as Latin-1 is a memcpy. In
    // pieces, so that no string is big enough for V8's large-object space (see BASE64_PIECE).
    const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength)
    for (let i = 0; i < bytes.length; i += ENCODE_PIECE) {
      at += out.write(bytes.toString('base64', i, Math.min(i + ENCODE_PIECE, bytes.length)), at, 'latin1')
    }
    at += out.write('"}', at, 'latin1')
  })
  out.write('}', at, 'latin1')
  return out
}
