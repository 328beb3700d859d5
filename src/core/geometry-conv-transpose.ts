import { CoreError } from './errors.js'
import type { ConvTransposeGeometry, Window2d } from './geometry-types.js'
import type { ConvTranspose2dParams, SidePadding } from './params.js'
import type { Shape4 } from './tensor.js'
import { fmtShape, intPair } from './checks.js'
import { convBasics } from './geometry-conv.js'
import { resolvePadding } from './padding.js'
import { validRange } from './window.js'

/**
 * A transposed convolution's weight `[Cin, Cout/groups, kh, kw]` (PyTorch and ONNX), with the
 * contract's rank shorthand read the same way as for /conv2d: `[kh,kw]` = `[1,1,kh,kw]`, and
 * `[Cin,kh,kw]` = `[Cin,1,kh,kw]` (one output channel, every input channel scattered into it).
 */
export function transposedWeightToIOHW(shape: readonly number[]): Shape4 {
  if (shape.length === 2) return [1, 1, shape[0]!, shape[1]!]
  if (shape.length === 3) return [shape[0]!, 1, shape[1]!, shape[2]!]
  return [shape[0]!, shape[1]!, shape[2]!, shape[3]!]
}

/** One axis of the scatter: input size, kernel, stride, dilation, output padding. */
interface Axis {
  readonly size: number
  readonly k: number
  readonly stride: number
  readonly dilation: number
  readonly outputPadding: number
}

/** (in − 1)·s + d·(k − 1) + 1: where every input element's kernel lands, before cropping */
const fullSize = (a: Axis) => (a.size - 1) * a.stride + a.dilation * (a.k - 1) + 1

/**
 * Shapes and ConvTranspose2dParams → one resolved, structured-cloneable record (PyTorch's
 * `F.conv_transpose2d`; ONNX ConvTranspose with explicit pads). All validation that does not
 * need the data happens here, each error naming its field and numbers.
 */
export function resolveConvTranspose2d(
  inputShape: readonly number[],
  weightShape: readonly number[],
  biasShape: readonly number[] | undefined,
  params: ConvTranspose2dParams,
): ConvTransposeGeometry {
  const { input: [n, cin, inH, inW], strideH, strideW, dilationH, dilationW, groups } = convBasics(inputShape, weightShape, biasShape, params)
  const [wcin, coutPerGroup, kH, kW] = transposedWeightToIOHW(weightShape)
  const [outputPaddingH, outputPaddingW] = intPair(params.outputPadding ?? 0, 'outputPadding', 0)

  if (cin % groups !== 0) {
    throw new CoreError('GROUPS_MISMATCH', 'groups', `groups=${groups} must divide the input channels (${cin})`)
  }
  // the shorthand [Cin,kh,kw] is one output channel (as for /conv2d); read as [Cin,1,kh,kw] under
  // groups it would be `groups` of them, more than its wire shape (no channel axis) can hold
  if (weightShape.length < 4 && groups > 1) {
    throw new CoreError(
      'GROUPS_MISMATCH',
      'groups',
      `groups=${groups} needs the weight as [Cin, Cout/groups, kh, kw]: ${fmtShape(weightShape)} is the shorthand for one output channel, which groups=${groups} cannot divide`,
    )
  }
  if (wcin !== cin) {
    throw new CoreError(
      'CHANNEL_MISMATCH',
      'weight',
      `weight has ${wcin} input channels but input has ${cin} channels (a transposed convolution's weight is ` +
        `[Cin, Cout/groups, kh, kw]; weight ${fmtShape(weightShape)}, input ${fmtShape(inputShape)})`,
    )
  }
  const cout = coutPerGroup * groups
  if (biasShape !== undefined && biasShape[0] !== cout) {
    throw new CoreError('BIAS_MISMATCH', 'bias', `bias has ${biasShape[0]} elements but the output has ${cout} channels (weight's ${coutPerGroup} per group × groups=${groups})`)
  }
  // PyTorch's rule: the extra rows/columns must be fewer than the stride or the dilation, or
  // they would be rows a larger input could have produced
  for (const [axis, op, s, d] of [['height', outputPaddingH, strideH, dilationH], ['width', outputPaddingW, strideW, dilationW]] as const) {
    if (op >= Math.max(s, d)) {
      throw new CoreError(
        'INVALID_PARAMETER',
        'outputPadding',
        `outputPadding ${op} (${axis}) must be smaller than the stride (${s}) or the dilation (${d})`,
      )
    }
  }

  const h: Axis = { size: inH, k: kH, stride: strideH, dilation: dilationH, outputPadding: outputPaddingH }
  const w: Axis = { size: inW, k: kW, stride: strideW, dilation: dilationW, outputPadding: outputPaddingW }
  const pad = transposedPadding(params.padding, h, w)
  const outH = fullSize(h) - pad.top - pad.bottom + outputPaddingH
  const outW = fullSize(w) - pad.left - pad.right + outputPaddingW
  if (outH < 1 || outW < 1) {
    throw new CoreError(
      'OUTPUT_EMPTY',
      'padding',
      `padding crops the whole output: ${fullSize(h)}×${fullSize(w)} before cropping (input ${inH}×${inW}, stride ${strideH}×${strideW}, ` +
        `dilated kernel ${dilationH * (kH - 1) + 1}×${dilationW * (kW - 1) + 1}), padding top ${pad.top}, bottom ${pad.bottom}, ` +
        `left ${pad.left}, right ${pad.right} leaves ${outH}×${outW}`,
    )
  }

  const window: Window2d = {
    inH,
    inW,
    kH,
    kW,
    strideH,
    strideW,
    dilationH,
    dilationW,
    effKH: dilationH * (kH - 1) + 1,
    effKW: dilationW * (kW - 1) + 1,
    padTop: pad.top,
    padBottom: pad.bottom,
    padLeft: pad.left,
    padRight: pad.right,
    outH,
    outW,
  }
  const hasBias = biasShape !== undefined
  const cinPerGroup = cin / groups
  const outputs = n * cout * outH * outW
  const landed = landedTaps(h, pad.top, outH) * landedTaps(w, pad.left, outW)
  return {
    op: 'convTranspose2d',
    ...window,
    batch: n,
    inChannels: cin,
    outChannels: cout,
    groups,
    inChannelsPerGroup: cinPerGroup,
    outChannelsPerGroup: coutPerGroup,
    outputPaddingH,
    outputPaddingW,
    hasBias,
    inputShape: [n, cin, inH, inW],
    weightShape: [cin, coutPerGroup, kH, kW],
    outputShape: [n, cout, outH, outW],
    wireOutputShape: [...(inputShape.length === 4 ? [n] : []), ...(weightShape.length === 4 ? [cout] : []), outH, outW],
    flops: 2 * n * cin * coutPerGroup * landed + (hasBias ? outputs : 0),
    formula: { h: formulaText(h, pad.top + pad.bottom, outH), w: formulaText(w, pad.left + pad.right, outW) },
  }
}

