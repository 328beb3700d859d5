import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startApp } from './helpers/app.js'

// Over a real socket: what a client on the network sees, headers included.
let app: FastifyInstance
let origin: string
beforeAll(async () => {
  app = await startApp({ workers: 1 })
  await app.listen({ port: 0, host: '127.0.0.1' })
  origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await app.close()
})

it('POST /conv2d over HTTP answers the textbook example with Server-Timing', async () => {
  const res = await request(`${origin}/conv2d`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] }),
  })
  expect(res.statusCode).toBe(200)
  expect(res.headers['content-type']).toMatch(/application\/json/)
  expect(res.headers['server-timing']).toMatch(/queue;dur=[\d.]+, compute;dur=[\d.]+;desc="\w+", codec;dur=[\d.]+, hop;dur=[\d.]+, total;dur=[\d.]+/)
  expect(res.headers['x-content-type-options']).toBe('nosniff')
  expect(await res.body.json()).toEqual({ output: [[19, 25], [37, 43]] })
})
