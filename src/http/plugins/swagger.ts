import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { requestExamples } from '../schemas/examples.js'

export const API_VERSION = '1.0.0'

/**
 * OpenAPI 3.1 from the same TypeBox schemas that validate requests. Shared schemas keep their
 * `$id` as the component name (not `def-0`), and no absolute `servers` URL is set, so Swagger UI
 * calls the origin it was loaded from (behind a load balancer too).
 */
async function swaggerPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'convserve',
        version: API_VERSION,
        description:
          '2-D convolution and pooling over HTTP: the textbook chapter (Dive into Deep Learning, ch. 6) with ' +
          'PyTorch `torch.nn.functional` semantics, and explain mode (the worked sums). Tensors travel as nested ' +
          'arrays, flat `{shape,data}` or base64 `{shape,dtype,base64}`, NCHW, float32.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      tags: [
        { name: 'compute', description: 'convolution, pooling and shape arithmetic' },
        { name: 'operations', description: 'health, readiness and metrics' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'one of API_KEYS, when the server sets them' },
        },
      },
    },
    transformObject: (documents) => {
      if (!('openapiObject' in documents)) return documents.swaggerObject
      return withRequestExamples(documents.openapiObject as OpenApiDocument)
    },
    refResolver: {
      buildLocalReference(json, _baseUri, _fragment, i) {
        return typeof json.$id === 'string' ? json.$id : `schema-${i}`
      },
    },
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true },
  })
}

type OpenApiDocument = {
  paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string }; examples?: unknown }> } }>>
}

/**
 * A request body that is a `$ref` to a named component loses sibling keywords, so the textbook
 * examples are attached to each media type here, named, with the book's section in the summary.
 */
function withRequestExamples<T extends OpenApiDocument>(document: T): T {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const media = operation.requestBody?.content?.['application/json']
      const name = media?.schema?.$ref?.split('/').pop()
      const examples = name ? requestExamples[name] : undefined
      if (media && examples) media.examples = examples
    }
  }
  return document
}

export default fp(swaggerPlugin, { name: 'convserve-swagger' })
