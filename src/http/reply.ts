import type { FastifyReply } from 'fastify'
import type { WireForm } from '../codec/decode.js'

/**
 * A base64 reply (shape, dtype, base64: all ASCII) goes out as bytes made with a latin1 copy of
 * the JSON text; as a string, the socket write would encode a megabyte of it as UTF-8 again on
 * the main thread. Other replies (numbers, explain text with × and ⌊) are sent as strings.
 */
export function sendJson(reply: FastifyReply, payload: object, form: WireForm, hasText: boolean): object | Buffer {
  if (form !== 'base64' || hasText) return payload
  void reply.type('application/json; charset=utf-8')
  return Buffer.from(JSON.stringify(payload), 'latin1')
}
