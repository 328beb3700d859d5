import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineSetting } from '../../src/engines/types.js'
import { flatten, inForm, startApp } from '../helpers/app.js'
import { assertClose, loadConformanceCases, toApiCase, type FlatTensor } from '../helpers/conformance.js'

// Every shared conformance case (ONNX backend tests, PyTorch, the textbook; see
// test/fixtures/conformance/SOURCE.md) over HTTP, in each tensor form, under each ENGINE setting.
const cases = loadConformanceCases().map(toApiCase)
const FORMS = ['nested', 'flat', 'base64'] as const
const ENGINES: EngineSetting[] = ['auto', 'onnxruntime', 'reference']
/**
 * `bytes`: every string of every body kept as bytes (the large-body path of the JSON parser); with
 * ENGINE=onnxruntime every job then leaves for a worker, so base64 tensors are decoded there and
 * base64 replies built there (jobs/task.ts)
 */
const SETTINGS: { engine: EngineSetting; bytes?: boolean }[] = [
  ...ENGINES.map((engine) => ({ engine })),
  { engine: 'auto', bytes: true },
  { engine: 'onnxruntime', bytes: true },
]
const TENSORS = ['input', 'weight', 'bias']

it('loads the 217 shared cases (conv_transpose2d excluded)', () => {
  expect(cases).toHaveLength(217)
})

for (const { engine, bytes } of SETTINGS) {
  describe(`conformance over HTTP, ENGINE=${engine}${bytes ? ', strings kept as bytes' : ''}`, () => {
    let app: FastifyInstance
    beforeAll(async () => {
      app = await startApp({ engine, workers: 1, ...(bytes ? { largeBodyBytes: 0, longStringBytes: 1 } : {}) })
    })
    afterAll(async () => {
      await app.close()
    })

    for (const form of FORMS) {
      it(`all cases, ${form} tensors in and out`, async () => {
        const engines = new Set<string>()
        for (const c of cases) {
          const body: Record<string, unknown> = { ...c.body }
          for (const key of TENSORS) if (body[key]) body[key] = inForm(body[key] as FlatTensor, form)
          const res = await app.inject({ method: 'POST', url: c.route, payload: body })
          expect(res.statusCode, `${c.id}: ${res.body.slice(0, 300)}`).toBe(200)
          const reply = res.json()
          const output = flatten(reply.output)
          expect(output.shape, `${c.id} output shape`).toEqual(c.expected.output.shape)
          assertClose(output.data, c.expected.output.data, c.tolerance, `${c.id} (${form}, ${engine})`)
          if (c.expected.indices) {
            const indices = flatten(reply.indices, 'int32')
            expect(indices.shape).toEqual(c.expected.indices.shape)
            expect(indices.data, `${c.id} indices`).toEqual(c.expected.indices.data)
          }
          const timing = res.headers['server-timing'] as string
          engines.add(/desc="(\w+)"/.exec(timing)?.[1] ?? '?')
        }
        // the setting decides which engines may serve: reference never uses onnxruntime
        if (engine === 'reference') expect([...engines]).toEqual(['reference'])
        if (engine === 'onnxruntime') expect(engines.has('onnxruntime')).toBe(true)
      })
    }
  })
}
