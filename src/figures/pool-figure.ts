import { explainPoolAt } from '../core/explain.js'
import { formatFloat32 } from '../core/format.js'
import type { PoolGeometry } from '../core/geometry-types.js'
import { describeWindow, heading, operator, sumBlock, sumBlockWidth } from './captions.js'
import { cellSize, drawGrid, gridBox, outputPlaneSpec, type GridSpec } from './grid.js'
import { assertFigurable, toNchw } from './limits.js'
import { COLORS, document, text } from './svg.js'

const M = 24
const OP = 110 // the arrow between input and output carries the window's description

/**
 * The textbook's pooling figure: the input plane (with its padding) and the output plane, no
 * kernel grid; the window of the highlighted element is shaded and outlined, a max's winner is
 * bold. Pooling is per channel, so only the highlighted element's channel is drawn.
 */
export function renderPoolFigure(g: PoolGeometry, input: Float32Array, output: Float32Array, highlight: readonly number[]): string {
  assertFigurable(g)
  const [n, c, oi, oj] = toNchw(highlight, g.wireOutputShape, g.outputShape)
  const worked = explainPoolAt(g, input, n, c, oi, oj)
  const plane = (n * g.channels + c) * g.inH * g.inW
  const win = worked.window
  const windowed = g.kind === 'window'
  const isTap = (v: number, first: number, last: number, d: number) => v >= first && v <= last && (v - first) % d === 0
  const dH = windowed ? g.dilationH : 1
  const dW = windowed ? g.dilationW : 1
  const winner = g.mode === 'max' ? worked.value : undefined
  const channelCaption = g.channels > 1 ? `channel ${c} of ${g.channels}` : undefined

  const inputSpec: GridSpec = {
    name: 'input',
    channel: c,
    rows: g.inH + g.padTop + g.padBottom,
    cols: g.inW + g.padLeft + g.padRight,
    rowStart: -g.padTop,
    colStart: -g.padLeft,
    cell: (r, col) => {
      const pad = r < 0 || r >= g.inH || col < 0 || col >= g.inW
      const value = pad ? undefined : input[plane + r * g.inW + col]!
      const inWindow = isTap(r, win.rows[0], win.rows[1], dH) && isTap(col, win.cols[0], win.cols[1], dW)
      // max and lp never read a padding cell, so it shows as an empty grey cell rather than a 0
      const padLabel = g.mode === 'avg' && g.countIncludePad ? '0' : ''
      return { label: value === undefined ? padLabel : formatFloat32(value), pad, inWindow, strong: inWindow && value !== undefined && value === winner }
    },
    outline: { rows: win.rows, cols: win.cols },
    caption: channelCaption,
  }
  const outputSpec = outputPlaneSpec(output, n * g.channels + c, c, g.outH, g.outW, { i: oi, j: oj }, channelCaption)

  const inSize = cellSize(inputSpec, 40)
  const outSize = cellSize(outputSpec, 40)
  const inBox = gridBox(inputSpec, inSize)
  const outBox = gridBox(outputSpec, outSize)
  const top = M + 72
  const xOutput = M + inBox.width + OP
  const blockHeight = Math.max(inBox.height, outBox.height)

  const name = { max: 'Maximum pooling', avg: 'Average pooling', lp: `Lp pooling (p = ${formatFloat32(g.p)})` }[g.mode]
  const shape = g.kind === 'global' ? 'global' : g.kind === 'adaptive' ? `adaptive to ${g.outH}×${g.outW}` : `${g.kH}×${g.kW} window`
  const details = windowed ? describeWindow(g) : 'one window per output cell (PyTorch bins)'
  const body: string[] = []
  body.push(heading(M, M + 16, `${name} · ${shape}`))
  body.push(text(M, M + 36, details, { 'font-size': 13, fill: COLORS.muted }))
  body.push(heading(M, top - 6, 'Input'), heading(xOutput, top - 6, 'Output'))
  body.push(drawGrid(inputSpec, M, top + 8 + (blockHeight - inBox.height) / 2, inSize))
  body.push(drawGrid(outputSpec, xOutput, top + 8 + (blockHeight - outBox.height) / 2, outSize))
  const middle = top + 8 + blockHeight / 2
  const ax = M + inBox.width + 14
  body.push(
    `<path d="M ${ax} ${middle} H ${xOutput - 14} m -9 -6 l 9 6 l -9 6" fill="none" stroke="${COLORS.ink}" stroke-width="2"/>`,
    text((ax + xOutput - 14) / 2, middle - 10, `${g.mode}${windowed ? ` ${g.kH}×${g.kW}` : ''}`, {
      'font-size': 13,
      'text-anchor': 'middle',
      fill: COLORS.muted,
    }),
  )

  const figureWidth = xOutput + outBox.width + M
  const label = `Output [${highlight.join(', ')}] (highlighted), from the shaded window:`
  const sumWidth = Math.max(figureWidth - 2 * M, Math.min(720, sumBlockWidth(worked.text, 720)))
  const sum = sumBlock(M, top + 8 + blockHeight + 18, sumWidth, label, worked.text)
  body.push(sum.svg)
  const width = Math.max(figureWidth, sumWidth + 2 * M)
  const height = top + 8 + blockHeight + 18 + sum.height + M
  return document(width, height, `${name}: output [${highlight.join(', ')}] = ${formatFloat32(worked.value)}`, worked.text, body)
}
