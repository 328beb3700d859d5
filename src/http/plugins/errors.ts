import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { CoreError } from '../../core/errors.js'
import { ApiError, errorBody, isErrorCode, type ErrorCode } from '../../errors.js'
import { validationError } from '../validation.js'

/** Fastify's own error codes → ours. Everything else a client can cause is mapped explicitly. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
}

/** Any error → `{statusCode, error, code, message}`; a 500 never shows a stack, a path or an engine message. */
export function toApiError(error: FastifyError | Error, body: unknown, bodyLimit: number): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof CoreError) return new ApiError(error.code, error.message)
  const fe = error as FastifyError
  if (fe.validation) return validationError(fe.validation as never, fe.validationContext ?? 'body', body)
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined
  if (mapped === 'BODY_TOO_LARGE') {
    return new ApiError(mapped, `the request body is larger than the limit of ${bodyLimit} bytes (BODY_LIMIT)`)
  }
  if (mapped === 'UNSUPPORTED_MEDIA_TYPE') {
    return new ApiError(mapped, 'the request body must be application/json')
  }
  if (mapped) return new ApiError(mapped, fe.message)
  if (fe.statusCode === 429 || fe.code === 'RATE_LIMITED') return new ApiError('RATE_LIMITED', fe.message)
  if (isErrorCode(fe.code) && fe.statusCode && fe.statusCode < 500) return new ApiError(fe.code, fe.message)
  return new ApiError('INTERNAL', 'internal error; the request was not completed')
}

async function errorsPlugin(app: FastifyInstance, opts: { bodyLimit: number }) {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error as FastifyError, request.body, opts.bodyLimit)
    if (reply.raw.destroyed) {
      // the client went away (its job was dropped): nothing to answer, nothing went wrong here
      request.log.info({ code: apiError.code }, 'client closed the connection before the answer')
      return
    }
    if (apiError.statusCode >= 500) {
      request.log.error({ err: error, code: apiError.code }, 'request failed')
    } else {
      request.log.info({ code: apiError.code, msg: apiError.message }, 'client error')
    }
    void reply.code(apiError.statusCode).headers(apiError.headers).type('application/json').send(apiError.toBody())
  })

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!
    // a path served for other methods (GET /conv2d typed into a browser's address bar) is a 405
    // whose Allow header names them (RFC 9110 §15.5.6), not a 404 that says it does not exist
    const allowed = ROUTE_METHODS.filter((method) => app.hasRoute({ method, url: path }))
    // OPTIONS asks which methods a path takes (RFC 9110 §9.3.7); a CORS preflight, when CORS_ORIGINS
    // is set, never reaches this handler: @fastify/cors answers it
    if (allowed.length > 0 && request.method === 'OPTIONS') {
      void reply.code(204).header('allow', [...allowed, 'OPTIONS'].join(', ')).send()
      return
    }
    if (allowed.length > 0) {
      void reply
        .code(405)
        .header('allow', allowed.join(', '))
        .type('application/json')
        .send(errorBody('METHOD_NOT_ALLOWED', `${path} takes ${allowed.join(' or ')}, not ${request.method}`))
      return
    }
    void reply.code(404).type('application/json').send(errorBody('NOT_FOUND', `no route ${request.method} ${path}`))
  })
}

/** the methods a route of this service may be declared for (OPTIONS is CORS's preflight) */
const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

export default fp(errorsPlugin, { name: 'convserve-errors' })
