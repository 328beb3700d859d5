/** The public core API: pure TypeScript over Float32Array + shape; imports nothing outside core/. */
export type { Tensor, Shape4 } from './tensor.js'
export { shapeSize } from './tensor.js'
export type {
  IntPair, SidePadding, PaddingSpec, PaddingMode, Conv2dParams, ConvTranspose2dParams, PoolMode, Pool2dParams,
} from './params.js'
export type { ConvGeometry, ConvTransposeGeometry, PoolGeometry, Geometry, Window2d, Formula } from './geometry-types.js'
export { CoreError, type CoreErrorCode } from './errors.js'
export { shortestFloat32, formatFloat32 } from './format.js'
export { resolveConv2d, resolveConvTranspose2d, transposedWeightToIOHW, resolvePool2d, resolvePadding, adaptiveBin, axisOutput, inputToNCHW, weightToOIHW } from './geometry.js'
export { conv2d } from './conv2d.js'
export { convTranspose2d } from './conv-transpose2d.js'
export { pool2d, type PoolResult } from './pool2d.js'
export { sourceIndex, padPlanes } from './pad-input.js'
