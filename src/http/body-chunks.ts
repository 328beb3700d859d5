import type { Readable } from 'node:stream'
import { errorCodes } from 'fastify'

/**
 * A request body read as the chunks it arrived in, with the checks Fastify's own body reader
 * makes (its errors, so that errors.ts maps them as before): a declared or received length over
 * the limit is 413, a body shorter or longer than its Content-Length is 400, a stream error
 * (the client went away) is passed on. Fastify's reader joins the chunks into one buffer; a
 * large body is cut into its long strings instead (codec/large-body.ts), which keeps them as
 * views of the chunks, so the join would be a megabyte copied for nothing.
 */
export function readBodyChunks(
  headers: { readonly 'content-length'?: string | undefined },
  payload: Readable & { readonly receivedEncodedLength?: number },
  limit: number,
  done: (error: Error | null, chunks: Buffer[], length: number) => void,
): void {
  const declared = Number(headers['content-length'])
  if (declared > limit) {
    done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), [], 0)
    return
  }
  const chunks: Buffer[] = []
  let received = 0
  const onData = (chunk: Buffer | string) => {
    // a stream in front of this one (a preParsing hook) may emit strings
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    received += bytes.length
    if (received > limit || (payload.receivedEncodedLength ?? 0) > limit) {
      stop()
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), [], 0)
      return
    }
    chunks.push(bytes)
  }
  const onEnd = (error?: Error & { statusCode?: number }) => {
    stop()
    if (error != null) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400
      done(error, [], 0)
      return
    }
    if (!Number.isNaN(declared) && (payload.receivedEncodedLength || received) !== declared) {
      done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), [], 0)
      return
    }
    done(null, chunks, received)
  }
  function stop() {
    payload.removeListener('data', onData)
    payload.removeListener('end', onEnd)
    payload.removeListener('error', onEnd)
  }
  payload.on('data', onData)
  payload.on('end', onEnd)
  payload.on('error', onEnd)
  payload.resume()
}
