import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import sjson from 'secure-json-parse'
import { ApiError } from '../../errors.js'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../json-depth.js'

/**
 * JSON bodies parsed with prototype-poisoning protection (as Fastify's own parser does), but
 * with distinct, coded answers: malformed JSON says where it broke, a `__proto__` or
 * `constructor.prototype` key is refused by name instead of being merged into an object, and a
 * body nested deeper than any request can be is refused before JSON.parse spends seconds on it.
 */
async function jsonParser(app: FastifyInstance) {
  // JSON only: Fastify's built-in text/plain parser would let a plain-text body reach validation
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string
    if (text.length === 0) {
      done(new ApiError('INVALID_JSON', 'the request body is empty; send a JSON object'), undefined)
      return
    }
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(new ApiError('INVALID_BODY', `the body nests deeper than ${MAX_JSON_DEPTH} levels; tensors are rank 4 at most`), undefined)
      return
    }
    try {
      done(null, sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }))
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      if (/forbidden prototype property/i.test(message)) {
        done(new ApiError('FORBIDDEN_PROPERTY', 'the body contains a "__proto__" or "constructor.prototype" key, which is refused'), undefined)
      } else {
        done(new ApiError('INVALID_JSON', `the request body is not valid JSON: ${message}`), undefined)
      }
    }
  })
}

export default fp(jsonParser, { name: 'convserve-json-parser' })
