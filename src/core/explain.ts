import { CoreError } from './errors.js'
import { formatFloat32 } from './format.js'
import type { ConvGeometry, ConvTransposeGeometry, Geometry, PoolGeometry } from './geometry-types.js'
import { adaptiveBin } from './geometry-pool.js'
import { sourceIndex } from './pad-input.js'

/**
 * The worked sums of explain mode, written the way Dive into Deep Learning writes them
 * (`0×0 + 1×1 + 3×2 + 4×3 = 19`). Decisions the contract leaves open, made here once:
 * - a padding cell appears with the value the kernel actually reads: 0 in `zeros` mode, the
 *   reflected / replicated / wrapped input value otherwise (PyTorch pads first, then correlates);
 * - max pooling leaves padding cells out (they can never win), lp leaves them out (they add 0),
 *   avg lists them as 0 only when `countIncludePad` counts them in the divisor;
 * - several input channels: one bracket each, last channel first, as the book's caption;
 * - a negative factor is parenthesised (`1×(-1)`), so `×` and `+` never touch a minus sign;
 * - the window is the dilated extent in input coordinates, padding rows/cols outside [0, H).
 *
 * A transposed convolution (explainConvTranspose2d) is a scatter, so an output element's sum is
 * gathered back from the (input element, kernel tap) pairs that land on it, o = i·s + t·d − padBefore
 * on each axis:
 * - terms are `x×w`, input value first as for conv2d, in the input's row-major order (the book's
 *   loop over X[i, j]); the kernel taps then run backwards, the rotated kernel of the equivalent
 *   conv2d over the zero-stuffed input. Channel brackets, parentheses and the bias as above;
 *   `value` is summed in the kernel's order (channel, kernel row, kernel col), only the text
 *   is reordered, so it equals the computed output bit for bit;
 * - the window is the input rows (cols) whose scattered dilated kernel, [i·s − padBefore,
 *   i·s − padBefore + d·(k − 1)], covers the element: always inside the input, and with dilation
 *   a row in it may land no tap here (as a dilated conv window spans rows it skips);
 * - an element no kernel reaches (a gap when the stride exceeds the dilated kernel, an
 *   `outputPadding` row) has the empty sum `0`, then the bias as always (`0 + 0.5`), and an empty
 *   window `[r, r − 1]`, r being the number of input rows whose kernel ends above it.
 */
export interface ExplainEntry {
  /** the element's index in the wire output's rank (`g.wireOutputShape`) */
  readonly index: number[]
  readonly window: { readonly rows: [number, number]; readonly cols: [number, number] }
  readonly terms: string
  readonly value: number
  readonly text: string
}

/** The contract's limit on output elements. */
export const EXPLAIN_MAX_OUTPUTS = 1024
/**
 * Not in the contract: 1,024 outputs of a 3×3 kernel over 512 channels would be 4.7 M terms,
 * some 50 MB of text. The lines stay readable (and the reply small) below this many terms.
 */
export const EXPLAIN_MAX_TERMS = 262_144

function outputCount(g: Geometry): number {
  const [n, c, h, w] = g.outputShape
  return n * c * h * w
}

/** The most products one output element's sum holds; for a transposed conv, the most any element gets. */
function termsPerOutput(g: Geometry): number {
  if (g.op === 'conv2d') return g.inChannelsPerGroup * g.kH * g.kW
  if (g.op === 'convTranspose2d') {
    return g.inChannelsPerGroup * mostTaps(g.padTop, g.inH, g.kH, g.strideH, g.dilationH, g.outH) *
      mostTaps(g.padLeft, g.inW, g.kW, g.strideW, g.dilationW, g.outW)
  }
  if (g.kind === 'window') return g.kH * g.kW
  // global/adaptive bins are at most the plane (adaptive bins may overlap by one row/col)
  return Math.min(Math.ceil(g.inH / g.outH) + 1, g.inH) * Math.min(Math.ceil(g.inW / g.outW) + 1, g.inW)
}

/**
 * Products in all the entries. A convolution's FLOPs count 2 per product of its sums (+1 per
 * output for a bias), so for both convolutions this is exact; for a transposed one, whose
 * elements differ (gaps, borders), outputs × the most per element would refuse strided jobs
 * whose text is far below the limit.
 */
function termCount(g: Geometry): number {
  if (g.op === 'pool') return outputCount(g) * termsPerOutput(g)
  return (g.flops - (g.hasBias ? outputCount(g) : 0)) / 2
}

