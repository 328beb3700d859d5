import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import { resolveConvTranspose2d } from '../../core/geometry.js'
import type { ConvTranspose2dParams } from '../../core/params.js'
import { answerConv } from '../conv-request.js'
import { computeRouteSchema } from '../schemas/compute-route.js'
import type { ConvTranspose2dBody } from '../schemas/index.js'

export default async function convTranspose2dRoutes(app: FastifyInstance, opts: { config: Config }) {
  app.post(
    '/conv-transpose2d',
    {
      schema: computeRouteSchema({
        operationId: 'convTranspose2d',
        summary: '2-D transposed convolution (every input element scatters the kernel into the output)',
        description:
          'PyTorch `F.conv_transpose2d` semantics (ONNX ConvTranspose): weight `[Cin, Cout/groups, kh, kw]`, `padding` crops the full ' +
          'result `(in − 1)·s + d·(k − 1) + 1` on each side, `outputPadding` adds rows/columns at the bottom/right. The textbook rank ' +
          'shorthand as for /conv2d: `X[2,2] ⋆ᵀ K[2,2] → [3,3]`; a `[Cin,kh,kw]` weight makes one output channel. ' +
          'Send `Accept: image/svg+xml` for the job drawn as a figure (`?highlight=i,j`: the input elements and kernel taps that land on that output).',
        request: 'ConvTranspose2dRequest',
        response: 'ConvTranspose2dResponse',
        answers: 'the output (and the worked sums with `explain`); an SVG figure with `Accept: image/svg+xml`',
      }),
    },
    async (request, reply) => {
      const body = request.body as ConvTranspose2dBody
      const params: ConvTranspose2dParams = {
        stride: body.stride,
        padding: body.padding,
        outputPadding: body.outputPadding,
        dilation: body.dilation,
        groups: body.groups,
      }
      return answerConv(request, reply, body, opts.config, (shapes) => resolveConvTranspose2d(shapes.input, shapes.weight, shapes.bias, params))
    },
  )
}
