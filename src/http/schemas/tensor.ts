import { Type } from 'typebox'

/**
 * The three wire forms of a tensor (api-v1.md, "Tensors on the wire"). The schemas check the
 * structure; the codec checks what JSON Schema cannot say well (raggedness with the path of the
 * first bad element, data length = shape product, base64 byte length, float32 range).
 */
const Shape = Type.Array(Type.Integer({ minimum: 0 }), {
  minItems: 1,
  maxItems: 4,
  description: 'dimensions, row-major (C order), NCHW; rank 1–4',
})

// Rank 1–4 nested arrays: four levels of nesting at most, so validation never recurses deeper.
const Row = Type.Array(Type.Number())
const Rows2 = Type.Array(Type.Union([Type.Number(), Row]))
const Rows3 = Type.Array(Type.Union([Type.Number(), Type.Array(Type.Union([Type.Number(), Row]))]))

export const NestedTensor = Type.Array(Type.Union([Type.Number(), Row, Rows2, Rows3]), {
  $id: 'NestedTensor',
  title: 'NestedTensor',
  description:
    'Nested arrays of numbers, rank 1–4, shape inferred (`[[0,1,2],[3,4,5],[6,7,8]]`). Ragged arrays are a 400. ' +
    'In responses a NaN or ±Infinity result is `null`.',
  minItems: 1,
})

export const FlatTensor = Type.Object(
  {
    shape: Shape,
    data: Type.Array(Type.Union([Type.Number(), Type.Null()]), {
      description: 'row-major values; length = product of shape. `null` appears only in responses (NaN/±Infinity)',
    }),
  },
  {
    $id: 'FlatTensor',
    title: 'FlatTensor',
    description: 'Shape plus row-major data: `{"shape":[1,1,3,3],"data":[0,1,2,3,4,5,6,7,8]}`',
    additionalProperties: false,
  },
)

export const Base64Tensor = Type.Object(
  {
    shape: Shape,
    dtype: Type.Optional(
      Type.Union([Type.Literal('float32'), Type.Literal('int32')], {
        description: '`float32` (default); responses use `int32` for max-pool indices',
      }),
    ),
    base64: Type.String({
      description: 'little-endian bytes, standard base64; byte length = 4 × elements',
      contentEncoding: 'base64',
    }),
  },
  {
    $id: 'Base64Tensor',
    title: 'Base64Tensor',
    description: 'Shape plus little-endian float32 bytes in base64 — the fast form for large tensors',
    additionalProperties: false,
  },
)

export const Tensor = Type.Union([Type.Ref('NestedTensor'), Type.Ref('FlatTensor'), Type.Ref('Base64Tensor')], {
  $id: 'Tensor',
  title: 'Tensor',
  description: 'A tensor in one of three wire forms: nested arrays, flat `{shape,data}` or base64 `{shape,dtype,base64}`',
})

export const OutputFormat = Type.Union([Type.Literal('nested'), Type.Literal('flat'), Type.Literal('base64')], {
  description: 'wire form of the response tensors; default: the form of `input`',
})
