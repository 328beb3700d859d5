import type { CoreErrorCode } from './core/errors.js'

/**
 * Every error a client can see, in one table: a stable machine-readable `code`, the HTTP status,
 * and the status text. Messages are built where the numbers are known and always name the field.
 * Bodies are `{statusCode, error, code, message}` (the `ErrorResponse` schema).
 */
export const ERRORS = {
  // 400 — the request itself
  INVALID_JSON: 400,
  INVALID_BODY: 400,
  UNKNOWN_FIELD: 400,
  MISSING_FIELD: 400,
  FORBIDDEN_PROPERTY: 400,
  INVALID_TENSOR: 400,
  RAGGED_TENSOR: 400,
  NON_FINITE: 400,
  INVALID_BASE64: 400,
  SHAPE_MISMATCH: 400,
  INVALID_QUERY: 400,
  INVALID_ENCODING: 400,
  // 400 — shapes and parameters that do not fit (raised by the core's geometry)
  INVALID_RANK: 400,
  INVALID_PARAMETER: 400,
  KERNEL_TOO_LARGE: 400,
  CHANNEL_MISMATCH: 400,
  GROUPS_MISMATCH: 400,
  BIAS_MISMATCH: 400,
  PADDING_TOO_LARGE: 400,
  OUTPUT_EMPTY: 400,
  UNSUPPORTED: 400,
  // auth and routing
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_ENCODING: 415,
  RATE_LIMITED: 429,
  // the connection: answered from the socket, before any route (http/client-errors.ts)
  INVALID_HTTP: 400,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
  // limits
  BODY_TOO_LARGE: 413,
  TENSOR_TOO_LARGE: 413,
  JOB_TOO_LARGE: 413,
  // the service
  INTERNAL: 500,
  WORKER_FAILED: 500,
  QUEUE_FULL: 503,
  OVERLOADED: 503,
  SHUTTING_DOWN: 503,
  JOB_TIMEOUT: 504,
} as const satisfies Record<CoreErrorCode | string, number>

export type ErrorCode = keyof typeof ERRORS

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

export interface ErrorBody {
  statusCode: number
  error: string
  code: ErrorCode
  message: string
}

export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly statusCode: number
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** extra response headers, e.g. Retry-After */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message)
    this.statusCode = ERRORS[code]
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message)
  }
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  const statusCode = ERRORS[code]
  return { statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', code, message }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code)
}
