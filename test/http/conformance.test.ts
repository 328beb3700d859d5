import { expect, it } from 'vitest'
import { answerCase, describeOverHttp, FORMS, type HttpSetting } from '../helpers/conformance-http.js'
import { loadConformanceCases, toApiCase } from '../helpers/conformance.js'

// Every shared conformance case (ONNX backend tests, PyTorch, the textbook; see
// test/fixtures/conformance/SOURCE.md) over HTTP, in each tensor form, under each ENGINE setting,
// and with every string kept as bytes (the large-body path).
const cases = loadConformanceCases().map(toApiCase)
const SETTINGS: HttpSetting[] = [
  { engine: 'auto' },
  { engine: 'onnxruntime' },
  { engine: 'reference' },
  { engine: 'auto', bytes: true },
  { engine: 'onnxruntime', bytes: true },
]

it('loads the 234 shared cases (17 of them transposed convolutions)', () => {
  expect(cases).toHaveLength(234)
  expect(cases.filter((c) => c.route === '/conv-transpose2d')).toHaveLength(17)
})

describeOverHttp('conformance', SETTINGS, (app, { engine }) => {
  for (const form of FORMS) {
    it(`all cases, ${form} tensors in and out`, async () => {
      const failures: string[] = []
      const engines = new Set<string>()
      for (const c of cases) {
        const answer = await answerCase(app(), c, form, `${form}, ENGINE=${engine}`)
        if (answer.failure) failures.push(answer.failure)
        engines.add(answer.engine)
      }
      expect(failures).toEqual([])
      // the setting decides which engines may serve: reference never uses onnxruntime
      if (engine === 'reference') expect([...engines]).toEqual(['reference'])
      if (engine === 'onnxruntime') expect(engines.has('onnxruntime')).toBe(true)
    })
  }
})
