import { readFileSync } from 'node:fs'
import { Validator } from '@seriousme/openapi-schema-validator'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp } from '../helpers/app.js'

let app: FastifyInstance
let document: Record<string, any>
beforeAll(async () => {
  app = await startApp()
  document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
})
afterAll(async () => {
  await app.close()
})

describe('OpenAPI document', () => {
  it('the committed openapi/openapi.json equals what the app generates (run `npm run openapi`)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'))
    expect(document).toEqual(committed)
  })

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(document))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('names every schema as a component (no def-N) and refers to them', () => {
    const names = Object.keys(document.components.schemas)
    for (const name of ['Tensor', 'NestedTensor', 'FlatTensor', 'Base64Tensor', 'Conv2dRequest', 'Conv2dResponse', 'ConvTranspose2dRequest', 'ConvTranspose2dResponse', 'PoolRequest', 'PoolResponse', 'ShapeRequest', 'ShapeResponse', 'Error', 'ExplainEntry']) {
      expect(names).toContain(name)
    }
    expect(JSON.stringify(document)).not.toMatch(/def-\d/)
    expect(document.paths['/conv2d'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/Conv2dRequest')
    expect(document.paths['/conv-transpose2d'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/ConvTranspose2dRequest')
  })

  it('gives every operation an operationId and has no absolute servers URL', () => {
    const ids: string[] = []
    for (const operations of Object.values<Record<string, any>>(document.paths)) {
      for (const operation of Object.values<any>(operations)) ids.push(operation.operationId)
    }
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    for (const server of document.servers ?? []) expect(server.url).not.toMatch(/^https?:/)
  })

  it('carries the textbook example first, and it computes [[19,25],[37,43]] as is', async () => {
    const examples = document.paths['/conv2d'].post.requestBody.content['application/json'].examples
    const first = Object.values<any>(examples)[0]
    expect(first.summary).toMatch(/19, 25/)
    const res = await app.inject({ method: 'POST', url: '/conv2d', payload: first.value })
    expect(res.json()).toEqual({ output: [[19, 25], [37, 43]] })
  })

  it('every documented request example is accepted by the service (200)', async () => {
    for (const [path, operations] of Object.entries<Record<string, any>>(document.paths)) {
      const examples = operations.post?.requestBody?.content?.['application/json']?.examples ?? {}
      for (const [name, example] of Object.entries<any>(examples)) {
        const res = await app.inject({ method: 'POST', url: path, payload: example.value })
        expect(res.statusCode, `${path} example ${name}: ${res.body}`).toBe(200)
      }
    }
  })

  it('documents an error response with the Error schema for every 4xx/5xx of the compute routes', () => {
    for (const path of ['/conv2d', '/conv-transpose2d', '/pool', '/shape']) {
      const responses = document.paths[path].post.responses
      for (const status of ['400', '401', '413', '415', '429', '500', '503', '504']) {
        expect(responses[status].content['application/json'].schema.$ref).toBe('#/components/schemas/Error')
      }
    }
  })

  it('documents the headers a client reads: Server-Timing (every field) on the compute replies, Retry-After on 429 and 503', async () => {
    for (const path of ['/conv2d', '/conv-transpose2d', '/pool']) {
      const header = document.paths[path].post.responses['200'].headers['server-timing']
      for (const field of ['queue', 'compute', 'codec', 'hop', 'total']) expect(header.description).toContain(`\`${field}\``)
      // and the service sends what it documents, field for field
      const res = await app.inject({
        method: 'POST',
        url: path,
        payload: path === '/pool' ? { input: [[0, 1], [2, 3]], kernelSize: 2 } : { input: [[0, 1], [2, 3]], kernel: [[1]] },
      })
      expect(res.statusCode).toBe(200)
      expect(String(res.headers['server-timing']).match(/[a-z]+(?=;dur=)/g)).toEqual(['queue', 'compute', 'codec', 'hop', 'total'])
    }
    for (const path of ['/conv2d', '/conv-transpose2d', '/pool', '/shape']) {
      for (const status of ['429', '503']) expect(document.paths[path].post.responses[status].headers['retry-after'].schema.type).toBe('string')
    }
  })

  it('serves Swagger UI at /docs', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toMatch(/swagger-ui/i)
  })
})
