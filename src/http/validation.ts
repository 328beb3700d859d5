import { ApiError } from '../errors.js'
import { decodeTensor } from '../codec/decode.js'

/** The subset of an Ajv error Fastify hands over (`verbose: true` adds data and parentSchema). */
interface AjvError {
  keyword: string
  instancePath: string
  message?: string
  params: Record<string, unknown>
  data?: unknown
  parentSchema?: { description?: string }
}

const TENSOR_FIELDS = new Set(['input', 'weight', 'kernel', 'bias'])

/** `/stride/0` → `stride[0]`; `` → `body`. */
function fieldName(instancePath: string): string {
  if (!instancePath) return 'body'
  return instancePath
    .slice(1)
    .split('/')
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('')
}

function shown(value: unknown): string {
  const text = JSON.stringify(value)
  if (text === undefined) return String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/**
 * Ajv's errors → one coded error whose message names the field. Unions (tensors, padding,
 * stride) fail in every branch at once; for them the field's own description says what is
 * accepted, and a tensor is re-checked by the codec, which names the exact element at fault.
 */
export function validationError(errors: readonly AjvError[], context: string, body: unknown): ApiError {
  const extra = errors.find((e) => e.keyword === 'additionalProperties')
  if (extra) {
    const where = extra.instancePath ? ` in ${fieldName(extra.instancePath)}` : ''
    return new ApiError('UNKNOWN_FIELD', `unknown field "${String(extra.params.additionalProperty)}"${where}`)
  }
  const first = errors[0]
  if (!first) return new ApiError('INVALID_BODY', `${context} is not valid`)
  if (first.keyword === 'required') {
    const where = first.instancePath ? `${fieldName(first.instancePath)}.` : ''
    return new ApiError('MISSING_FIELD', `${where}${String(first.params.missingProperty)} is required`)
  }
  if (first.instancePath === '' && first.keyword === 'type') {
    return new ApiError('INVALID_BODY', `the ${context} must be a JSON object`)
  }
  // The outermost failing field: tensors are explained by the codec.
  const top = first.instancePath.split('/')[1] ?? ''
  if (TENSOR_FIELDS.has(top) && body && typeof body === 'object') {
    const value = (body as Record<string, unknown>)[top]
    try {
      decodeTensor(value, top, Number.POSITIVE_INFINITY)
    } catch (error) {
      if (error instanceof ApiError) return error
    }
    return new ApiError('INVALID_TENSOR', `${top} must be nested arrays of numbers (rank 1–4), {shape, data} or {shape, dtype, base64}`)
  }
  const union = errors.find((e) => e.keyword === 'anyOf')
  if (union) {
    const field = fieldName(union.instancePath)
    const expected = union.parentSchema?.description ?? 'one of the documented forms'
    return new ApiError('INVALID_BODY', `${field} must be ${expected}; got ${shown(union.data)}`)
  }
  const field = fieldName(first.instancePath)
  return new ApiError('INVALID_BODY', `${field} ${first.message ?? 'is not valid'}; got ${shown(first.data)}`)
}