/**
 * One axis: the most taps landing on one output position. Not ceil(k/s): taps t and t' land on
 * the same position when (t − t')·d is a multiple of s, so with s = d = 2 every tap can. Only
 * the refusal's message needs it, once the output count is known to be small: a walk is cheap.
 */
function mostTaps(padBefore: number, size: number, k: number, stride: number, dilation: number, out: number): number {
  let most = 0
  for (let o = 0; o < out; o++) most = Math.max(most, landingTaps(o + padBefore, size, k, stride, dilation).length)
  return most
}

/** Call before queueing a job with `explain: true`; throws the 400 the contract asks for. */
export function assertExplainable(g: Geometry): void {
  const outputs = outputCount(g)
  if (outputs > EXPLAIN_MAX_OUTPUTS) {
    throw new CoreError(
      'UNSUPPORTED',
      'explain',
      `explain is limited to ${EXPLAIN_MAX_OUTPUTS} output elements; this output has ${outputs} (shape [${g.wireOutputShape.join(', ')}])`,
    )
  }
  const terms = termCount(g)
  if (terms > EXPLAIN_MAX_TERMS) {
    const count =
      g.op === 'convTranspose2d'
        ? `${outputs} output elements hold ${terms} (up to ${termsPerOutput(g)} each)`
        : `${outputs} output elements × ${termsPerOutput(g)} terms each is ${terms}`
    throw new CoreError('UNSUPPORTED', 'explain', `explain is limited to ${EXPLAIN_MAX_TERMS} terms in all; ${count}`)
  }
}

/** Row-major position → index in the wire shape (whose dropped axes all have size 1). */
export function wireIndex(flat: number, wireShape: readonly number[]): number[] {
  const index = new Array<number>(wireShape.length)
  for (let a = wireShape.length - 1; a >= 0; a--) {
    index[a] = flat % wireShape[a]!
    flat = Math.floor(flat / wireShape[a]!)
  }
  return index
}

const num = formatFloat32
const factor = (x: number): string => (x < 0 || Object.is(x, -0) ? `(${num(x)})` : num(x))

/** One conv output element (n, co, oh, ow), NCHW. */
export function explainConvAt(
  g: ConvGeometry,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
  n: number,
  co: number,
  oh: number,
  ow: number,
): Omit<ExplainEntry, 'index'> {
  const { inH, inW, kH, kW, inChannelsPerGroup: cpg } = g
  const top = oh * g.strideH - g.padTop
  const left = ow * g.strideW - g.padLeft
  const firstChannel = Math.floor(co / g.outChannelsPerGroup) * cpg
  const brackets: string[] = []
  // conv2d's order exactly (float64 sum seeded with the bias, channel → row → col, one rounding
  // to float32), so `value` equals the computed output bit for bit
  let acc = bias ? bias[co]! : 0
  for (let ci = 0; ci < cpg; ci++) {
    const plane = (n * g.inChannels + firstChannel + ci) * inH * inW
    const kernel = (co * cpg + ci) * kH * kW
    const products: string[] = []
    for (let a = 0; a < kH; a++) {
      const r = sourceIndex(top + a * g.dilationH, inH, g.paddingMode)
      for (let b = 0; b < kW; b++) {
        const c = sourceIndex(left + b * g.dilationW, inW, g.paddingMode)
        const x = r < 0 || c < 0 ? 0 : input[plane + r * inW + c]!
        const w = g.flipKernel ? weight[kernel + (kH - 1 - a) * kW + (kW - 1 - b)]! : weight[kernel + a * kW + b]!
        acc += x * w
        products.push(`${factor(x)}×${factor(w)}`)
      }
    }
    brackets.push(products.join(' + '))
  }
  const window = { rows: [top, top + g.effKH - 1] as [number, number], cols: [left, left + g.effKW - 1] as [number, number] }
  return convEntry(window, brackets, bias?.[co], acc)
}

/**
 * How both convolutions end an entry. Channel brackets in the book's order: its figure stacks the
 * last channel in front and its caption reads the stack front to back, `(1×1 + 2×2 + 4×3 + 5×4) +
 * (0×0 + …)` (the contract quotes that line); only the text is reordered, `acc` was summed in the
 * kernel's order. The bias comes last.
 */
