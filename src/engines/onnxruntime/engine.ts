import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node'
import type { Shape4 } from '../../core/tensor.js'
import { EngineDeclined, type ConvJob, type ConvTransposeJob, type Engine, type EngineOutput, type Job, type PoolJob } from '../types.js'
import { loadOrt, type Ort } from './ort.js'
import { convWeight, planFor, type Plan } from './plan.js'
import { DEFAULT_PREPACK_BYTES, PrepackedWeights } from './prepacked.js'
import { withSession } from './sessions.js'
import { ortSupports } from './supports.js'

/**
 * onnxruntime (MLAS kernels) behind the Engine interface. It only ever sees jobs `supports`
 * accepted; anything it throws is caught by the dispatcher, which reruns the job in the core.
 */
export const onnxruntimeEngine: Engine = {
  name: 'onnxruntime',
  supports: ortSupports,
  run: runOrt,
}

/** this worker's prepacked weights (prepacked.ts); the worker sets the budget at start */
let prepacked = new PrepackedWeights(DEFAULT_PREPACK_BYTES)

export function setPrepackBudget(bytes: number): void {
  prepacked.clear()
  prepacked = new PrepackedWeights(bytes)
}

/** for tests */
export function prepackedWeights(): PrepackedWeights {
  return prepacked
}

async function runOrt(job: Job): Promise<EngineOutput> {
  const ort = await loadOrt()
  // prepacking is for conv2d only: a transposed conv's weight is always an input (plan.ts)
  const packed = job.op === 'conv2d' ? prepacked.sessionFor(job) : undefined
  const feeds = job.op === 'pool' ? { X: tensor(ort, job.input, job.geometry.inputShape) } : convFeeds(ort, job, !packed)
  const run = (s: InferenceSession) => s.run(feeds)
  // a prepacked conv runs on its own session: the attribute plan (key and graph) is built only without one
  let plan: Plan | undefined
  const results = packed ? await prepacked.use(packed, run) : await withSession((plan = planFor(job)), run)
  const y = results['Y']!
  if (plan?.extend && job.op === 'convTranspose2d') return { output: extended(y, plan.extend, job) }
  const expected = job.geometry.outputShape
  // ORT sizes its own output; a disagreement with the core's geometry (a ceil-mode rule, say) is
  // an error to fall back on, never a result to send
  if (!sameShape(y.dims, expected)) {
    throw new Error(`onnxruntime output shape [${y.dims.join(',')}] differs from [${expected.join(',')}]`)
  }
  if (plan?.withInputSum && !Number.isFinite((results['S']!.data as Float32Array)[0])) {
    throw new EngineDeclined('max-pool input holds NaN or −Infinity (or sums past float32)')
  }
  const output = y.data as Float32Array
  if (packed) return { output, prepacked: true }
  if (!plan?.withIndices) return { output }
  return { output, indices: planeIndices(results['I']!, job as PoolJob) }
}

/**
 * A transposed conv's output with its last `extend` rows and columns appended, bias only (or 0):
 * they lie past the full result, where no input lands (plan.ts, convTransposeAttrs).
 */
function extended(y: OrtTensor, [extendH, extendW]: readonly [number, number], job: ConvTransposeJob): Float32Array {
  const [n, c, outH, outW] = job.geometry.outputShape
  const [h, w] = [outH - extendH, outW - extendW]
  if (!sameShape(y.dims, [n, c, h, w])) {
    throw new Error(`onnxruntime output shape [${y.dims.join(',')}] differs from [${[n, c, h, w].join(',')}]`)
  }
  const data = y.data as Float32Array
  const out = new Float32Array(n * c * outH * outW)
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * outH * outW
    out.fill(job.bias?.[plane % c] ?? 0, base, base + outH * outW)
    for (let row = 0; row < h; row++) out.set(data.subarray((plane * h + row) * w, (plane * h + row + 1) * w), base + row * outW)
  }
  return out
}

function tensor(ort: Ort, data: Float32Array, shape: readonly number[]): OrtTensor {
  return new ort.Tensor('float32', data, shape)
}

/**
 * X and B, and Wt unless the session holds the weight as a constant. Conv and ConvTranspose feed
 * alike: each geometry's weightShape is its ONNX operator's W layout, and B has one value per
 * output channel.
 */
function convFeeds(ort: Ort, job: ConvJob | ConvTransposeJob, withWeight: boolean): Record<string, OrtTensor> {
  const g = job.geometry
  const feeds: Record<string, OrtTensor> = { X: tensor(ort, job.input, g.inputShape) }
  if (withWeight) feeds['Wt'] = tensor(ort, weightAsRead(job), g.weightShape)
  if (g.hasBias && job.bias) feeds['B'] = tensor(ort, job.bias, [g.outChannels])
  return feeds
}

/** what the operator reads as W: a conv's weight may be flipped (convWeight); a transposed conv's goes in as sent */
function weightAsRead(job: ConvJob | ConvTransposeJob): Float32Array {
  return job.op === 'conv2d' ? convWeight(job.geometry, job.weight) : job.weight
}

/**
 * ORT's MaxPool Indices are int64 offsets into the whole NCHW tensor; PyTorch's (and the
 * contract's) are h·W + w within the plane. Offsets stay below 2^31 (the element limit is 2^24),
 * so the low 32-bit word of each little-endian int64 is the value.
 */
function planeIndices(indices: OrtTensor, job: PoolJob): Int32Array {
  const wide = indices.data as BigInt64Array
  const words = new Int32Array(wide.buffer, wide.byteOffset, wide.length * 2)
  const plane = job.geometry.inH * job.geometry.inW
  const out = new Int32Array(wide.length)
  for (let i = 0; i < out.length; i++) out[i] = words[2 * i]! % plane
  return out
}

function sameShape(dims: readonly number[], expected: Shape4): boolean {
  return dims.length === 4 && dims.every((d, i) => d === expected[i])
}
