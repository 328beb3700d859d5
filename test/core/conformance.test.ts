import { describe, expect, it } from 'vitest'
import { caseName, checkInCoreEveryForm, loadConformanceCases } from '../helpers/conformance.js'

// The shared conformance set (test/fixtures/conformance, see its SOURCE.md) through the core, each
// case in the explicit form, the contract's short forms and the textbook's short ranks.
const cases = loadConformanceCases()

describe('conformance fixtures through the core', () => {
  it('loads every case (217 conv and pool, 17 transposed conv)', () => {
    expect(cases.length).toBe(234)
    expect(cases.filter((c) => c.op === 'conv_transpose2d')).toHaveLength(17)
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length)
  })

  for (const c of cases) {
    it(caseName(c), () => checkInCoreEveryForm(c))
  }
})
