import { requestIdHeader, serverTimingHeader } from './headers.js'
import { errorResponses } from './errors.js'

/** `?highlight=`, read with `Accept: image/svg+xml` (http/figure.ts). */
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

/**
 * The route schema /conv2d, /conv-transpose2d and /pool share: a compute route behind the
 * optional bearer key, answering JSON (its response schema by `$ref`) or, with
 * `Accept: image/svg+xml`, the job drawn as a figure; Server-Timing on the answer.
 */
export function computeRouteSchema(o: {
  readonly operationId: string
  readonly summary: string
  readonly description: string
  readonly request: string
  readonly response: string
  readonly answers: string
}) {
  return {
    operationId: o.operationId,
    tags: ['compute'],
    summary: o.summary,
    description: `${o.description}\n\nThe body may be sent with \`Content-Encoding: gzip\`, \`deflate\` or \`br\`; BODY_LIMIT counts the decompressed bytes.`,
    body: { $ref: `${o.request}#` },
    // the key when API_KEYS is set, none otherwise
    security: [{ bearerAuth: [] as string[] }, {} as Record<string, string[]>],
    querystring: figureQuery,
    response: {
      200: {
        description: o.answers,
        headers: { 'server-timing': serverTimingHeader, 'x-request-id': requestIdHeader },
        content: {
          'application/json': { schema: { $ref: `${o.response}#` } },
          'image/svg+xml': { schema: { type: 'string' } },
        },
      },
      ...errorResponses,
    },
  }
}