function convEntry(window: ExplainEntry['window'], brackets: readonly string[], bias: number | undefined, acc: number): Omit<ExplainEntry, 'index'> {
  let terms = brackets.length === 1 ? brackets[0]! : brackets.map((s) => `(${s})`).reverse().join(' + ')
  if (bias !== undefined) terms += ` + ${factor(bias)}`
  const value = Math.fround(acc)
  return { window, terms, value, text: `${terms} = ${num(value)}` }
}

/** Every output element of a conv job, in row-major order. */
export function explainConv2d(
  g: ConvGeometry,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
): ExplainEntry[] {
  return eachOutput(g, (n, c, i, j) => explainConvAt(g, input, weight, bias, n, c, i, j))
}

/**
 * One axis of a transposed conv seen from an output position x = o + padBefore (in the
 * uncropped scatter): the (input position, tap) pairs with i·s + t·d = x, in tap order (the
 * kernel's order, so the input positions run backwards).
 */
export function landingTaps(x: number, size: number, k: number, stride: number, dilation: number): Array<[i: number, t: number]> {
  const pairs: Array<[number, number]> = []
  for (let t = 0; t < k; t++) {
    const q = x - t * dilation
    if (q >= 0 && q % stride === 0 && q / stride < size) pairs.push([q / stride, t])
  }
  return pairs
}

/**
 * One axis of a transposed conv's window: the input positions whose scattered dilated kernel
 * covers x = o + padBefore, clipped to the input. Covered by none, it comes out as [r, r − 1]
 * with r the count of positions whose kernel ends before x, since every position is then
 * either before or after.
 */
function reachingRange(x: number, size: number, stride: number, effK: number): [number, number] {
  const first = Math.min(size, Math.max(0, Math.ceil((x - effK + 1) / stride)))
  const last = Math.min(size, Math.floor(x / stride) + 1) - 1
  return [first, last]
}

/** One transposed conv output element (n, co, oh, ow), NCHW. */
export function explainConvTransposeAt(
  g: ConvTransposeGeometry,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
  n: number,
  co: number,
  oh: number,
  ow: number,
): Omit<ExplainEntry, 'index'> {
  const { inH, inW, kH, kW, inChannelsPerGroup: cpg, outChannelsPerGroup: cpo } = g
  const rows = landingTaps(oh + g.padTop, inH, kH, g.strideH, g.dilationH)
  const cols = landingTaps(ow + g.padLeft, inW, kW, g.strideW, g.dilationW)
  const group = Math.floor(co / cpo)
  const brackets: string[] = []
  // convTranspose2d's order exactly (float64 sum seeded with the bias, channel → kernel row →
  // kernel col, one rounding to float32), so `value` equals the computed output bit for bit
  let acc = bias ? bias[co]! : 0
  for (let ci = 0; ci < cpg; ci++) {
    const ic = group * cpg + ci
    const plane = (n * g.inChannels + ic) * inH * inW
    const kernel = (ic * cpo + co - group * cpo) * kH * kW
    const products: string[] = []
    for (const [iy, ky] of rows)
      for (const [ix, kx] of cols) {
        const x = input[plane + iy * inW + ix]!
        const w = weight[kernel + ky * kW + kx]!
        acc += x * w
        products.push(`${factor(x)}×${factor(w)}`)
      }
    // tap order runs the input backwards on both axes: reversed, the text reads the input row-major
    brackets.push(products.reverse().join(' + '))
  }
  const window = {
    rows: reachingRange(oh + g.padTop, inH, g.strideH, g.effKH),
    cols: reachingRange(ow + g.padLeft, inW, g.strideW, g.effKW),
  }
  // no (input, tap) pair lands here: the empty sum
  return convEntry(window, rows.length * cols.length === 0 ? ['0'] : brackets, bias?.[co], acc)
}

/** Every output element of a transposed conv job, in row-major order. */
export function explainConvTranspose2d(
  g: ConvTransposeGeometry,
  input: Float32Array,
  weight: Float32Array,
  bias?: Float32Array,
): ExplainEntry[] {
  return eachOutput(g, (n, c, i, j) => explainConvTransposeAt(g, input, weight, bias, n, c, i, j))
}

