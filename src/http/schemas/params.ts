import { Type } from 'typebox'

/** Parameter forms shared by /conv2d, /pool and /shape (api-v1.md). */
export function IntPair(minimum: number, description: string) {
  return Type.Union(
    [Type.Integer({ minimum }), Type.Array(Type.Integer({ minimum }), { minItems: 2, maxItems: 2 })],
    { description },
  )
}

export const SidePadding = Type.Object(
  {
    top: Type.Integer({ minimum: 0 }),
    bottom: Type.Integer({ minimum: 0 }),
    left: Type.Integer({ minimum: 0 }),
    right: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
)

/** the padding forms every route takes; what they mean differs by op (the description says) */
const paddingUnion = (description: string) =>
  Type.Union(
    [
      Type.Integer({ minimum: 0 }),
      Type.Array(Type.Integer({ minimum: 0 }), { minItems: 2, maxItems: 2 }),
      SidePadding,
      Type.Literal('same'),
      Type.Literal('valid'),
    ],
    { description },
  )

export const Padding = paddingUnion(
  'int ≥ 0 (every side), [ph, pw] (each side), {top, bottom, left, right}, "valid" (0) or "same" ' +
    '(output ceil(in/stride), odd pixel at the bottom/right as ONNX SAME_UPPER)',
)

export const TransposedPadding = paddingUnion(
  'what is cropped from each side of the full result (in − 1)·s + d·(k − 1) + 1: int ≥ 0, [ph, pw], ' +
    '{top, bottom, left, right}, "valid" (0) or "same" (output in·stride, the odd row/column cropped at the bottom/right, as ONNX SAME_UPPER)',
)

export const PaddingMode = Type.Union(
  [Type.Literal('zeros'), Type.Literal('reflect'), Type.Literal('replicate'), Type.Literal('circular')],
  { description: 'as PyTorch Conv2d padding_mode', default: 'zeros' },
)

export const PoolMode = Type.Union([Type.Literal('max'), Type.Literal('avg'), Type.Literal('lp')], {
  description: 'max, average or power-average pooling',
  default: 'max',
})

/** The tensors of /conv2d and /conv-transpose2d; only the weight's layout differs. */
export function ConvTensors(weightLayout: string) {
  return {
    input: Type.Ref('Tensor', { description: '[H,W], [C,H,W] or [N,C,H,W]' }),
    weight: Type.Optional(Type.Ref('Tensor', { description: `${weightLayout}; alias \`kernel\`` })),
    kernel: Type.Optional(Type.Ref('Tensor', { description: 'alias of `weight` (the textbook\'s name)' })),
    bias: Type.Optional(Type.Ref('Tensor', { description: '[Cout]' })),
  }
}

export const Stride = IntPair(1, 'int ≥ 1 or [sh, sw]')
export const OutputPadding = IntPair(0, 'transposed convolution: rows/columns added at the bottom/right, int ≥ 0 or [oh, ow], each smaller than the stride or the dilation')
export const Dilation = IntPair(1, 'int ≥ 1 or [dh, dw]')
export const Explain = Type.Boolean({
  description: 'add the worked sum of every output element (outputs of at most 1,024 elements)',
  default: false,
})
