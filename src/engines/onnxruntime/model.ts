import onnxProto from 'onnx-proto'

/**
 * Small builders over the onnx-proto messages: a graph of one or two nodes, typed inputs and
 * outputs whose dimensions are all symbolic, so one session serves every N/C/H/W (and, for Conv and
 * ConvTranspose, every kernel size: kernel_shape is left out and read from W).
 */
const { onnx } = onnxProto

export const FLOAT = onnx.TensorProto.DataType.FLOAT
export const INT64 = onnx.TensorProto.DataType.INT64

// ONNX opset 22 and IR version 10: the pair onnxruntime 1.30 accepts with wrap padding (Pad-19),
// dilated AveragePool (19) and LpPool with ceil_mode/dilations (18).
const OPSET = 22
const IR_VERSION = 10

export type Attr =
  | { readonly name: string; readonly ints: readonly number[] }
  | { readonly name: string; readonly int: number }
  | { readonly name: string; readonly str: string }

export interface NodeSpec {
  readonly opType: string
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
  readonly attrs?: readonly Attr[]
}

export interface ValueSpec {
  readonly name: string
  readonly elemType: number
  /** symbolic dimension names; distinct names keep the dims independent */
  readonly dims: readonly string[]
}

/** a constant tensor in the graph: a short int64 vector (Pad's pads) or a float32 tensor (a prepacked weight) */
export type InitializerSpec =
  | { readonly name: string; readonly int64s: readonly number[] }
  | { readonly name: string; readonly dims: readonly number[]; readonly floats: Float32Array }

export interface GraphSpec {
  readonly nodes: readonly NodeSpec[]
  readonly inputs: readonly ValueSpec[]
  readonly outputs: readonly ValueSpec[]
  readonly initializers?: readonly InitializerSpec[]
}

function attribute(a: Attr) {
  const T = onnx.AttributeProto.AttributeType
  if ('ints' in a) return onnx.AttributeProto.create({ name: a.name, type: T.INTS, ints: [...a.ints] })
  if ('int' in a) return onnx.AttributeProto.create({ name: a.name, type: T.INT, i: a.int })
  return onnx.AttributeProto.create({ name: a.name, type: T.STRING, s: new TextEncoder().encode(a.str) })
}

function valueInfo(v: ValueSpec) {
  return onnx.ValueInfoProto.create({
    name: v.name,
    type: { tensorType: { elemType: v.elemType, shape: { dim: v.dims.map((d) => ({ dimParam: d })) } } },
  })
}

function initializer(t: InitializerSpec) {
  if ('int64s' in t) return onnx.TensorProto.create({ name: t.name, dataType: INT64, dims: [t.int64s.length], int64Data: [...t.int64s] })
  // ONNX's raw_data is little-endian, the Float32Array's own layout on every platform onnxruntime-node
  // ships for (x64 and arm64)
  const rawData = new Uint8Array(t.floats.buffer, t.floats.byteOffset, t.floats.byteLength)
  return onnx.TensorProto.create({ name: t.name, dataType: FLOAT, dims: [...t.dims], rawData })
}

/** The serialized model, ready for `InferenceSession.create`. */
export function encodeModel(spec: GraphSpec): Uint8Array {
  const graph = onnx.GraphProto.create({
    name: 'convserve',
    node: spec.nodes.map((n) =>
      onnx.NodeProto.create({ opType: n.opType, input: [...n.inputs], output: [...n.outputs], attribute: (n.attrs ?? []).map(attribute) }),
    ),
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
    initializer: (spec.initializers ?? []).map(initializer),
  })
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'convserve',
    opsetImport: [{ domain: '', version: OPSET }],
    graph,
  })
  return onnx.ModelProto.encode(model).finish()
}
