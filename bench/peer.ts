import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { TOY_BODY } from './bodies.js'

/**
 * The FastAPI + PyTorch peer (../shared/peers/fastapi_torch.py), started and stopped by the bench
 * exactly as its README deploys it: Debian's /usr/bin/python3, gunicorn with 2 uvicorn workers
 * (uvloop + httptools), port 8100, log level warning. PEER_DIR points at another copy of the
 * folder. Without Python or its packages the peer rows are skipped, never faked.
 */
const PYTHON = '/usr/bin/python3'
const README_PORT = 8100

export function peerDir(): string {
  return process.env['PEER_DIR'] ?? new URL('../../shared/peers', import.meta.url).pathname
}

export function peerAvailable(): { ok: true } | { ok: false; why: string } {
  const probe = spawnSync(PYTHON, ['-c', 'import fastapi, torch, uvicorn, gunicorn, uvloop, httptools'], { encoding: 'utf8' })
  if (probe.error) return { ok: false, why: `${PYTHON}: ${probe.error.message}` }
  if (probe.status !== 0) return { ok: false, why: probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}` }
  return { ok: true }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

/** a port nobody listens on now (the OS picks it) */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0))
    })
  })
}

export class Peer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly note: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  static async start(): Promise<Peer> {
    // another engineer's peer may hold 8100; then a free port, said in the output
    const port = (await portFree(README_PORT)) ? README_PORT : await freePort()
    const note = port === README_PORT ? '' : ` (port ${README_PORT} was taken; used ${port})`
    const child = spawn(
      PYTHON,
      ['-m', 'gunicorn', 'fastapi_torch:app', '-k', 'uvicorn.workers.UvicornWorker', '-w', '2', '-b', `127.0.0.1:${port}`, '--log-level', 'warning'],
      // no __pycache__ written into the shared (read-only) folder
      { cwd: peerDir(), stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
    )
    // if the bench dies first, the gunicorn it started must not outlive it
    const orphan = () => child.kill('SIGTERM')
    process.once('exit', orphan)
    child.once('exit', () => process.off('exit', orphan))
    const peer = new Peer(child, port, note)
    await peer.waitReady(90_000)
    return peer
  }

  /** both workers import torch (seconds each); ready once the toy answers a few times in a row */
  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    let streak = 0
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`peer exited with ${this.child.exitCode}`)
      try {
        const res = await fetch(`${this.url}/conv2d`, { method: 'POST', body: TOY_BODY, headers: { 'content-type': 'application/json' } })
        await res.arrayBuffer()
        streak = res.ok ? streak + 1 : 0
        if (streak >= 5) return
      } catch {
        streak = 0
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    await this.stop()
    throw new Error('peer did not answer within 90 s')
  }

  /** SIGTERM to the gunicorn master (the process this bench started); it stops its workers */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.kill('SIGTERM')
    await exited
  }
}
