import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'

/**
 * The playground page at `/`: public/index.html and public/playground.css as they are, and the
 * browser modules compiled from src/web by `tsc -p tsconfig.web.json` into dist/public. Paths are
 * resolved from the package root, which is three levels up from both src/http/plugins (tsx,
 * vitest) and dist/http/plugins (node). Running from source, the modules are transpiled from
 * src/web on first request instead (TypeScript is a dev dependency), so a stale dist/public never
 * shadows an edit and the e2e tests need no build step. Open even when API_KEYS is set: the page
 * holds no data, and its requests carry the key the user types.
 */
const root = new URL('../../../', import.meta.url)
const fromSource = import.meta.url.endsWith('.ts')

/** Every browser module the page loads; nothing else under / is served from disk. */
export const PLAYGROUND_MODULES = ['playground', 'playground-api', 'playground-dom', 'playground-examples'] as const

const cache = new Map<string, string>()

async function transpiled(name: string): Promise<string> {
  const hit = cache.get(name)
  if (hit !== undefined) return hit
  const ts = (await import('typescript')).default
  const source = await readFile(new URL(`src/web/${name}.ts`, root), 'utf8')
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
    fileName: `${name}.ts`,
  })
  cache.set(name, outputText)
  return outputText
}

async function moduleText(name: string): Promise<string> {
  if (fromSource) return transpiled(name)
  return readFile(new URL(`dist/public/${name}.js`, root), 'utf8')
}

export default async function playground(app: FastifyInstance): Promise<void> {
  const page = (file: string, type: string) => async (_req: unknown, reply: import('fastify').FastifyReply) => {
    const body = await readFile(new URL(`public/${file}`, root), 'utf8')
    return reply.type(type).header('cache-control', 'no-cache').send(body)
  }
  app.get('/', { schema: { hide: true } }, page('index.html', 'text/html; charset=utf-8'))
  app.get('/playground.css', { schema: { hide: true } }, page('playground.css', 'text/css; charset=utf-8'))
  for (const name of PLAYGROUND_MODULES) {
    app.get(`/${name}.js`, { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(await moduleText(name)),
    )
  }
}
