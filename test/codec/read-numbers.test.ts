import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FLOAT32_MAX } from '../../src/codec/float32.js'
import { readNumbers } from '../../src/codec/read-numbers.js'

/** `texts` joined as a JSON array, read in pieces cut at `cuts`, each a buffer of its own. */
function read(texts: readonly string[], cuts: readonly number[] = []): Float32Array {
  const whole = Buffer.from(`[${texts.join(',')}]`, 'latin1')
  const at = [0, ...cuts.filter((c) => c > 0 && c < whole.length).sort((a, b) => a - b), whole.length]
  const pieces = at.slice(1).map((end, i) => Uint8Array.from(whole.subarray(at[i]!, end)))
  const out = new Float32Array(texts.length)
  readNumbers(pieces, out)
  return out
}

/** What the usual path stores: JSON.parse's double, rounded to float32. */
const usual = (text: string) => Math.fround(JSON.parse(text) as number)

const expectSame = (texts: readonly string[], got: Float32Array) => {
  texts.forEach((t, i) => expect(Object.is(got[i], usual(t)), `${t}: ${got[i]} vs ${usual(t)}`).toBe(true))
}

const bits = (f: number) => new Uint32Array(new Float32Array([f]).buffer)[0]!
const fromBits = (b: number) => new Float32Array(new Uint32Array([b]).buffer)[0]!

describe('readNumbers: each number exactly as JSON.parse and a float32 store give it', () => {
  it.each([
    ['integers and signs', ['0', '-0', '1', '-1', '16777216', '16777217', '-16777219', '123456789012345']],
    ['decimals', ['0.1', '0.5', '-2.75', '3.14159265358979', '0.30000001192092896', '1.0000000000000000000001', '0.0001234567890123456', '0.000000000001234567891']],
    ['exponents', ['1e-05', '1E+5', '2.5e-3', '-7e10', '1e0', '0e999', '-0e-999', '9e-46', '1e-400', '-1e-400']],
    ['float32 limits', ['3.4028234663852886e38', '-3.4028234663852886e38', '1.1754943508222875e-38', '1.401298464324817e-45', '7.006492321624085e-46', '7.006492321624087e-46']],
    ['long spellings', [`0.${'0'.repeat(40)}1`, `${'9'.repeat(38)}`, `1${'0'.repeat(30)}.5e-20`]],
  ])('%s', (_, texts) => {
    expectSame(texts, read(texts))
  })

  // a double exactly halfway between two float32s rounds to the even one; a decimal a hair off
  // the halfway point must round to its side: the approximate path must not decide these
  it('halfway between two float32s, and one unit of the 17th digit either side', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7f7ffffe }), (b) => {
        const lo = fromBits(b)
        const mid = (lo + fromBits(b + 1)) / 2
        const texts = [String(mid), mid.toPrecision(17), mid.toExponential(16), mid.toPrecision(21)]
        const below = mid.toPrecision(17).replace(/(\d)(e|$)/, (_m, d: string, e: string) => `${d}0${e}`)
        expectSame([...texts, below], read([...texts, below]))
      }),
      { numRuns: 2000 },
    )
  })

  it('any float32 written as its double (numpy float32 → Python → JSON), and any double in float32 range', () => {
    const float32 = fc.integer({ min: 0, max: 0xffffffff }).map(fromBits).filter((x) => Number.isFinite(x))
    const double = fc.double({ noNaN: true, noDefaultInfinity: true, min: -FLOAT32_MAX, max: FLOAT32_MAX })
    fc.assert(
      fc.property(fc.array(fc.oneof(float32, double), { minLength: 1, maxLength: 40 }), fc.array(fc.nat({ max: 900 }), { maxLength: 5 }), (xs, cuts) => {
        const texts = xs.map((x) => JSON.stringify(x))
        expectSame(texts, read(texts, cuts))
      }),
      { numRuns: 2000 },
    )
  })

  it('decimals of any digits and exponent, in one piece or cut anywhere', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,24})$/), fc.option(fc.stringMatching(/^[0-9]{1,24}$/)), fc.option(fc.integer({ min: -60, max: 30 })))
      .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`)
      .filter((t) => Math.abs(JSON.parse(t) as number) <= FLOAT32_MAX)
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 30 }), fc.array(fc.nat({ max: 800 }), { maxLength: 6 }), (texts, cuts) => {
        expectSame(texts, read(texts, cuts))
      }),
      { numRuns: 2000 },
    )
  })

  it('nested brackets and whitespace between numbers are skipped', () => {
    const whole = Buffer.from('[[ [1, -2.5e1],\n [3,4] ]]')
    const out = new Float32Array(4)
    readNumbers([whole], out)
    expect([...out]).toEqual([1, -25, 3, 4])
  })

  it('a text holding another count of numbers than promised is a fault, not a silent short read', () => {
    expect(() => readNumbers([Buffer.from('[1,2,3]')], new Float32Array(2))).toThrow(/more numbers than the 2/)
    expect(() => readNumbers([Buffer.from('[1,2]')], new Float32Array(3))).toThrow(/read 2 numbers where 3/)
  })

  it('rounds twice, as the usual path does, where rounding the decimal once would differ', () => {
    // 1 + 2^-24 is halfway between 1 and the next float32. A decimal a hair above it becomes that
    // very double, which rounds to even: the usual path stores 1, and so must this
    const above = '1.00000005960464477539063'
    expect(JSON.parse(above)).toBe(1 + 2 ** -24)
    expect(bits(read([above])[0]!)).toBe(bits(1))
    // one double further up, it rounds up
    expect(bits(read(['1.0000000596046449'])[0]!)).toBe(bits(1) + 1)
  })
})
