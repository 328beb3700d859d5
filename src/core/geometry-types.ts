import type { PaddingMode, PoolMode } from './params.js'
import type { Shape4 } from './tensor.js'

/**
 * The spatial part shared by conv and pool: everything a kernel loop needs, resolved once.
 * Kernels read only this record (plus channel counts); nothing else computes an output size.
 */
export interface Window2d {
  readonly inH: number
  readonly inW: number
  readonly kH: number
  readonly kW: number
  readonly strideH: number
  readonly strideW: number
  readonly dilationH: number
  readonly dilationW: number
  /** effective (dilated) kernel extent d·(k−1)+1 */
  readonly effKH: number
  readonly effKW: number
  readonly padTop: number
  readonly padBottom: number
  readonly padLeft: number
  readonly padRight: number
  readonly outH: number
  readonly outW: number
}

/** The textbook output-size formula spelled with the request's numbers, e.g. `⌊(3 − 2 + 2 + 3) / 3⌋ = 2`. */
export interface Formula {
  readonly h: string
  readonly w: string
}

/** What both convolutions resolve beside their window: channels, groups, bias and the shapes. */
export interface ConvChannels extends Window2d {
  readonly batch: number
  readonly inChannels: number
  readonly outChannels: number
  readonly groups: number
  readonly inChannelsPerGroup: number
  readonly outChannelsPerGroup: number
  readonly hasBias: boolean
  /** NCHW views of the request's tensors (rank shorthand expanded) */
  readonly inputShape: Shape4
  readonly weightShape: Shape4
  readonly outputShape: Shape4
  /** the output shape under the contract's rank rules (what the client gets back) */
  readonly wireOutputShape: readonly number[]
  readonly flops: number
  readonly formula: Formula
}

export interface ConvGeometry extends ConvChannels {
  readonly op: 'conv2d'
  readonly paddingMode: PaddingMode
  readonly flipKernel: boolean
  /** [Cout, Cin/groups, kh, kw] */
  readonly weightShape: Shape4
  /** multiply-add = 2, plus one add per output element for a bias */
  readonly flops: number
}

/**
 * A transposed convolution. The Window2d fields keep their names with the scatter's meaning:
 * `in*` is the input the kernel is scattered from, `pad*` what is cropped from each side of the
 * full result `(in − 1)·s + d·(k − 1) + 1`, and `out*` the output after cropping, lengthened at
 * the bottom/right by `outputPadding` (first the rows `padAfter` cropped, then rows past the full
 * result): out = (in − 1)·s + d·(k − 1) + 1 − padBefore − padAfter + outputPadding.
 */
export interface ConvTransposeGeometry extends ConvChannels {
  readonly op: 'convTranspose2d'
  readonly outputPaddingH: number
  readonly outputPaddingW: number
  /** [Cin, Cout/groups, kh, kw], PyTorch's and ONNX's layout for a transposed convolution */
  readonly weightShape: Shape4
  /** multiply-adds that land inside the output (cropped ones are not done) × 2, plus one add per output for a bias */
  readonly flops: number
}

export interface PoolGeometry extends Window2d {
  readonly op: 'pool'
  readonly mode: PoolMode
  /** `window`: kernel/stride/padding; `global`: one window = the plane; `adaptive`: PyTorch bins */
  readonly kind: 'window' | 'global' | 'adaptive'
  readonly batch: number
  readonly channels: number
  readonly ceilMode: boolean
  readonly countIncludePad: boolean
  readonly divisorOverride: number | null
  readonly p: number
  readonly returnIndices: boolean
  readonly inputShape: Shape4
  readonly outputShape: Shape4
  /** pooling keeps the input's rank */
  readonly wireOutputShape: readonly number[]
  /** one operation per window element read */
  readonly flops: number
  readonly formula: Formula
}

export type Geometry = ConvGeometry | ConvTransposeGeometry | PoolGeometry
