import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { expectAnswer } from '../helpers/answer.js'
import { heavyJob } from './jobs.js'

/**
 * The real server process (`node --import tsx src/server.ts`) with jobs in flight gets SIGTERM:
 * every job it had accepted is answered 200 with its correct result, new requests are refused
 * (connection refused or 503), and the process exits 0 within SHUTDOWN_GRACE_MS.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
let child: ChildProcess | undefined
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
})

function start(): Promise<{ proc: ChildProcess; base: string; exited: Promise<number | null>; shuttingDown: Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WORKERS: '1', MAX_QUEUE: '16', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '25000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  child = proc
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  let began: () => void = () => {}
  // the server's own log line says the signal was handled: probing before it races the delivery
  const shuttingDown = new Promise<void>((resolve) => (began = resolve))
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)))
    // pino JSON lines on stdout; Fastify logs "Server listening at http://127.0.0.1:PORT"
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1]
      if (url) resolve({ proc, base: url, exited, shuttingDown })
      if (line.includes('shutting down')) began()
    })
  })
}

async function readiness(base: string): Promise<{ queued: number; running: number }> {
  return (await (await fetch(`${base}/readyz`)).json()) as { queued: number; running: number }
}

describe('graceful shutdown', () => {
  it('SIGTERM with jobs in flight: all accepted jobs answered 200, new requests refused, exit 0', async () => {
    const { proc, base, exited, shuttingDown } = await start()
    // four 58–112 MFLOP jobs on one worker: some are still queued or running when the signal comes
    const jobs = [32, 36, 40, 44].map((channels) => heavyJob(channels, 56))
    let answered = 0
    const replies = jobs.map(async (job) => {
      const res = await fetch(`${base}/conv2d`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job.body) })
      const text = await res.text()
      answered++
      return { status: res.status, text, job }
    })
    // wait until the server holds every job (running + queued + answered = all), then signal
    for (;;) {
      const r = await readiness(base)
      if (r.running + r.queued + answered === jobs.length) break
      await new Promise((resolve) => setImmediate(resolve))
    }
    const inFlightAtSignal = jobs.length - answered
    proc.kill('SIGTERM')
    await shuttingDown

    const after = await fetch(`${base}/healthz`).then((res) => res.status, (error: Error) => (error.cause as { code?: string })?.code ?? error.message)
    expect([503, 'ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']).toContain(after)

    for (const { status, text, job } of await Promise.all(replies)) expectAnswer(status, text, job.want, 'job in flight at SIGTERM')
    expect(await exited).toBe(0)
    // the property is about jobs in flight: the signal must have found some
    expect(inFlightAtSignal).toBeGreaterThanOrEqual(1)
  }, 60_000)
})
