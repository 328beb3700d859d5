import { isAscii } from 'node:buffer'
import { randomBytes } from 'node:crypto'
import { ownsItsBuffer, piecesInclude, piecesToLatin1, piecesToUtf8, type BytePieces } from './byte-pieces.js'
import { attachBase64Bytes } from './decode.js'
import * as B from './json-bytes.js'
import { NumberArrayScanner } from './number-arrays.js'
import { attachNumberArray } from './number-text.js'

/**
 * Large JSON bodies without megabyte strings. A 1.24 MB base64 request cost ~10 ms of main-thread
 * time here just to become a string (4.9 ms) and be parsed (5.4 ms) — most of a request that
 * computes in 2 ms. Long plain-ASCII strings (base64 payloads) are cut out of the body's bytes
 * and replaced in the JSON text by a placeholder unique to the request; the rest, a few hundred
 * bytes, goes through the usual parser with all its checks. Arrays of numbers (the nested and
 * flat forms) are cut out the same way once a scan of their bytes has checked them
 * (codec/number-arrays.ts): parsed, checked by the schema and copied on the main thread, S2's
 * input as nested arrays held it for tens of milliseconds (docs/performance.md). Afterwards a
 * tensor's cut values stay bytes, decoded on the worker that runs its job (`restoreLargeValues`);
 * a placeholder anywhere else gets its value back, so every other path sees the body exactly as
 * sent.
 */
export const LONG_STRING_BYTES = 4096

/**
 * Placeholders start with a NUL (which a client's JSON can only spell as an escape, so it never
 * occurs in a string cut out of the bytes) and this process's random prefix, then a per-body
 * number. One random draw per process, not per body: `randomBytes` cost ~0.04 ms of main-thread
 * time per large request (CPU profile under S2 load). A client that guessed a marker could only
 * point a placeholder of its own body at another string of that same body.
 */
const MARKER_PREFIX = `\u0000${randomBytes(6).toString('hex')}`
let bodiesSplit = 0

// module constants of their own for the scanning loops (see read-numbers.ts)
const { BACKSLASH, COLON, isJsonSpace, QUOTE } = B
const TENSOR_FIELDS = ['input', 'weight', 'kernel', 'bias'] as const

/** A value cut out of the body: a long string's content (without quotes), or an array of numbers and its shape. */
export interface CutValue {
  /** views of the body's chunks, each chunk an ArrayBuffer of this request alone, so a job may move them to a worker thread */
  readonly bytes: BytePieces
  /** an array of numbers' shape (codec/number-arrays.ts); absent for a string */
  readonly shape?: readonly number[]
}

export interface SplitBody {
  /** the JSON text with each cut value replaced by the string `"<marker><index>"` */
  readonly text: string
  /** the cut values, by index */
  readonly cuts: readonly CutValue[]
  readonly marker: string
  /** the marker as it stands in the JSON text (its NUL escaped) */
  readonly escapedMarker: string
}

/**
 * Cuts out of a body — one buffer, or the chunks it arrived in (byte-pieces.ts) — the ASCII
 * strings without escapes of `minLength` bytes or more, and the rectangular arrays of numbers of
 * as many bytes (codec/number-arrays.ts); undefined when there are none.
 */
