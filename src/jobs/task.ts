import { decodeDeferred, type DeferredTensor, type WireForm } from '../codec/decode.js'
import { base64JsonBody, base64JsonLength, encodeTensor, type NamedTensor } from '../codec/encode.js'
import type { ConvJob, ConvTransposeJob, EngineSetting, Job, JobResult, PoolJob } from '../engines/types.js'

/**
 * A job as the HTTP layer hands it over: each tensor decoded, or — for a large body's base64 or
 * arrays of numbers — still the request's bytes, checked but not yet read. Decoding and encoding
 * the megabytes then happen on the worker that runs the job, not on the main thread, which only
 * moves buffers: on S2 that took 4–6 ms of main-thread time and most of its garbage collection
 * (the decoded tensors, the reply's base64) off the thread every request shares.
 */
export type TensorSource = Float32Array | DeferredTensor

type Sourced<J> = { readonly [K in keyof J]: J[K] extends Float32Array ? TensorSource : J[K] extends Float32Array | undefined ? TensorSource | undefined : J[K] }

export type JobSpec = Sourced<ConvJob> | Sourced<ConvTransposeJob> | Sourced<PoolJob>

/**
 * Answer as a JSON body built where the job ran: the tensors' form, names and wire shapes. A
 * worker then does the encoding, which for the JSON number forms is the costliest part of a large
 * reply (each float32's shortest decimal: ~70 ms for S2's 200,704 outputs here), and the main
 * thread only sends bytes.
 */
export interface ReplySpec {
  readonly form: WireForm
  readonly tensors: readonly { readonly name: NamedTensor['name']; readonly shape: readonly number[] }[]
}

export interface WorkerTask {
  readonly job: JobSpec
  readonly engine: EngineSetting
  readonly reply?: ReplySpec
  /** where to write the reply body (jobs/reply-buffers.ts); the body is then a view of it */
  readonly replyInto?: SharedArrayBuffer
}

/**
 * What a run gives back: the tensors, or the reply body already built. A worker adds `workerMs`,
 * its own time from taking the task to handing back the result, so that the scheduler can tell
 * the hand-off between threads apart from the work (Server-Timing `hop`).
 */
export type TaskResult = (
  | (JobResult & { readonly codecMs: number })
  | {
      readonly body: Uint8Array
      readonly engine: JobResult['engine']
      readonly computeMs: number
      readonly codecMs: number
      readonly prepacked?: boolean
    }
) & { readonly workerMs?: number }

/** The client-facing error a worker found in the request's bytes (e.g. a bad base64 character). */
export interface TaskRefusal {
  readonly refused: { readonly code: string; readonly message: string }
}

const tensor = (source: TensorSource): Float32Array => (source instanceof Float32Array ? source : decodeDeferred(source))

/** Decodes whatever is still bytes (input first, so its errors come first, as on the main thread). */
export function resolveJob(spec: JobSpec): Job {
  if (spec.op === 'pool') return { op: 'pool', geometry: spec.geometry, input: tensor(spec.input) }
  const input = tensor(spec.input)
  const weight = tensor(spec.weight)
  const tensors = spec.bias === undefined ? { input, weight } : { input, weight, bias: tensor(spec.bias) }
  // one op or the other: spelled twice only so that each keeps its own geometry type
  return spec.op === 'conv2d' ? { op: spec.op, geometry: spec.geometry, ...tensors } : { op: spec.op, geometry: spec.geometry, ...tensors }
}

/**
 * Builds the reply body a ReplySpec asks for from a run's tensors: base64 into `into` when it
 * fits; the JSON number forms as the text `JSON.stringify` gives for `{output, indices?}`, in a
 * buffer of their own (a Buffer from Node's shared pool must never be transferred).
 */
export function replyBody(spec: ReplySpec, result: JobResult, into?: Uint8Array): Uint8Array {
  const tensors = spec.tensors.map(({ name, shape }) => {
    const data = name === 'indices' ? result.indices : result.output
    if (!data) throw new Error(`the job returned no ${name}`)
    return { name, shape, data }
  })
  if (spec.form === 'base64') return base64JsonBody(tensors, into)
  const reply: Record<string, unknown> = {}
  for (const t of tensors) reply[t.name] = encodeTensor(t.data, t.shape, spec.form)
  return new TextEncoder().encode(JSON.stringify(reply))
}

/** A run's result as a reply body: what the worker sends back, and what an inline run gives */
export function bodyResult(body: Uint8Array, result: JobResult, codecMs: number): TaskResult {
  // written out, not spread (engines/result.ts)
  return result.prepacked
    ? { body, engine: result.engine, computeMs: result.computeMs, codecMs, prepacked: true }
    : { body, engine: result.engine, computeMs: result.computeMs, codecMs }
}

/** A base64 reply body's exact length, from the spec alone (indices are int32, outputs float32); a JSON number form's is known only once written. */
export function replyLength(spec: ReplySpec): number | undefined {
  if (spec.form !== 'base64') return undefined
  return base64JsonLength(spec.tensors.map(({ name, shape }) => ({ name, shape, dtype: name === 'indices' ? 'int32' : 'float32' })))
}

/**
 * The buffers a task owns; they move to the worker (the request never reads them again). A
 * large body's bytes are the chunks it arrived in, each in its own buffer, and a chunk may hold
 * the end of one tensor's text and the start of the next: each buffer is listed once.
 */
export function taskBuffers(spec: JobSpec): ArrayBuffer[] {
  const sources: (TensorSource | undefined)[] = spec.op === 'pool' ? [spec.input] : [spec.input, spec.weight, spec.bias]
  const list = new Set<ArrayBuffer>()
  for (const s of sources) {
    if (s === undefined) continue
    if (s instanceof Float32Array) list.add(s.buffer as ArrayBuffer)
    else if (typeof s.text !== 'string') for (const piece of s.text) list.add(piece.buffer as ArrayBuffer)
  }
  return [...list]
}
