import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { post, startApp } from '../helpers/app.js'

/** niceness of every thread of this process, by thread id (field 19 of /proc/self/task/<tid>/stat) */
function niceness(): Map<number, number> {
  const out = new Map<number, number>()
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      // the command name is in parentheses and may contain spaces: count fields after it
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(Number(tid), Number(fields[16]))
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out
}

describe.runIf(process.platform === 'linux')('worker thread priority (WORKER_NICE)', () => {
  let app: FastifyInstance | undefined
  afterAll(async () => {
    await app?.close()
  })

  it('each worker thread lowers its own priority by WORKER_NICE; the main thread keeps its own', async () => {
    const before = niceness()
    const base = before.get(process.pid)!
    app = await startApp({ workers: 2, workerNice: 5, inlineFlops: 0 })
    // both threads have started once each has run a job (piscina hands them out in turn)
    const input = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => i + j))
    const lowered = () => [...niceness()].filter(([tid, nice]) => !before.has(tid) && nice === Math.min(19, base + 5))
    for (let i = 0; i < 200 && lowered().length < 2; i++) {
      expect((await post(app, '/conv2d', { input, kernel: [[1, 1], [1, 1]] })).statusCode).toBe(200)
    }
    expect(lowered()).toHaveLength(2)
    expect(niceness().get(process.pid)).toBe(base)
  })
})
