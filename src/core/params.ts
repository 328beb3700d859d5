/**
 * Parameters as a client sends them (after schema validation, before resolution).
 * `geometry.ts` turns them, once, into a fully resolved readonly record.
 */
// pairs arrive from JSON as plain arrays; geometry checks that they hold exactly two numbers
export type IntPair = number | readonly number[]

export interface SidePadding {
  readonly top: number
  readonly bottom: number
  readonly left: number
  readonly right: number
}

/** int = every side; [ph, pw] = top/bottom ph, left/right pw; per side; or a word. */
export type PaddingSpec = number | readonly number[] | SidePadding | 'same' | 'valid'

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular'

export interface Conv2dParams {
  readonly stride?: IntPair
  readonly padding?: PaddingSpec
  readonly paddingMode?: PaddingMode
  readonly dilation?: IntPair
  readonly groups?: number
  readonly flipKernel?: boolean
}

/**
 * Transposed convolution, PyTorch's `F.conv_transpose2d`: `padding` crops the full scatter
 * result on each side (PyTorch's meaning; `"same"` = output in·stride, as ONNX SAME_UPPER), and
 * `outputPadding` adds rows/columns at the bottom/right. Only zero padding, as in PyTorch.
 */
export interface ConvTranspose2dParams {
  readonly stride?: IntPair
  readonly padding?: PaddingSpec
  readonly outputPadding?: IntPair
  readonly dilation?: IntPair
  readonly groups?: number
}

export type PoolMode = 'max' | 'avg' | 'lp'

export interface Pool2dParams {
  readonly mode?: PoolMode
  readonly kernelSize?: IntPair
  readonly stride?: IntPair
  readonly padding?: PaddingSpec
  readonly dilation?: IntPair
  readonly ceilMode?: boolean
  readonly countIncludePad?: boolean
  readonly divisorOverride?: number
  readonly p?: number
  readonly global?: boolean
  readonly outputSize?: IntPair
  readonly returnIndices?: boolean
}
