import { expect, it } from 'vitest'
import { answerCase, describeOverHttp, FORMS, type HttpSetting } from '../helpers/conformance-http.js'
import {
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
// Transposed convolutions go to /conv-transpose2d and to /shape as op "convTranspose2d".
// Failures are collected, so one run names every disagreeing case.
const fixtures = loadConformanceCases(TORCH_RANDOM_FIXTURES)
const explicit = fixtures.map(toApiCase)
const STYLES: Record<string, ApiCase[]> = {
  explicit,
  compact: explicit.map(compactApiCase),
  squeezed: explicit.map(squeezedApiCase).filter((c): c is ApiCase => c !== undefined),
}
const SETTINGS: HttpSetting[] = [
  { engine: 'auto' },
  { engine: 'onnxruntime' },
  { engine: 'reference' },
  { engine: 'onnxruntime', bytes: true },
]

it('loads the 1316 torch-random cases (290 transposed); 2 in 3 have batch 1 and run squeezed too', () => {
  expect(fixtures).toHaveLength(1316)
  expect(explicit.filter((c) => c.route === '/conv-transpose2d')).toHaveLength(290)
  expect(STYLES['squeezed']!.length).toBeGreaterThan(800)
})

/** the /shape op of a case's route */
const SHAPE_OP: Record<ApiCase['route'], string> = { '/conv2d': 'conv2d', '/conv-transpose2d': 'convTranspose2d', '/pool': 'pool' }

describeOverHttp('torch-random', SETTINGS, (app, { engine, bytes }) => {
  for (const form of FORMS) {
    for (const [style, cases] of Object.entries(STYLES)) {
      // the other request styles resolve to the same geometry: once per form, under auto, is enough
      if (style !== 'explicit' && (engine !== 'auto' || bytes)) continue
      it(`all cases, ${form} tensors in and out, ${style} parameters`, async () => {
        const failures: string[] = []
        for (const c of cases) {
          const { failure } = await answerCase(app(), c, form, `${form}, ${style}, ENGINE=${engine}`)
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
          op: SHAPE_OP[c.route],
          inputShape: input!.shape,
          ...(weight ? { weightShape: weight.shape } : {}),
          ...(bias ? { biasShape: bias.shape } : {}),
        }
        const res = await app().inject({ method: 'POST', url: '/shape', payload })
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
