import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type LiveServer } from './server.js'

const root = new URL('../../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')
// The README's Clients section and its curl examples (Tensors on the wire)
const doc = read('README.md')

/** The bodies of the fenced blocks of one language, in order. */
function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1]!)
}

describe('README.md', () => {
  it('shows exactly the Python file the e2e test runs', () => {
    const python = blocks(doc, 'python')
    expect(python).toHaveLength(1)
    expect(python[0]).toBe(read('docs/examples/client.py'))
  })

  describe('curl examples answer as printed', () => {
    let server: LiveServer
    beforeAll(async () => {
      server = await startServer()
    })
    afterAll(async () => {
      await server.app.close()
    })

    it('each tensor form: the -d body gives the reply after "# →"', async () => {
      const sh = blocks(doc, 'sh').join('\n')
      const examples = [...sh.matchAll(/curl -s localhost:3000(\/\w+) [^\n]*\\\n\s+-d '([^']+)'\n# → (.+)/g)]
      expect(examples.map((m) => m[1])).toEqual(['/conv2d', '/conv2d', '/conv2d'])
      for (const [, route, body, expected] of examples) {
        const reply = await fetch(server.url + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        expect(reply.status).toBe(200)
        expect(await reply.text()).toBe(expected)
      }
    })

    it('the gzipped body: the echoed JSON, gzipped, gives the reply after "# →"', async () => {
      const sh = blocks(doc, 'sh').join('\n')
      const [, body, route, expected] = sh.match(/echo '([^']+)' \| gzip \| curl -s localhost:3000(\/\w+) [^\n]*\n[^\n]*content-encoding: gzip[^\n]*\n# → (.+)/)!
      const reply = await fetch(server.url + route, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        // echo's newline included, as the pipe sends it
        body: gzipSync(`${body}\n`),
      })
      expect(reply.status).toBe(200)
      expect(await reply.text()).toBe(expected)
    })
  })
})
