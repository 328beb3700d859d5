/**
 * Long arrays of JSON numbers in a large body, found in its bytes, so that their values can be
 * read on the worker that runs the job instead of on the main thread (codec/large-body.ts).
 *
 * A scan finds arrays that hold only numbers and arrays, rectangular, rank 1 to 4, no dimension
 * empty, and returns each one's bytes and shape: everything the main thread needs to resolve the
 * job's geometry. It also checks each number's spelling and that it fits a float32, so what it
 * accepts JSON.parse accepts and the codec takes without a complaint: the worker that reads the
 * values has nothing left to refuse. Anything else the scan passes over (an object, a string,
 * `null`, a ragged row, an empty array, `01`, `1e39`), and the usual parser and the codec meet it
 * with their usual messages.
 */
import { FLOAT32_MAX } from './float32.js'
import * as B from './json-bytes.js'

/** A rectangular array of numbers in the body: `[start, end)` are its bytes, brackets included. */
export interface NumberArraySpan {
  readonly start: number
  readonly end: number
  readonly shape: readonly number[]
}

const MAX_RANK = 4

// what a byte is to the scan: a character of a number (by its role there), or one of these
const C_ZERO = 0
const C_DIGIT = 1 // 1-9
const C_MINUS = 2
const C_PLUS = 3
const C_DOT = 4
const C_E = 5 // e E
const SPACE = 6
const COMMA = 7
const OPEN = 8
const CLOSE = 9
const OTHER = 10

const KIND = new Uint8Array(256).fill(OTHER)
for (let b = 0; b < 256; b++) if (B.isJsonSpace(b)) KIND[b] = SPACE
KIND.fill(C_DIGIT, B.DIGIT_0 + 1, B.DIGIT_9 + 1)
KIND[B.DIGIT_0] = C_ZERO
KIND[B.MINUS] = C_MINUS
KIND[B.PLUS] = C_PLUS
KIND[B.DOT] = C_DOT
KIND[B.LOWER_E] = C_E
KIND[B.UPPER_E] = C_E
KIND[B.COMMA] = COMMA
KIND[B.OPEN_BRACKET] = OPEN
KIND[B.CLOSE_BRACKET] = CLOSE

// A JSON number's spelling, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, as states, so that
// the scan accepts only what JSON.parse accepts: a body with `01` or `1.` takes the usual path
// and gets the usual message.
const DEAD = 0
const START = 1
const MINUS = 2
const ZERO = 3
const INT = 4
const DOT = 5
const FRAC = 6
const EXP = 7
const EXP_SIGN = 8
const EXP_DIGITS = 9
/** the byte after the number: not one of its characters */
const AFTER = 15
/** states that a digit leaves as they are */
const DIGIT_RUN = new Uint8Array(16)
for (const s of [INT, FRAC, EXP_DIGITS]) DIGIT_RUN[s] = 1
const ENDS = new Uint8Array(16)
for (const s of [ZERO, INT, FRAC, EXP_DIGITS]) ENDS[s] = 1

/**
 * STEP[state * 256 + byte]: the state after reading `byte`: AFTER for a byte no number holds,
 * DEAD for a character of numbers that cannot come here. One lookup per byte: the scan spends
 * most of its time in numbers.
 */
const STEP = new Uint8Array(16 * 256)
for (let state = 0; state < 16; state++) {
  for (let byte = 0; byte < 256; byte++) STEP[state * 256 + byte] = KIND[byte]! <= C_E ? DEAD : AFTER
}
const edge = (from: number, kinds: number[], to: number) => {
  for (let byte = 0; byte < 256; byte++) if (kinds.includes(KIND[byte]!)) STEP[from * 256 + byte] = to
}
edge(START, [C_MINUS], MINUS)
edge(START, [C_ZERO], ZERO)
edge(START, [C_DIGIT], INT)
edge(MINUS, [C_ZERO], ZERO)
edge(MINUS, [C_DIGIT], INT)
edge(ZERO, [C_DOT], DOT)
edge(ZERO, [C_E], EXP)
edge(INT, [C_ZERO, C_DIGIT], INT)
edge(INT, [C_DOT], DOT)
edge(INT, [C_E], EXP)
edge(DOT, [C_ZERO, C_DIGIT], FRAC)
edge(FRAC, [C_ZERO, C_DIGIT], FRAC)
edge(FRAC, [C_E], EXP)
edge(EXP, [C_PLUS, C_MINUS], EXP_SIGN)
edge(EXP, [C_ZERO, C_DIGIT], EXP_DIGITS)
edge(EXP_SIGN, [C_ZERO, C_DIGIT], EXP_DIGITS)
edge(EXP_DIGITS, [C_ZERO, C_DIGIT], EXP_DIGITS)

/**
 * Numbers of up to this many characters without an exponent are below 1e38, so within float32;
 * only longer ones and those with a non-negative exponent are read to be sure.
 */
const SURELY_FINITE_LENGTH = 38
/** a float32 needs 9 significant digits; a number spelled longer than this is left to the usual path */
const MAX_NUMBER_LENGTH = 64

// what the scan expects next inside an array
const VALUE = 0 // after `,`: a number or an array
const FIRST_VALUE = 1 // after `[`: a number, an array (`]` would make it empty)
const AFTER_VALUE = 2 // after a number or an array: `,` or `]`
const IN_NUMBER = 3 // a piece ended inside a number

