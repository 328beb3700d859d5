import * as B from '../codec/json-bytes.js'

// module constants of their own for the per-character loop (see codec/read-numbers.ts)
const { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, OPEN_BRACE, OPEN_BRACKET, QUOTE } = B

/**
 * The deepest a convserve body legitimately nests: the body object, then a rank-4 nested tensor
 * (5 levels); `padding` objects and pairs nest 2. A margin on top.
 */
export const MAX_JSON_DEPTH = 8

/**
 * How deep the value a string stands for nests: a large body's placeholder for an array of
 * numbers cut out of it (codec/large-body.ts) stands for its rank; any other string, 0. Given the
 * string's content as `text[from, to)`.
 */
export type StandInDepth = (text: string, from: number, to: number) => number

/**
 * True when the JSON text nests deeper than `limit`. Measured here: V8's JSON.parse of 5 million
 * nested `[` (a 10 MB body) blocks the event loop for 3–4 s, 25× a legitimate body of the same
 * size, so depth is checked on the text before parsing. Strings are skipped with indexOf, so a
 * base64 body costs well under a millisecond; nested numbers cost about a fifth of their parse.
 * Malformed text is left for JSON.parse to report. With `standInDepth`, a string that stands for a
 * cut-out array counts as deep as that array, so a body is refused exactly as its whole text
 * would be.
 */
export function nestsDeeperThan(text: string, limit: number, standInDepth?: StandInDepth): boolean {
  let depth = 0
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      let end = i + 1
      for (;;) {
        end = text.indexOf('"', end)
        if (end < 0) return false
        let backslashes = 0
        while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++
        if (backslashes % 2 === 0) break
        end++
      }
      if (standInDepth && depth + standInDepth(text, i + 1, end) > limit) return true
      i = end
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > limit) return true
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--
    }
  }
  return false
}
