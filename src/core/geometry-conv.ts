import { CoreError } from './errors.js'
import type { ConvGeometry } from './geometry-types.js'
import type { Conv2dParams, PaddingMode, SidePadding } from './params.js'
import type { Shape4 } from './tensor.js'
import { checkInt, checkShape, fmtShape, intPair } from './checks.js'
import { resolvePadding } from './padding.js'
import { resolveWindow } from './window.js'

const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular']

/** Textbook shorthand → NCHW: `[H,W]` = one image, one channel; `[C,H,W]` = one image. */
export function inputToNCHW(shape: readonly number[]): Shape4 {
  if (shape.length === 2) return [1, 1, shape[0]!, shape[1]!]
  if (shape.length === 3) return [1, shape[0]!, shape[1]!, shape[2]!]
  return [shape[0]!, shape[1]!, shape[2]!, shape[3]!]
}

/** `[kh,kw]` = `[1,1,kh,kw]`; `[Cin,kh,kw]` = `[1,Cin,kh,kw]` (one output channel summing all inputs). */
export function weightToOIHW(shape: readonly number[]): Shape4 {
  return inputToNCHW(shape)
}

/**
 * What both convolutions read first (conv2d here, the transposed one in
 * geometry-conv-transpose.ts): the shapes' ranks checked, the input as NCHW, stride, dilation and
 * groups.
 */
export function convBasics(
  inputShape: readonly number[],
  weightShape: readonly number[],
  biasShape: readonly number[] | undefined,
  params: Pick<Conv2dParams, 'stride' | 'dilation' | 'groups'>,
) {
  checkShape(inputShape, 'input', 2, 4)
  checkShape(weightShape, 'weight', 2, 4)
  if (biasShape !== undefined) checkShape(biasShape, 'bias', 1, 1)
  const [strideH, strideW] = intPair(params.stride ?? 1, 'stride', 1)
  const [dilationH, dilationW] = intPair(params.dilation ?? 1, 'dilation', 1)
  return { input: inputToNCHW(inputShape), strideH, strideW, dilationH, dilationW, groups: checkInt(params.groups ?? 1, 'groups', 1) }
}

/**
 * Shapes and Conv2dParams → one resolved, structured-cloneable record. All validation of a conv
 * request that does not need the data happens here (see test/core/geometry.test.ts for each error).
 */
export function resolveConv2d(
  inputShape: readonly number[],
  weightShape: readonly number[],
  biasShape: readonly number[] | undefined,
  params: Conv2dParams,
): ConvGeometry {
  const { input: [n, cin, inH, inW], strideH, strideW, dilationH, dilationW, groups } = convBasics(inputShape, weightShape, biasShape, params)
  const [cout, wcin, kH, kW] = weightToOIHW(weightShape)
  const paddingMode = params.paddingMode ?? 'zeros'
  if (!PADDING_MODES.includes(paddingMode)) {
    throw new CoreError('INVALID_PARAMETER', 'paddingMode', `paddingMode must be one of ${PADDING_MODES.join(', ')}, got ${JSON.stringify(paddingMode)}`)
  }

  if (cin % groups !== 0 || cout % groups !== 0) {
    throw new CoreError(
      'GROUPS_MISMATCH',
      'groups',
      `groups=${groups} must divide the input channels (${cin}) and the output channels (${cout})`,
    )
  }
  if (wcin * groups !== cin) {
    throw new CoreError(
      'CHANNEL_MISMATCH',
      'weight',
      `weight has ${wcin} input channels per group but input has ${cin} channels (groups=${groups}; ` +
        `weight ${fmtShape(weightShape)}, input ${fmtShape(inputShape)})`,
    )
  }
  if (biasShape !== undefined && biasShape[0] !== cout) {
    throw new CoreError('BIAS_MISMATCH', 'bias', `bias has ${biasShape[0]} elements but the weight has ${cout} output channels`)
  }

  const effKH = dilationH * (kH - 1) + 1
  const effKW = dilationW * (kW - 1) + 1
  const pad = resolvePadding(
    params.padding,
    { size: inH, effK: effKH, stride: strideH },
    { size: inW, effK: effKW, stride: strideW },
  )
  checkModePadding(paddingMode, pad, inH, inW)

  const { window, formula } = resolveWindow({
    inH, inW, kH, kW, strideH, strideW, dilationH, dilationW, pad, ceilMode: false, kernelField: 'weight',
  })
  const { outH, outW } = window
  const hasBias = biasShape !== undefined
  const perGroupIn = cin / groups
  const outputs = n * cout * outH * outW
  const wireOutputShape = [
    ...(inputShape.length === 4 ? [n] : []),
    ...(weightShape.length === 4 ? [cout] : []),
    outH,
    outW,
  ]
  return {
    op: 'conv2d',
    ...window,
    batch: n,
    inChannels: cin,
    outChannels: cout,
    groups,
    inChannelsPerGroup: perGroupIn,
    outChannelsPerGroup: cout / groups,
    paddingMode,
    flipKernel: params.flipKernel === true,
    hasBias,
    inputShape: [n, cin, inH, inW],
    weightShape: [cout, wcin, kH, kW],
    outputShape: [n, cout, outH, outW],
    wireOutputShape,
    flops: 2 * outputs * perGroupIn * kH * kW + (hasBias ? outputs : 0),
    formula,
  }
}

/**
 * PyTorch's F.pad limits for the non-zero modes: reflect needs pad < size (the mirror excludes the
 * edge, so a pad of `size` would need a pixel that does not exist); circular allows pad ≤ size
 * (one full wrap); replicate has no limit.
 */
function checkModePadding(mode: PaddingMode, pad: SidePadding, inH: number, inW: number): void {
  if (mode !== 'reflect' && mode !== 'circular') return
  const sides: Array<[keyof SidePadding, number]> = [['top', inH], ['bottom', inH], ['left', inW], ['right', inW]]
  for (const [side, size] of sides) {
    const p = pad[side]
    const tooLarge = mode === 'reflect' ? p >= size : p > size
    if (tooLarge) {
      const rule = mode === 'reflect' ? 'smaller than' : 'at most'
      const axis = side === 'top' || side === 'bottom' ? 'height' : 'width'
      throw new CoreError(
        'PADDING_TOO_LARGE',
        'padding',
        `${mode} padding ${side} ${p} must be ${rule} the input ${axis} ${size}`,
      )
    }
  }
}
