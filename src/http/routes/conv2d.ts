import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import { resolveConv2d } from '../../core/geometry.js'
import type { Conv2dParams } from '../../core/params.js'
import { answerConv } from '../conv-request.js'
import { computeRouteSchema } from '../schemas/compute-route.js'
import type { Conv2dBody } from '../schemas/index.js'

export default async function conv2dRoutes(app: FastifyInstance, opts: { config: Config }) {
  app.post(
    '/conv2d',
    {
      schema: computeRouteSchema({
        operationId: 'conv2d',
        summary: '2-D convolution (cross-correlation; flipKernel for the mathematical convolution)',
        description:
          'PyTorch `F.conv2d` semantics plus padding modes, "same"/"valid" padding and the textbook rank shorthand: ' +
          '`X[3,3] ★ K[2,2] → [2,2]`, `X[2,3,3] ★ K[2,2,2] → [2,2]`, `X[2,3,3] ★ K[3,2,2,2] → [3,2,2]`. ' +
          'Send `Accept: image/svg+xml` for the job drawn as a figure (`?highlight=i,j`).',
        request: 'Conv2dRequest',
        response: 'Conv2dResponse',
        answers: 'the output (and the worked sums with `explain`); an SVG figure with `Accept: image/svg+xml`',
      }),
    },
    async (request, reply) => {
      const body = request.body as Conv2dBody
      const params: Conv2dParams = {
        stride: body.stride,
        padding: body.padding,
        paddingMode: body.paddingMode,
        dilation: body.dilation,
        groups: body.groups,
        flipKernel: body.flipKernel,
      }
      return answerConv(request, reply, body, opts.config, (shapes) => resolveConv2d(shapes.input, shapes.weight, shapes.bias, params))
    },
  )
}
