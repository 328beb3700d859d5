/**
 * Parameter forms → one readonly, structured-cloneable record per job. Every output size in the
 * service is computed here (window.ts holds the formula and its text).
 */
export { resolveConv2d, inputToNCHW, weightToOIHW } from './geometry-conv.js'
export { resolveConvTranspose2d, transposedWeightToIOHW } from './geometry-conv-transpose.js'
export { resolvePool2d, adaptiveBin } from './geometry-pool.js'
export { resolvePadding } from './padding.js'
export { axisOutput } from './window.js'
export type { ConvGeometry, ConvTransposeGeometry, PoolGeometry, Geometry, Window2d, Formula } from './geometry-types.js'
