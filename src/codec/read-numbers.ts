import type { BytePieces } from './byte-pieces.js'
import * as B from './json-bytes.js'

/**
 * The numbers of checked JSON array text (codec/number-arrays.ts accepted it: numbers of valid
 * spelling, within float32's range, between brackets, commas and whitespace) → float32 values in
 * row-major order, each exactly `Math.fround(JSON.parse(number))`, as the usual path computes them.
 *
 * JSON.parse of S2's input as nested arrays, then flattening and copying, took ~110 ns a number
 * here: clients send float32 values as 17-digit doubles (`0.30000001192092896`), which V8 reads on
 * its slow path. This reads each number as an integer mantissa and a power of ten:
 * - up to 15 significant digits and |power| ≤ 22, both are exact doubles and one multiplication or
 *   division gives the correctly rounded double (Clinger's fast path): exactly JSON.parse's;
 * - otherwise the double is approximate: the mantissa's steps (a multiplication and an addition
 *   per digit or group of four digits, at most 64 digits by the scan's limit) and the power's
 *   scaling round at most 130 times, 2^-53 each, so it is within 1.5e-14 of the exact double,
 *   inside ε = 1e-13. Its float32 rounding is kept when the whole interval v·(1 ± ε) rounds to
 *   the same float32, as the exact double then must; else, about once in ten million for
 *   arbitrary decimals and never for a float32's own digits, `Number()` reads the text.
 */
const EPSILON = 1e-13

/** 10^k for k ≤ 22 is an exact double */
const EXACT_POWERS = 22
const POWERS = new Float64Array(EXACT_POWERS + 1).map((_, k) => 10 ** k)
/** 10^k correctly rounded, for the approximate path, k in [−MAX_POWER, MAX_POWER] */
const MAX_POWER = 340
const APPROX_POWERS = new Float64Array(2 * MAX_POWER + 1).map((_, i) => Number(`1e${i - MAX_POWER}`))

// module constants of their own: read through the import's live bindings, the reader's loops ran
// 6-7 % slower (scratch/read-speed.ts, four alternating pairs on Node 24)
const { DIGIT_0, DIGIT_9, DOT, LOWER_E, MINUS, PLUS, UPPER_E } = B

/** Whether a byte can be part of a number. */
const isNumberByte = (b: number) => (b >= DIGIT_0 && b <= DIGIT_9) || b === MINUS || b === PLUS || b === DOT || b === LOWER_E || b === UPPER_E

/**
 * Reads `into.length` numbers from the pieces into `into`; throws if the text holds another count
 * (the scan promised it, so that is a fault here, not the client's).
 */
export function readNumbers(pieces: BytePieces, into: Float32Array): void {
  let n = 0
  let carried = ''
  for (const bytes of pieces) {
    let i = 0
    const end = bytes.length
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (carried !== '') {
      // a number the previous piece ended inside: its rest, then the text read as a whole
      while (i < end && isNumberByte(bytes[i]!)) carried += String.fromCharCode(bytes[i++]!)
      if (i === end) continue
      n = store(into, n, Math.fround(Number(carried)))
      carried = ''
    }
    while (i < end) {
      const b = bytes[i]!
      if (!isNumberByte(b)) {
        i++
        continue
      }
      const start = i
      let negative = false
      if (b === MINUS) {
        negative = true
        i++
      }
      // the mantissa's digits as an integer: exact while below 2^53 (15 digits surely); -1 past the piece
      let mantissa = 0
      let digits = 0
      let power = 0
      let c = i < end ? bytes[i]! : -1
      while (c >= DIGIT_0 && c <= DIGIT_9) {
        if (mantissa !== 0 || c !== DIGIT_0) digits++
        mantissa = mantissa * 10 + (c - DIGIT_0)
        c = ++i < end ? bytes[i]! : -1
      }
      if (c === DOT) {
        i++
        // four digits at a time while they last (a float32 as a double has up to 17 after the point)
        while (i + 4 <= end) {
          const word = view.getUint32(i, true)
          if ((word & 0xf0f0f0f0) !== 0x30303030 || ((word + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) break
          const four = fourDigits(word)
          if (mantissa !== 0) digits += 4
          else if (four !== 0) digits += four >= 1000 ? 4 : four >= 100 ? 3 : four >= 10 ? 2 : 1
          mantissa = mantissa * 10_000 + four
          power -= 4
          i += 4
        }
        c = i < end ? bytes[i]! : -1
        while (c >= DIGIT_0 && c <= DIGIT_9) {
          if (mantissa !== 0 || c !== DIGIT_0) digits++
          mantissa = mantissa * 10 + (c - DIGIT_0)
          power--
          c = ++i < end ? bytes[i]! : -1
        }
      }
      if (c === LOWER_E || c === UPPER_E) {
        c = ++i < end ? bytes[i]! : -1
        let exponentNegative = false
        if (c === MINUS || c === PLUS) {
          exponentNegative = c === MINUS
          c = ++i < end ? bytes[i]! : -1
        }
        let exponent = 0
        while (c >= DIGIT_0 && c <= DIGIT_9) {
          // the scan keeps numbers to 64 characters: this cannot grow usefully, only saturate
          if (exponent < 100_000) exponent = exponent * 10 + (c - DIGIT_0)
          c = ++i < end ? bytes[i]! : -1
        }
        power += exponentNegative ? -exponent : exponent
      }
      if (i === end) {
        // the number may go on in the next piece
        carried = latin1(bytes, start, end)
        break
      }
      n = store(into, n, roundToFloat32(mantissa, digits, power, negative, bytes, start, i))
    }
  }
  if (carried !== '') n = store(into, n, Math.fround(Number(carried)))
  if (n !== into.length) throw new Error(`read ${n} numbers where ${into.length} were checked`)
}

/**
 * The value of four ASCII digits read as a little-endian word (the first digit in the low byte):
 * pairs first (d0·10 + d1 in the low half, d2·10 + d3 in the high), then the two pairs.
 */
function fourDigits(word: number): number {
  const v = word - 0x30303030
  const pairs = (v * 10 + (v >>> 8)) & 0x00ff00ff
  return (pairs * 100 + (pairs >>> 16)) & 0xffff
}

function store(into: Float32Array, n: number, value: number): number {
  if (n >= into.length) throw new Error(`more numbers than the ${into.length} checked`)
  into[n] = value
  return n + 1
}

function roundToFloat32(mantissa: number, digits: number, power: number, negative: boolean, bytes: Uint8Array, start: number, end: number): number {
  if (mantissa === 0) return negative ? -0 : 0
  if (digits <= 15 && power >= -EXACT_POWERS && power <= EXACT_POWERS) {
    const exact = power >= 0 ? mantissa * POWERS[power]! : mantissa / POWERS[-power]!
    return Math.fround(negative ? -exact : exact)
  }
  if (power >= -MAX_POWER && power <= MAX_POWER) {
    const approx = mantissa * APPROX_POWERS[power + MAX_POWER]!
    // (a subnormal double, below 2.2e-308, has fewer digits than ε assumes; all of them round to 0 in float32)
    const low = Math.fround(approx * (1 - EPSILON))
    if (low === Math.fround(approx * (1 + EPSILON))) return negative ? -low : low
  }
  return Math.fround(Number(latin1(bytes, start, end)))
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[])
}
