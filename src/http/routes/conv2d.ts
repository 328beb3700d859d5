import type { FastifyInstance } from 'fastify'
import { encodeTensor } from '../../codec/encode.js'
import { peekShape } from '../../codec/shape.js'
import type { Config } from '../../config.js'
import { assertExplainable, explainConv2d } from '../../core/explain.js'
import { resolveConv2d } from '../../core/geometry.js'
import type { Conv2dParams } from '../../core/params.js'
import { ApiError } from '../../errors.js'
import { checkJobLimits } from '../limits.js'
import type { JobSpec } from '../../jobs/task.js'
import { sendJsonBytes } from '../reply.js'
import { runForRequest } from '../request-job.js'
import { readTensor, valuesOf } from '../tensors.js'
import { serverTimingHeader } from '../schemas/headers.js'
import { errorResponses, type Conv2dBody } from '../schemas/index.js'
import { figureHighlight, sendFigure } from '../figure.js'

export default async function conv2dRoutes(app: FastifyInstance, opts: { config: Config }) {
  const { maxElements } = opts.config
  app.post(
    '/conv2d',
    {
      schema: {
        operationId: 'conv2d',
        tags: ['compute'],
        summary: '2-D convolution (cross-correlation; flipKernel for the mathematical convolution)',
        description:
          'PyTorch `F.conv2d` semantics plus padding modes, "same"/"valid" padding and the textbook rank shorthand: ' +
          '`X[3,3] ★ K[2,2] → [2,2]`, `X[2,3,3] ★ K[2,2,2] → [2,2]`, `X[2,3,3] ★ K[3,2,2,2] → [3,2,2]`. ' +
          'Send `Accept: image/svg+xml` for the job drawn as a figure (`?highlight=i,j`).',
        body: { $ref: 'Conv2dRequest#' },
        security: [{ bearerAuth: [] }, {}],
        querystring: figureQuery,
        response: {
          200: {
            description: 'the output (and the worked sums with `explain`); an SVG figure with `Accept: image/svg+xml`',
            headers: { 'server-timing': serverTimingHeader },
            content: {
              'application/json': { schema: { $ref: 'Conv2dResponse#' } },
              'image/svg+xml': { schema: { type: 'string' } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body as Conv2dBody
      if (body.weight !== undefined && body.kernel !== undefined) {
        throw new ApiError('INVALID_BODY', 'give either weight or kernel (its alias), not both')
      }
      const weightValue = body.weight ?? body.kernel
      if (weightValue === undefined) throw new ApiError('MISSING_FIELD', 'weight (or its alias kernel) is required')
      const weightField = body.weight !== undefined ? 'weight' : 'kernel'
      const params: Conv2dParams = {
        stride: body.stride,
        padding: body.padding,
        paddingMode: body.paddingMode,
        dilation: body.dilation,
        groups: body.groups,
        flipKernel: body.flipKernel,
      }
      // Shapes first: geometry and every limit are checked before any tensor is decoded.
      const inputShape = peekShape(body.input, 'input', maxElements)
      const weightShape = peekShape(weightValue, weightField, maxElements)
      const biasShape = body.bias === undefined ? undefined : peekShape(body.bias, 'bias', maxElements)
      const geometry = resolveConv2d(inputShape, weightShape, biasShape, params)
      checkJobLimits(geometry, opts.config)
      const highlight = figureHighlight(request, geometry)
      if (body.explain) assertExplainable(geometry)

      // A large body's base64 goes to the worker as bytes unless this thread needs the values.
      const defer = !body.explain && !highlight
      const input = readTensor(body.input, 'input', maxElements, defer)
      const weight = readTensor(weightValue, weightField, maxElements, defer)
      const bias = body.bias === undefined ? undefined : readTensor(body.bias, 'bias', maxElements, defer)
      const explain = body.explain ? explainConv2d(geometry, valuesOf(input), valuesOf(weight), bias && valuesOf(bias)) : undefined
      // The job's buffers move to a worker; a figure needs its own copies of the (small) tensors.
      const kept = highlight
        ? { input: valuesOf(input).slice(), weight: valuesOf(weight).slice(), bias: bias && valuesOf(bias).slice() }
        : undefined
      const form = body.outputFormat ?? input.form
      const replySpec = form === 'base64' && !explain && !kept ? { base64: [{ name: 'output' as const, shape: geometry.wireOutputShape }] } : undefined

      const job: JobSpec = bias
        ? { op: 'conv2d', geometry, input: input.source, weight: weight.source, bias: bias.source }
        : { op: 'conv2d', geometry, input: input.source, weight: weight.source }
      const outcome = await runForRequest(request, reply, job, replySpec)
      if ('body' in outcome) return sendJsonBytes(reply, outcome.body)
      if (kept && highlight) return sendFigure(reply, { geometry, ...kept, output: outcome.output, highlight })
      const output = encodeTensor(outcome.output, geometry.wireOutputShape, form)
      return explain ? { output, explain } : { output }
    },
  )
}

export const figureQuery = {
  type: 'object',
  properties: {
    highlight: {
      type: 'string',
      pattern: '^\\d+(,\\d+){1,3}$',
      description: 'with Accept: image/svg+xml, the output element `i,j` (row, column; or the full index in the output\'s rank) whose window the figure highlights (default 0,0)',
    },
  },
  additionalProperties: false,
} as const
