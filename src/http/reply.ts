import type { FastifyReply } from 'fastify'
import { base64JsonBody, type NamedTensor } from '../codec/encode.js'

export type ReplyTensor = NamedTensor

/** A base64 reply (codec/encode.ts base64JsonBody) built here, for jobs answered on this thread. */
export function sendBase64Json(reply: FastifyReply, tensors: readonly ReplyTensor[]): Buffer {
  return sendJsonBytes(reply, base64JsonBody(tensors))
}

/** A JSON reply already in bytes (built by a worker): sent as is, no serializer. */
export function sendJsonBytes(reply: FastifyReply, body: Uint8Array): Buffer {
  void reply.type('application/json; charset=utf-8')
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
}
