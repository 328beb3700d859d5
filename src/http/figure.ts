import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Geometry } from '../core/geometry-types.js'
import { assertFigurable, parseHighlight, renderConvFigure, renderConvTransposeFigure, renderPoolFigure } from '../figures/index.js'

// what a compute route can answer, JSON first: a tie (`*/*`, or no Accept at all) is JSON
const ANSWER_TYPES = ['application/json', 'image/svg+xml']

/**
 * Whether the client asked for the job drawn as a figure: `image/svg+xml` (or `image/*`)
 * preferred to JSON by the Accept header's own weights, so `image/svg+xml;q=0.5,
 * application/json` is JSON and `image/svg+xml;q=0` never draws. An Accept that names neither
 * type is disregarded, and JSON comes back (RFC 9110 §12.5.1 leaves the choice to the server).
 */
export function wantsFigure(request: FastifyRequest): boolean {
  const accept = request.headers.accept
  // most requests (no Accept, any type, application/json) name no image type: no parsing for them
  if (accept === undefined || !/image\//i.test(accept)) return false
  return request.accepts().type(ANSWER_TYPES) === 'image/svg+xml'
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
