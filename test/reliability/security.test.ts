import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, startApp } from '../helpers/app.js'
import { assertCleanError } from './clean.js'

/** API keys, the rate limit and CORS, with all three switched on (they are off by default). */
const X = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
const K = [[0, 1], [2, 3]]
const VALID: Record<string, unknown> = {
  '/conv2d': { input: X, kernel: K },
  '/conv-transpose2d': { input: X, kernel: K },
  '/pool': { input: X, kernelSize: 2 },
  '/shape': { op: 'conv2d', inputShape: [3, 3], weightShape: [2, 2] },
}
const ORIGIN = 'https://client.example'

let app: FastifyInstance
beforeAll(async () => {
  app = await startApp({ apiKeys: ['alpha-key', 'beta-key'], rateLimit: 5, corsOrigins: [ORIGIN] })
})
afterAll(async () => {
  await app.close()
})

describe('API keys', () => {
  for (const url of ['/conv2d', '/conv-transpose2d', '/pool', '/shape', '/metrics']) {
    for (const [name, authorization] of [['no key', undefined], ['a wrong key', 'Bearer gamma-key'], ['another scheme', 'Basic YWxwaGEta2V5'], ['a key prefix', 'Bearer alpha']] as const) {
      it(`${url} with ${name} → 401 UNAUTHORIZED`, async () => {
        const headers = authorization ? { authorization } : {}
        const res = url === '/metrics' ? await app.inject({ url, headers }) : await post(app, url, VALID[url], { headers })
        expect(res.statusCode).toBe(401)
        expect(res.json().code).toBe('UNAUTHORIZED')
        assertCleanError(res.body)
      })
    }
  }

  it('a valid key opens every protected route', async () => {
    const headers = { authorization: 'Bearer alpha-key' }
    for (const url of ['/conv2d', '/conv-transpose2d', '/pool', '/shape']) expect((await post(app, url, VALID[url], { headers })).statusCode).toBe(200)
    expect((await app.inject({ url: '/metrics', headers })).statusCode).toBe(200)
  })

  it('/healthz, /readyz, /docs and /openapi.json stay open', async () => {
    for (const url of ['/healthz', '/readyz', '/docs', '/openapi.json']) {
      const res = await app.inject({ url })
      expect(res.statusCode, url).toBe(200)
    }
  })
})

describe('rate limit (RATE_LIMIT 5 per minute, per key)', () => {
  it('the sixth request of a key in a minute gets 429 RATE_LIMITED with Retry-After; other keys are unaffected', async () => {
    const beta = { authorization: 'Bearer beta-key' }
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await post(app, '/shape', VALID['/shape'], { headers: beta })).statusCode)
    expect(statuses).toEqual([200, 200, 200, 200, 200])
    const limited = await post(app, '/conv2d', VALID['/conv2d'], { headers: beta })
    expect(limited.statusCode).toBe(429)
    expect(limited.json().code).toBe('RATE_LIMITED')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    assertCleanError(limited.body)
    // health checks are never limited
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200)
  })
})

describe('CORS (CORS_ORIGINS set)', () => {
  it('an allowed origin gets the CORS headers, with Server-Timing, Retry-After and X-Request-Id exposed', async () => {
    const res = await post(app, '/conv2d', VALID['/conv2d'], { headers: { origin: ORIGIN, authorization: 'Bearer alpha-key' } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN)
    expect(String(res.headers['access-control-expose-headers']).toLowerCase()).toContain('server-timing')
    expect(String(res.headers['access-control-expose-headers']).toLowerCase()).toContain('x-request-id')
    const preflight = await app.inject({ method: 'OPTIONS', url: '/conv2d', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN)
  })

  it('another origin gets none', async () => {
    const res = await post(app, '/shape', VALID['/shape'], { headers: { origin: 'https://evil.example', authorization: 'Bearer alpha-key' } })
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })
})
