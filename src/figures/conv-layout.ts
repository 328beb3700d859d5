import { formatFloat32 } from '../core/format.js'
import { heading, operator, sumBlock, sumBlockWidth } from './captions.js'
import { cellSize, drawGrid, gridBox, outputPlaneSpec, type GridSpec } from './grid.js'
import { COLORS, document, text } from './svg.js'

const M = 24
const OP = 56 // room for ∗ and = between grids
const ROW_GAP = 28
/** Output channels drawn as a stack; more than this and only the highlighted one is drawn. */
const MAX_OUTPUT_PLANES = 4

/** A convolution's output planes for batch `n`, the element (co, oi, oj) highlighted. */
export function outputPlanes(
  g: { readonly outChannels: number; readonly outH: number; readonly outW: number },
  output: Float32Array,
  n: number,
  co: number,
  oi: number,
  oj: number,
): GridSpec[] {
  const drawn = g.outChannels <= MAX_OUTPUT_PLANES ? Array.from({ length: g.outChannels }, (_, c) => c) : [co]
  return drawn.map((c) =>
    outputPlaneSpec(
      output,
      n * g.outChannels + c,
      c,
      g.outH,
      g.outW,
      c === co ? { i: oi, j: oj } : undefined,
      g.outChannels > 1 ? `channel ${c}${drawn.length === 1 ? ` of ${g.outChannels}` : ''}` : undefined,
    ),
  )
}

/** What a convolution figure shows; the layout is the same for conv2d and the transposed one. */
export interface ConvFigureParts {
  readonly headline: string
  readonly subtitle: string
  /** between each input and its kernel: `∗` (conv2d), `∗ᵀ` (transposed) */
  readonly symbol: string
  /** one row per input channel, in the order they are drawn top to bottom */
  readonly inputs: readonly GridSpec[]
  readonly kernels: readonly GridSpec[]
  readonly outputs: readonly GridSpec[]
  /** the highlighted output channel's bias, when the job has one */
  readonly bias?: number | undefined
  /** the line above the worked sum */
  readonly label: string
  readonly sum: string
  readonly title: string
}

/**
 * The textbook's layout: one row per input channel (input `symbol` kernel), `+` between rows,
 * `=` and the output plane(s) on the right, the worked sum underneath.
 */
export function layoutConvFigure(p: ConvFigureParts): string {
  const { inputs, kernels, outputs } = p
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
  const rowsHeight = rowHeights.reduce((a, b) => a + b, 0) + ROW_GAP * (inputs.length - 1)
  const outsHeight = outputs.reduce((a, s) => a + gridBox(s, outSize).height, 0) + ROW_GAP * (outputs.length - 1)
  const blockHeight = Math.max(rowsHeight, outsHeight)

  const body: string[] = []
  body.push(heading(M, M + 16, p.headline))
  body.push(text(M, M + 36, p.subtitle, { 'font-size': 13, fill: COLORS.muted }))
  body.push(heading(M, top - 6, 'Input'), heading(xKernel, top - 6, 'Kernel'), heading(xOutput, top - 6, 'Output'))

  let y = top + 8 + (blockHeight - rowsHeight) / 2
  inputs.forEach((spec, k) => {
    const h = rowHeights[k]!
    const gridTop = (s: GridSpec, size: number) => y + (h - gridBox(s, size).height) / 2
    body.push(drawGrid(spec, M, gridTop(spec, inSize), inSize))
    body.push(drawGrid(kernels[k]!, xKernel, gridTop(kernels[k]!, kSize), kSize))
    body.push(operator(M + inW + OP / 2, y + h / 2 + (spec.caption ? 11 : 0), p.symbol))
    if (k < inputs.length - 1) body.push(operator(M + inW / 2, y + h + ROW_GAP / 2, '+', 22))
    y += h + ROW_GAP
  })
  const middle = top + 8 + blockHeight / 2
  body.push(operator(xKernel + kW + OP / 2, middle, '='))
  if (p.bias !== undefined) {
    const b = p.bias < 0 ? `(${formatFloat32(p.bias)})` : formatFloat32(p.bias)
    body.push(text(xKernel + kW + OP / 2, middle + 26, `+ bias ${b}`, { 'font-size': 13, 'text-anchor': 'middle', fill: COLORS.muted }))
  }
  let oy = top + 8 + (blockHeight - outsHeight) / 2
  for (const spec of outputs) {
    body.push(drawGrid(spec, xOutput, oy, outSize))
    oy += gridBox(spec, outSize).height + ROW_GAP
  }

  const figureWidth = xOutput + outW + M
  const sumWidth = Math.max(figureWidth - 2 * M, Math.min(720, sumBlockWidth(p.sum, 720)))
  const sum = sumBlock(M, top + 8 + blockHeight + 18, sumWidth, p.label, p.sum)
  body.push(sum.svg)
  const width = Math.max(figureWidth, sumWidth + 2 * M)
  const height = top + 8 + blockHeight + 18 + sum.height + M
  return document(width, height, p.title, p.sum, body)
}
