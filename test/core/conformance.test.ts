import { describe, expect, it } from 'vitest'
import { caseName, checkInCore, compactApiCase, loadConformanceCases, squeezedApiCase, toApiCase } from '../helpers/conformance.js'

const cases = loadConformanceCases()

describe('conformance fixtures through the core', () => {
  it('loads every case (217 conv and pool, 17 transposed conv)', () => {
    expect(cases.length).toBe(234)
    expect(cases.filter((c) => c.op === 'conv_transpose2d')).toHaveLength(17)
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length)
  })

  for (const c of cases) {
    it(caseName(c), () => {
      const api = toApiCase(c)
      checkInCore(c, api)
      checkInCore(c, compactApiCase(api))
      const squeezed = squeezedApiCase(api)
      if (squeezed) checkInCore(c, squeezed)
    })
  }
})
