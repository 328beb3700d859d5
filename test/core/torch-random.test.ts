import { describe, expect, it } from 'vitest'
import { caseName, checkInCoreEveryForm, loadConformanceCases, TORCH_RANDOM_FIXTURES } from '../helpers/conformance.js'

// The PyTorch differential set (test/fixtures/torch-random, drawn by scripts/torch-cases.py; see its
// SOURCE.md) through the core, each case as three requests that must give the same answer
// (checkInCoreEveryForm: explicit, the contract's short forms, the textbook's short ranks).
const cases = loadConformanceCases(TORCH_RANDOM_FIXTURES)

describe('torch-random fixtures through the core', () => {
  it('loads every case, ids unique', () => {
    expect(cases.length).toBe(1316)
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length)
  })

  for (const c of cases) {
    it(caseName(c), () => checkInCoreEveryForm(c))
  }
})
