import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { missingNodeFlags, SERVER_NODE_FLAGS } from '../src/node-flags.js'

/**
 * The V8 flags the server process is started with (src/node-flags.ts): that this Node accepts
 * them, that `npm start` passes them (the Dockerfile's CMD: test/deploy/compose.test.ts), and that
 * a server started without them says so.
 */
const root = fileURLToPath(new URL('..', import.meta.url))

describe('missingNodeFlags', () => {
  it('names every flag when none is given, and none when each is given with any value', () => {
    expect(missingNodeFlags([])).toEqual([...SERVER_NODE_FLAGS])
    expect(missingNodeFlags(['--import', 'tsx'])).toEqual([...SERVER_NODE_FLAGS])
    expect(missingNodeFlags([...SERVER_NODE_FLAGS])).toEqual([])
    expect(missingNodeFlags(['--initial-old-space-size=256'])).toEqual([])
    expect(missingNodeFlags(['--initial_old_space_size=128'])).toEqual([])
  })
})

describe('SERVER_NODE_FLAGS', () => {
  it('are accepted by this Node (a misspelt V8 flag stops node at once)', () => {
    const run = (flags: readonly string[]) => spawnSync(process.execPath, [...flags, '-e', 'process.exit(0)'], { encoding: 'utf8' })
    expect(run(SERVER_NODE_FLAGS).status).toBe(0)
    const misspelt = run(['--initial-old-space-sizes=128'])
    expect(misspelt.status).not.toBe(0)
    expect(misspelt.stderr).toMatch(/bad option/)
  })

  it('are what `npm start` and `npm run dev` pass', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.start).toBe(`node ${SERVER_NODE_FLAGS.join(' ')} dist/server.js`)
    expect(pkg.scripts.dev).toBe(`tsx ${SERVER_NODE_FLAGS.join(' ')} src/server.ts`)
  })
})

/** The real server process (sources through tsx), started, stopped with SIGTERM, its log lines. */
async function serverLog(flags: readonly string[]): Promise<{ msg: string; level: number; missing?: string[] }[]> {
  const proc = spawn(process.execPath, [...flags, '--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WORKERS: '1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines: { msg: string; level: number; missing?: string[] }[] = []
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready`)))
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg: string; level: number; missing?: string[] }
      lines.push(entry)
      if (entry.msg === 'convserve ready') resolve()
    })
  })
  proc.kill('SIGTERM')
  expect(await exited).toBe(0)
  return lines
}

describe('the server process', () => {
  it('started without the flags logs one warning naming them', async () => {
    const warnings = (await serverLog([])).filter((l) => l.level === 40)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.msg).toMatch(/started without the V8 flags/)
    expect(warnings[0]!.missing).toEqual([...SERVER_NODE_FLAGS])
  })

  it('started with them logs no warning', async () => {
    const log = await serverLog(SERVER_NODE_FLAGS)
    expect(log.some((l) => l.msg === 'convserve ready')).toBe(true)
    expect(log.filter((l) => l.level >= 40)).toEqual([])
  })
})
