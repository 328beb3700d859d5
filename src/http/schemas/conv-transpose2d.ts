import { Type } from 'typebox'
import { convTranspose2dExamples, exampleValues } from './examples.js'
import { ConvTensors, Dilation, Explain, OutputPadding, Stride, TransposedPadding } from './params.js'
import { OutputFormat } from './tensor.js'

export const ConvTranspose2dRequest = Type.Object(
  {
    ...ConvTensors("[kh,kw], [Cin,kh,kw] (one output channel) or [Cin,Cout/groups,kh,kw] (PyTorch's and ONNX's layout)"),
    stride: Type.Optional(Stride),
    padding: Type.Optional(TransposedPadding),
    outputPadding: Type.Optional(OutputPadding),
    dilation: Type.Optional(Dilation),
    groups: Type.Optional(Type.Integer({ minimum: 1, description: 'must divide Cin; Cout = weight\'s Cout/groups × groups' })),
    paddingMode: Type.Optional(Type.Literal('zeros', { description: 'only "zeros", as PyTorch\'s ConvTranspose2d' })),
    outputFormat: Type.Optional(OutputFormat),
    explain: Type.Optional(Explain),
  },
  {
    $id: 'ConvTranspose2dRequest',
    title: 'ConvTranspose2dRequest',
    description: '2-D transposed convolution, PyTorch `torch.nn.functional.conv_transpose2d` semantics (ONNX ConvTranspose)',
    additionalProperties: false,
    examples: exampleValues(convTranspose2dExamples),
  },
)

export const ConvTranspose2dResponse = Type.Object(
  {
    output: Type.Ref('Tensor', { description: '[N?, Cout?, Hout, Wout] by the rank rules' }),
    explain: Type.Optional(Type.Array(Type.Ref('ExplainEntry'))),
  },
  { $id: 'ConvTranspose2dResponse', title: 'ConvTranspose2dResponse', additionalProperties: false },
)
