import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Geometry } from '../core/geometry-types.js'
import { assertFigurable, parseHighlight, renderConvFigure, renderConvTransposeFigure, renderPoolFigure } from '../figures/index.js'

/** `Accept: image/svg+xml` asks for the job drawn as a figure instead of JSON. */
export function wantsFigure(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('image/svg+xml')
}

/**
 * For a figure request: the plane-size limits and `?highlight` are checked from the geometry
 * before anything is computed. Returns the highlighted output index, or undefined for JSON.
 */
export function figureHighlight(request: FastifyRequest, geometry: Geometry): number[] | undefined {
  if (!wantsFigure(request)) return undefined
  assertFigurable(geometry)
  return parseHighlight((request.query as { highlight?: string }).highlight, geometry.wireOutputShape)
}

export interface FigureJob {
  readonly geometry: Geometry
  readonly input: Float32Array
  readonly weight?: Float32Array
  readonly bias?: Float32Array
  readonly output: Float32Array
  readonly highlight: readonly number[]
}

export function sendFigure(reply: FastifyReply, job: FigureJob): string {
  const { geometry: g } = job
  const svg =
    g.op === 'conv2d'
      ? renderConvFigure(g, job.input, job.weight!, job.bias, job.output, job.highlight)
      : g.op === 'convTranspose2d'
        ? renderConvTransposeFigure(g, job.input, job.weight!, job.bias, job.output, job.highlight)
        : renderPoolFigure(g, job.input, job.output, job.highlight)
  void reply.type('image/svg+xml; charset=utf-8')
  return svg
}
