import { Readable } from 'node:stream'
import { brotliCompressSync, createGunzip, deflateSync, gzipSync } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBodyChunks } from '../../src/http/body-chunks.js'
import { inForm, startApp } from '../helpers/app.js'

/**
 * Compressed request bodies (http/plugins/request-encodings.ts): gzip, deflate and br are
 * decompressed before the parser, within BODY_LIMIT counted on the decompressed bytes; any
 * other coding is a 415 and a body that does not decompress a 400, each with its code.
 */
const LIMIT = 2_000_000
const TEXTBOOK = JSON.stringify({ input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] })
const CODINGS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const

describe('request bodies with a Content-Encoding', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await startApp({ bodyLimit: LIMIT, engine: 'reference' })
  })
  afterAll(async () => {
    await app.close()
  })
  const postRaw = (payload: Buffer | string, encoding?: string) =>
    app.inject({ method: 'POST', url: '/conv2d', headers: { 'content-type': 'application/json', ...(encoding ? { 'content-encoding': encoding } : {}) }, payload })

  it.each(Object.keys(CODINGS) as (keyof typeof CODINGS)[])('the textbook body sent as %s: [[19,25],[37,43]]', async (coding) => {
    const res = await postRaw(CODINGS[coding](TEXTBOOK), coding)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ output: [[19, 25], [37, 43]] })
  })

  // content codings are case-insensitive, x-gzip is gzip (RFC 9110 §8.4.1)
  it.each(['GZIP', 'Gzip', 'x-gzip', ' gzip ', 'identity, gzip'])('Content-Encoding "%s" is gzip', async (encoding) => {
    const res = await postRaw(gzipSync(TEXTBOOK), encoding)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ output: [[19, 25], [37, 43]] })
  })

  it('two codings stacked ("gzip, br") are a 415 naming the header as sent', async () => {
    const res = await postRaw(brotliCompressSync(gzipSync(TEXTBOOK)), 'gzip, br')
    expect(res.statusCode).toBe(415)
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_ENCODING' })
    expect(res.json().message).toMatch(/"gzip, br"/)
  })

  it.each(['IDENTITY', ''])('Content-Encoding "%s" is the body as is', async (encoding) => {
    const res = await app.inject({ method: 'POST', url: '/conv2d', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, payload: TEXTBOOK })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ output: [[19, 25], [37, 43]] })
  })

  it('Content-Encoding identity is the body as is', async () => {
    expect((await postRaw(TEXTBOOK, 'identity')).json()).toEqual({ output: [[19, 25], [37, 43]] })
  })

  // large bodies take the cut path (codec/large-body.ts) over the decompressed chunks
  const C = 8, H = 40
  const x = { shape: [1, C, H, H], data: Array.from({ length: C * H * H }, (_, i) => Math.fround(Math.sin(i * 0.37))) }
  const w = { shape: [4, C, 3, 3], data: Array.from({ length: 4 * C * 9 }, (_, i) => Math.fround(Math.cos(i) / 5)) }
  it.each(['nested', 'flat', 'base64'] as const)('conv2d x=[1,8,40,40] k=3 sent %s, gzipped (over 64 kB decompressed): the plain body\'s answer', async (form) => {
    const text = JSON.stringify({ input: inForm(x, form), weight: inForm(w, form), padding: 1, outputFormat: 'base64' })
    expect(text.length).toBeGreaterThan(65_536)
    const [zipped, plain] = await Promise.all([postRaw(gzipSync(text), 'gzip'), postRaw(text)])
    expect(zipped.statusCode, zipped.body).toBe(200)
    expect(zipped.json()).toEqual(plain.json())
  })

  it('another coding is a 415 UNSUPPORTED_ENCODING naming it, with Accept-Encoding listing the codings taken', async () => {
    const res = await postRaw(TEXTBOOK, 'compress')
    expect(res.statusCode).toBe(415)
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_ENCODING' })
    expect(res.json().message).toMatch(/"compress"/)
    expect(res.headers['accept-encoding']).toBe('gzip, deflate, br')
  })

  it.each([
    ['gzip', Buffer.from(TEXTBOOK)],
    ['gzip', gzipSync(TEXTBOOK).subarray(0, 20)],
    ['br', Buffer.from('not brotli at all')],
    ['deflate', gzipSync(TEXTBOOK)],
  ])('a body that does not decompress as %s is a 400 INVALID_ENCODING', async (coding, payload) => {
    const res = await postRaw(payload, coding)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'INVALID_ENCODING' })
    expect(res.json().message).toMatch(new RegExp(`does not decompress as ${coding}`))
  })

  it('a small bomb (20 MB of spaces in 20 kB of gzip) is a 413 on its decompressed size; the service answers on', async () => {
    const bomb = gzipSync(Buffer.alloc(20_000_000, 0x20))
    expect(bomb.length).toBeLessThan(LIMIT / 10)
    const res = await postRaw(bomb, 'gzip')
    expect(res.statusCode).toBe(413)
    expect(res.json()).toMatchObject({ code: 'BODY_TOO_LARGE' })
    expect(res.json().message).toMatch(/2000000 bytes/)
    expect((await postRaw(gzipSync(TEXTBOOK), 'gzip')).json()).toEqual({ output: [[19, 25], [37, 43]] })
  })

  it('past the limit the decompression stops: the bomb\'s gzip is not read to its end', async () => {
    const bomb = gzipSync(Buffer.alloc(50_000_000, 0x20))
    const gunzip = createGunzip()
    Readable.from([bomb]).pipe(gunzip)
    const error = await new Promise<Error | null>((resolve) => readBodyChunks({}, gunzip, 1_000_000, (e) => resolve(e)))
    expect(error).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' })
    // left flowing, zlib would inflate all 50 MB within this wait
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(gunzip.bytesWritten).toBeLessThan(bomb.length / 4)
  })
})
