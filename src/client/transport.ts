import { Pool } from 'undici'
import { ConvserveError, ConvserveTransportError } from './errors.js'
import type { ErrorCode } from './types.js'

export interface RawReply {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: unknown
}

export interface TransportOptions {
  readonly baseUrl: string | URL
  readonly apiKey?: string
  readonly connections: number
}

/**
 * One HTTP exchange on a keep-alive undici Pool: JSON in, JSON out. The body is always read to
 * the end (undici keeps a connection busy until it is), so every reply frees its socket.
 */
export class Transport {
  private readonly pool: Pool
  private readonly prefix: string
  private readonly headers: Record<string, string>

  constructor(options: TransportOptions) {
    const url = new URL(options.baseUrl)
    this.pool = new Pool(url.origin, { connections: options.connections })
    this.prefix = url.pathname.replace(/\/+$/, '')
    this.headers = { accept: 'application/json' }
    if (options.apiKey !== undefined) this.headers.authorization = `Bearer ${options.apiKey}`
  }

  async send(method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal): Promise<RawReply> {
    const reply = await this.pool.request({
      method,
      path: this.prefix + path,
      headers: body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    })
    const text = await reply.body.text()
    let parsed: unknown = undefined
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = text
      }
    }
    return { status: reply.statusCode, headers: reply.headers, body: parsed }
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}

/** A non-2xx reply → ConvserveError with the service's code, or UNEXPECTED_RESPONSE for anything else. */
export function replyError(reply: RawReply, retryAfterSeconds?: number): ConvserveError {
  const body = reply.body as { code?: unknown; message?: unknown } | undefined
  const id = reply.headers['x-request-id']
  const requestId = typeof id === 'string' ? id : undefined
  if (body && typeof body === 'object' && typeof body.code === 'string' && typeof body.message === 'string') {
    return new ConvserveError(reply.status, body.code as ErrorCode, body.message, retryAfterSeconds, requestId)
  }
  const snippet = typeof reply.body === 'string' ? `: ${reply.body.slice(0, 200)}` : ''
  return new ConvserveError(reply.status, 'UNEXPECTED_RESPONSE', `HTTP ${reply.status} without a convserve error body${snippet}`, retryAfterSeconds, requestId)
}

/** Which of the two signals ended the call decides what the caller is told. */
export function transportError(error: unknown, caller: AbortSignal | undefined, timeout: AbortSignal | undefined, timeoutMs: number): ConvserveTransportError {
  if (error instanceof ConvserveTransportError) return error
  if (caller?.aborted) return new ConvserveTransportError('aborted', 'the call was aborted by its AbortSignal', { cause: caller.reason ?? error })
  if (timeout?.aborted) return new ConvserveTransportError('timeout', `no complete reply within ${timeoutMs} ms`, { cause: error })
  const detail = error instanceof Error ? error.message : String(error)
  return new ConvserveTransportError('network', `request failed: ${detail}`, { cause: error })
}
