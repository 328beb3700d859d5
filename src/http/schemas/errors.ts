import { Type } from 'typebox'
import { ERRORS } from '../../errors.js'
import { requestIdHeader, retryAfterHeader } from './headers.js'

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    code: Type.Union(
      Object.keys(ERRORS).map((code) => Type.Literal(code)),
      { description: 'stable machine-readable code' },
    ),
    message: Type.String({ description: 'what was wrong, naming the field and the numbers' }),
  },
  {
    $id: 'Error',
    title: 'Error',
    additionalProperties: false,
    examples: [{ statusCode: 400, error: 'Bad Request', code: 'KERNEL_TOO_LARGE', message: 'kernel 5×5 is larger than the padded input 3×3 (input 3×3, padding 0)' }],
  },
)

// every answer carries its request's id (http/request-id.ts)
const errorRef = (description: string, headers: Record<string, unknown> = {}) =>
  Type.Ref('Error', { description, headers: { 'x-request-id': requestIdHeader, ...headers } })

/** Error responses every compute route documents. */
export const errorResponses = {
  400: errorRef('invalid request: schema, tensor or shape problem'),
  401: errorRef('missing or wrong API key (when API_KEYS is set)'),
  408: errorRef('the request was not received in full within REQUEST_TIMEOUT_MS (the connection is closed after it)'),
  413: errorRef('body, tensor or job over the configured limits'),
  415: errorRef('content type is not application/json, or Content-Encoding is not gzip, deflate or br (Accept-Encoding lists them)'),
  429: errorRef('rate limit exceeded (when RATE_LIMIT is set)', { 'retry-after': retryAfterHeader }),
  500: errorRef('internal error (never carries internals)'),
  503: errorRef('job queue full or process overloaded (both with Retry-After), or shutting down', { 'retry-after': retryAfterHeader }),
  504: errorRef('job ran past JOB_TIMEOUT_MS'),
}
