import type { FastifyInstance } from 'fastify'
import { resolveConv2d, resolveConvTranspose2d, resolvePool2d } from '../../core/geometry.js'
import type { Geometry } from '../../core/geometry-types.js'
import { ApiError } from '../../errors.js'
import { errorResponses, type ShapeBody, type ShapeReply } from '../schemas/index.js'
import { FOREIGN_FIELDS } from '../schemas/shape.js'

export default async function shapeRoutes(app: FastifyInstance) {
  app.post(
    '/shape',
    {
      schema: {
        operationId: 'shape',
        tags: ['compute'],
        summary: 'Output shape, padding, FLOPs and the textbook formula — without data',
        body: { $ref: 'ShapeRequest#' },
        security: [{ bearerAuth: [] }, {}],
        response: { 200: { $ref: 'ShapeResponse#' }, ...errorResponses },
      },
    },
    async (request): Promise<ShapeReply> => {
      const body = request.body as ShapeBody
      const stray = FOREIGN_FIELDS[body.op].find((field) => body[field] !== undefined)
      if (stray) throw new ApiError('UNKNOWN_FIELD', `field "${stray}" does not apply to op "${body.op}"`)
      let g: Geometry
      if (body.op !== 'pool' && !body.weightShape) throw new ApiError('MISSING_FIELD', `weightShape is required for op "${body.op}"`)
      if (body.op === 'conv2d') {
        g = resolveConv2d(body.inputShape, body.weightShape!, body.biasShape, body)
      } else if (body.op === 'convTranspose2d') {
        // as /conv-transpose2d: zero padding only (PyTorch's ConvTranspose2d)
        if (body.paddingMode !== undefined && body.paddingMode !== 'zeros') {
          throw new ApiError('INVALID_PARAMETER', `paddingMode must be "zeros" for op "convTranspose2d" (as PyTorch's ConvTranspose2d), got "${body.paddingMode}"`)
        }
        g = resolveConvTranspose2d(body.inputShape, body.weightShape!, body.biasShape, body)
      } else {
        g = resolvePool2d(body.inputShape, body)
      }
      return {
        outputShape: [...g.wireOutputShape],
        padding: { top: g.padTop, bottom: g.padBottom, left: g.padLeft, right: g.padRight },
        flops: g.flops,
        formula: { h: g.formula.h, w: g.formula.w },
      }
    },
  )
}
