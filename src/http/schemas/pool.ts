import { Type } from 'typebox'
import { exampleValues, poolExamples } from './examples.js'
import { Dilation, Explain, IntPair, Padding, PoolMode, Stride } from './params.js'
import { OutputFormat } from './tensor.js'

export const PoolRequest = Type.Object(
  {
    input: Type.Ref('Tensor', { description: '[H,W], [C,H,W] or [N,C,H,W]; the output keeps this rank' }),
    mode: Type.Optional(PoolMode),
    kernelSize: Type.Optional(IntPair(1, 'int ≥ 1 or [kh, kw]; required unless `global` or `outputSize`')),
    stride: Type.Optional(Type.Union(Stride.anyOf, { description: 'int ≥ 1 or [sh, sw]; default kernelSize' })),
    padding: Type.Optional(Padding),
    dilation: Type.Optional(Dilation),
    ceilMode: Type.Optional(Type.Boolean({ description: 'ceil instead of floor in the output size (PyTorch rule for the last window)', default: false })),
    countIncludePad: Type.Optional(Type.Boolean({ description: 'avg only: count padding cells in the divisor (PyTorch default true; ONNX default false)', default: true })),
    divisorOverride: Type.Optional(Type.Integer({ minimum: 1, description: 'avg only: divide every window sum by this' })),
    p: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'lp only: (Σ|x|^p)^(1/p)', default: 2 })),
    global: Type.Optional(Type.Boolean({ description: 'window = the whole plane, output 1×1', default: false })),
    outputSize: Type.Optional(IntPair(1, 'adaptive pooling to [oh, ow] (PyTorch adaptive_{max,avg}_pool2d bins)')),
    returnIndices: Type.Optional(Type.Boolean({ description: 'max only: flat index h·W + w into the input plane', default: false })),
    outputFormat: Type.Optional(OutputFormat),
    explain: Type.Optional(Explain),
  },
  {
    $id: 'PoolRequest',
    title: 'PoolRequest',
    description: '2-D pooling: max, average, power-average (lp), global and adaptive',
    additionalProperties: false,
    examples: exampleValues(poolExamples),
  },
)

export const PoolResponse = Type.Object(
  {
    output: Type.Ref('Tensor'),
    indices: Type.Optional(Type.Ref('Tensor', { description: 'with returnIndices: same shape and form as output; int32 in base64' })),
    explain: Type.Optional(Type.Array(Type.Ref('ExplainEntry'))),
  },
  { $id: 'PoolResponse', title: 'PoolResponse', additionalProperties: false },
)
