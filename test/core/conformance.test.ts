import { describe, expect, it } from 'vitest'
import { caseName, checkInCore, loadConformanceCases, toApiCase } from '../helpers/conformance.js'

const cases = loadConformanceCases()

describe('conformance fixtures through the core', () => {
  it('loads every non-transpose case', () => {
    expect(cases.length).toBe(217)
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length)
  })

  for (const c of cases) {
    it(caseName(c), () => checkInCore(c, toApiCase(c)))
  }
})
