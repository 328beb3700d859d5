/**
 * Results are float32; a JavaScript number holding a float32 prints as the double's shortest
 * decimal (0.1f → 0.10000000149011612). The contract prints the float32's own shortest
 * round-trip decimal instead, so each value is replaced by the shortest decimal that reads back
 * to the same float32. Non-finite values are left as they are (the codec decides how they travel).
 */
export function shortestFloat32(x: number): number {
  // integers up to 2^24 are exact in float32 and already print shortest
  if (!Number.isFinite(x) || (Number.isInteger(x) && Math.abs(x) <= 16777216)) return x
  for (let digits = 6; digits < 9; digits++) {
    const candidate = Number(x.toPrecision(digits))
    if (Math.fround(candidate) === x) return shortenFurther(x, candidate, digits)
  }
  return Number(x.toPrecision(9))
}

// Most float32 values need 6–9 significant digits; starting at 6 saves work for the common case,
// and this walks down only when 6 already round-trips (values like 0.5 or 0.25 need fewer).
function shortenFurther(x: number, found: number, digits: number): number {
  let best = found
  for (let d = digits - 1; d >= 1; d--) {
    const candidate = Number(x.toPrecision(d))
    if (Math.fround(candidate) !== x) break
    best = candidate
  }
  return best
}

/** Text for explain and figures: the float32's shortest decimal, `−` never used for minus. */
export function formatFloat32(x: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  return String(shortestFloat32(x))
}
