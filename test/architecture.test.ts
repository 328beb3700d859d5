import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The data-flow rules of the architecture (README, Development): checked on the import lines.
const src = fileURLToPath(new URL('../src/', import.meta.url))

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2])!,
  )
}

function folder(file: string): string {
  return relative(src, file).split('/')[0]!
}

describe('architecture', () => {
  it('src/core imports nothing outside itself (no Node built-ins, no packages)', () => {
    for (const file of files(join(src, 'core'))) {
      for (const spec of imports(file)) {
        expect(spec, `${relative(src, file)} imports ${spec}`).toMatch(/^\.\/[\w-]+\.js$/)
      }
    }
  })

  it('nothing imports src/http but the app, http itself and the client (types only)', () => {
    for (const file of files(src)) {
      const from = folder(file)
      if (from === 'http' || from === 'app.ts' || from === 'client') continue
      for (const spec of imports(file)) expect(spec, `${relative(src, file)} imports ${spec}`).not.toMatch(/\/http\//)
    }
  })

  it('engines and jobs never import the HTTP framework', () => {
    for (const file of [...files(join(src, 'engines')), ...files(join(src, 'jobs'))]) {
      for (const spec of imports(file)) expect(spec, `${relative(src, file)} imports ${spec}`).not.toMatch(/fastify/)
    }
  })
})
