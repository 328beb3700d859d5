import { explainConvAt } from '../core/explain.js'
import { sourceIndex } from '../core/pad-input.js'
import { formatFloat32 } from '../core/format.js'
import type { ConvGeometry } from '../core/geometry-types.js'
import { describeWindow, heading, operator, sumBlock, sumBlockWidth } from './captions.js'
import { cellSize, drawGrid, gridBox, outputPlaneSpec, type GridSpec } from './grid.js'
import { assertFigurable, toNchw } from './limits.js'
import { COLORS, document, text } from './svg.js'

const M = 24
const OP = 56 // room for ∗ and = between grids
const ROW_GAP = 28
/** Output channels drawn as a stack; more than this and only the highlighted one is drawn. */
const MAX_OUTPUT_PLANES = 4

/**
 * The textbook's conv figures in one layout: one row per input channel the highlighted element
 * reads (input with its padding ∗ that channel's kernel), `+` between rows, `=` and the output
 * plane(s) on the right; under it the element's worked sum. `highlight` is an index in the wire
 * output's rank (see parseHighlight): `i,j` means batch 0, output channel 0.
 */
export function renderConvFigure(
  g: ConvGeometry,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
  output: Float32Array,
  highlight: readonly number[],
): string {
  assertFigurable(g)
  const [n, co, oi, oj] = toNchw(highlight, g.wireOutputShape, g.outputShape)
  const worked = explainConvAt(g, input, weight, bias, n, co, oi, oj)
  const { rows: wr, cols: wc } = worked.window
  const cpg = g.inChannelsPerGroup
  const firstChannel = Math.floor(co / g.outChannelsPerGroup) * cpg
  const tap = (v: number, first: number, last: number, d: number) => v >= first && v <= last && (v - first) % d === 0

  const inputSpec = (ci: number): GridSpec => {
    const plane = (n * g.inChannels + firstChannel + ci) * g.inH * g.inW
    return {
      name: 'input',
      channel: firstChannel + ci,
      rows: g.inH + g.padTop + g.padBottom,
      cols: g.inW + g.padLeft + g.padRight,
      rowStart: -g.padTop,
      colStart: -g.padLeft,
      cell: (r, c) => {
        const sr = sourceIndex(r, g.inH, g.paddingMode)
        const sc = sourceIndex(c, g.inW, g.paddingMode)
        const value = sr < 0 || sc < 0 ? 0 : input[plane + sr * g.inW + sc]!
        const pad = r < 0 || r >= g.inH || c < 0 || c >= g.inW
        return { label: formatFloat32(value), pad, inWindow: tap(r, wr[0], wr[1], g.dilationH) && tap(c, wc[0], wc[1], g.dilationW) }
      },
      outline: worked.window,
      caption: cpg > 1 || g.inChannels > 1 ? `channel ${firstChannel + ci}` : undefined,
    }
  }
  const kernelSpec = (ci: number): GridSpec => ({
    name: 'kernel',
    channel: ci,
    rows: g.kH,
    cols: g.kW,
    rowStart: 0,
    colStart: 0,
    cell: (r, c) => ({ label: formatFloat32(weight[((co * cpg + ci) * g.kH + r) * g.kW + c]!), inWindow: true }),
    caption: cpg > 1 || g.outChannels > 1 ? (g.outChannels > 1 ? `out ${co}, in ${ci}` : `channel ${ci}`) : undefined,
  })
  const drawnOutputs = g.outChannels <= MAX_OUTPUT_PLANES ? Array.from({ length: g.outChannels }, (_, c) => c) : [co]
  const outputSpec = (c: number): GridSpec =>
    outputPlaneSpec(
      output,
      n * g.outChannels + c,
      c,
      g.outH,
      g.outW,
      c === co ? { i: oi, j: oj } : undefined,
      g.outChannels > 1 ? `channel ${c}${drawnOutputs.length === 1 ? ` of ${g.outChannels}` : ''}` : undefined,
    )

  // last channel on top: the rows then read in the order of the worked sum's brackets
  const order = Array.from({ length: cpg }, (_, k) => cpg - 1 - k)
  const inputs = order.map(inputSpec)
  const kernels = order.map(kernelSpec)
  const outputs = drawnOutputs.map(outputSpec)
  const inSize = Math.max(...inputs.map((s) => cellSize(s, 40)))
  const kSize = Math.max(...kernels.map((s) => cellSize(s, 40)))
  const outSize = Math.max(...outputs.map((s) => cellSize(s, 40)))

  const top = M + 72
  const inW = gridBox(inputs[0]!, inSize).width
  const kW = gridBox(kernels[0]!, kSize).width
  const xKernel = M + inW + OP
  const xOutput = xKernel + kW + OP
  const outW = gridBox(outputs[0]!, outSize).width
  const rowHeights = inputs.map((s, k) => Math.max(gridBox(s, inSize).height, gridBox(kernels[k]!, kSize).height))
  const rowsHeight = rowHeights.reduce((a, b) => a + b, 0) + ROW_GAP * (cpg - 1)
  const outsHeight = outputs.reduce((a, s) => a + gridBox(s, outSize).height, 0) + ROW_GAP * (outputs.length - 1)
  const blockHeight = Math.max(rowsHeight, outsHeight)

  const body: string[] = []
  const what = g.flipKernel ? 'Convolution (kernel rotated 180°)' : 'Cross-correlation'
  const extra = [g.paddingMode !== 'zeros' ? `${g.paddingMode} padding` : '', g.groups > 1 ? `groups ${g.groups}` : '']
  body.push(heading(M, M + 16, `${what} · ${g.kH}×${g.kW} kernel`))
  body.push(text(M, M + 36, [describeWindow(g), ...extra.filter(Boolean)].join(' · '), { 'font-size': 13, fill: COLORS.muted }))
  body.push(heading(M, top - 6, 'Input'), heading(xKernel, top - 6, 'Kernel'), heading(xOutput, top - 6, 'Output'))

  let y = top + 8 + (blockHeight - rowsHeight) / 2
  inputs.forEach((spec, k) => {
    const h = rowHeights[k]!
    const gridTop = (s: GridSpec, size: number) => y + (h - gridBox(s, size).height) / 2
    body.push(drawGrid(spec, M, gridTop(spec, inSize), inSize))
    body.push(drawGrid(kernels[k]!, xKernel, gridTop(kernels[k]!, kSize), kSize))
    body.push(operator(M + inW + OP / 2, y + h / 2 + (spec.caption ? 11 : 0), '∗'))
    if (k < cpg - 1) body.push(operator(M + inW / 2, y + h + ROW_GAP / 2, '+', 22))
    y += h + ROW_GAP
  })
  const middle = top + 8 + blockHeight / 2
  body.push(operator(xKernel + kW + OP / 2, middle, '='))
  if (bias) body.push(text(xKernel + kW + OP / 2, middle + 26, `+ bias ${bias[co]! < 0 ? `(${formatFloat32(bias[co]!)})` : formatFloat32(bias[co]!)}`, { 'font-size': 13, 'text-anchor': 'middle', fill: COLORS.muted }))
  let oy = top + 8 + (blockHeight - outsHeight) / 2
  for (const spec of outputs) {
    body.push(drawGrid(spec, xOutput, oy, outSize))
    oy += gridBox(spec, outSize).height + ROW_GAP
  }

  const figureWidth = xOutput + outW + M
  const label = `Output [${highlight.join(', ')}] (highlighted), read from the shaded window:`
  const sumWidth = Math.max(figureWidth - 2 * M, Math.min(720, sumBlockWidth(worked.text, 720)))
  const sum = sumBlock(M, top + 8 + blockHeight + 18, sumWidth, label, worked.text)
  body.push(sum.svg)
  const width = Math.max(figureWidth, sumWidth + 2 * M)
  const height = top + 8 + blockHeight + 18 + sum.height + M
  const title = `${what}: output [${highlight.join(', ')}] = ${formatFloat32(worked.value)}`
  return document(width, height, title, worked.text, body)
}