/** One entry per output element, in the output's row-major order, indexed in its wire rank. */
function eachOutput(g: Geometry, at: (n: number, c: number, i: number, j: number) => Omit<ExplainEntry, 'index'>): ExplainEntry[] {
  assertExplainable(g)
  const [N, C, H, W] = g.outputShape
  const entries: ExplainEntry[] = []
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++) entries.push({ index: wireIndex(entries.length, g.wireOutputShape), ...at(n, c, i, j) })
  return entries
}

/** The input cells one pooling output reads: taps of the (dilated) window, or an adaptive/global bin. */
function poolTaps(g: PoolGeometry, oh: number, ow: number): { rows: number[]; cols: number[] } {
  if (g.kind !== 'window') {
    // global is the adaptive case with one bin
    const bin = (i: number, size: number, out: number) => {
      const [from, to] = adaptiveBin(i, size, out)
      return Array.from({ length: to - from }, (_, k) => from + k)
    }
    return { rows: bin(oh, g.inH, g.outH), cols: bin(ow, g.inW, g.outW) }
  }
  const top = oh * g.strideH - g.padTop
  const left = ow * g.strideW - g.padLeft
  return {
    rows: Array.from({ length: g.kH }, (_, a) => top + a * g.dilationH),
    cols: Array.from({ length: g.kW }, (_, b) => left + b * g.dilationW),
  }
}

/** One pooling output element (n, c, oh, ow), NCHW. */
export function explainPoolAt(g: PoolGeometry, input: Float32Array, n: number, c: number, oh: number, ow: number): Omit<ExplainEntry, 'index'> {
  const { inH, inW } = g
  const plane = (n * g.channels + c) * inH * inW
  const taps = poolTaps(g, oh, ow)
  const inside = (r: number, col: number) => r >= 0 && r < inH && col >= 0 && col < inW
  // cells inside the padded plane: with ceilMode a window may run past the bottom/right padding,
  // and PyTorch's avg counts only the part inside the padding
  const padded = (r: number, col: number) =>
    r >= -g.padTop && r < inH + g.padBottom && col >= -g.padLeft && col < inW + g.padRight
  const real: number[] = []
  let counted = 0
  const countedValues: number[] = []
  for (const r of taps.rows)
    for (const col of taps.cols) {
      if (inside(r, col)) real.push(input[plane + r * inW + col]!)
      if (inside(r, col) || (g.countIncludePad && padded(r, col))) {
        counted++
        countedValues.push(inside(r, col) ? input[plane + r * inW + col]! : 0)
      }
    }
  const window = {
    rows: [taps.rows[0]!, taps.rows[taps.rows.length - 1]!] as [number, number],
    cols: [taps.cols[0]!, taps.cols[taps.cols.length - 1]!] as [number, number],
  }
  const list = (xs: number[]) => xs.map(num).join(', ')
  if (g.mode === 'max') {
    const value = real.reduce((m, x) => (x > m || Number.isNaN(x) ? x : m), -Infinity)
    const terms = `max(${list(real)})`
    return { window, terms, value, text: `${terms} = ${num(value)}` }
  }
  if (g.mode === 'avg') {
    const values = g.kind === 'window' ? countedValues : real
    const divisor = g.divisorOverride ?? (g.kind === 'window' ? counted : real.length)
    const sum = values.reduce((s, x) => s + x, 0)
    const value = Math.fround(sum / divisor)
    const terms = `(${values.map(num).join(' + ')}) / ${divisor}`
    return { window, terms, value, text: `avg(${list(values)}) = ${terms} = ${num(value)}` }
  }
  const p = g.p
  // Math.pow and the row-major order of pool2d's direct loops, so the value matches them bit for
  // bit; where pool2d takes its separable passes (pool2d-separable.ts) the float64 sum may round
  // differently, and the float32 value then, rarely, differs from the output by one ulp (avg too)
  const sum = real.reduce((s, x) => s + Math.pow(Math.abs(x), p), 0)
  const value = Math.fround(Math.pow(sum, 1 / p))
  const power = (x: number) => `${x < 0 ? `|${num(x)}|` : num(x)}^${num(p)}`
  const terms = `(${real.map(power).join(' + ')})^(1/${num(p)})`
  return { window, terms, value, text: `lp(${list(real)}) = ${terms} = ${num(value)}` }
}

/** Every output element of a pooling job, in row-major order. */
export function explainPool2d(g: PoolGeometry, input: Float32Array): ExplainEntry[] {
  return eachOutput(g, (n, c, i, j) => explainPoolAt(g, input, n, c, i, j))
}
