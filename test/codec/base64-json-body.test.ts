import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64JsonBody, encodeTensor, type NamedTensor } from '../../src/codec/encode.js'

describe('base64JsonBody', () => {
  it('writes the very bytes JSON.stringify gives for the encoded tensors (output, with and without indices)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.integer(),
        (shape, withIndices, seed) => {
          const size = shape.reduce((a, b) => a * b, 1)
          const output = Float32Array.from({ length: size }, (_, i) => Math.sin(seed + i) * 1e3)
          const tensors: NamedTensor[] = [{ name: 'output', data: output, shape }]
          const expected: Record<string, unknown> = { output: encodeTensor(output, shape, 'base64') }
          if (withIndices) {
            const indices = Int32Array.from({ length: size }, (_, i) => (seed + i) % 97)
            tensors.push({ name: 'indices', data: indices, shape })
            expected.indices = encodeTensor(indices, shape, 'base64')
          }
          const bytes = base64JsonBody(tensors)
          expect(bytes.toString('latin1')).toBe(JSON.stringify(expected))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('a tensor encoded over several pieces is the same text as one encoding', () => {
    const output = Float32Array.from({ length: 100_001 }, (_, i) => Math.tan(i))
    const bytes = base64JsonBody([{ name: 'output', data: output, shape: [100_001] }])
    expect(bytes.toString('latin1')).toBe(JSON.stringify({ output: encodeTensor(output, [100_001], 'base64') }))
  })
})
