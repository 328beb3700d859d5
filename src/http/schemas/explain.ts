import { Type } from 'typebox'

export const ExplainEntry = Type.Object(
  {
    index: Type.Array(Type.Integer({ minimum: 0 }), { description: "the element's index in the output's rank" }),
    window: Type.Object(
      {
        rows: Type.Array(Type.Integer(), {
          minItems: 2,
          maxItems: 2,
          description:
            'first and last input row (padding rows lie outside the input); for a transposed convolution, the input rows whose ' +
            'scattered kernel covers this element, inside the input, `[r, r − 1]` when none does',
        }),
        cols: Type.Array(Type.Integer(), { minItems: 2, maxItems: 2, description: 'first and last input column, as for rows' }),
      },
      { additionalProperties: false },
    ),
    terms: Type.String({
      description:
        'the sum as the textbook writes it, e.g. `0×0 + 1×1 + 3×2 + 4×3`; for a transposed convolution the products of the ' +
        'input elements whose kernel lands on this element (`0` when none does)',
    }),
    value: Type.Union([Type.Number(), Type.Null()]),
    text: Type.String({ description: 'the whole line, e.g. `0×0 + 1×1 + 3×2 + 4×3 = 19`' }),
  },
  { $id: 'ExplainEntry', title: 'ExplainEntry', additionalProperties: false },
)
