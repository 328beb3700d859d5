import { Type } from 'typebox'
import { exampleValues, shapeExamples } from './examples.js'
import { Dilation, IntPair, OutputPadding, Padding, PaddingMode, PoolMode, Stride } from './params.js'

const Dims = (description: string) =>
  Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, maxItems: 4, description })

/** Fields that only some ops take; the route rejects them for the others, naming the field. */
const POOL_ONLY = ['mode', 'kernelSize', 'ceilMode', 'countIncludePad', 'divisorOverride', 'p', 'global', 'outputSize', 'returnIndices'] as const
export const FOREIGN_FIELDS = {
  conv2d: [...POOL_ONLY, 'outputPadding'],
  convTranspose2d: [...POOL_ONLY, 'flipKernel'],
  pool: ['weightShape', 'biasShape', 'paddingMode', 'groups', 'flipKernel', 'outputPadding'],
} as const

export const ShapeRequest = Type.Object(
  {
    op: Type.Union([Type.Literal('conv2d'), Type.Literal('convTranspose2d'), Type.Literal('pool')], {
      description: '"conv2d", "convTranspose2d" (the /conv-transpose2d route) or "pool"',
    }),
    inputShape: Dims('[H,W], [C,H,W] or [N,C,H,W]'),
    weightShape: Type.Optional(Dims('conv2d: [kh,kw], [Cin,kh,kw] or [Cout,Cin/groups,kh,kw]; convTranspose2d: [kh,kw], [Cin,kh,kw] or [Cin,Cout/groups,kh,kw]')),
    biasShape: Type.Optional(Dims('conv2d, convTranspose2d: [Cout]; counts one add per output element')),
    stride: Type.Optional(Stride),
    padding: Type.Optional(Padding),
    outputPadding: Type.Optional(OutputPadding),
    paddingMode: Type.Optional(PaddingMode),
    dilation: Type.Optional(Dilation),
    groups: Type.Optional(Type.Integer({ minimum: 1 })),
    flipKernel: Type.Optional(Type.Boolean()),
    mode: Type.Optional(PoolMode),
    kernelSize: Type.Optional(IntPair(1, 'pool: int ≥ 1 or [kh, kw]')),
    ceilMode: Type.Optional(Type.Boolean()),
    countIncludePad: Type.Optional(Type.Boolean()),
    divisorOverride: Type.Optional(Type.Integer({ minimum: 1 })),
    p: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    global: Type.Optional(Type.Boolean()),
    outputSize: Type.Optional(IntPair(1, 'pool: adaptive output size')),
    returnIndices: Type.Optional(Type.Boolean()),
  },
  {
    $id: 'ShapeRequest',
    title: 'ShapeRequest',
    description: 'Shape arithmetic without data: the parameters of /conv2d, /conv-transpose2d or /pool with shapes instead of tensors',
    additionalProperties: false,
    examples: exampleValues(shapeExamples),
  },
)

export const ShapeResponse = Type.Object(
  {
    outputShape: Type.Array(Type.Integer({ minimum: 0 })),
    padding: Type.Object(
      {
        top: Type.Integer(),
        bottom: Type.Integer(),
        left: Type.Integer(),
        right: Type.Integer(),
      },
      { additionalProperties: false },
    ),
    flops: Type.Integer({
      minimum: 0,
      description: 'multiply-add = 2 for conv2d and convTranspose2d (those that land in the output; +1 per output for a bias); one per window element for pooling',
    }),
    formula: Type.Object(
      {
        h: Type.String({ description: 'e.g. ⌊(3 − 2 + 2 + 3) / 3⌋ = 2; for convTranspose2d (in − 1) × s + dilated kernel − cropped + outputPadding, e.g. (2 − 1) × 2 + 2 − 0 + 0 = 4' }),
        w: Type.String(),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'ShapeResponse', title: 'ShapeResponse', additionalProperties: false },
)