/**
 * A scanner fed a run of bytes in pieces (a body's chunks); it keeps no bytes but a number cut by
 * a piece's end. One loop over lookup tables, its state in locals, because it reads every byte of
 * the tensors on the main thread: it replaces JSON.parse, the schema's walk and the copy into a
 * Float32Array there (figures in docs/performance.md).
 */
export class NumberArrayScanner {
  readonly spans: NumberArraySpan[] = []
  /** 0 outside a candidate array; else the depth of the innermost open array */
  private depth = 0
  private expect = VALUE
  /** the depth at which numbers sit (the rank), once the first number is seen; 0 before */
  private rank = 0
  private start = 0
  /** the element count of the first array at each depth (index depth − 1): the shape */
  private readonly shape = new Int32Array(MAX_RANK)
  /** elements so far in the open array at each depth */
  private readonly count = new Int32Array(MAX_RANK + 1)
  /** whether the open array at each depth is the first of its depth (so it sets the shape) */
  private readonly first = new Uint8Array(MAX_RANK + 1)
  /** a number a piece ended inside: its spelling's state, where it began, its characters so far */
  private numberState = START
  private numberStart = 0
  private carried = ''

  constructor(private readonly minLength: number) {}

  /** Scans `bytes[from, to)`, which sit at `offset + from` in the body. */
  feed(bytes: Uint8Array, from: number, to: number, offset: number): void {
    const { count, first, shape } = this
    // the bytes four at a time (little-endian words), where the piece's start allows
    const words = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2) : undefined
    let depth = this.depth
    let expect = this.expect
    let rank = this.rank
    let i = from
    while (i < to) {
      const kind = KIND[bytes[i]!]!
      // a number: the rest of it at once
      if (expect === IN_NUMBER || (kind <= C_E && depth > 0)) {
        let state = START
        let begin = offset + i
        if (expect === IN_NUMBER) {
          state = this.numberState
          begin = this.numberStart
        } else if (expect === AFTER_VALUE || (rank !== 0 && depth !== rank)) {
          depth = 0
          i++
          continue
        } else {
          if (rank === 0) rank = depth
          count[depth]!++
        }
        const pieceStart = i
        let next = STEP[state * 256 + bytes[i]!]!
        while (next !== AFTER) {
          state = next
          if (++i === to) break
          // a run of digits keeps its state: four at a time while they are aligned
          if (words !== undefined && (i & 3) === 0 && DIGIT_RUN[state] === 1) {
            while (i + 4 <= to) {
              const w = words[i >> 2]!
              if ((w & 0xf0f0f0f0) !== 0x30303030 || ((w + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) break
              i += 4
            }
            if (i === to) break
          }
          next = STEP[state * 256 + bytes[i]!]!
        }
        const length = offset + i - begin
        if (length > MAX_NUMBER_LENGTH) {
          // left to the usual parser (so only short text is ever carried)
          depth = 0
          expect = VALUE
          this.carried = ''
          continue
        }
        if (i === to) {
          expect = IN_NUMBER
          this.numberState = state
          this.numberStart = begin
          this.carried += latin1(bytes, pieceStart, to)
          break
        }
        expect = AFTER_VALUE
        if (ENDS[state] === 0) depth = 0
        else if (state === EXP_DIGITS || length > SURELY_FINITE_LENGTH) {
          if (!fitsFloat32(this.carried + latin1(bytes, pieceStart, i))) depth = 0
        }
        if (begin < offset + pieceStart) this.carried = ''
        continue
      }
      if (depth === 0) {
        if (kind === OPEN) {
          depth = 1
          this.start = offset + i
          rank = 0
          count[1] = 0
          first[1] = 1
          expect = FIRST_VALUE
        }
      } else if (kind === COMMA) {
        if (expect === AFTER_VALUE) expect = VALUE
        else depth = 0
      } else if (kind === OPEN) {
        if (expect === AFTER_VALUE || depth === MAX_RANK || (rank !== 0 && depth >= rank)) depth = 0
        else {
          count[depth]!++
          first[depth + 1] = first[depth] === 1 && count[depth] === 1 ? 1 : 0
          depth++
          count[depth] = 0
          expect = FIRST_VALUE
        }
      } else if (kind === CLOSE) {
        const n = count[depth]!
        // `[]` and `[1,]` are left to the usual parser (an empty dimension is a 400 there)
        if (expect !== AFTER_VALUE || n === 0) depth = 0
        else if (first[depth] === 1) shape[depth - 1] = n
        else if (shape[depth - 1] !== n) depth = 0
        if (depth > 0) {
          depth--
          if (depth === 0 && offset + i + 1 - this.start >= this.minLength) {
            this.spans.push({ start: this.start, end: offset + i + 1, shape: Array.from(shape.subarray(0, rank)) })
          }
        }
      } else if (kind !== SPACE) depth = 0
      i++
    }
    this.depth = depth
    this.expect = expect
    this.rank = rank
  }

  /** The run of bytes fed so far ends here (the next byte is not this run's): an open candidate is dropped. */
  end(): void {
    this.depth = 0
    this.expect = VALUE
    this.carried = ''
  }
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[])
}

/**
 * Whether a number spelled with an exponent, or long, is within float32's range. A negative
 * exponent after a short mantissa cannot overflow; anything else is read (rarely: Python writes
 * `1e-05`, but seldom a large exponent).
 */
function fitsFloat32(text: string): boolean {
  const e = text.search(/[eE]/)
  if (e >= 0 && e <= SURELY_FINITE_LENGTH && text.charCodeAt(e + 1) === B.MINUS) return true
  return Math.abs(Number(text)) <= FLOAT32_MAX
}
