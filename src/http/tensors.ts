import { checkBase64Tensor, checkNumberTensor, decodeBase64Text, decodeDeferred, decodeTensor, isBase64Form, type WireForm } from '../codec/decode.js'
import type { TensorSource } from '../jobs/task.js'

export interface ReadTensor {
  readonly form: WireForm
  readonly source: TensorSource
}

/**
 * A request tensor for its job. With `defer`, a base64 text or an array of numbers that is still
 * the body's bytes (a large body, codec/large-body.ts) is only checked here — shape, dtype,
 * length — and decoded on the worker that runs the job; everything else is decoded now. Routes
 * defer unless this thread needs the values itself (explain, figures).
 */
export function readTensor(value: unknown, field: string, maxElements: number, defer: boolean): ReadTensor {
  if (defer && isBase64Form(value)) {
    const checked = checkBase64Tensor(value, field, maxElements)
    if (typeof checked.text !== 'string') return { form: 'base64', source: checked }
    return { form: 'base64', source: decodeBase64Text(checked) }
  }
  const numbers = defer ? checkNumberTensor(value, field, maxElements) : undefined
  if (numbers) return { form: numbers.form, source: numbers }
  const decoded = decodeTensor(value, field, maxElements)
  return { form: decoded.form, source: decoded.data }
}

/** The values of a tensor read without `defer` (or decoded now, if it was deferred). */
export function valuesOf(t: ReadTensor): Float32Array {
  return t.source instanceof Float32Array ? t.source : decodeDeferred(t.source)
}
