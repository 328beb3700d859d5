import type { IndexTensor, NestedInput, Tensor, TensorInput } from './types.js'

/** The base64 wire form the client always sends and asks for. */
export interface Base64Wire {
  shape: number[]
  dtype?: 'float32' | 'int32'
  base64: string
}

// The wire is little-endian; typed arrays use the host's order, which is big-endian on s390x.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** Nested arrays → shape + row-major values; ragged input is refused here, with the path. */
function flattenNested(nested: NestedInput): { shape: number[]; data: Float32Array } {
  const shape: number[] = []
  let probe: unknown = nested
  while (Array.isArray(probe)) {
    shape.push(probe.length)
    probe = probe[0]
  }
  if (shape.length > 4) throw new TypeError(`nested tensor has rank ${shape.length}; rank 1–4 is allowed`)
  const data = new Float32Array(product(shape))
  let at = 0
  const walk = (value: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof value !== 'number') throw new TypeError(`tensor${path} is not a number`)
      data[at++] = value
      return
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      throw new TypeError(`tensor${path} is ragged: expected ${shape[depth]} elements along axis ${depth}`)
    }
    for (let i = 0; i < value.length; i++) walk(value[i], depth + 1, `${path}[${i}]`)
  }
  walk(nested, 0, '')
  return { shape, data }
}

function toFloat32(input: TensorInput): { shape: number[]; data: Float32Array } {
  if (Array.isArray(input)) return flattenNested(input as NestedInput)
  const { shape, data } = input as Exclude<TensorInput, NestedInput>
  const size = product(shape)
  if (data.length !== size) {
    throw new TypeError(`tensor data has ${data.length} values but shape [${shape.join(',')}] needs ${size}`)
  }
  return { shape: [...shape], data: data instanceof Float32Array ? data : Float32Array.from(data) }
}

function bytesOf(view: Float32Array | Int32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(view.buffer, view.byteOffset, view.byteLength)
  const out = Buffer.alloc(view.byteLength)
  for (let i = 0; i < view.length; i++) {
    if (view instanceof Float32Array) out.writeFloatLE(view[i]!, 4 * i)
    else out.writeInt32LE(view[i]!, 4 * i)
  }
  return out
}

/** Any accepted tensor → `{shape, dtype: 'float32', base64}`; a Float32Array is encoded without a copy. */
export function toBase64Wire(input: TensorInput): Base64Wire {
  const { shape, data } = toFloat32(input)
  return { shape, dtype: 'float32', base64: bytesOf(data).toString('base64') }
}

function decodeBytes(wire: Base64Wire, what: string): Buffer {
  const bytes = Buffer.from(wire.base64, 'base64')
  const size = product(wire.shape)
  if (bytes.length !== 4 * size) {
    throw new TypeError(`${what}: ${bytes.length} bytes for shape [${wire.shape.join(',')}] (expected ${4 * size})`)
  }
  return bytes
}

/** `{shape, base64}` from a reply → float32 data in a fresh, aligned buffer. */
export function fromBase64Wire(wire: Base64Wire, what = 'output'): Tensor {
  const bytes = decodeBytes(wire, what)
  const data = new Float32Array(bytes.length / 4)
  if (LITTLE_ENDIAN) new Uint8Array(data.buffer).set(bytes)
  else for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(4 * i)
  return { shape: wire.shape, data }
}

/** Max-pool indices (`dtype: "int32"`) → Int32Array. */
export function indicesFromBase64Wire(wire: Base64Wire): IndexTensor {
  const bytes = decodeBytes(wire, 'indices')
  const data = new Int32Array(bytes.length / 4)
  if (LITTLE_ENDIAN) new Uint8Array(data.buffer).set(bytes)
  else for (let i = 0; i < data.length; i++) data[i] = bytes.readInt32LE(4 * i)
  return { shape: wire.shape, data }
}

export function isBase64Wire(value: unknown): value is Base64Wire {
  return typeof value === 'object' && value !== null && typeof (value as Base64Wire).base64 === 'string' && Array.isArray((value as Base64Wire).shape)
}
