import type { FastifyReply, FastifyRequest } from 'fastify'
import { encodeTensor } from '../codec/encode.js'
import type { WireForm } from '../codec/decode.js'
import { peekShape } from '../codec/shape.js'
import type { Config } from '../config.js'
import { assertExplainable, explainConv2d, explainConvTranspose2d } from '../core/explain.js'
import type { ConvGeometry, ConvTransposeGeometry } from '../core/geometry-types.js'
import { ApiError } from '../errors.js'
import type { JobSpec } from '../jobs/task.js'
import { figureHighlight, sendFigure } from './figure.js'
import { checkJobLimits } from './limits.js'
import { sendJsonBytes } from './reply.js'
import { replySpecFor, runForRequest } from './request-job.js'
import { readTensor, valuesOf } from './tensors.js'

/**
 * What /conv2d and /conv-transpose2d share: the weight and its alias, and everything after the
 * geometry is resolved — limits, figure and explain checks, reading the tensors (a large body's
 * base64 stays bytes for the worker), the job, and the answer in the request's form.
 */
export interface ConvBody {
  readonly input: unknown
  readonly weight?: unknown
  readonly kernel?: unknown
  readonly bias?: unknown
  readonly outputFormat?: WireForm
  readonly explain?: boolean
}

type ConvLikeGeometry = ConvGeometry | ConvTransposeGeometry

/** The shapes a conv request's geometry is resolved from, read without decoding any tensor. */
export interface ConvShapes {
  readonly input: readonly number[]
  readonly weight: readonly number[]
  readonly bias: readonly number[] | undefined
}

/** `weight`, or its alias `kernel` (the textbook's name); the field the messages name. */
export function weightOf(body: ConvBody): { value: unknown; field: 'weight' | 'kernel' } {
  if (body.weight !== undefined && body.kernel !== undefined) {
    throw new ApiError('INVALID_BODY', 'give either weight or kernel (its alias), not both')
  }
  if (body.weight !== undefined) return { value: body.weight, field: 'weight' }
  if (body.kernel !== undefined) return { value: body.kernel, field: 'kernel' }
  throw new ApiError('MISSING_FIELD', 'weight (or its alias kernel) is required')
}

/**
 * The rest of a /conv2d or /conv-transpose2d request once `resolve` has turned its shapes into a
 * geometry: shapes first, so the geometry and every limit are checked before any tensor is decoded.
 */
export async function answerConv(
  request: FastifyRequest,
  reply: FastifyReply,
  body: ConvBody,
  config: Config,
  resolve: (shapes: ConvShapes) => ConvLikeGeometry,
): Promise<unknown> {
  const { maxElements } = config
  const weightIn = weightOf(body)
  const geometry = resolve({
    input: peekShape(body.input, 'input', maxElements),
    weight: peekShape(weightIn.value, weightIn.field, maxElements),
    bias: body.bias === undefined ? undefined : peekShape(body.bias, 'bias', maxElements),
  })
  checkJobLimits(geometry, config)
  const highlight = figureHighlight(request, geometry)
  if (body.explain) assertExplainable(geometry)

  // A large body's base64 goes to the worker as bytes unless this thread needs the values.
  const defer = !body.explain && !highlight
  const input = readTensor(body.input, 'input', maxElements, defer)
  const weight = readTensor(weightIn.value, weightIn.field, maxElements, defer)
  const bias = body.bias === undefined ? undefined : readTensor(body.bias, 'bias', maxElements, defer)
  const explain = body.explain
    ? geometry.op === 'conv2d'
      ? explainConv2d(geometry, valuesOf(input), valuesOf(weight), bias && valuesOf(bias))
      : explainConvTranspose2d(geometry, valuesOf(input), valuesOf(weight), bias && valuesOf(bias))
    : undefined
  // The job's buffers move to a worker; a figure needs its own copies of the (small) tensors.
  const kept = highlight
    ? { input: valuesOf(input).slice(), weight: valuesOf(weight).slice(), bias: bias && valuesOf(bias).slice() }
    : undefined
  const form = body.outputFormat ?? input.form

  const tensors = { input: input.source, weight: weight.source, ...(bias ? { bias: bias.source } : {}) }
  const job: JobSpec = geometry.op === 'conv2d' ? { op: 'conv2d', geometry, ...tensors } : { op: 'convTranspose2d', geometry, ...tensors }
  const replySpec = explain || kept ? undefined : replySpecFor(request.server.scheduler, job, form, [{ name: 'output', shape: geometry.wireOutputShape }])
  const outcome = await runForRequest(request, reply, job, replySpec)
  if ('body' in outcome) return sendJsonBytes(reply, outcome.body)
  if (kept && highlight) return sendFigure(reply, { geometry, ...kept, output: outcome.output, highlight })
  const output = encodeTensor(outcome.output, geometry.wireOutputShape, form)
  return explain ? { output, explain } : { output }
}
