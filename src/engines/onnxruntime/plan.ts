import type { ConvGeometry, ConvTransposeGeometry, PoolGeometry } from '../../core/geometry-types.js'
import type { Job } from '../types.js'
import { FLOAT, INT64, encodeModel, type Attr, type GraphSpec, type InitializerSpec, type NodeSpec } from './model.js'

/**
 * What to ask onnxruntime for a job: a cache key made of the op and its attributes only (never
 * N/C/H/W or, for Conv and ConvTranspose, the kernel size: every dim is symbolic) and the graph
 * that computes it.
 */
export interface Plan {
  readonly key: string
  readonly withIndices: boolean
  /** the graph also outputs `S` = the sum of the input, to detect NaN/−∞ after the run */
  readonly withInputSum: boolean
  /** rows and columns the engine appends at the bottom/right, bias only (a transposed conv's output padding past the full result) */
  readonly extend?: readonly [number, number]
  build(): Uint8Array
}

/**
 * ORT's MaxPool skips NaN (PyTorch propagates it) and starts from −FLT_MAX, so a window of −∞
 * gives −3.4e38. The input must be checked, and a JavaScript scan costs 0.8 ns per element here
 * (0.65 ms on 1×64×112×112, more than the pool itself: 0.27 ms); ORT's vectorised ReduceSum in
 * the same run costs a fraction of that. A NaN or −∞ anywhere makes the sum NaN or −∞; a sum that
 * overflows to ±∞ only sends a job to the core needlessly, never wrongly.
 */
const SUM: NodeSpec = { opType: 'ReduceSum', inputs: ['X'], outputs: ['S'], attrs: [{ name: 'keepdims', int: 0 }] }
const S = { name: 'S', elemType: FLOAT, dims: [] }

const X = { name: 'X', elemType: FLOAT, dims: ['N', 'C', 'H', 'W'] }
const Y = { name: 'Y', elemType: FLOAT, dims: ['N', 'M', 'OH', 'OW'] }

export function planFor(job: Job): Plan {
  if (job.op === 'conv2d') return convPlan(job.geometry)
  if (job.op === 'convTranspose2d') return convTransposePlan(job.geometry)
  return poolPlan(job.geometry)
}

/** A weight built into the graph as a constant (prepacked.ts): `weight` is what Conv reads, already flipped for a true convolution. */
export interface ConstantWeight {
  /** names this weight among those with the same attributes (prepacked.ts's fingerprint) */
  readonly id: string
  readonly weight: Float32Array
}

/** What Conv reads: the weight as sent, or for a true convolution (flipKernel) each kernel plane reversed */
export function convWeight(g: ConvGeometry, weight: Float32Array): Float32Array {
  if (!g.flipKernel) return weight
  const plane = g.kH * g.kW
  const out = new Float32Array(weight.length)
  for (let base = 0; base < weight.length; base += plane) {
    for (let i = 0; i < plane; i++) out[base + i] = weight[base + plane - 1 - i]!
  }
  return out
}

/** A Conv plan's cache key: the attributes, and a constant weight's id when the graph holds one */
export function convKey(g: ConvGeometry, constantId?: string): string {
  const attrs = `conv|g${g.groups}|s${g.strideH},${g.strideW}|d${g.dilationH},${g.dilationW}|p${g.padTop},${g.padLeft},${g.padBottom},${g.padRight}|${g.paddingMode}|b${g.hasBias ? 1 : 0}`
  return constantId === undefined ? attrs : `${attrs}|w${constantId}`
}

/**
 * The Conv plan. With a constant weight the graph's Wt is an initializer, not an input: the
 * session then takes X (and B) only, and onnxruntime packs the weight once, at creation.
 */