/**
 * The padding forms of /conv2d with a transposed convolution's meaning: what is cropped from
 * each side of the full result. `"same"`: output in·stride (ONNX ConvTranspose auto_pad
 * SAME_UPPER: total = full + outputPadding − in·s, the odd row at the bottom/right). A total below
 * zero would need rows the scatter does not make: `outputPadding` adds those, so say that.
 */
function transposedPadding(spec: ConvTranspose2dParams['padding'], h: Axis, w: Axis): SidePadding {
  if (spec !== 'same') {
    return resolvePadding(spec, { size: h.size, effK: 1, stride: 1 }, { size: w.size, effK: 1, stride: 1 })
  }
  const axis = (a: Axis, name: string): [number, number] => {
    const total = fullSize(a) + a.outputPadding - a.size * a.stride
    if (total < 0) {
      throw new CoreError(
        'INVALID_PARAMETER',
        'padding',
        `"same" padding makes the ${name} input × stride = ${a.size * a.stride}, but the transposed convolution only fills ` +
          `${fullSize(a) + a.outputPadding} (${fullSize(a)} + outputPadding ${a.outputPadding}); add outputPadding ${-total} or use a larger kernel`,
      )
    }
    const before = Math.floor(total / 2)
    return [before, total - before]
  }
  const [top, bottom] = axis(h, 'height')
  const [left, right] = axis(w, 'width')
  return { top, bottom, left, right }
}

/** (input position, kernel tap) pairs of one axis whose target i·s + t·d − padBefore falls in [0, out) */
function landedTaps(a: Axis, padBefore: number, out: number): number {
  let count = 0
  for (let t = 0; t < a.k; t++) {
    const [lo, hi] = validRange(t * a.dilation - padBefore, a.stride, out, a.size)
    count += hi - lo
  }
  return count
}

/** `(2 − 1) × 2 + 3 − 2 + 1 = 4`: (in − 1)·s + dilated kernel − cropped + outputPadding */
function formulaText(a: Axis, cropped: number, out: number): string {
  return `(${a.size} − 1) × ${a.stride} + ${a.dilation * (a.k - 1) + 1} − ${cropped} + ${a.outputPadding} = ${out}`
}
