import { CoreError } from '../core/errors.js'
import type { Geometry } from '../core/geometry-types.js'

/** Planes larger than this stop being readable at 100% zoom (the contract's limit). */
export const FIGURE_MAX_PLANE = 16
/** Channel rows drawn one under another; past this the figure is a scroll, not a picture. */
export const FIGURE_MAX_CHANNELS = 8

/** The figure's 400s, checked from the geometry alone so the route can refuse before computing. */
export function assertFigurable(g: Geometry): void {
  const plane = (what: string, field: string, h: number, w: number) => {
    if (h > FIGURE_MAX_PLANE || w > FIGURE_MAX_PLANE) {
      throw new CoreError(
        'UNSUPPORTED',
        field,
        `figures draw planes up to ${FIGURE_MAX_PLANE}×${FIGURE_MAX_PLANE}; the ${what} plane is ${h}×${w}`,
      )
    }
  }
  plane('input', 'input', g.inH, g.inW)
  plane('output', 'input', g.outH, g.outW)
  // a transposed conv's padding crops the output; it adds no ring to the input drawn
  if (g.op !== 'convTranspose2d') plane('padded input', 'padding', g.inH + g.padTop + g.padBottom, g.inW + g.padLeft + g.padRight)
  if (g.op !== 'pool') {
    plane('kernel', 'weight', g.kH, g.kW)
    if (g.inChannelsPerGroup > FIGURE_MAX_CHANNELS) {
      throw new CoreError(
        'UNSUPPORTED',
        'input',
        `figures draw up to ${FIGURE_MAX_CHANNELS} input channels per output; this job sums ${g.inChannelsPerGroup}`,
      )
    }
  }
}

/**
 * `?highlight=i,j` (row and column in the output plane, first batch and first channel) or the
 * whole index in the output's rank (`c,i,j`, `n,c,i,j`) to pick another channel or batch.
 * Returns the index in the output's (wire) rank.
 */
export function parseHighlight(raw: string | undefined, wireShape: readonly number[]): number[] {
  const rank = wireShape.length
  if (raw === undefined || raw.trim() === '') return new Array<number>(rank).fill(0)
  const parts = raw.split(',').map((s) => s.trim())
  if (!parts.every((s) => /^\d+$/.test(s)) || (parts.length !== 2 && parts.length !== rank)) {
    throw new CoreError(
      'INVALID_PARAMETER',
      'highlight',
      `highlight must be "i,j" (output row and column)${rank > 2 ? ` or ${rank} comma-separated indices` : ''}, got ${JSON.stringify(raw)}`,
    )
  }
  const given = parts.map(Number)
  const index = given.length === rank ? given : [...new Array<number>(rank - 2).fill(0), ...given]
  const bad = index.some((v, a) => v >= wireShape[a]!)
  if (bad) {
    const shown = given.length === 2 ? wireShape.slice(-2) : wireShape
    throw new CoreError(
      'INVALID_PARAMETER',
      'highlight',
      `highlight ${given.join(',')} is outside the ${shown.join('×')} output (valid: ${shown.map((d) => `0–${d - 1}`).join(', ')})`,
    )
  }
  return index
}

/** A wire index as NCHW: the wire shape drops only size-1 axes, so the row-major position is shared. */
export function toNchw(given: readonly number[], wireShape: readonly number[], nchw: readonly number[]): [number, number, number, number] {
  // the same rules (and errors) as the query: `[i, j]` is the first batch and channel
  const index = parseHighlight(given.join(','), wireShape)
  let flat = 0
  for (let a = 0; a < wireShape.length; a++) flat = flat * wireShape[a]! + index[a]!
  const out = [0, 0, 0, 0] as [number, number, number, number]
  for (let a = 3; a >= 0; a--) {
    out[a] = flat % nchw[a]!
    flat = Math.floor(flat / nchw[a]!)
  }
  return out
}
