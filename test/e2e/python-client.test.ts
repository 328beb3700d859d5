import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
// Debian's interpreter with python3-numpy, not whatever python is first on PATH
const PYTHON = '/usr/bin/python3'

let app: FastifyInstance
let url: string
beforeAll(async () => {
  app = await buildApp({ workers: 1, maxEventLoopDelayMs: 0 })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address() as { port: number }
  url = `http://127.0.0.1:${address.port}`
})
afterAll(async () => {
  await app.close()
})

describe('the README\'s Python snippet (docs/examples/client.py)', () => {
  it('runs as printed against a live server and prints the textbook answer', async () => {
    // asynchronous on purpose: a synchronous child would block the server it talks to
    const { stdout } = await run(PYTHON, ['docs/examples/client.py'], {
      cwd: root,
      env: { ...process.env, CONVSERVE_URL: url },
      timeout: 60_000,
    })
    expect(stdout).toBe('[[19. 25.]\n [37. 43.]]\n')
  })

  it('reports a coded error from the service', async () => {
    // the same helpers with a kernel larger than the input: the snippet's error path
    const script = `exec(open("docs/examples/client.py").read().split("X = np.arange")[0])
try:
    call("/conv2d", {"input": to_wire(np.zeros((2, 2))), "weight": to_wire(np.zeros((3, 3)))})
except RuntimeError as e:
    print(e)`
    const { stdout } = await run(PYTHON, ['-c', script], { cwd: root, env: { ...process.env, CONVSERVE_URL: url }, timeout: 60_000 })
    expect(stdout).toMatch(/^400 KERNEL_TOO_LARGE: kernel 3×3/)
  })
})
