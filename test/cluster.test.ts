import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { SERVER_NODE_FLAGS } from '../src/node-flags.js'

/**
 * PROCESSES=2: the real server (`node --import tsx src/server.ts`) supervises two HTTP processes
 * on one port. Both serve; /metrics from either reports the requests of both; a process that dies
 * is replaced; SIGTERM drains them and the supervisor exits 0.
 */
const root = fileURLToPath(new URL('..', import.meta.url))
let child: ChildProcess | undefined
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
})

const TOY = JSON.stringify({ input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] })

function start() {
  // started as the image starts it: the HTTP processes inherit the supervisor's V8 flags
  const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PROCESSES: '2', WORKERS: '1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  child = proc
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  const listening: string[] = []
  const pids = new Set<number>()
  /** the processes that logged a computed job */
  const served = new Set<number>()
  /** the processes that warned they run without the V8 flags */
  const unflagged = new Set<number>()
  const ready = new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)))
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line.includes('"request completed"') && line.includes('"op":"conv2d"')) served.add((JSON.parse(line) as { pid: number }).pid)
      if (line.includes('started without the V8 flags')) unflagged.add((JSON.parse(line) as { pid: number }).pid)
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1]
      if (!url) return
      pids.add((JSON.parse(line) as { pid: number }).pid)
      listening.push(url)
      // cluster workers listening on port 0 share one port
      if (listening.length === 2) resolve(url)
    })
  })
  return { proc, exited, ready, pids, listening, served, unflagged }
}

async function metricCount(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith('convserve_http_request_duration_seconds_count{') && l.includes('route="/conv2d"') && l.includes('status="200"'))
  return Number(line?.split(' ').pop() ?? 0)
}

describe('PROCESSES=2', () => {
  it('two processes serve one port, /metrics counts both, a dead one is replaced, SIGTERM exits 0', async () => {
    const server = start()
    const base = await server.ready
    expect(server.listening[1]).toBe(base)
    expect(server.pids.size).toBe(2)

    // fresh connections each time, so the supervisor hands them to both processes
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${base}/conv2d`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: TOY })
      expect(await res.json()).toEqual({ output: [[19, 25], [37, 43]] })
    }
    expect(server.served.size).toBe(2)
    // either process answers for all: the 40 requests, whichever process served each
    expect(await metricCount(base)).toBe(40)
    expect(await metricCount(base)).toBe(40)

    // a process that dies is replaced by a new one, and the service keeps answering
    process.kill([...server.pids][0]!, 'SIGKILL')
    for (let i = 0; i < 200 && server.pids.size < 3; i++) await new Promise((r) => setTimeout(r, 50))
    expect(server.pids.size).toBe(3)
    const res = await fetch(`${base}/conv2d`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: TOY })
    expect(res.status).toBe(200)

    server.proc.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    // all three HTTP processes (the replacement too) ran with the flags
    expect(server.unflagged.size).toBe(0)
  })
})
