import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineSetting } from '../../src/engines/types.js'
import { flatten, inForm, startApp } from '../helpers/app.js'
import {
  assertClose,
  compactApiCase,
  loadConformanceCases,
  squeezedApiCase,
  toApiCase,
  TORCH_RANDOM_FIXTURES,
  type ApiCase,
  type FlatTensor,
} from '../helpers/conformance.js'

// The PyTorch differential set (test/fixtures/torch-random, drawn by scripts/torch-cases.py; see its
// SOURCE.md) over HTTP: every case in each tensor form under each ENGINE setting, as the explicit
// request (toApiCase: the fixture's padding form where the API has it — int, [ph, pw], "same",
// "valid" — per-side padding otherwise). Under ENGINE=auto also as the short request
// (compactApiCase: defaults left out, equal pairs as one int) and in the textbook's short ranks
// (squeezedApiCase, batch-1 cases), and /shape must give each case's output shape and padding.
// Failures are collected, so one run names every disagreeing case.
const fixtures = loadConformanceCases(TORCH_RANDOM_FIXTURES)
const explicit = fixtures.map(toApiCase)
const STYLES: Record<string, ApiCase[]> = {
  explicit,
  compact: explicit.map(compactApiCase),
  squeezed: explicit.map(squeezedApiCase).filter((c): c is ApiCase => c !== undefined),
}
const FORMS = ['nested', 'flat', 'base64'] as const
/** `bytes`: every string kept as bytes (the large-body path), as in conformance.test.ts */
const SETTINGS: { engine: EngineSetting; bytes?: boolean }[] = [
  { engine: 'auto' },
  { engine: 'onnxruntime' },
  { engine: 'reference' },
  { engine: 'onnxruntime', bytes: true },
]
const TENSORS = ['input', 'weight', 'bias']

it('loads the 1026 torch-random cases; 2 in 3 have batch 1 and run squeezed too', () => {
  expect(fixtures).toHaveLength(1026)
  expect(STYLES['squeezed']!.length).toBeGreaterThan(600)
})

async function check(app: FastifyInstance, c: ApiCase, form: (typeof FORMS)[number], label: string): Promise<string | null> {
  const body: Record<string, unknown> = { ...c.body }
  for (const key of TENSORS) if (body[key]) body[key] = inForm(body[key] as FlatTensor, form)
  const res = await app.inject({ method: 'POST', url: c.route, payload: body })
  if (res.statusCode !== 200) return `${c.id} (${label}): HTTP ${res.statusCode} ${res.body.slice(0, 300)}`
  try {
    const reply = res.json()
    const output = flatten(reply.output)
    expect(output.shape, 'output shape').toEqual(c.expected.output.shape)
    assertClose(output.data, c.expected.output.data, c.tolerance, 'output')
    if (c.expected.indices) {
      const indices = flatten(reply.indices, 'int32')
      expect(indices.shape, 'indices shape').toEqual(c.expected.indices.shape)
      expect(indices.data, 'indices').toEqual(c.expected.indices.data)
    } else {
      expect(reply.indices, 'indices').toBeUndefined()
    }
  } catch (error) {
    return `${c.id} (${label}): ${(error as Error).message.split('\n')[0]}`
  }
  return null
}

for (const { engine, bytes } of SETTINGS) {
  describe(`torch-random over HTTP, ENGINE=${engine}${bytes ? ', strings kept as bytes' : ''}`, () => {
    let app: FastifyInstance
    beforeAll(async () => {
      app = await startApp({ engine, workers: 1, ...(bytes ? { largeBodyBytes: 0, longStringBytes: 1 } : {}) })
    })
    afterAll(async () => {
      await app.close()
    })

    for (const form of FORMS) {
      for (const [style, cases] of Object.entries(STYLES)) {
        // the other request styles resolve to the same geometry: once per form, under auto, is enough
        if (style !== 'explicit' && (engine !== 'auto' || bytes)) continue
        it(`all cases, ${form} tensors in and out, ${style} parameters`, async () => {
          const failures: string[] = []
          for (const c of cases) {
            const failure = await check(app, c, form, `${form}, ${style}, ENGINE=${engine}`)
            if (failure) failures.push(failure)
          }
          expect(failures).toEqual([])
        }, 120_000)
      }
    }

    if (engine === 'auto' && !bytes) {
      it('/shape gives every case its output shape and resolved padding', async () => {
        const failures: string[] = []
        for (const [i, c] of explicit.entries()) {
          const { input, weight, bias, ...params } = c.body as Record<string, FlatTensor | undefined> & Record<string, unknown>
          const payload = {
            ...params,
            op: c.route === '/conv2d' ? 'conv2d' : 'pool',
            inputShape: input!.shape,
            ...(weight ? { weightShape: weight.shape } : {}),
            ...(bias ? { biasShape: bias.shape } : {}),
          }
          const res = await app.inject({ method: 'POST', url: '/shape', payload })
          const attrs = fixtures[i]!.attrs
          const [top, left, bottom, right] = (attrs['padding'] as number[] | undefined) ?? [0, 0, 0, 0]
          try {
            expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
            const reply = res.json()
            expect(reply.outputShape, 'outputShape').toEqual(c.expected.output.shape)
            expect(reply.padding, 'padding').toEqual({ top, bottom, left, right })
          } catch (error) {
            failures.push(`${c.id}: ${(error as Error).message.split('\n')[0]}`)
          }
        }
        expect(failures).toEqual([])
      })
    }
  })
}
