import { Client } from 'undici'
import { parseServerTiming as readServerTiming } from '../src/client/timing.js'
import type { BenchServer } from './child.js'
import { base64Body } from './bodies.js'
import { rawSession } from './compute.js'
import { SCENARIOS, type Scenario } from './scenarios.js'

/**
 * Sections 1 and 2 of `npm run bench`: each scenario POSTed as base64 to a running convserve, one
 * client, one request at a time, alternating with a raw onnxruntime-node session.run of the same
 * graph in this process (weight as a graph input, feeds built once), so both sides see the same
 * machine state. From each reply: Server-Timing `compute` (the engine's run inside the worker),
 * `total` (the request as the server saw it) and the client's end-to-end time (request written to
 * last response byte read; no client-side JSON parse). The body is the same on every request, so a
 * conv's weight runs prepacked after its second request; a server with PREPACK_MB=0, when given,
 * shows the weight-as-input figures beside them.
 */
export interface PoolRow {
  readonly id: string
  readonly label: string
  readonly flops: number
  readonly rawMs: number
  readonly computeMs: number
  readonly serverTotalMs: number
  readonly endToEndMs: number
  readonly queueMs: number
  /** Server-Timing codec (decoding and encoding on the worker) and hop (to the worker and back) */
  readonly codecMs: number
  readonly hopMs: number
  /** the same request to a server with PREPACK_MB=0 (the weight always a graph input), when one was given */
  readonly inputWeight?: { readonly computeMs: number; readonly endToEndMs: number }
  readonly engine: string
  readonly requestBytes: number
  readonly replyBytes: number
  readonly reps: number
  /** rawMs / computeMs: 1 = the service's engine as fast as the raw runtime */
  readonly computeVsRaw: number
  /** endToEndMs / rawMs */
  readonly endToEndOverRaw: number
}

export interface PoolOptions {
  /** per side of the warm-up */
  readonly warmupMs?: number
  readonly budgetMs?: number
  readonly maxReps?: number
  readonly minReps?: number
}

export interface ServerTiming {
  readonly queueMs: number
  readonly computeMs: number
  readonly codecMs: number
  readonly hopMs: number
  readonly totalMs: number
  readonly engine: string
}

