import type { ErrorCode } from './types.js'

/**
 * The server answered with an error: its stable `code`, the HTTP `status` and the `message` that
 * names the field and the numbers. A reply that is not the service's JSON error (a proxy's HTML
 * page, say) gets the code `UNEXPECTED_RESPONSE`.
 */
export class ConvserveError extends Error {
  override readonly name = 'ConvserveError'
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'UNEXPECTED_RESPONSE',
    message: string,
    /** seconds from the reply's Retry-After header (503), when it had one */
    readonly retryAfter?: number,
    /** the reply's X-Request-Id: the id of the server's log line, to quote when reporting it */
    readonly requestId?: string,
  ) {
    super(message)
  }
}

export type TransportFailure = 'network' | 'timeout' | 'aborted'

/**
 * No answer from the server: the connection failed (`network`), the call ran past its timeout
 * (`timeout`) or the caller's AbortSignal fired (`aborted`). The underlying error is `cause`.
 */
export class ConvserveTransportError extends Error {
  override readonly name = 'ConvserveTransportError'
  constructor(
    readonly kind: TransportFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
