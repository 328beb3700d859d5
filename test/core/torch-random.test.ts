import { describe, expect, it } from 'vitest'
import {
  caseName,
  checkInCore,
  compactApiCase,
  loadConformanceCases,
  squeezedApiCase,
  toApiCase,
  TORCH_RANDOM_FIXTURES,
} from '../helpers/conformance.js'

// The PyTorch differential set (test/fixtures/torch-random, drawn by scripts/torch-cases.py; see its
// SOURCE.md) through the core, each case as three requests that must give the same answer: the
// explicit one toApiCase writes, the short one the contract also allows (compactApiCase: defaults
// left out, equal pairs as one int) and, for batch 1, the textbook's short ranks (squeezedApiCase).
const cases = loadConformanceCases(TORCH_RANDOM_FIXTURES)

describe('torch-random fixtures through the core', () => {
  it('loads every case, ids unique', () => {
    expect(cases.length).toBe(1316)
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
