import { explainConvAt } from '../core/explain.js'
import { sourceIndex } from '../core/pad-input.js'
import { formatFloat32 } from '../core/format.js'
import type { ConvGeometry } from '../core/geometry-types.js'
import { describeWindow } from './captions.js'
import { layoutConvFigure, outputPlanes } from './conv-layout.js'
import type { GridSpec } from './grid.js'
import { assertFigurable, toNchw } from './limits.js'

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

  // last channel on top: the rows then read in the order of the worked sum's brackets
  const order = Array.from({ length: cpg }, (_, k) => cpg - 1 - k)
  const inputs = order.map(inputSpec)
  const kernels = order.map(kernelSpec)
  const outputs = outputPlanes(g, output, n, co, oi, oj)
  const what = g.flipKernel ? 'Convolution (kernel rotated 180°)' : 'Cross-correlation'
  const extra = [g.paddingMode !== 'zeros' ? `${g.paddingMode} padding` : '', g.groups > 1 ? `groups ${g.groups}` : '']
  return layoutConvFigure({
    headline: `${what} · ${g.kH}×${g.kW} kernel`,
    subtitle: [describeWindow(g), ...extra.filter(Boolean)].join(' · '),
    symbol: '∗',
    inputs,
    kernels,
    outputs,
    bias: bias?.[co],
    label: `Output [${highlight.join(', ')}] (highlighted), read from the shaded window:`,
    sum: worked.text,
    title: `${what}: output [${highlight.join(', ')}] = ${formatFloat32(worked.value)}`,
  })
}
