import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { SERVER_NODE_FLAGS } from '../src/node-flags.js'
import { freePort } from './peer.js'
import type { EventLoopDelay, ServerMessage, ServerRequest, ServerSpec } from './server.js'

/**
 * Parent side of `server.ts`: fork a benchmark server, wait for its port, read its event-loop
 * delay, close it (gracefully: app.close drains the jobs, so no worker is torn down inside ORT).
 */
export interface AppSource {
  readonly url: string
  readonly label: string
}

/** newest modification time under a folder, ms */
function newest(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

/** The built dist/ when present (as deployed: plain JavaScript workers), else the sources. */
export function appSource(): AppSource {
  const built = new URL('../dist/app.js', import.meta.url)
  if (existsSync(built)) {
    const stale = newest(new URL('../src', import.meta.url).pathname) > statSync(built).mtimeMs
    return { url: built.href, label: `dist/ (built JavaScript${stale ? '; OLDER than src/ — run `npm run build`' : ''})` }
  }
  return {
    url: new URL('../src/app.ts', import.meta.url).href,
    label: 'src/ through tsx (no dist/; `npm run build` first for deployed fidelity)',
  }
}

export class BenchServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly source: string,
    /** error-level lines the server logged so far, and the first one's message */
    readonly log: { errors: number; first: string },
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  static async start(spec: Omit<ServerSpec, 'appUrl' | 'appLabel'>): Promise<BenchServer> {
    const source = appSource()
    const full: ServerSpec = { ...spec, appUrl: source.url, appLabel: source.label }
    const child = fork(new URL('./server.ts', import.meta.url).pathname, [JSON.stringify(full)], {
      // the V8 flags the image and `npm start` give convserve; the floor runs with them too, so
      // that the two differ only in the app
      execArgv: [...SERVER_NODE_FLAGS, '--import', 'tsx'],
      // the server's log lines (pino, stdout) are counted, not printed: at the end of every
      // autocannon run the in-flight requests are cut off and the app logs each as an error
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    })
    const log = { errors: 0, first: '' }
    let pending = ''
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const level = /"level":(\d+)/.exec(line)?.[1]
        if (level !== undefined && Number(level) >= 50) {
          log.errors++
          log.first ||= (/"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 120)) + (/"message":"([^"]*)"/.exec(line)?.[1] ? `: ${/"message":"([^"]*)"/.exec(line)![1]}` : '')
        }
      }
    })
    const ready = await new Promise<Extract<ServerMessage, { type: 'ready' }>>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench server (${spec.kind}) exited with ${code} before listening`)))
      child.on('message', (m: ServerMessage) => {
        if (m.type === 'ready') resolve(m)
      })
    })
    child.removeAllListeners('exit')
    return new BenchServer(child, ready.port, ready.source, log)
  }

  private ask<T extends ServerMessage['type']>(request: ServerRequest, answer: T): Promise<Extract<ServerMessage, { type: T }>> {
    return new Promise((resolve) => {
      const onMessage = (m: ServerMessage) => {
        if (m.type !== answer) return
        this.child.off('message', onMessage)
        resolve(m as Extract<ServerMessage, { type: T }>)
      }
      this.child.on('message', onMessage)
      this.child.send(request)
    })
  }

  resetEventLoopDelay(): void {
    this.child.send({ type: 'eld-reset' } satisfies ServerRequest)
  }

  /** starts (`open`) or ends the saturated window's histogram (see server.ts) */
  markSaturatedWindow(open: boolean): void {
    this.child.send({ type: open ? 'eld-open' : 'eld-close' } satisfies ServerRequest)
  }

  /** the event-loop delay over the round so far, and over its saturated window */
  async eventLoopDelay(): Promise<{ round: EventLoopDelay; saturated: EventLoopDelay }> {
    const { round, saturated } = await this.ask({ type: 'eld-read' }, 'eld')
    return { round, saturated }
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    await this.ask({ type: 'close' }, 'closed')
    await exited
  }
}

/**
 * convserve as deployed — `node <SERVER_NODE_FLAGS> dist/server.js` (or the sources through tsx)
 * — with the given environment, e.g. PROCESSES=2: the cluster supervisor cannot run inside
 * `server.ts`'s harness. No event-loop sampling; closed with SIGTERM, as a container runtime
 * stops it.
 */
export class ProcessServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string>): Promise<ProcessServer> {
    const port = await freePort()
    const built = appSource().url.endsWith('.js')
    const entry = new URL(built ? '../dist/server.js' : '../src/server.ts', import.meta.url).pathname
    const child = fork(entry, [], {
      execArgv: [...SERVER_NODE_FLAGS, ...(built ? [] : ['--import', 'tsx'])],
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    })
    const url = `http://127.0.0.1:${port}`
    const until = performance.now() + 30_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`convserve (${JSON.stringify(env)}) exited with ${child.exitCode}`)
      const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false)
      if (ok) break
      if (performance.now() > until) throw new Error(`convserve (${JSON.stringify(env)}) did not answer /healthz in 30 s`)
      await new Promise((r) => setTimeout(r, 100))
    }
    // every process of a cluster starts on its own: give the others a moment to listen as well
    await new Promise((r) => setTimeout(r, 1_500))
    return new ProcessServer(child, url)
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.kill('SIGTERM')
    await exited
  }
}
