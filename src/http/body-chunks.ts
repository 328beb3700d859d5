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

/**
 * Chunks shorter than this are gathered into pieces of at least this size (one copy of their
 * bytes). Node's HTTP parser gives up to 64 kB per chunk, but a client that sends its body in
 * tiny TCP segments would otherwise leave a large body as thousands of pieces, each one cut,
 * moved to the worker and decoded on its own: a stall any client could cause. S2's body sent in
 * 100-byte writes (scratch/tiny-writes.mjs, Node 24, three requests each): 68–186 ms from its
 * last byte to the answer without this, Server-Timing hop 21–26 ms; 19–134 ms with it, hop
 * 0.8–11 ms (the first request of each also made its sessions).
 */
export const MIN_PIECE_BYTES = 16 * 1024

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
  let small: Buffer[] = []
  let smallBytes = 0
  const gatherSmall = () => {
    if (small.length === 1) chunks.push(small[0]!)
    else if (small.length > 1) chunks.push(Buffer.concat(small, smallBytes))
    small = []
    smallBytes = 0
  }
  const onData = (chunk: Buffer | string) => {
    // a stream in front of this one (a preParsing hook) may emit strings
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    received += bytes.length
    if (received > limit || (payload.receivedEncodedLength ?? 0) > limit) {
      stop()
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), [], 0)
      return
    }
    if (bytes.length >= MIN_PIECE_BYTES) {
      gatherSmall()
      chunks.push(bytes)
      return
    }
    small.push(bytes)
    smallBytes += bytes.length
    if (smallBytes >= MIN_PIECE_BYTES) gatherSmall()
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
    gatherSmall()
    done(null, chunks, received)
  }
  function stop() {
    payload.removeListener('data', onData)
    payload.removeListener('end', onEnd)
    payload.removeListener('error', onEnd)
    // a stream left flowing keeps producing: a decompressing one (plugins/request-encodings.ts)
    // would inflate a small bomb to the end for nothing. Paused, it stops and holds back its source
    payload.pause()
  }
  payload.on('data', onData)
  payload.on('end', onEnd)
  payload.on('error', onEnd)
  payload.resume()
}