export function convPlan(g: ConvGeometry, constant?: ConstantWeight): Plan {
  const zeros = g.paddingMode === 'zeros'
  const pads = [g.padTop, g.padLeft, g.padBottom, g.padRight]
  const key = convKey(g, constant?.id)
  const build = (): Uint8Array => {
    const nodes: NodeSpec[] = []
    let convIn = 'X'
    if (!zeros) {
      // PyTorch's reflect/replicate/circular = ONNX Pad reflect/edge/wrap, then an unpadded Conv
      const mode = g.paddingMode === 'reflect' ? 'reflect' : g.paddingMode === 'replicate' ? 'edge' : 'wrap'
      nodes.push({ opType: 'Pad', inputs: ['X', 'pads'], outputs: ['XP'], attrs: [{ name: 'mode', str: mode }] })
      convIn = 'XP'
    }
    const attrs: Attr[] = [
      { name: 'group', int: g.groups },
      { name: 'strides', ints: [g.strideH, g.strideW] },
      { name: 'dilations', ints: [g.dilationH, g.dilationW] },
      { name: 'pads', ints: zeros ? pads : [0, 0, 0, 0] },
    ]
    const inputs = [convIn, 'Wt', ...(g.hasBias ? ['B'] : [])]
    nodes.push({ opType: 'Conv', inputs, outputs: ['Y'], attrs })
    const initializers: InitializerSpec[] = []
    if (!zeros) initializers.push({ name: 'pads', int64s: [0, 0, g.padTop, g.padLeft, 0, 0, g.padBottom, g.padRight] })
    if (constant) initializers.push({ name: 'Wt', dims: g.weightShape, floats: constant.weight })
    const spec: GraphSpec = {
      nodes,
      inputs: [
        X,
        ...(constant ? [] : [{ name: 'Wt', elemType: FLOAT, dims: ['M', 'CG', 'KH', 'KW'] }]),
        ...(g.hasBias ? [{ name: 'B', elemType: FLOAT, dims: ['M'] }] : []),
      ],
      outputs: [Y],
      initializers,
    }
    return encodeModel(spec)
  }
  return { key, withIndices: false, withInputSum: false, build }
}

/**
 * A ConvTranspose plan's cache key: the attributes only. Its own prefix keeps it apart from every
 * Conv key (the two ops share group/strides/dilations/pads but read the weight differently).
 */
export function convTransposeKey(g: ConvTransposeGeometry): string {
  const { pads } = convTransposeAttrs(g)
  return `convT|g${g.groups}|s${g.strideH},${g.strideW}|d${g.dilationH},${g.dilationW}|p${pads.join(',')}|b${g.hasBias ? 1 : 0}`
}

/**
 * How a transposed conv's `outputPadding` reaches ConvTranspose. It first gives back rows and
 * columns the end padding cropped, which is the same output as cropping that much less at the
 * end: the graph's pads crop `pad − min(pad, outputPadding)`. What is left lies past the full
 * result, where nothing lands: bias only, which the engine appends (`extend`). The graph's
 * output_padding stays 0, since onnxruntime throws once it reaches the stride (PyTorch allows up
 * to the dilation).
 */
export function convTransposeAttrs(g: ConvTransposeGeometry): { pads: number[]; extend: [number, number] } {
  const backH = Math.min(g.padBottom, g.outputPaddingH)
  const backW = Math.min(g.padRight, g.outputPaddingW)
  return { pads: [g.padTop, g.padLeft, g.padBottom - backH, g.padRight - backW], extend: [g.outputPaddingH - backH, g.outputPaddingW - backW] }
}

/**
 * The ConvTranspose plan: ONNX's operator is PyTorch's with explicit pads (what is cropped from
 * each side of the full scatter) and output_padding (extra rows/columns at the bottom/right: here
 * a smaller end crop and rows the engine appends, convTransposeAttrs), and
 * the same weight layout [Cin, Cout/groups, kH, kW], so the weight goes in as sent. kernel_shape
 * is left out (ORT reads it from W), so one session serves every kernel size, as for Conv. The
 * weight is always an input: prepacked.ts holds Conv weights only.
 */
