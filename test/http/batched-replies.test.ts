import dc from 'node:diagnostics_channel'
import type { IncomingMessage, ServerResponse } from 'node:http'
import net from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, toBase64 } from '../helpers/app.js'

/**
 * Requests read in one turn of the event loop are all handled before any of their replies is
 * written, and a worker's result is written at once (http/plugins/batched-replies.ts). Observed
 * over real sockets: Node's HTTP diagnostics channel records, in order, each request's start and
 * each reply's `end()`.
 */
const TOY = JSON.stringify({ input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] })
const TOY_ANSWER = '{"output":[[19,25],[37,43]]}'
const request = (body: string) =>
  `POST /conv2d HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`

let app: FastifyInstance
let port: number
const events: string[] = []
function onRequestStart(message: unknown) {
  const { request: req, response } = message as { request: IncomingMessage; response: ServerResponse }
  events.push(`start ${req.url}`)
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse
  response.end = ((...args: unknown[]) => {
    events.push(`end ${req.url}`)
    return end(...args)
  }) as ServerResponse['end']
}

beforeAll(async () => {
  app = await startApp()
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = (app.server.address() as net.AddressInfo).port
  dc.subscribe('http.server.request.start', onRequestStart)
})
afterAll(async () => {
  dc.unsubscribe('http.server.request.start', onRequestStart)
  await app.close()
})

/** n connections, open on both sides (the server has accepted each) */
async function connections(n: number): Promise<net.Socket[]> {
  let accepted = 0
  const allAccepted = new Promise<void>((resolve) => {
    const onConnection = () => {
      if (++accepted === n) {
        app.server.off('connection', onConnection)
        resolve()
      }
    }
    app.server.on('connection', onConnection)
  })
  const sockets = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket))
      socket.once('error', reject)
    })),
  )
  await allAccepted
  return sockets
}

/** one whole HTTP response from the socket (head and Content-Length bytes of body), whatever its status */
const answer = (socket: net.Socket) =>
  new Promise<string>((resolve) => {
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => {
      text += d
      const head = text.indexOf('\r\n\r\n')
      const length = /\r\ncontent-length: (\d+)/i.exec(text)
      if (head >= 0 && length && text.length - head - 4 >= Number(length[1])) resolve(text)
    })
  })

describe('replies written together', () => {
  it('three textbook requests read in one turn: all three handled before the first reply is written', async () => {
    const sockets = await connections(3)
    const answers = sockets.map(answer)
    events.length = 0
    // one synchronous block: each write lands in the server's socket buffer before its loop polls
    for (const socket of sockets) socket.write(request(TOY))
    const texts = await Promise.all(answers)
    for (const text of texts) {
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
      expect(text.endsWith(`\r\n\r\n${TOY_ANSWER}`)).toBe(true)
    }
    expect(events).toEqual(['start /conv2d', 'start /conv2d', 'start /conv2d', 'end /conv2d', 'end /conv2d', 'end /conv2d'])
    for (const socket of sockets) socket.destroy()
  })

  it('the reply of an inline job leaves after the turn that computed it, that of a worker job in the turn its result came back', async () => {
    // 1×8×12×12 ⋆ 8×8×3×3 is 2·8·8·9·10·10 = 115,200 FLOPs, over the inline limit (50,000)
    const big = JSON.stringify({
      input: { shape: [1, 8, 12, 12], dtype: 'float32', base64: toBase64(Array.from({ length: 8 * 144 }, (_, i) => Math.sin(i))) },
      weight: { shape: [8, 8, 3, 3], dtype: 'float32', base64: toBase64(Array.from({ length: 8 * 8 * 9 }, (_, i) => Math.cos(i))) },
    })
    const metrics = app.metrics
    const recordJob = metrics.recordJob.bind(metrics)
    // called as the job's result is known, before its reply is built: marks the end of that turn
    metrics.recordJob = (...args) => {
      setImmediate(() => events.push('end of the turn the job finished in'))
      recordJob(...args)
    }
    try {
      const order = async (body: string) => {
        const [socket] = await connections(1)
        const text = answer(socket!)
        events.length = 0
        socket!.write(request(body))
        expect(await text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*compute;dur=[\d.]+;desc="(\w+)"/)
        socket!.destroy()
        return { engine: /desc="(\w+)"/.exec(await text)![1], events: [...events] }
      }
      const inline = await order(TOY)
      expect(inline.engine).toBe('reference')
      expect(inline.events).toEqual(['start /conv2d', 'end of the turn the job finished in', 'end /conv2d'])
      const onWorker = await order(big)
      expect(onWorker.engine).toBe('onnxruntime')
      expect(onWorker.events).toEqual(['start /conv2d', 'end /conv2d', 'end of the turn the job finished in'])
    } finally {
      metrics.recordJob = recordJob
    }
  })
})
