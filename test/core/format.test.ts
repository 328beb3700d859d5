import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatFloat32, shortestFloat32 } from '../../src/core/format.js'

/** significant digits of a decimal as JavaScript prints it (1.25e-7 → 3, 19 → 2, 0.5 → 1) */
function digits(x: number): number {
  const mantissa = Math.abs(x).toExponential().split('e')[0]!
  return mantissa.replace('.', '').replace(/0+$/, '').length || 1
}

const float32 = fc.integer({ min: 0, max: 0xffffffff }).map((bits) => new Float32Array(new Uint32Array([bits]).buffer)[0]!).filter(Number.isFinite)

describe('shortestFloat32: the shortest decimal that reads back to the same float32', () => {
  it('reads back to the same float32, and no decimal with one digit fewer does (any bit pattern)', () => {
    fc.assert(
      fc.property(float32, (x) => {
        const s = shortestFloat32(x)
        expect(Math.fround(s)).toBe(x)
        const d = digits(s)
        if (d > 1 && !(Number.isInteger(x) && Math.abs(x) <= 16777216)) expect(Math.fround(Number(x.toPrecision(d - 1)))).not.toBe(x)
      }),
      { numRuns: 20_000 },
    )
  })

  it.each([
    [Math.fround(0.1), 0.1],
    [Math.fround(1 / 3), 0.33333334],
    [Math.fround(2 ** -20), 9.536743e-7],
    [Math.fround(3.4028234663852886e38), 3.4028235e38],
    [Math.fround(1.401298464324817e-45), 1e-45],
    [Math.fround(-2.5), -2.5],
    [16777216, 16777216],
    [16777218, 16777218],
    [Math.fround(100000000), 100000000],
  ])('%s → %s', (x, want) => {
    expect(shortestFloat32(x)).toBe(want)
  })

  it('leaves non-finite values as they are; formatFloat32 spells them', () => {
    expect(shortestFloat32(Number.NaN)).toBeNaN()
    expect(shortestFloat32(-Infinity)).toBe(-Infinity)
    expect([Number.NaN, Infinity, -Infinity, Math.fround(0.1)].map(formatFloat32)).toEqual(['NaN', 'Infinity', '-Infinity', '0.1'])
  })
})
