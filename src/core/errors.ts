/**
 * The core's validation errors. Each carries a stable code, the request field it is about and a
 * message with the numbers; `src/errors.ts` maps the codes to HTTP statuses (all are client
 * errors). The core imports nothing outside itself, so this is a plain Error subclass.
 */
export type CoreErrorCode =
  | 'INVALID_RANK' // a tensor's rank is not one the contract allows
  | 'INVALID_PARAMETER' // stride/dilation/groups/kernelSize/p/outputSize out of range, wrong combination
  | 'KERNEL_TOO_LARGE' // dilated kernel larger than the padded input
  | 'CHANNEL_MISMATCH' // weight channels ≠ input channels / groups
  | 'GROUPS_MISMATCH' // groups not dividing Cin or Cout
  | 'BIAS_MISMATCH' // bias shape ≠ [Cout]
  | 'PADDING_TOO_LARGE' // pool pad ≥ dilated kernel extent, reflect pad ≥ input, circular pad > input
  | 'OUTPUT_EMPTY' // the output would have a zero dimension
  | 'UNSUPPORTED' // a combination the service does not compute (say so rather than compute wrong)

export class CoreError extends Error {
  override readonly name = 'CoreError'
  constructor(
    readonly code: CoreErrorCode,
    /** the request field the error is about, e.g. `padding`, `weight`, `kernelSize` */
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}