export function splitLargeValues(received: Buffer | readonly Buffer[], minLength = LONG_STRING_BYTES): SplitBody | undefined {
  // Node's HTTP parser hands each body chunk over in an ArrayBuffer of its own; anything else
  // (a slice of Node's shared pool for small buffers, say) is copied once into a buffer of its own
  const body = new ChunkedBytes((Array.isArray(received) ? received : [received]).map((b) => (ownsItsBuffer(b) ? b : copyToOwnBuffer(b))))
  const cuts: CutValue[] = []
  const parts: string[] = []
  bodiesSplit = (bodiesSplit + 1) % 0x1_0000_0000
  const marker = `${MARKER_PREFIX}${bodiesSplit.toString(36)}:`
  const placeholder = () => JSON.stringify(`${marker}${cuts.length}`)
  let copied = 0
  // arrays of numbers lie between strings (they hold none): each such gap is scanned for them
  const scanner = new NumberArrayScanner(minLength)
  const cutArrays = (from: number, to: number) => {
    if (to - from < minLength) return
    body.feed(scanner, from, to)
    scanner.end()
    for (const span of scanner.spans.splice(0)) {
      parts.push(body.text(copied, span.start), placeholder())
      cuts.push({ bytes: body.pieces(span.start, span.end), shape: span.shape })
      copied = span.end
    }
  }
  let gapStart = 0
  let at = body.indexOf(QUOTE, 0)
  while (at >= 0) {
    cutArrays(gapStart, at)
    let end = at + 1
    for (;;) {
      end = body.indexOf(QUOTE, end)
      if (end < 0) return undefined // unterminated: the usual parser reports it
      let backslashes = 0
      while (body.byteAt(end - 1 - backslashes) === BACKSLASH) backslashes++
      if (backslashes % 2 === 0) break
      end++
    }
    // only values (never keys) of plain ASCII without escapes: the bytes are exactly the characters
    if (end - at - 1 >= minLength && !isKey(body, end)) {
      const content = body.pieces(at + 1, end)
      if (!piecesInclude(content, BACKSLASH) && content.every((p) => isAscii(p))) {
        parts.push(body.text(copied, at + 1), placeholder().slice(1, -1))
        cuts.push({ bytes: content })
        copied = end
      }
    }
    gapStart = end + 1
    at = body.indexOf(QUOTE, gapStart)
  }
  cutArrays(gapStart, body.length)
  if (cuts.length === 0) return undefined
  parts.push(body.text(copied, body.length))
  return { text: parts.join(''), cuts, marker, escapedMarker: JSON.stringify(marker).slice(1, -1) }
}

function copyToOwnBuffer(b: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(b.length)
  b.copy(copy)
  return copy
}

/** A string followed by `:` is an object key. */
function isKey(body: ChunkedBytes, closingQuote: number): boolean {
  let i = closingQuote + 1
  let b = body.byteAt(i)
  while (isJsonSpace(b)) b = body.byteAt(++i)
  return b === COLON
}

/** A body's chunks read as one run of bytes, by position over them all. */
class ChunkedBytes {
  /** where each chunk starts in the body */
  private readonly starts: number[] = []
  readonly length: number

  constructor(private readonly chunks: readonly Buffer[]) {
    let n = 0
    for (const c of chunks) {
      this.starts.push(n)
      n += c.length
    }
    this.length = n
  }

  /** the chunk holding position `at` (0 ≤ at < length) */
  private chunkAt(at: number): number {
    let lo = 0
    let hi = this.chunks.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.starts[mid]! <= at) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  indexOf(byte: number, from: number): number {
    if (from >= this.length) return -1
    for (let c = this.chunkAt(from); c < this.chunks.length; c++) {
      const i = this.chunks[c]!.indexOf(byte, Math.max(0, from - this.starts[c]!))
      if (i >= 0) return this.starts[c]! + i
    }
    return -1
  }

  byteAt(at: number): number | undefined {
    if (at < 0 || at >= this.length) return undefined
    const c = this.chunkAt(at)
    return this.chunks[c]![at - this.starts[c]!]
  }

  /** views of the bytes in [from, to), one per chunk they touch */
  pieces(from: number, to: number): Buffer[] {
    const out: Buffer[] = []
    if (from >= to) return out
    for (let c = this.chunkAt(from); c < this.chunks.length && this.starts[c]! < to; c++) {
      const start = this.starts[c]!
      out.push(this.chunks[c]!.subarray(Math.max(0, from - start), Math.min(this.chunks[c]!.length, to - start)))
    }
    return out
  }

