import compress from '@fastify/compress'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError } from '../../errors.js'

/**
 * Request bodies sent with `Content-Encoding: gzip`, `deflate` or `br` are decompressed (by
 * @fastify/compress, on libuv's threads) before the JSON parser reads them; BODY_LIMIT applies
 * to the decompressed bytes, and the decompression stops at the limit (http/body-chunks.ts), so
 * a small bomb costs no more than an honest body of the limit's size. Another coding is a coded
 * 415 naming the codings taken, a body that does not decompress a coded 400; both used to reach
 * the JSON parser as bytes and come back as INVALID_JSON quoting binary.
 *
 * Replies are not compressed: base64 float32 hardly compresses, and in front of several replicas
 * the proxy is the place for it (deploy/).
 */
export const REQUEST_ENCODINGS = ['gzip', 'deflate', 'br'] as const

/**
 * The Content-Encoding value as the plugin compares it (exactly, against lowercase names).
 * Content codings are case-insensitive and `x-gzip` is gzip (RFC 9110 §8.4.1), and a list
 * stating `identity` beside one coding names that coding alone; anything else is left for the
 * plugin's 415 to name as sent.
 */
export function normaliseContentEncoding(value: string): string {
  const codings = value.toLowerCase().split(',').map((c) => c.trim()).filter((c) => c !== '' && c !== 'identity')
  if (codings.length === 0) return 'identity'
  if (codings.length > 1) return value
  return codings[0] === 'x-gzip' ? 'gzip' : codings[0]!
}

async function requestEncodings(app: FastifyInstance) {
  // no route compresses its reply: without this the plugin would still add an onRequest hook to
  // every route (to give replies a compress method), a cost on the textbook's 20k requests/s
  app.addHook('onRoute', (route) => {
    route.compress ??= false
  })
  app.addHook('onRequest', (request, _reply, done) => {
    const encoding = request.headers['content-encoding']
    if (encoding !== undefined) request.headers['content-encoding'] = normaliseContentEncoding(encoding)
    done()
  })
  await app.register(compress, {
    globalCompression: false,
    globalDecompression: true,
    requestEncodings: [...REQUEST_ENCODINGS, 'identity'],
    onUnsupportedRequestEncoding: (encoding) =>
      new ApiError('UNSUPPORTED_ENCODING', `Content-Encoding "${encoding}" is not taken; send the body as is, or as ${REQUEST_ENCODINGS.join(', ')}`, {
        'accept-encoding': REQUEST_ENCODINGS.join(', '),
      }),
    onInvalidRequestPayload: (encoding, _request, error) => {
      const message = `the request body does not decompress as ${encoding} (Content-Encoding): ${error.message}`
      // the plugin copies the returned error's own enumerable fields (code, statusCode) onto zlib's
      // error and passes that on; an Error's message is not one of them
      error.message = message
      return new ApiError('INVALID_ENCODING', message)
    },
  })
}

export default fp(requestEncodings, { name: 'convserve-request-encodings' })
