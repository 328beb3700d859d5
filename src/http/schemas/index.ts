import type { Static, TSchema } from 'typebox'
import { Conv2dRequest, Conv2dResponse } from './conv2d.js'
import { ConvTranspose2dRequest, ConvTranspose2dResponse } from './conv-transpose2d.js'
import { ErrorResponse } from './errors.js'
import { ExplainEntry } from './explain.js'
import { PoolRequest, PoolResponse } from './pool.js'
import { ShapeRequest, ShapeResponse } from './shape.js'
import { Base64Tensor, FlatTensor, NestedTensor, Tensor } from './tensor.js'

/**
 * Every named schema, registered once with `addSchema`; routes refer to them by `$id`, so the
 * OpenAPI document carries them as `#/components/schemas/<name>`. The same objects type the
 * client (`Static<typeof X, Components>`), so there is one definition of each shape.
 */
export const components = {
  NestedTensor,
  FlatTensor,
  Base64Tensor,
  Tensor,
  ExplainEntry,
  Conv2dRequest,
  Conv2dResponse,
  ConvTranspose2dRequest,
  ConvTranspose2dResponse,
  PoolRequest,
  PoolResponse,
  ShapeRequest,
  ShapeResponse,
  Error: ErrorResponse,
}

export type Components = typeof components

/** The static type of a schema with its `$ref`s resolved against the components. */
export type Wire<T extends TSchema> = Static<T, Components>

export type WireTensor = Wire<typeof Tensor>
export type Conv2dBody = Wire<typeof Conv2dRequest>
export type ConvTranspose2dBody = Wire<typeof ConvTranspose2dRequest>
export type PoolBody = Wire<typeof PoolRequest>
export type ShapeBody = Wire<typeof ShapeRequest>
export type Conv2dReply = Wire<typeof Conv2dResponse>
export type ConvTranspose2dReply = Wire<typeof ConvTranspose2dResponse>
export type PoolReply = Wire<typeof PoolResponse>
export type ShapeReply = Wire<typeof ShapeResponse>
export type ErrorReply = Wire<typeof ErrorResponse>

export { Conv2dRequest, Conv2dResponse, ConvTranspose2dRequest, ConvTranspose2dResponse, PoolRequest, PoolResponse, ShapeRequest, ShapeResponse, ErrorResponse, Tensor }
export { errorResponses } from './errors.js'
