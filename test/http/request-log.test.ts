import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { post, toBase64 } from '../helpers/app.js'

// One log line per answered request (src/http/request-log.ts), what it says, and that tensors never appear in it.
const lines: Record<string, unknown>[] = []
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>)
    done()
  },
})
let app: FastifyInstance
beforeAll(async () => {
  app = await buildApp({ workers: 1, maxEventLoopDelayMs: 0 }, { logger: { level: 'info', stream: sink } })
  await app.ready()
})
afterAll(async () => {
  await app.close()
})
beforeEach(() => {
  lines.length = 0
})
const ofRequest = (id: string) => lines.filter((l) => l['reqId'] === id)

describe('request log', () => {
  it('a computed request: one line, with the job (op, engine, FLOPs, compute ms) and no tensor data', async () => {
    const res = await post(app, '/conv2d', { input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] }, { headers: { 'x-request-id': 'toy-1' } })
    expect(res.statusCode).toBe(200)
    const mine = ofRequest('toy-1')
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'POST', url: '/conv2d' },
      res: { statusCode: 200 },
      job: { op: 'conv2d', engine: 'reference', flops: 32 },
    })
    expect(typeof mine[0]!['responseTime']).toBe('number')
    expect(typeof (mine[0]!['job'] as Record<string, unknown>)['computeMs']).toBe('number')
    // neither tensor's values: the input's rows nor the output's
    expect(JSON.stringify(mine[0])).not.toContain('[0,1,2]')
    expect(JSON.stringify(mine[0])).not.toContain('[19,25]')
  })

  it('a base64 job on the worker: the line says onnxruntime, and base64 text never appears', async () => {
    // 1×16×64×64 ∗ 8×16×3×3: ~1.8 MFLOP, above the inline threshold, so a worker runs it
    const input = toBase64(Array.from({ length: 16 * 64 * 64 }, (_, i) => (i % 7) - 3))
    const weight = toBase64(Array.from({ length: 8 * 16 * 3 * 3 }, (_, i) => (i % 5) / 5))
    const body = { input: { shape: [1, 16, 64, 64], dtype: 'float32', base64: input }, weight: { shape: [8, 16, 3, 3], dtype: 'float32', base64: weight } }
    const res = await post(app, '/conv2d', body, { headers: { 'x-request-id': 'b64-1' } })
    expect(res.statusCode).toBe(200)
    const mine = ofRequest('b64-1')
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ msg: 'request completed', job: { op: 'conv2d', engine: 'onnxruntime', flops: 2 * 8 * 16 * 9 * 62 * 62 } })
    expect(JSON.stringify(lines)).not.toContain(input.slice(0, 40))
  })

  it('the same weight sent again: the first line has no prepacked, a later one says job.prepacked: true', async () => {
    const input = toBase64(Array.from({ length: 16 * 64 * 64 }, (_, i) => (i % 5) - 2))
    const weight = toBase64(Array.from({ length: 8 * 16 * 3 * 3 }, (_, i) => (i % 3) / 3))
    const body = { input: { shape: [1, 16, 64, 64], dtype: 'float32', base64: input }, weight: { shape: [8, 16, 3, 3], dtype: 'float32', base64: weight } }
    const jobOf = (id: string) => ofRequest(id)[0]!['job'] as Record<string, unknown>
    expect((await post(app, '/conv2d', body, { headers: { 'x-request-id': 'pp-0' } })).statusCode).toBe(200)
    expect(jobOf('pp-0')).not.toHaveProperty('prepacked')
    // the prepacked session is built in the background after the weight's second sighting
    let seen = false
    for (let i = 1; i <= 40 && !seen; i++) {
      expect((await post(app, '/conv2d', body, { headers: { 'x-request-id': `pp-${i}` } })).statusCode).toBe(200)
      seen = jobOf(`pp-${i}`)['prepacked'] === true
      if (!seen) await new Promise((r) => setTimeout(r, 25))
    }
    expect(seen).toBe(true)
  })

  it('a request without a job (a health check): one line, no job fields', async () => {
    await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'health-1' } })
    const mine = ofRequest('health-1')
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ msg: 'request completed', res: { statusCode: 200 } })
    expect(mine[0]).not.toHaveProperty('job')
  })

  it('a client error: its request line carries the status, and no incoming-request line is written', async () => {
    const res = await post(app, '/conv2d', { input: [[1]] }, { headers: { 'x-request-id': 'bad-1' } })
    expect(res.statusCode).toBe(400)
    const mine = ofRequest('bad-1')
    expect(mine.map((l) => l['msg'])).toContain('request completed')
    expect(mine.find((l) => l['msg'] === 'request completed')).toMatchObject({ res: { statusCode: 400 } })
    expect(mine.some((l) => l['msg'] === 'incoming request')).toBe(false)
  })

  describe('request ids (http/request-id.ts)', () => {
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

    it('a usable X-Request-Id sent is the one on the answer and in the log line', async () => {
      const id = 'trace-4bf92f35.77ae:01/2+3=4@x'
      const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': id } })
      expect(res.headers['x-request-id']).toBe(id)
      expect(ofRequest(id)).toHaveLength(1)
    })

    it('without one, each request gets a fresh UUID, on the answer and in the log line, coded errors included', async () => {
      const a = await app.inject({ method: 'GET', url: '/healthz' })
      const b = await app.inject({ method: 'GET', url: '/nope' })
      const [ida, idb] = [String(a.headers['x-request-id']), String(b.headers['x-request-id'])]
      expect(ida).toMatch(UUID)
      expect(idb).toMatch(UUID)
      expect(ida).not.toBe(idb)
      expect(b.statusCode).toBe(404)
      expect(ofRequest(ida)).toHaveLength(1)
      expect(ofRequest(idb)).toHaveLength(1)
    })

    it.each([['with a space', 'a b'], ['too long (129 characters)', 'x'.repeat(129)], ['markup', '<script>'], ['empty', '']])(
      'an id %s is not used: the answer gets a UUID',
      async (_what, id) => {
        const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': id } })
        expect(res.headers['x-request-id']).toMatch(UUID)
      },
    )
  })
})