  /** Feeds the bytes in [from, to) to a scanner, chunk by chunk. */
  feed(scanner: NumberArrayScanner, from: number, to: number): void {
    if (from >= to) return
    for (let c = this.chunkAt(from); c < this.chunks.length && this.starts[c]! < to; c++) {
      const start = this.starts[c]!
      scanner.feed(this.chunks[c]!, Math.max(0, from - start), Math.min(this.chunks[c]!.length, to - start), start)
    }
  }

  /** the bytes in [from, to) as UTF-8 text */
  text(from: number, to: number): string {
    return piecesToUtf8(this.pieces(from, to))
  }
}

/**
 * After parsing, the cut values of a tensor field go on as bytes: a `base64` placeholder stays
 * (a string for the schema) and leads to its bytes; nested arrays of numbers become the stand-in
 * `[0]`, a flat tensor's `data` the stand-in `[]`, each leading to the bytes and the shape
 * (codec/number-text.ts). Any other placeholder — a long string or an array elsewhere, numbers of
 * the wrong rank for their place — gets its value back, so every other path sees the body as sent.
 */
export function restoreLargeValues(value: unknown, split: SplitBody): unknown {
  const kept = new Set<number>()
  const take = (text: unknown, isArray: boolean, rank?: number): CutValue | undefined => {
    const index = placeholderIndex(text, split)
    if (index === undefined || kept.has(index)) return undefined
    const cut = split.cuts[index]!
    if ((cut.shape !== undefined) !== isArray || (rank !== undefined && cut.shape!.length !== rank)) return undefined
    kept.add(index)
    return cut
  }
  if (isObject(value)) {
    for (const field of TENSOR_FIELDS) {
      const tensor = value[field]
      const nested = take(tensor, true)
      if (nested) {
        const standIn = [0]
        attachNumberArray(standIn, nested.bytes, nested.shape!)
        value[field] = standIn
      } else if (isObject(tensor)) {
        const base64 = take(tensor.base64, false)
        if (base64) attachBase64Bytes(tensor, base64.bytes)
        const data = base64 ? undefined : take(tensor.data, true, 1)
        if (data) {
          tensor.data = []
          attachNumberArray(tensor, data.bytes, data.shape!)
        }
      }
    }
  }
  return restore(value, split, kept, 0)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * How deep the value behind a placeholder nests, given the placeholder's text as it stands in
 * the split JSON text (`text[from, to)`, escaped): an array of numbers' rank, else 0. The depth
 * check before parsing counts it, so a cut never lets a body pass that its whole text would fail.
 */
export function cutDepth(split: SplitBody, text: string, from: number, to: number): number {
  if (!text.startsWith(split.escapedMarker, from)) return 0
  const index = Number(text.slice(from + split.escapedMarker.length, to))
  return Number.isInteger(index) ? (split.cuts[index]?.shape?.length ?? 0) : 0
}

function placeholderIndex(text: unknown, split: SplitBody): number | undefined {
  if (typeof text !== 'string' || !text.startsWith(split.marker)) return undefined
  const index = Number(text.slice(split.marker.length))
  return Number.isInteger(index) && index >= 0 && index < split.cuts.length ? index : undefined
}

function restore(value: unknown, split: SplitBody, kept: ReadonlySet<number>, depth: number): unknown {
  if (typeof value === 'string') {
    const index = placeholderIndex(value, split)
    if (index === undefined || kept.has(index)) return value
    const { bytes, shape } = split.cuts[index]!
    // an array's bytes are JSON that the scan has checked
    return shape ? JSON.parse(piecesToLatin1(bytes)) : piecesToLatin1(bytes)
  }
  // the parser has already refused bodies nested deeper than MAX_JSON_DEPTH
  if (value === null || typeof value !== 'object' || depth > 16) return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i], split, kept, depth + 1)
    return value
  }
  const object = value as Record<string, unknown>
  for (const key of Object.keys(object)) object[key] = restore(object[key], split, kept, depth + 1)
  return value
}
