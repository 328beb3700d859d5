import { maxHeaderSize } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { errorBody, type ErrorCode } from '../errors.js'

/** Node's own limit for a request's headers (`headersTimeout`), when nothing lowers it */
const NODE_HEADERS_TIMEOUT_MS = 60_000

/**
 * The time a request's headers get: Node enforces `requestTimeout` only while `headersTimeout`
 * is no longer than it, so with REQUEST_TIMEOUT_MS set the headers get at most that (app.ts).
 */
export function headersTimeoutMs(requestTimeoutMs: number): number {
  return requestTimeoutMs > 0 ? Math.min(NODE_HEADERS_TIMEOUT_MS, requestTimeoutMs) : NODE_HEADERS_TIMEOUT_MS
}

/** Node's connection errors carry the parser's or the server's code */
type ConnectionError = Error & { code?: string }

/**
 * What the socket is told when a request never becomes one: Node found it malformed, its headers
 * over the size limit, or it was not received in time (REQUEST_TIMEOUT_MS; a slow or stalled
 * body would otherwise hold its connection and buffered bytes for as long as the client likes).
 * Fastify's own answer for these has no `code`; this one is the usual coded body, and the
 * connection closes after it, as Node's and Fastify's do.
 */
export function clientErrorHandler(requestTimeoutMs: number) {
  return function answer(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
    // a reset connection has nobody left to tell
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    const [code, message] = describe(error, requestTimeoutMs)
    this.log.debug({ err: error, code }, 'connection error')
    if (socket.writable) {
      const body = errorBody(code, message)
      const text = JSON.stringify(body)
      socket.write(
        `HTTP/1.1 ${body.statusCode} ${body.error}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      )
    }
    socket.destroy()
  }
}

function describe(error: ConnectionError, requestTimeoutMs: number): [ErrorCode, string] {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      // Node gives one code for both of its timers: the whole request's and the headers' (app.ts)
      return [
        'REQUEST_TIMEOUT',
        requestTimeoutMs > 0
          ? `the request was not received in time: ${requestTimeoutMs} ms for all of it (REQUEST_TIMEOUT_MS), ${headersTimeoutMs(requestTimeoutMs)} ms for its headers`
          : `the request's headers were not received within ${headersTimeoutMs(requestTimeoutMs)} ms`,
      ]
    case 'HPE_HEADER_OVERFLOW':
      return ['HEADERS_TOO_LARGE', `the request's headers are larger than the limit of ${maxHeaderSize} bytes`]
    default:
      return ['INVALID_HTTP', `the request is not valid HTTP/1.1 (${error.code ?? 'unreadable'})`]
  }
}
