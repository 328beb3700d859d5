import { explainConvTransposeAt, landingTaps } from '../core/explain.js'
import { formatFloat32 } from '../core/format.js'
import type { ConvTransposeGeometry } from '../core/geometry-types.js'
import { layoutConvFigure, outputPlanes } from './conv-layout.js'
import type { GridSpec } from './grid.js'
import { assertFigurable, toNchw } from './limits.js'

const pair = (a: number, b: number) => (a === b ? `${a}` : `${a}×${b}`)

/**
 * A transposed convolution drawn in the layout of the conv figures: one row per input channel
 * of the highlighted output's group (input ∗ᵀ that channel's kernel), `=` and the output. The
 * highlighted output element is a sum of products gathered back from the scatter: the shaded
 * input elements are those that land on it, the shaded kernel cells the taps they land with
 * (o = i·s + t·d − padBefore on each axis), and the worked sum underneath pairs them. The input
 * is drawn without a padding ring, since a transposed conv's padding crops its output.
 */
export function renderConvTransposeFigure(
  g: ConvTransposeGeometry,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
  output: Float32Array,
  highlight: readonly number[],
): string {
  assertFigurable(g)
  const [n, co, oi, oj] = toNchw(highlight, g.wireOutputShape, g.outputShape)
  const worked = explainConvTransposeAt(g, input, weight, bias, n, co, oi, oj)
  const rows = landingTaps(oi + g.padTop, g.inH, g.kH, g.strideH, g.dilationH)
  const cols = landingTaps(oj + g.padLeft, g.inW, g.kW, g.strideW, g.dilationW)
  const inRows = new Set(rows.map(([i]) => i))
  const inCols = new Set(cols.map(([i]) => i))
  const tapRows = new Set(rows.map(([, t]) => t))
  const tapCols = new Set(cols.map(([, t]) => t))
  const cpg = g.inChannelsPerGroup
  const cpo = g.outChannelsPerGroup
  const group = Math.floor(co / cpo)
  const { rows: wr, cols: wc } = worked.window
  // an element no kernel reaches has an empty window ([r, r − 1]): nothing to outline
  const outline = wr[0] <= wr[1] && wc[0] <= wc[1] ? worked.window : undefined

  const inputSpec = (ci: number): GridSpec => {
    const channel = group * cpg + ci
    const plane = (n * g.inChannels + channel) * g.inH * g.inW
    return {
      name: 'input',
      channel,
      rows: g.inH,
      cols: g.inW,
      rowStart: 0,
      colStart: 0,
      cell: (r, c) => ({ label: formatFloat32(input[plane + r * g.inW + c]!), inWindow: inRows.has(r) && inCols.has(c) }),
      ...(outline ? { outline } : {}),
      caption: cpg > 1 || g.inChannels > 1 ? `channel ${channel}` : undefined,
    }
  }
  const kernelSpec = (ci: number): GridSpec => {
    const plane = ((group * cpg + ci) * cpo + (co - group * cpo)) * g.kH * g.kW
    return {
      name: 'kernel',
      channel: ci,
      rows: g.kH,
      cols: g.kW,
      rowStart: 0,
      colStart: 0,
      cell: (r, c) => ({ label: formatFloat32(weight[plane + r * g.kW + c]!), inWindow: tapRows.has(r) && tapCols.has(c) }),
      caption: cpg > 1 || g.outChannels > 1 ? (g.outChannels > 1 ? `in ${group * cpg + ci}, out ${co}` : `channel ${ci}`) : undefined,
    }
  }

  // last channel on top, as the conv figures: the rows then read in the order of the sum's brackets
  const order = Array.from({ length: cpg }, (_, k) => cpg - 1 - k)
  const { padTop: t, padBottom: b, padLeft: l, padRight: r } = g
  const subtitle = [
    `stride ${pair(g.strideH, g.strideW)}`,
    t + b + l + r === 0 ? '' : t === b && l === r ? `cropped ${pair(t, l)} per side` : `cropped top ${t}, bottom ${b}, left ${l}, right ${r}`,
    g.outputPaddingH + g.outputPaddingW > 0 ? `output padding ${pair(g.outputPaddingH, g.outputPaddingW)}` : '',
    g.dilationH !== 1 || g.dilationW !== 1 ? `dilation ${pair(g.dilationH, g.dilationW)}` : '',
    g.groups > 1 ? `groups ${g.groups}` : '',
  ]
  return layoutConvFigure({
    headline: `Transposed convolution · ${g.kH}×${g.kW} kernel`,
    subtitle: subtitle.filter(Boolean).join(' · '),
    symbol: '∗ᵀ',
    inputs: order.map(inputSpec),
    kernels: order.map(kernelSpec),
    outputs: outputPlanes(g, output, n, co, oi, oj),
    bias: bias?.[co],
    label: `Output [${highlight.join(', ')}] (highlighted), from the shaded inputs and taps:`,
    sum: worked.text,
    title: `Transposed convolution: output [${highlight.join(', ')}] = ${formatFloat32(worked.value)}`,
  })
}
