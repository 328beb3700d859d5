import type { FastifyReply } from 'fastify'
import { asBuffer } from '../codec/byte-pieces.js'

/**
 * A JSON reply already in bytes (built by a worker): sent as is. Fastify sends a Buffer as is only
 * when its memory is an ArrayBuffer; one that is a view of a shared reply buffer would be taken
 * for an object and serialized, so that reply's serializer passes it through instead.
 */
export function sendJsonBytes(reply: FastifyReply, body: Uint8Array): Buffer {
  void reply.type('application/json; charset=utf-8')
  const bytes = asBuffer(body)
  if (!(bytes.buffer instanceof ArrayBuffer)) void reply.serializer(passThrough)
  return bytes
}

const passThrough = (payload: unknown) => payload as string
