import type { ConvGeometry, ConvTransposeGeometry, PoolGeometry } from '../core/geometry-types.js'

/**
 * One unit of work as it crosses into a worker: the resolved geometry (a plain, cloneable record)
 * and the tensors as Float32Arrays whose buffers are transferred, never copied.
 */
export type Job = ConvJob | ConvTransposeJob | PoolJob

export interface ConvJob {
  readonly op: 'conv2d'
  readonly geometry: ConvGeometry
  readonly input: Float32Array
  readonly weight: Float32Array
  readonly bias?: Float32Array
}

/** a transposed convolution: the weight is `[Cin, Cout/groups, kh, kw]` */
export interface ConvTransposeJob {
  readonly op: 'convTranspose2d'
  readonly geometry: ConvTransposeGeometry
  readonly input: Float32Array
  readonly weight: Float32Array
  readonly bias?: Float32Array
}

export interface PoolJob {
  readonly op: 'pool'
  readonly geometry: PoolGeometry
  readonly input: Float32Array
}

export type EngineName = 'reference' | 'onnxruntime'

export interface JobResult {
  readonly output: Float32Array
  /** max pooling with returnIndices: flat h·W+w per plane */
  readonly indices?: Int32Array
  readonly engine: EngineName
  /** the engine's own run time, milliseconds */
  readonly computeMs: number
  /** a conv that ran on a session holding its weight as a constant (onnxruntime/prepacked.ts) */
  readonly prepacked?: boolean
}

/** `auto`: tiny jobs inline in the core, the rest onnxruntime; `onnxruntime`: every job it computes exactly; `reference`: core only */
export type EngineSetting = 'auto' | 'onnxruntime' | 'reference'

export interface EngineOutput {
  readonly output: Float32Array
  readonly indices?: Int32Array
  readonly prepacked?: boolean
}

export interface Engine {
  readonly name: EngineName
  /** true when this engine computes the job exactly as the reference does */
  supports(job: Job): boolean
  /** the core answers synchronously; onnxruntime's session.run is a promise */
  run(job: Job): EngineOutput | Promise<EngineOutput>
}

/**
 * Thrown by an engine that finds, after running, that its answer would differ from the
 * reference (e.g. a NaN that onnxruntime's MaxPool skipped): the dispatcher reruns the job in the
 * core without treating it as a failure.
 */
export class EngineDeclined extends Error {
  override readonly name = 'EngineDeclined'
}
