import autocannon from 'autocannon'

/**
 * HTTP throughput with autocannon, run from this process against servers in other processes
 * (forked bench servers, the Python peer). Servers compared with each other are all up at once
 * and measured in interleaved rounds (A B C, A B C, …), each round a short autocannon run; a
 * figure is the median over rounds. The machine is shared with other work whose load comes and
 * goes: back-to-back 10 s runs let a burst of it land on one contender only, interleaving spreads
 * it over all of them. Each contender gets a warm-up run first (JIT, sessions, sockets).
 *
 * The machine has 2 cores: a server's main thread and workers and autocannon share them, so every
 * figure is "server + load generator on 2 cores", the same for each contender.
 */
export interface Contender {
  readonly name: string
  readonly target: string
  readonly url: string
  readonly body: string
  readonly connections?: number
  /**
   * called around each measured round (event-loop delay sampling): `before` as it starts,
   * `window(true)` and `window(false)` at the edges of its saturated window, `after` once it ended
   */
  readonly watch?: { before(): void; window(open: boolean): void; after(): Promise<void> }
}

export interface LoadRow {
  readonly name: string
  readonly target: string
  readonly connections: number
  /** median over rounds of 2xx responses per second */
  readonly reqPerSec: number
  readonly minReqPerSec: number
  readonly maxReqPerSec: number
  /** medians over rounds */
  readonly latencyP50Ms: number
  readonly latencyP99Ms: number
  readonly ok: number
  readonly non2xx: number
  readonly errors: number
  readonly seconds: number
}

export interface LoadOptions {
  readonly rounds: number
  readonly roundSeconds: number
  readonly warmupSeconds: number
  /** idle time before each round, so that the server measured before has finished its cut-off requests */
  readonly settleSeconds: number
}

/**
 * A round's saturated window: the round less its first 250 ms and last 100 ms. When a round
 * starts, the ten connections open and send their first bodies at once (10 × 1.2 MB for S2) to a
 * server whose workers idle, and the main thread reads them all in one turn of its loop; when it
 * ends, they close. The event-loop delay in between is the delay while the workers are saturated.
 * Measured (docs/performance.md, "The event loop at the start of a round"): a round's longest
 * stalls fell 44–70 ms after its start.
 */
export const SATURATED_FROM_SECONDS = 0.25
export const SATURATED_UNTIL_END_SECONDS = 0.1

export function loadOptionsFromEnv(): LoadOptions {
  // BENCH_HTTP_SECONDS (per contender, default 16: eight 2 s rounds) shortens the runs for a quick
  // look. Eight rather than five: on this shared machine single rounds of the same server varied
  // by 2× (the peer's S2 rate 23–70 req/s within minutes), and the median of more rounds moves less.
  const seconds = Number(process.env['BENCH_HTTP_SECONDS'] ?? 16)
  const rounds = Math.max(1, Math.round(seconds / 2))
  // settle: a round's last connections are cut off with requests in flight, which a server goes on
  // computing (the Python peer, at ~60 S2 requests/s with ten in flight, for some 0.17 s); the
  // next server's round should not share the cores with that
  return { rounds, roundSeconds: seconds / rounds, warmupSeconds: 2, settleSeconds: 0.5 }
}

function run(c: Contender, seconds: number) {
  return autocannon({
    url: c.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: c.body,
    connections: c.connections ?? 10,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
  })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

export async function compareLoads(contenders: readonly Contender[], opts: LoadOptions): Promise<LoadRow[]> {
  for (const c of contenders) await run(c, opts.warmupSeconds)
  const rounds = contenders.map(() => [] as Awaited<ReturnType<typeof run>>[])
  for (let r = 0; r < opts.rounds; r++) {
    for (const [i, c] of contenders.entries()) {
      await new Promise((resolve) => setTimeout(resolve, opts.settleSeconds * 1000))
      c.watch?.before()
      let closed = false
      const close = () => {
        if (!closed) c.watch?.window(false)
        closed = true
      }
      const marks = c.watch
        ? [setTimeout(() => c.watch!.window(true), SATURATED_FROM_SECONDS * 1000), setTimeout(close, (opts.roundSeconds - SATURATED_UNTIL_END_SECONDS) * 1000)]
        : []
      rounds[i]!.push(await run(c, opts.roundSeconds))
      for (const mark of marks) clearTimeout(mark)
      close()
      await c.watch?.after()
    }
  }
  return contenders.map((c, i) => {
    const rs = rounds[i]!
    const rates = rs.map((x) => x['2xx'] / x.duration)
    return {
      name: c.name,
      target: c.target,
      connections: c.connections ?? 10,
      reqPerSec: median(rates),
      minReqPerSec: Math.min(...rates),
      maxReqPerSec: Math.max(...rates),
      latencyP50Ms: median(rs.map((x) => x.latency.p50)),
      latencyP99Ms: median(rs.map((x) => x.latency.p99)),
      ok: rs.reduce((a, x) => a + x['2xx'], 0),
      non2xx: rs.reduce((a, x) => a + x.non2xx, 0),
      errors: rs.reduce((a, x) => a + x.errors, 0),
      seconds: rs.reduce((a, x) => a + x.duration, 0),
    }
  })
}