export function convTransposePlan(g: ConvTransposeGeometry): Plan {
  const { pads, extend } = convTransposeAttrs(g)
  const attrs: Attr[] = [
    { name: 'group', int: g.groups },
    { name: 'strides', ints: [g.strideH, g.strideW] },
    { name: 'dilations', ints: [g.dilationH, g.dilationW] },
    { name: 'pads', ints: pads },
  ]
  const bias = g.hasBias ? [{ name: 'B', elemType: FLOAT, dims: ['M'] }] : []
  const build = () =>
    encodeModel({
      nodes: [{ opType: 'ConvTranspose', inputs: ['X', 'Wt', ...bias.map((b) => b.name)], outputs: ['Y'], attrs }],
      // Wt's first dim is X's channel count; the output's M = Cout/groups × groups
      inputs: [X, { name: 'Wt', elemType: FLOAT, dims: ['C', 'MG', 'KH', 'KW'] }, ...bias],
      outputs: [Y],
    })
  const plan = { key: convTransposeKey(g), withIndices: false, withInputSum: false, build }
  return extend[0] > 0 || extend[1] > 0 ? { ...plan, extend } : plan
}

/** kernel/stride/pads of a pool as ONNX sees it; adaptive bins that tile the plane evenly are a plain pool */
function poolWindow(g: PoolGeometry) {
  if (g.kind === 'adaptive') {
    const kH = g.inH / g.outH
    const kW = g.inW / g.outW
    return { kH, kW, sH: kH, sW: kW, pads: [0, 0, 0, 0], dH: 1, dW: 1, ceil: false }
  }
  return {
    kH: g.kH,
    kW: g.kW,
    sH: g.strideH,
    sW: g.strideW,
    pads: [g.padTop, g.padLeft, g.padBottom, g.padRight],
    dH: g.dilationH,
    dW: g.dilationW,
    ceil: g.ceilMode,
  }
}

function poolPlan(g: PoolGeometry): Plan {
  const withIndices = g.mode === 'max' && g.returnIndices
  if (g.kind === 'global') {
    const opType = g.mode === 'max' ? 'GlobalMaxPool' : g.mode === 'avg' ? 'GlobalAveragePool' : 'GlobalLpPool'
    const attrs: Attr[] = g.mode === 'lp' ? [{ name: 'p', int: g.p }] : []
    const key = `${opType}|p${g.mode === 'lp' ? g.p : ''}`
    const sum = g.mode === 'max'
    const build = () =>
      encodeModel({
        nodes: [{ opType, inputs: ['X'], outputs: ['Y'], attrs }, ...(sum ? [SUM] : [])],
        inputs: [X],
        outputs: sum ? [Y, S] : [Y],
      })
    return { key, withIndices: false, withInputSum: sum, build }
  }
  const w = poolWindow(g)
  const opType = g.mode === 'max' ? 'MaxPool' : g.mode === 'avg' ? 'AveragePool' : 'LpPool'
  const attrs: Attr[] = [
    { name: 'kernel_shape', ints: [w.kH, w.kW] },
    { name: 'strides', ints: [w.sH, w.sW] },
    { name: 'pads', ints: w.pads },
    { name: 'dilations', ints: [w.dH, w.dW] },
    { name: 'ceil_mode', int: w.ceil ? 1 : 0 },
  ]
  if (g.mode === 'avg') attrs.push({ name: 'count_include_pad', int: g.countIncludePad ? 1 : 0 })
  if (g.mode === 'lp') attrs.push({ name: 'p', int: g.p })
  const key = `${opType}|${attrs.map((a) => ('ints' in a ? a.ints.join(',') : 'int' in a ? a.int : a.str)).join('|')}|i${withIndices ? 1 : 0}`
  const outputs = withIndices ? [Y, { name: 'I', elemType: INT64, dims: ['N', 'M', 'OH', 'OW'] }] : [Y]
  const sum = g.mode === 'max'
  const build = () =>
    encodeModel({
      nodes: [{ opType, inputs: ['X'], outputs: outputs.map((o) => o.name), attrs }, ...(sum ? [SUM] : [])],
      inputs: [X],
      outputs: sum ? [...outputs, S] : outputs,
    })
  return { key, withIndices, withInputSum: sum, build }
}
