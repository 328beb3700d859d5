import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url).pathname
const json = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'))

describe('the client is published as convserve/client', () => {
  it('package.json exports ./client at the compiled path of src/client/index.ts', () => {
    const pkg = json('package.json')
    const build = json('tsconfig.build.json')
    const base = json('tsconfig.json')
    const rootDir: string = build.compilerOptions.rootDir ?? base.compilerOptions.rootDir
    const outDir: string = build.compilerOptions.outDir ?? base.compilerOptions.outDir
    const source = join(root, 'src/client/index.ts')
    expect(existsSync(source)).toBe(true)
    // tsc maps <rootDir>/x.ts to <outDir>/x.js and <outDir>/x.d.ts
    const compiled = join(outDir, relative(join(root, rootDir), source)).replace(/\.ts$/, '')
    expect(pkg.exports['./client']).toEqual({ types: `./${compiled}.d.ts`, default: `./${compiled}.js` })
    expect(build.compilerOptions.declaration ?? base.compilerOptions.declaration).toBe(true)
    expect(build.include).toContain('src')
    expect(Object.keys(pkg.dependencies)).toContain('undici')
  })

  it('the client loads no server code at run time: only type imports reach outside core/', () => {
    const dir = join(root, 'src/client')
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8')
      for (const match of text.matchAll(/^(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) {
        const [, , typeOnly, target] = match
        if (typeOnly) continue
        const allowed = target!.startsWith('./') || target!.startsWith('../core/') || target === 'undici' || target!.startsWith('node:')
        expect(allowed, `${file} imports ${target} at run time`).toBe(true)
      }
    }
  })
})
