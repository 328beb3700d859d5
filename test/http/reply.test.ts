import fc from 'fast-check'
import type { FastifyReply } from 'fastify'
import { describe, expect, it } from 'vitest'
import { encodeTensor } from '../../src/codec/encode.js'
import { sendBase64Json, type ReplyTensor } from '../../src/http/reply.js'

const fakeReply = () => ({ type: () => undefined }) as unknown as FastifyReply

describe('sendBase64Json', () => {
  it('writes the very bytes JSON.stringify gives for the encoded tensors (output, with and without indices)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.integer(),
        (shape, withIndices, seed) => {
          const size = shape.reduce((a, b) => a * b, 1)
          const output = Float32Array.from({ length: size }, (_, i) => Math.sin(seed + i) * 1e3)
          const tensors: ReplyTensor[] = [{ name: 'output', data: output, shape }]
          const expected: Record<string, unknown> = { output: encodeTensor(output, shape, 'base64') }
          if (withIndices) {
            const indices = Int32Array.from({ length: size }, (_, i) => (seed + i) % 97)
            tensors.push({ name: 'indices', data: indices, shape })
            expected.indices = encodeTensor(indices, shape, 'base64')
          }
          const bytes = sendBase64Json(fakeReply(), tensors)
          expect(bytes.toString('latin1')).toBe(JSON.stringify(expected))
        },
      ),
      { numRuns: 300 },
    )
  })
})
