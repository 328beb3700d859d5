import { ConvserveError } from './errors.js'
import { retryAfterMs, sleep } from './retry.js'
import { fromBase64Wire, indicesFromBase64Wire, isBase64Wire, toBase64Wire, type Base64Wire } from './tensor.js'
import { parseServerTiming } from './timing.js'
import { Transport, replyError, transportError, type RawReply } from './transport.js'
import type {
  CallOptions,
  ClientOptions,
  Conv2dOptions,
  Conv2dResult,
  ConvTranspose2dOptions,
  ExplainEntries,
  HealthStatus,
  PoolOptions,
  PoolResult,
  ReadyStatus,
  ShapeOptions,
  ShapeResult,
  TensorInput,
  Timing,
} from './types.js'

export { ConvserveError, ConvserveTransportError, type TransportFailure } from './errors.js'
export { parseServerTiming } from './timing.js'
export type * from './types.js'

export interface ConvserveClient {
  /** `input ★ weight` with the textbook rank rules; `params.bias` is a tensor too */
  conv2d(input: TensorInput, weight: TensorInput, params?: Conv2dOptions, call?: CallOptions): Promise<Conv2dResult>
  /** the transposed convolution (PyTorch's conv_transpose2d): weight `[Cin, Cout/groups, kh, kw]`; `params.bias` is a tensor too */
  convTranspose2d(input: TensorInput, weight: TensorInput, params?: ConvTranspose2dOptions, call?: CallOptions): Promise<Conv2dResult>
  pool(input: TensorInput, params: PoolOptions, call?: CallOptions): Promise<PoolResult>
  shape(params: ShapeOptions, call?: CallOptions): Promise<ShapeResult>
  health(call?: CallOptions): Promise<HealthStatus>
  ready(call?: CallOptions): Promise<ReadyStatus>
  /** Server-Timing of the last conv2d/convTranspose2d/pool reply (undefined when it carried none) */
  readonly lastTiming: Timing | undefined
  /** closes the keep-alive connections; calls in flight finish first */
  close(): Promise<void>
}

// Without Retry-After (a 503 from a proxy, or the server closing) one second is a polite pause.
const DEFAULT_RETRY_DELAY_MS = 1_000
// Twice the server's JOB_TIMEOUT_MS default: a job that runs too long gets the server's coded 504
// (JOB_TIMEOUT) before the client gives up on its own and learns nothing.
const DEFAULT_TIMEOUT_MS = 60_000

export function createClient(options: ClientOptions): ConvserveClient {
  const transport = new Transport({ baseUrl: options.baseUrl, apiKey: options.apiKey, connections: options.connections ?? 4 })
  const retries = Math.max(0, Math.floor(options.retries ?? 2))
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000
  let lastTiming: Timing | undefined

  /**
   * One call: the timeout covers every attempt and every wait; 503 is retried `retries` times;
   * `accept` lists error statuses that are answers rather than failures (/readyz's 503).
   */
  async function call(method: 'GET' | 'POST', path: string, body: unknown, opts: CallOptions = {}, accept: number[] = []): Promise<RawReply> {
    const timeoutMs = opts.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined
    const parts = [opts.signal, timeout].filter((s): s is AbortSignal => s !== undefined)
    const signal = parts.length > 0 ? AbortSignal.any(parts) : new AbortController().signal
    const compute = path === '/conv2d' || path === '/conv-transpose2d' || path === '/pool'
    for (let attempt = 0; ; attempt++) {
      let reply: RawReply
      try {
        reply = await transport.send(method, path, body, signal)
      } catch (error) {
        throw transportError(error, opts.signal, timeout, timeoutMs)
      }
      if (compute) lastTiming = parseServerTiming(reply.headers['server-timing'])
      if (reply.status < 300 || accept.includes(reply.status)) return reply
      const waitMs = retryAfterMs(reply.headers['retry-after'])
      const error = replyError(reply, waitMs === undefined ? undefined : waitMs / 1000)
      if (reply.status !== 503 || attempt >= retries) throw error
      const delayMs = Math.min(waitMs ?? DEFAULT_RETRY_DELAY_MS, maxRetryDelayMs)
      try {
        await Promise.all([sleep(delayMs, signal), options.onRetry?.({ attempt: attempt + 1, delayMs, error })])
      } catch (failure) {
        if (signal.aborted) throw transportError(failure, opts.signal, timeout, timeoutMs)
        throw failure
      }
    }
  }

  function tensorOut(value: unknown, what: string) {
    if (!isBase64Wire(value)) throw new ConvserveError(200, 'UNEXPECTED_RESPONSE', `${what} is not a base64 tensor`)
    return value
  }

  /** /conv2d and /conv-transpose2d take and answer the same tensors: input, weight, bias → output */
  async function convCall(
    path: '/conv2d' | '/conv-transpose2d',
    input: TensorInput,
    weight: TensorInput,
    params: Conv2dOptions | ConvTranspose2dOptions,
    callOptions?: CallOptions,
  ): Promise<Conv2dResult> {
    const { bias, ...rest } = params
    const request = {
      ...rest,
      input: toBase64Wire(input),
      weight: toBase64Wire(weight),
      ...(bias === undefined ? {} : { bias: toBase64Wire(bias) }),
      outputFormat: 'base64' as const,
    }
    const reply = (await call('POST', path, request, callOptions)).body as { output: unknown; explain?: ExplainEntries }
    const output = fromBase64Wire(tensorOut(reply.output, 'output'))
    return reply.explain === undefined ? { output } : { output, explain: reply.explain }
  }

  return {
    get lastTiming() {
      return lastTiming
    },

    conv2d(input, weight, params = {}, callOptions) {
      return convCall('/conv2d', input, weight, params, callOptions)
    },

    convTranspose2d(input, weight, params = {}, callOptions) {
      return convCall('/conv-transpose2d', input, weight, params, callOptions)
    },

    async pool(input, params, callOptions) {
      const request = { ...params, input: toBase64Wire(input), outputFormat: 'base64' as const }
      const reply = (await call('POST', '/pool', request, callOptions)).body as { output: unknown; indices?: unknown; explain?: ExplainEntries }
      const result: { -readonly [K in keyof PoolResult]: PoolResult[K] } = { output: fromBase64Wire(tensorOut(reply.output, 'output')) }
      if (reply.indices !== undefined) result.indices = indicesFromBase64Wire(tensorOut(reply.indices, 'indices') as Base64Wire)
      if (reply.explain !== undefined) result.explain = reply.explain
      return result
    },

    async shape(params, callOptions) {
      return (await call('POST', '/shape', params, callOptions)).body as ShapeResult
    },

    async health(callOptions) {
      return (await call('GET', '/healthz', undefined, callOptions)).body as HealthStatus
    },

    async ready(callOptions) {
      // /readyz's 503 means "not now", an answer: it is neither retried nor thrown
      const reply = await call('GET', '/readyz', undefined, callOptions, [503])
      const body = (reply.body ?? {}) as { status?: unknown; queued?: number; running?: number }
      const status = typeof body.status === 'string' ? body.status : 'unavailable'
      return { ready: reply.status === 200, status, queued: body.queued, running: body.running }
    },

    close() {
      return transport.close()
    },
  }
}
