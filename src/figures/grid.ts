import { formatFloat32 } from '../core/format.js'
import { COLORS, el, MONO, SANS, text, textWidth } from './svg.js'

/** What one cell shows and how it is marked. */
export interface CellSpec {
  readonly label: string
  /** a padding cell (outside the input): shaded grey, value in grey */
  readonly pad?: boolean
  /** read by the highlighted output element */
  readonly inWindow?: boolean
  /** the highlighted output element itself */
  readonly highlighted?: boolean
  /** max pooling's winner: printed bold */
  readonly strong?: boolean
}

export interface GridSpec {
  /** `input`, `kernel` or `output`: lands in `data-grid`, which the tests and the playground select on */
  readonly name: 'input' | 'kernel' | 'output'
  readonly channel: number
  readonly rows: number
  readonly cols: number
  /** coordinate of the first row/col: negative for an input drawn with its padding */
  readonly rowStart: number
  readonly colStart: number
  readonly cell: (row: number, col: number) => CellSpec
  /** outline drawn around these coordinates (the window's extent), inclusive */
  readonly outline?: { rows: [number, number]; cols: [number, number] }
  readonly caption?: string
}

export interface Box {
  readonly width: number
  readonly height: number
}

export const FONT = 15
const CAPTION_FONT = 13
const CAPTION_GAP = 22

/** Cells are square, wide enough for the grid's longest value (1.1111112 needs more than 0). */
export function cellSize(spec: Pick<GridSpec, 'rows' | 'cols' | 'rowStart' | 'colStart' | 'cell'>, base: number): number {
  let longest = 0
  for (let r = 0; r < spec.rows; r++)
    for (let c = 0; c < spec.cols; c++)
      longest = Math.max(longest, textWidth(spec.cell(spec.rowStart + r, spec.colStart + c).label, FONT))
  return Math.max(base, Math.ceil(longest + 12))
}

export function gridBox(spec: GridSpec, size: number): Box {
  return { width: spec.cols * size, height: spec.rows * size + (spec.caption ? CAPTION_GAP : 0) }
}

/** A grid of cells at (x, y); the caption (if any) sits above it. */
export function drawGrid(spec: GridSpec, x: number, y: number, size: number): string {
  const parts: string[] = []
  let top = y
  if (spec.caption) {
    parts.push(text(x, y + CAPTION_FONT, spec.caption, { 'font-size': CAPTION_FONT, fill: COLORS.muted, 'font-family': SANS }))
    top += CAPTION_GAP
  }
  for (let r = 0; r < spec.rows; r++) {
    for (let c = 0; c < spec.cols; c++) {
      const row = spec.rowStart + r
      const col = spec.colStart + c
      const cell = spec.cell(row, col)
      const cx = x + c * size
      const cy = top + r * size
      const fill = cell.highlighted ? COLORS.output : cell.inWindow ? COLORS.window : cell.pad ? COLORS.pad : COLORS.cell
      parts.push(
        el(
          'g',
          {
            'data-grid': spec.name,
            'data-channel': spec.channel,
            'data-row': row,
            'data-col': col,
            'data-value': cell.label,
            'data-pad': cell.pad ? 'true' : undefined,
            'data-window': cell.inWindow ? 'true' : undefined,
            'data-highlight': cell.highlighted ? 'true' : undefined,
          },
          [
            el('rect', { x: cx, y: cy, width: size, height: size, fill, stroke: COLORS.grid, 'stroke-width': 1 }),
            text(cx + size / 2, cy + size / 2, cell.label, {
              'text-anchor': 'middle',
              'dominant-baseline': 'central',
              'font-size': FONT,
              'font-family': MONO,
              'font-weight': cell.strong ? 'bold' : undefined,
              fill: cell.pad && !cell.inWindow ? COLORS.padInk : COLORS.ink,
            }),
          ],
        ),
      )
    }
  }
  if (spec.outline) {
    const { rows, cols } = spec.outline
    const edge = spec.name === 'output' ? COLORS.outputEdge : COLORS.windowEdge
    parts.push(
      el('rect', {
        x: x + (cols[0] - spec.colStart) * size,
        y: top + (rows[0] - spec.rowStart) * size,
        width: (cols[1] - cols[0] + 1) * size,
        height: (rows[1] - rows[0] + 1) * size,
        fill: 'none',
        stroke: edge,
        'stroke-width': 3,
        'data-outline': spec.name,
        'pointer-events': 'none',
      }),
    )
  }
  return el('g', { 'data-plane': spec.name, 'data-channel': spec.channel }, parts)
}

/**
 * One output plane of a job (`plane` = its batch·channel index in NCHW order), values in the
 * cells; the highlighted element, when it lies in this plane, is marked and outlined.
 */
export function outputPlaneSpec(
  output: Float32Array,
  plane: number,
  channel: number,
  outH: number,
  outW: number,
  highlight: { readonly i: number; readonly j: number } | undefined,
  caption: string | undefined,
): GridSpec {
  return {
    name: 'output',
    channel,
    rows: outH,
    cols: outW,
    rowStart: 0,
    colStart: 0,
    cell: (r, col) => ({
      label: formatFloat32(output[(plane * outH + r) * outW + col]!),
      highlighted: highlight !== undefined && r === highlight.i && col === highlight.j,
    }),
    outline: highlight ? { rows: [highlight.i, highlight.i], cols: [highlight.j, highlight.j] } : undefined,
    caption,
  }
}
