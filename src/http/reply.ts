import type { FastifyReply } from 'fastify'
import { base64EncodedLength, encodeBase64Bytes } from '../codec/base64-bytes.js'
import { BIG_ENDIAN, swapBytes } from '../codec/decode.js'


export interface ReplyTensor {
  readonly name: 'output' | 'indices'
  readonly data: Float32Array | Int32Array
  readonly shape: readonly number[]
}

/**
 * A base64 reply written straight into bytes: the same JSON text `JSON.stringify` would give for
 * `{output: {shape, dtype, base64}, indices?: …}` (a test holds them equal), without making the
 * base64 a string and the JSON a second one — ~8 ms of main-thread time on S2's reply here.
 */
export function sendBase64Json(reply: FastifyReply, tensors: readonly ReplyTensor[]): Buffer {
  const heads = tensors.map(
    (t, i) =>
      `${i === 0 ? '{' : ','}"${t.name}":{"shape":[${t.shape.join(',')}],"dtype":"${t.data instanceof Int32Array ? 'int32' : 'float32'}","base64":"`,
  )
  const length = tensors.reduce((n, t, i) => n + heads[i]!.length + base64EncodedLength(t.data.byteLength) + 2, 1)
  const out = Buffer.allocUnsafe(length)
  let at = 0
  tensors.forEach((t, i) => {
    at += out.write(heads[i]!, at, 'latin1')
    let view = t.data
    if (BIG_ENDIAN) {
      view = t.data.slice()
      swapBytes(view)
    }
    at = encodeBase64Bytes(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), out, at)
    at += out.write('"}', at, 'latin1')
  })
  out.write('}', at, 'latin1')
  void reply.type('application/json; charset=utf-8')
  return out
}
