import { conv2d } from '../../src/core/conv2d.js'
import { resolveConv2d, resolvePool2d } from '../../src/core/geometry.js'
import type { Conv2dParams, Pool2dParams } from '../../src/core/params.js'
import { pool2d } from '../../src/core/pool2d.js'

/** Test helpers: nested arrays as the textbook writes them ↔ flat data + shape. */
export type Nested = number | Nested[]

export function fromNested(x: Nested): { shape: number[]; data: Float32Array } {
  const shape: number[] = []
  let probe: Nested = x
  while (Array.isArray(probe)) {
    shape.push(probe.length)
    probe = probe[0]!
  }
  const flat = (Array.isArray(x) ? (x as unknown[]).flat(Infinity) : [x]) as number[]
  return { shape, data: Float32Array.from(flat) }
}

export function toNested(data: ArrayLike<number>, shape: readonly number[]): Nested {
  const build = (offset: number, axis: number): Nested => {
    if (axis === shape.length) return data[offset]!
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1)
    return Array.from({ length: shape[axis]! }, (_, i) => build(offset + i * stride, axis + 1))
  }
  return build(0, 0)
}

/** conv2d through the rank rules: output nested in the contract's wire shape. */
export function conv(x: Nested, k: Nested, params: Conv2dParams = {}, bias?: number[]): Nested {
  const xi = fromNested(x)
  const ki = fromNested(k)
  const g = resolveConv2d(xi.shape, ki.shape, bias ? [bias.length] : undefined, params)
  const out = conv2d(g, xi.data, ki.data, bias ? Float32Array.from(bias) : undefined)
  return toNested(out, g.wireOutputShape)
}

export function pool(x: Nested, params: Pool2dParams): { output: Nested; indices?: Nested } {
  const xi = fromNested(x)
  const g = resolvePool2d(xi.shape, params)
  const r = pool2d(g, xi.data)
  return {
    output: toNested(r.output, g.wireOutputShape),
    ...(r.indices ? { indices: toNested(r.indices, g.wireOutputShape) } : {}),
  }
}
