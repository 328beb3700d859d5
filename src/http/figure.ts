import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Geometry } from '../core/geometry-types.js'
import { ApiError } from '../errors.js'

/** `Accept: image/svg+xml` asks for the job drawn as a figure instead of JSON. */
export function wantsFigure(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('image/svg+xml')
}

export interface FigureJob {
  geometry: Geometry
  input: Float32Array
  weight?: Float32Array
  bias?: Float32Array
  output: Float32Array
  query: unknown
}

export function figureResponse(_reply: FastifyReply, _job: FigureJob): never {
  throw new ApiError('NOT_ACCEPTABLE', 'figures are not available yet')
}
