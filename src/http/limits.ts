import type { Config } from '../config.js'
import type { Geometry } from '../core/geometry-types.js'
import { ApiError } from '../errors.js'

/** Output size and FLOPs from the geometry record, before any data is decoded → 413 with the numbers. */
export function checkJobLimits(g: Geometry, config: Pick<Config, 'maxElements' | 'maxFlops'>): void {
  const [n, c, h, w] = g.outputShape
  const outputs = n * c * h * w
  if (outputs > config.maxElements) {
    throw new ApiError(
      'TENSOR_TOO_LARGE',
      `the output would have ${outputs} elements (shape [${g.wireOutputShape.join(',')}]), more than the limit of ${config.maxElements} (MAX_ELEMENTS)`,
    )
  }
  if (g.flops > config.maxFlops) {
    throw new ApiError(
      'JOB_TOO_LARGE',
      `the job needs ${g.flops} FLOPs, more than the limit of ${config.maxFlops} (MAX_FLOPS)`,
    )
  }
}
