import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import sjson from 'secure-json-parse'
import { piecesToUtf8 } from '../../codec/byte-pieces.js'
import { cutDepth, restoreLargeValues, splitLargeValues } from '../../codec/large-body.js'
import { ApiError } from '../../errors.js'
import { readBodyChunks } from '../body-chunks.js'
import { MAX_JSON_DEPTH, nestsDeeperThan, type StandInDepth } from '../json-depth.js'

/**
 * JSON bodies parsed with prototype-poisoning protection (as Fastify's own parser does), but
 * with distinct, coded answers: malformed JSON says where it broke, a `__proto__` or
 * `constructor.prototype` key is refused by name instead of being merged into an object, and a
 * body nested deeper than any request can be is refused before JSON.parse spends seconds on it.
 * Bodies of `largeBodyBytes` or more keep their long base64 strings and arrays of numbers as bytes
 * (codec/large-body).
 */
export function parseJsonText(text: string, standInDepth?: StandInDepth): unknown {
  if (text.length === 0) throw new ApiError('INVALID_JSON', 'the request body is empty; send a JSON object')
  if (nestsDeeperThan(text, MAX_JSON_DEPTH, standInDepth)) {
    throw new ApiError('INVALID_BODY', `the body nests deeper than ${MAX_JSON_DEPTH} levels; tensors are rank 4 at most`)
  }
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (/forbidden prototype property/i.test(message)) {
      throw new ApiError('FORBIDDEN_PROPERTY', 'the body contains a "__proto__" or "constructor.prototype" key, which is refused')
    }
    throw new ApiError('INVALID_JSON', `the request body is not valid JSON: ${message}`)
  }
}

/** A body, as the chunks it arrived in (`length` bytes in all), → its value. */
export function parseJsonBody(body: readonly Buffer[], length: number, largeBodyBytes: number, longStringBytes?: number): unknown {
  const split = length >= largeBodyBytes ? splitLargeValues(body, longStringBytes) : undefined
  if (split) {
    let value: unknown
    try {
      value = parseJsonText(split.text, (text, from, to) => cutDepth(split, text, from, to))
    } catch {
      // the placeholders shift positions: report the error as the whole text would
      return parseJsonText(piecesToUtf8(body))
    }
    return restoreLargeValues(value, split)
  }
  return parseJsonText(piecesToUtf8(body))
}

async function jsonParser(app: FastifyInstance, opts: { bodyLimit: number; largeBodyBytes: number; longStringBytes?: number }) {
  // JSON only: Fastify's built-in text/plain parser would let a plain-text body reach validation
  app.removeAllContentTypeParsers()
  // the body's chunks, not Fastify's joined copy of them (http/body-chunks.ts)
  app.addContentTypeParser('application/json', (request: FastifyRequest, payload, done) => {
    readBodyChunks(request.headers, payload, opts.bodyLimit, (error, chunks, length) => {
      if (error) {
        done(error, undefined)
        return
      }
      try {
        done(null, parseJsonBody(chunks, length, opts.largeBodyBytes, opts.longStringBytes))
      } catch (parseError) {
        done(parseError as Error, undefined)
      }
    })
  })
}

export default fp(jsonParser, { name: 'convserve-json-parser' })
