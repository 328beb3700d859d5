import type { Tensor as CoreTensor } from '../core/index.js'
import type { ConvserveError } from './errors.js'
import type {
  Conv2dBody,
  Conv2dReply,
  ConvTranspose2dBody,
  ErrorReply,
  PoolBody,
  PoolReply,
  ShapeBody,
  ShapeReply,
  WireTensor,
} from '../http/schemas/index.js'

/**
 * The client's types, all derived from the server's TypeBox schemas (type-only imports: the
 * compiled client loads nothing from the server). A schema change shows up here as a type error.
 */

/** A result tensor: row-major float32 data and its shape (the core's Tensor). */
export type Tensor = CoreTensor

/** Max-pool indices: flat `h·W + w` into the input plane, as PyTorch. */
export interface IndexTensor {
  readonly shape: readonly number[]
  readonly data: Int32Array
}

/** The nested-array wire form (rank 1–4), exactly as the schema allows it. */
export type NestedInput = Extract<WireTensor, readonly unknown[]>

/**
 * What the client accepts as a tensor: `{shape, data}` with Float32Array (sent as is) or any
 * array of numbers, or nested arrays (shape inferred client-side). Everything travels as base64.
 */
export type TensorInput = { readonly shape: readonly number[]; readonly data: Float32Array | ArrayLike<number> } | NestedInput

/** Request fields the client owns: tensors are arguments, the output form is always base64. */
type ClientOwned = 'input' | 'weight' | 'kernel' | 'bias' | 'outputFormat'

export type Conv2dOptions = Omit<Conv2dBody, ClientOwned> & { readonly bias?: TensorInput }
export type ConvTranspose2dOptions = Omit<ConvTranspose2dBody, ClientOwned> & { readonly bias?: TensorInput }
export type PoolOptions = Omit<PoolBody, 'input' | 'outputFormat'>
export type ShapeOptions = ShapeBody
export type ShapeResult = ShapeReply
export type ExplainEntries = NonNullable<Conv2dReply['explain']>

export interface Conv2dResult {
  readonly output: Tensor
  readonly explain?: ExplainEntries
}

export interface PoolResult {
  readonly output: Tensor
  /** with `returnIndices: true` */
  readonly indices?: IndexTensor
  readonly explain?: NonNullable<PoolReply['explain']>
}

/** Every error code the server can answer with. */
export type ErrorCode = ErrorReply['code']

/** `Server-Timing` of a compute reply, in milliseconds; `engine` is the compute entry's `desc`. */
export interface Timing {
  readonly queue?: number
  readonly compute?: number
  /** decoding the tensors and building the reply where the job ran, ms */
  readonly codec?: number
  /** the job's passage to its worker thread and back, ms (0 when it ran inline) */
  readonly hop?: number
  readonly total?: number
  readonly engine?: string
}

export interface HealthStatus {
  readonly status: string
}

/** `/readyz` answers 200 or 503 with the same body; neither is an error for the client. */
export interface ReadyStatus {
  readonly ready: boolean
  readonly status: string
  readonly queued?: number
  readonly running?: number
}

export interface RetryInfo {
  /** 1 for the first retry */
  readonly attempt: number
  /** the wait before this retry: Retry-After (or the default), capped by maxRetryDelayMs */
  readonly delayMs: number
  readonly error: ConvserveError
}

export interface ClientOptions {
  /** e.g. `http://localhost:3000`; a path prefix (`http://host/convserve`) is kept */
  readonly baseUrl: string | URL
  /** sent as `Authorization: Bearer <apiKey>` */
  readonly apiKey?: string
  /** per call, retry waits included; 0 = none. default 60 000 (twice the server's JOB_TIMEOUT_MS default, so its 504 arrives first) */
  readonly timeoutMs?: number
  /** how many times a 503 is retried after its Retry-After; default 2 */
  readonly retries?: number
  /** the longest wait before one retry, whatever Retry-After says; default 10 000 */
  readonly maxRetryDelayMs?: number
  /** keep-alive connections in the pool; default 4 */
  readonly connections?: number
  /** called before each retry; the retry waits for its promise as well as for the delay */
  readonly onRetry?: (info: RetryInfo) => void | Promise<void>
}

export interface CallOptions {
  readonly signal?: AbortSignal
  /** overrides the client's timeoutMs for this call */
  readonly timeoutMs?: number
}
