import { resolveConv2d, resolveConvTranspose2d, resolvePool2d } from '../src/core/geometry.js'
import type { Conv2dParams, ConvTranspose2dParams, Pool2dParams } from '../src/core/params.js'
import { shapeSize } from '../src/core/tensor.js'
import type { Job } from '../src/engines/types.js'
import { seededFloats } from './bodies.js'

/**
 * Issue 4's cases, S1–S5 and P1–P2, and T1, a transposed conv measured beside them without a
 * target of its own: each a job and the same job as an HTTP request. Kept apart
 * from the engines and onnxruntime, so that a process measuring convserve's pool (scaling-child.ts)
 * loads on its main thread only what the server's main thread loads.
 */
export interface Scenario {
  readonly id: string
  readonly label: string
  readonly job: () => Job
  /** the same job as an HTTP request: route and the body's parameter fields (tensors added by bodies.ts) */
  readonly wire: { readonly path: '/conv2d' | '/conv-transpose2d' | '/pool'; readonly params: Conv2dParams | ConvTranspose2dParams | Pool2dParams }
}

type Case = Pick<Scenario, 'job' | 'wire'>

/** the same seeded tensors for either convolution: only the op, its geometry and its route differ */
function convTensors(input: number[], weight: number[]) {
  return { input: seededFloats(shapeSize(input), 1), weight: seededFloats(shapeSize(weight), 2) }
}

function conv(input: number[], weight: number[], params: Conv2dParams): Case {
  return {
    job: () => ({ op: 'conv2d', geometry: resolveConv2d(input, weight, undefined, params), ...convTensors(input, weight) }),
    wire: { path: '/conv2d', params },
  }
}

function convTranspose(input: number[], weight: number[], params: ConvTranspose2dParams): Case {
  return {
    job: () => ({ op: 'convTranspose2d', geometry: resolveConvTranspose2d(input, weight, undefined, params), ...convTensors(input, weight) }),
    wire: { path: '/conv-transpose2d', params },
  }
}

function pool(input: number[], params: Pool2dParams): Case {
  return {
    job: () => ({ op: 'pool', geometry: resolvePool2d(input, params), input: seededFloats(shapeSize(input), 3) }),
    wire: { path: '/pool', params },
  }
}

export const SCENARIOS: readonly Scenario[] = [
  { id: 'S1', label: 'conv 1×3×224×224→64 7×7 s2 p3', ...conv([1, 3, 224, 224], [64, 3, 7, 7], { stride: 2, padding: 3 }) },
  { id: 'S2', label: 'conv 1×64×56×56→64 3×3 p1', ...conv([1, 64, 56, 56], [64, 64, 3, 3], { padding: 1 }) },
  { id: 'S3', label: 'conv 1×256×56×56→64 1×1', ...conv([1, 256, 56, 56], [64, 256, 1, 1], {}) },
  { id: 'S4', label: 'conv 1×128×28×28 depthwise 3×3 p1', ...conv([1, 128, 28, 28], [128, 1, 3, 3], { padding: 1, groups: 128 }) },
  { id: 'S5', label: 'conv 8×1×28×28→6 5×5 p2', ...conv([8, 1, 28, 28], [6, 1, 5, 5], { padding: 2 }) },
  { id: 'P1', label: 'maxpool 2×2 s2 on 1×64×112×112', ...pool([1, 64, 112, 112], { mode: 'max', kernelSize: 2, stride: 2 }) },
  {
    id: 'P2',
    label: 'avgpool 3×3 s1 p1 (no pad count) 1×64×112×112',
    ...pool([1, 64, 112, 112], { mode: 'avg', kernelSize: 3, stride: 1, padding: 1, countIncludePad: false }),
  },
  // a decoder's upsampling step (DCGAN-like): 28×28 → 56×56
  { id: 'T1', label: 'conv-transpose 1×64×28×28→32 4×4 s2 p1', ...convTranspose([1, 64, 28, 28], [64, 32, 4, 4], { stride: 2, padding: 1 }) },
]

/** the ids issue 4 sets targets for (T1 is measured beside them, without one) */
export const TARGET_IDS: readonly string[] = ['S1', 'S2', 'S3', 'S4', 'S5', 'P1', 'P2']
