import type { Window2d } from '../core/geometry-types.js'
import { COLORS, MONO, SANS, text, textWidth } from './svg.js'

const SUM_FONT = 15
const LINE = 22

/** Breaks a worked sum before a ` + ` so each line fits `width` pixels. */
export function wrapSum(line: string, width: number): string[] {
  const perLine = Math.max(20, Math.floor(width / (SUM_FONT * 0.6)))
  const pieces = line.split(/(?= \+ | = )/)
  const lines: string[] = []
  let current = ''
  for (const piece of pieces) {
    if (current.length > 0 && current.length + piece.length > perLine) {
      lines.push(current)
      current = '    ' + piece.trimStart()
    } else current += piece
  }
  if (current) lines.push(current)
  return lines
}

/** The worked sum under the figure: a label and the (wrapped) line; returns its markup and height. */
export function sumBlock(x: number, y: number, width: number, label: string, line: string): { svg: string; height: number } {
  const lines = wrapSum(line, width)
  const parts = [text(x, y + 14, label, { 'font-size': 13, fill: COLORS.muted, 'font-family': SANS })]
  lines.forEach((l, k) =>
    parts.push(
      text(x, y + 14 + (k + 1) * LINE, l, {
        'font-size': SUM_FONT,
        'font-family': MONO,
        fill: COLORS.ink,
        'xml:space': 'preserve',
        'data-sum': k === 0 ? 'true' : 'continued',
      }),
    ),
  )
  return { svg: parts.join(''), height: 14 + lines.length * LINE + 8 }
}

export function sumBlockWidth(line: string, max: number): number {
  return Math.min(max, textWidth(line, SUM_FONT))
}

const pair = (a: number, b: number) => (a === b ? `${a}` : `${a}×${b}`)

/** `stride 3×2 · padding 1 · dilation 2`: the parameters that change the picture. */
export function describeWindow(g: Window2d): string {
  const parts = [`stride ${pair(g.strideH, g.strideW)}`]
  const { padTop: t, padBottom: b, padLeft: l, padRight: r } = g
  if (t === b && l === r) parts.push(`padding ${pair(t, l)}`)
  else parts.push(`padding top ${t}, bottom ${b}, left ${l}, right ${r}`)
  if (g.dilationH !== 1 || g.dilationW !== 1) parts.push(`dilation ${pair(g.dilationH, g.dilationW)}`)
  return parts.join(' · ')
}

export function heading(x: number, y: number, content: string): string {
  return text(x, y, content, { 'font-size': 15, 'font-weight': 'bold', fill: COLORS.ink, 'font-family': SANS })
}

export function operator(x: number, y: number, symbol: string, size = 26): string {
  return text(x, y, symbol, {
    'font-size': size,
    'text-anchor': 'middle',
    'dominant-baseline': 'central',
    fill: COLORS.ink,
    'font-family': SANS,
  })
}
