import type { FastifyInstance } from 'fastify'
import { encodeTensor } from '../../codec/encode.js'
import { peekShape } from '../../codec/shape.js'
import type { Config } from '../../config.js'
import { assertExplainable, explainPool2d } from '../../core/explain.js'
import { resolvePool2d } from '../../core/geometry.js'
import type { Pool2dParams } from '../../core/params.js'
import { figureHighlight, sendFigure } from '../figure.js'
import { checkJobLimits } from '../limits.js'
import { sendJsonBytes } from '../reply.js'
import { replySpecFor, runForRequest } from '../request-job.js'
import { readTensor, valuesOf } from '../tensors.js'
import { computeRouteSchema } from '../schemas/compute-route.js'
import type { PoolBody } from '../schemas/index.js'

export default async function poolRoutes(app: FastifyInstance, opts: { config: Config }) {
  const { maxElements } = opts.config
  app.post(
    '/pool',
    {
      schema: computeRouteSchema({
        operationId: 'pool',
        summary: '2-D pooling: max, avg, lp, global, adaptive',
        description:
          'PyTorch `F.max_pool2d` / `avg_pool2d` / `adaptive_*_pool2d` semantics, ONNX LpPool. The output keeps the input\'s rank. ' +
          'Send `Accept: image/svg+xml` for the job drawn as a figure (`?highlight=i,j`).',
        request: 'PoolRequest',
        response: 'PoolResponse',
        answers: 'the output (and indices with returnIndices, worked sums with explain); an SVG figure with Accept: image/svg+xml',
      }),
    },
    async (request, reply) => {
      const body = request.body as PoolBody
      const params: Pool2dParams = {
        mode: body.mode,
        kernelSize: body.kernelSize,
        stride: body.stride,
        padding: body.padding,
        dilation: body.dilation,
        ceilMode: body.ceilMode,
        countIncludePad: body.countIncludePad,
        divisorOverride: body.divisorOverride,
        p: body.p,
        global: body.global,
        outputSize: body.outputSize,
        returnIndices: body.returnIndices,
      }
      const geometry = resolvePool2d(peekShape(body.input, 'input', maxElements), params)
      checkJobLimits(geometry, opts.config)
      const highlight = figureHighlight(request, geometry)
      if (body.explain) assertExplainable(geometry)

      // A large body's base64 goes to the worker as bytes unless this thread needs the values.
      const input = readTensor(body.input, 'input', maxElements, !body.explain && !highlight)
      const explain = body.explain ? explainPool2d(geometry, valuesOf(input)) : undefined
      const kept = highlight ? valuesOf(input).slice() : undefined
      const form = body.outputFormat ?? input.form
      const shape = geometry.wireOutputShape
      const job = { op: 'pool' as const, geometry, input: input.source }
      const replySpec =
        explain || kept
          ? undefined
          : replySpecFor(request.server.scheduler, job, form, [{ name: 'output', shape }, ...(geometry.returnIndices ? [{ name: 'indices' as const, shape }] : [])])

      const outcome = await runForRequest(request, reply, job, replySpec)
      if ('body' in outcome) return sendJsonBytes(reply, outcome.body)
      if (kept && highlight) return sendFigure(reply, { geometry, input: kept, output: outcome.output, highlight })
      return {
        output: encodeTensor(outcome.output, shape, form),
        ...(outcome.indices ? { indices: encodeTensor(outcome.indices, shape, form) } : {}),
        ...(explain ? { explain } : {}),
      }
    },
  )
}