/** The service's Server-Timing header, read with the client's parser; NaN for what is missing. */
export function parseServerTiming(header: string): ServerTiming {
  const t = readServerTiming(header) ?? {}
  return {
    queueMs: t.queue ?? NaN,
    computeMs: t.compute ?? NaN,
    codecMs: t.codec ?? NaN,
    hopMs: t.hop ?? NaN,
    totalMs: t.total ?? NaN,
    engine: t.engine ?? '?',
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

/**
 * One request: the body is bytes built once (as autocannon sends it; a client's own string
 * encoding is not the service's time); the reply is read to its last byte and counted, not
 * concatenated. The count is checked against Content-Length.
 */
export async function post(client: Client, path: string, body: Buffer): Promise<{ ms: number; bytes: number; timing: ServerTiming }> {
  const t0 = performance.now()
  const res = await client.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } })
  let bytes = 0
  for await (const chunk of res.body) bytes += (chunk as Buffer).length
  const ms = performance.now() - t0
  if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`)
  const length = Number(res.headers['content-length'])
  if (bytes !== length) throw new Error(`${path}: read ${bytes} bytes of ${length}`)
  return { ms, bytes, timing: parseServerTiming(String(res.headers['server-timing'] ?? '')) }
}

/**
 * A new session runs its first ~220 calls at ~0.5 ms more each, then settles (raw session.run on
 * S5: 0.52 ms for the first 216 calls, 0.073 ms after, measured here; S4 shorter). Both sides are
 * warmed until past that: the raw session alone, the service over two connections so both
 * workers (each with its own session) get their share. Steady state is what a busy service sees.
 */
async function warmUp(server: BenchServer, s: Scenario, body: Buffer, raw: () => Promise<unknown>, budgetMs: number): Promise<void> {
  const until = performance.now() + budgetMs
  for (let i = 0; i < 300 && performance.now() < until; i++) await raw()
  const clients = [new Client(server.url, { pipelining: 1 }), new Client(server.url, { pipelining: 1 })]
  let left = 600
  const until2 = performance.now() + budgetMs
  await Promise.all(
    clients.map(async (c) => {
      while (left-- > 0 && performance.now() < until2) await post(c, s.wire.path, body)
    }),
  )
  await Promise.all(clients.map((c) => c.close()))
}

async function measure(server: BenchServer, s: Scenario, opts: Required<PoolOptions>, unpacked?: BenchServer): Promise<PoolRow> {
  const job = s.job()
  const body = Buffer.from(base64Body(s, job))
  const { session, feeds } = await rawSession(job)
  const client = new Client(server.url, { pipelining: 1 })
  const other = unpacked && new Client(unpacked.url, { pipelining: 1 })
  const otherCompute: number[] = []
  const otherE2e: number[] = []
  try {
    const raw: number[] = []
    const e2e: number[] = []
    const compute: number[] = []
    const total: number[] = []
    const queue: number[] = []
    const codec: number[] = []
    const hop: number[] = []
    let engine = '?'
    let replyBytes = 0
    await warmUp(server, s, body, () => session.run(feeds), opts.warmupMs)
    if (unpacked) await warmUp(unpacked, s, body, () => session.run(feeds), opts.warmupMs / 3)
    const started = performance.now()
    while (raw.length < opts.maxReps && (raw.length < opts.minReps || performance.now() - started < opts.budgetMs)) {
      const t0 = performance.now()
      await session.run(feeds)
      raw.push(performance.now() - t0)
      const r = await post(client, s.wire.path, body)
      e2e.push(r.ms)
      compute.push(r.timing.computeMs)
      total.push(r.timing.totalMs)
      queue.push(r.timing.queueMs)
      codec.push(r.timing.codecMs)
      hop.push(r.timing.hopMs)
      engine = r.timing.engine
      replyBytes = r.bytes
      if (other) {
        const o = await post(other, s.wire.path, body)
        otherCompute.push(o.timing.computeMs)
        otherE2e.push(o.ms)
      }
    }
    const rawMs = median(raw)
    const computeMs = median(compute)
    const endToEndMs = median(e2e)
    return {
      id: s.id,
      label: s.label,
      flops: job.geometry.flops,
      rawMs,
      computeMs,
      serverTotalMs: median(total),
      endToEndMs,
      queueMs: median(queue),
      codecMs: median(codec),
      hopMs: median(hop),
      ...(other ? { inputWeight: { computeMs: median(otherCompute), endToEndMs: median(otherE2e) } } : {}),
      engine,
      requestBytes: body.length,
      replyBytes,
      reps: raw.length,
      computeVsRaw: rawMs / computeMs,
      endToEndOverRaw: endToEndMs / rawMs,
    }
  } finally {
    await client.close()
    await other?.close()
    await session.release()
  }
}

/** `unpacked`: a server with PREPACK_MB=0, also asked every conv scenario's request, in the same alternation */
export async function runPoolBench(server: BenchServer, options: PoolOptions = {}, scenarios = SCENARIOS, unpacked?: BenchServer): Promise<PoolRow[]> {
  const opts: Required<PoolOptions> = { warmupMs: 3000, budgetMs: 2500, maxReps: 150, minReps: 10, ...options }
  const rows: PoolRow[] = []
  for (const s of scenarios) rows.push(await measure(server, s, opts, s.wire.path === '/conv2d' ? unpacked : undefined))
  return rows
}

/**
 * The wire alone for a scenario: its base64 request POSTed to the bare Fastify floor, which
 * answers a constant of the same length as convserve's reply — one client, sequential, medians.
 * End-to-end minus this is what the service adds to moving the bytes.
 */
export async function transportFloorMs(floor: BenchServer, s: Scenario, replyBytes: number, reps = 150): Promise<number> {
  const body = Buffer.from(base64Body(s))
  const client = new Client(floor.url, { pipelining: 1 })
  try {
    const path = `/sized-reply?bytes=${replyBytes}`
    for (let i = 0; i < 30; i++) await post(client, path, body)
    const times: number[] = []
    for (let i = 0; i < reps; i++) times.push((await post(client, path, body)).ms)
    return median(times)
  } finally {
    await client.close()
  }
}
