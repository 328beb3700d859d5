import { Type } from 'typebox'
import { conv2dExamples, exampleValues } from './examples.js'
import { ConvTensors, Dilation, Explain, Padding, PaddingMode, Stride } from './params.js'
import { OutputFormat } from './tensor.js'

export const Conv2dRequest = Type.Object(
  {
    ...ConvTensors('[kh,kw], [Cin,kh,kw] or [Cout,Cin/groups,kh,kw]'),
    stride: Type.Optional(Stride),
    padding: Type.Optional(Padding),
    paddingMode: Type.Optional(PaddingMode),
    dilation: Type.Optional(Dilation),
    groups: Type.Optional(Type.Integer({ minimum: 1, description: 'must divide Cin and Cout; groups = Cin is depthwise' })),
    flipKernel: Type.Optional(
      Type.Boolean({
        description: 'false: cross-correlation (what deep-learning libraries call convolution); true: mathematical convolution (kernel rotated 180°)',
        default: false,
      }),
    ),
    outputFormat: Type.Optional(OutputFormat),
    explain: Type.Optional(Explain),
  },
  {
    $id: 'Conv2dRequest',
    title: 'Conv2dRequest',
    description: '2-D convolution (cross-correlation by default), PyTorch `torch.nn.functional.conv2d` semantics',
    additionalProperties: false,
    examples: exampleValues(conv2dExamples),
  },
)

export const Conv2dResponse = Type.Object(
  {
    output: Type.Ref('Tensor', { description: '[N?, Cout?, Hout, Wout] by the rank rules' }),
    explain: Type.Optional(Type.Array(Type.Ref('ExplainEntry'))),
  },
  { $id: 'Conv2dResponse', title: 'Conv2dResponse', additionalProperties: false },
)
