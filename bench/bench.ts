import { cpus, loadavg } from 'node:os'
import { TOY_BODY, base64Body } from './bodies.js'
import { appSource, BenchServer, ProcessServer } from './child.js'
import { runComputeBench, type ComputeRow } from './compute.js'
import { SCENARIOS, TARGET_IDS } from './scenarios.js'
import { compareLoads, loadOptionsFromEnv, SATURATED_FROM_SECONDS, SATURATED_UNTIL_END_SECONDS, type Contender, type LoadRow } from './http.js'
import { Peer, peerAvailable } from './peer.js'
import { runPoolBench, transportFloorMs, type PoolRow } from './pool.js'
import { runScalingInChild, type ScalingRow } from './scaling.js'
import type { EventLoopDelay } from './server.js'
import { atLeast, atMost, summaryTable, type Check } from './targets.js'
import { ms, num, table } from './table.js'

/**
 * `npm run bench`. Sections run one after another in this process and print one table each as
 * they finish; the last table lists issue 4's targets with PASS/FAIL. Servers run in child
 * processes (bench/server.ts), the peer under gunicorn (bench/peer.ts). Not a test: nothing here
 * asserts on a time. About 7 minutes (npm run build first: see docs/performance.md).
 */
const LOG_LEVEL = 'warn' // as the peer's `--log-level warning`: no per-request log lines on either side
const BIG = 'S2 base64'
const PROCS = 'convserve PROCESSES=2 × W=1'
const WIRE = 'bare Fastify wire floor'

export function computeTable(rows: readonly ComputeRow[]): string {
  return table(
    ['id', 'case', 'MFLOP', 'raw ms', 'engine ms', 'new-weight ms', 'core ms', 'raw GF/s', 'engine GF/s', 'core GF/s', 'engine/raw', 'new-weight/raw', 'core/raw', 'ran on'],
    rows.map((r) => [
      r.id, r.label, num(r.flops / 1e6), ms(r.rawMs), ms(r.engineMs), ms(r.newWeightMs), ms(r.coreMs), num(r.rawGflops), num(r.engineGflops),
      num(r.coreGflops, 2), num(r.engineVsRaw, 2), num(r.rawMs / r.newWeightMs, 2), num(r.coreVsRaw, 4), r.engine,
    ]),
  )
}

const computeTarget = (id: string) => (['S1', 'S2', 'S3'].includes(id) ? 0.85 : 0.5)
const targetText = (id: string) => (TARGET_IDS.includes(id) ? `≥ ${computeTarget(id)}` : '–')

function poolTable(rows: readonly PoolRow[]): string {
  return table(
    ['id', 'case', 'raw ms', 'compute ms', 'raw/compute', 'target', 'queue ms', 'server total ms', 'end-to-end ms', 'unpacked compute ms', 'raw/unpacked', 'unpacked e2e ms', 'request kB', 'reps', 'ran on'],
    rows.map((r) => [
      r.id, r.label, ms(r.rawMs), ms(r.computeMs), num(r.computeVsRaw, 2), targetText(r.id), ms(r.queueMs),
      ms(r.serverTotalMs), ms(r.endToEndMs), r.inputWeight ? ms(r.inputWeight.computeMs) : '–', r.inputWeight ? num(r.rawMs / r.inputWeight.computeMs, 2) : '–',
      r.inputWeight ? ms(r.inputWeight.endToEndMs) : '–', num(r.requestBytes / 1024, 0), String(r.reps), r.engine,
    ]),
  )
}

function latencyTable(r: PoolRow, floorMs: number): string {
  return table(
    ['case', 'raw kernel ms', 'compute ms', 'codec ms', 'hop ms', 'server total ms', 'end-to-end ms', 'end-to-end / raw', 'target', 'wire floor ms', 'e2e − floor ms'],
    [
      [
        `${r.id} base64, 1 client`, ms(r.rawMs), ms(r.computeMs), ms(r.codecMs), ms(r.hopMs), ms(r.serverTotalMs), ms(r.endToEndMs), num(r.endToEndOverRaw, 2), '≤ 2.5',
        ms(floorMs), ms(r.endToEndMs - floorMs),
      ].map(String),
    ],
    1,
  )
}

function loadTable(rows: readonly LoadRow[]): string {
  return table(
    ['body', 'server', 'conns', 'req/s (median)', 'min–max', 'p50 ms', 'p99 ms', '2xx', 'non-2xx', 'errors'],
    rows.map((r) => [
      r.name, r.target, String(r.connections), num(r.reqPerSec, 0), `${num(r.minReqPerSec, 0)}–${num(r.maxReqPerSec, 0)}`, ms(r.latencyP50Ms), ms(r.latencyP99Ms),
      String(r.ok), String(r.non2xx), String(r.errors),
    ]),
  )
}

interface RoundDelays {
  readonly round: EventLoopDelay
  readonly saturated: EventLoopDelay
}

function delayTable(rows: readonly { load: string; delay: RoundDelays }[]): string {
  return table(
    ['load on the server', 'saturated max ms', 'p99 ms', 'mean ms', 'whole rounds max ms', 'p99 ms', 'sampling ms'],
    rows.map(({ load, delay: { round, saturated } }) => [
      load, ms(saturated.maxMs), ms(saturated.p99Ms), ms(saturated.meanMs), ms(round.maxMs), ms(round.p99Ms), String(round.resolutionMs),
    ]),
    1,
  )
}

async function main(): Promise<void> {
  const http = loadOptionsFromEnv()
  const cpu = cpus()
  console.log(`convserve bench — ${cpu[0]?.model ?? 'cpu'} × ${cpu.length}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  console.log(`app: ${appSource().label}; servers log at "${LOG_LEVEL}"`)
  // every process here (this one, the servers, the peer) inherits it; see docs/performance.md
  console.log(`GLIBC_TUNABLES: ${process.env['GLIBC_TUNABLES'] || '(unset: glibc malloc defaults)'}`)
  console.log('The servers, their workers and the load generator share these cores; the machine may be shared too.')

  console.log('\n1a. Compute, in-process, one thread (medians; engine/raw = raw time ÷ engine time; engine = the same job\n    repeated, so a conv weight is prepacked; new-weight = a different weight every run, never prepacked)\n')
  console.log(computeTable(await runComputeBench()))

  const s2 = SCENARIOS.find((s) => s.id === 'S2')!
  const bigBody = base64Body(s2)
  // event-loop delay per load, over its measured rounds: the worst max, the median p99 and mean
  const samples = new Map<string, RoundDelays[]>()
  const watch = (server: BenchServer, label: string) => ({
    before: () => server.resetEventLoopDelay(),
    window: (open: boolean) => server.markSaturatedWindow(open),
    after: async () => {
      samples.set(label, [...(samples.get(label) ?? []), await server.eventLoopDelay()])
    },
  })

  const two = await BenchServer.start({ kind: 'convserve', workers: 2, logLevel: LOG_LEVEL })
  const floor = await BenchServer.start({ kind: 'floor', logLevel: LOG_LEVEL })
  const unpacked = await BenchServer.start({ kind: 'convserve', workers: 2, prepackMb: 0, logLevel: LOG_LEVEL })
  console.log(`\n1b. Engine through the pool: convserve WORKERS=2 (${two.source}), base64 over HTTP, one request at a time,`)
  console.log('    alternating with raw session.run in this process; compute = Server-Timing compute; medians. The same body')
  console.log('    every time, so a conv weight runs prepacked from its third request (the default, PREPACK_MB=32); "unpacked" =')
  console.log('    the same requests, in the same alternation, to a server with PREPACK_MB=0 (weight always a graph input, as raw)\n')
  const pool = await runPoolBench(two, {}, SCENARIOS, unpacked)
  await unpacked.close()
  console.log(poolTable(pool))
  const s2Row = pool.find((r) => r.id === 'S2')!
  const wireFloor = await transportFloorMs(floor, s2, s2Row.replyBytes)
  console.log('\n2. /conv2d S2 base64, one client, sequential (from the same run as 1b); wire floor = the same request')
  console.log('   to the bare Fastify floor answering a constant of the reply\'s length, same client; codec and hop are the')
  console.log('   Server-Timing medians: decoding and encoding on the worker, and the job\'s passage to the worker and back\n')
  console.log(latencyTable(s2Row, wireFloor))

  const available = peerAvailable()
  console.log(`\n3. HTTP throughput, autocannon, 10 connections, pipelining 1: per body, the servers in interleaved rounds`)
  console.log(`   (${http.rounds} × ${http.roundSeconds} s each, after a ${http.warmupSeconds} s warm-up each, ${http.settleSeconds} s idle before each; req/s = 2xx per second, median over rounds) — running…`)
  // every server up at once, so the rounds can interleave; an idle one costs next to nothing
  // the default MAX_QUEUE (4 × workers) would turn 10 connections on 1 worker into 503s: room for all
  const one = await BenchServer.start({ kind: 'convserve', workers: 1, maxQueue: 16, logLevel: LOG_LEVEL })
  // as deployed with PROCESSES=2 (one HTTP process and one engine thread per core, as the peer runs
  // one gunicorn worker per core); MAX_QUEUE as for W=1, since connections split unevenly
  const procs = await ProcessServer.start({ PROCESSES: '2', WORKERS: '1', MAX_QUEUE: '16', LOG_LEVEL: LOG_LEVEL })
  const peer = available.ok ? await Peer.start() : undefined
  if (!available.ok) console.log(`peer: not available (${available.why})`)
  const peerName = `FastAPI+PyTorch peer${peer?.note ?? ''}`

  const toy: Contender[] = [
    { name: 'toy', target: 'convserve W=2', url: `${two.url}/conv2d`, body: TOY_BODY, watch: watch(two, 'toy, W=2') },
    { name: 'toy', target: PROCS, url: `${procs.url}/conv2d`, body: TOY_BODY },
    { name: 'toy', target: 'bare Fastify floor', url: `${floor.url}/conv2d`, body: TOY_BODY, watch: watch(floor, 'toy, bare Fastify floor') },
  ]
  const big: Contender[] = [
    { name: BIG, target: 'convserve W=2', url: `${two.url}/conv2d`, body: bigBody, watch: watch(two, `${BIG}, W=2`) },
    { name: BIG, target: 'convserve W=1', url: `${one.url}/conv2d`, body: bigBody, watch: watch(one, `${BIG}, W=1`) },
    { name: BIG, target: PROCS, url: `${procs.url}/conv2d`, body: bigBody },
    // the control: the same bytes in and a reply of the same length out, nothing parsed or computed
    { name: BIG, target: WIRE, url: `${floor.url}/sized-reply?bytes=${s2Row.replyBytes}`, body: bigBody, watch: watch(floor, `${BIG}, ${WIRE}`) },
  ]
  if (peer) {
    toy.push({ name: 'toy', target: peerName, url: `${peer.url}/conv2d`, body: TOY_BODY })
    big.push({ name: BIG, target: peerName, url: `${peer.url}/conv2d`, body: bigBody })
  }
  const rows: LoadRow[] = [...(await compareLoads(toy, http)), ...(await compareLoads(big, http))]
  await peer?.stop()
  const serverLog = [two, one, floor].filter((s) => s.log.errors > 0).map((s) => `${s.log.errors} (first: ${s.log.first})`)
  for (const s of [two, one, floor]) await s.close()
  await procs.close()
  console.log('\n' + loadTable(rows))
  if (serverLog.length) console.log(`server error log lines: ${serverLog.join('; ')} — requests cut off when a round ends`)

  const rate = (name: string, target: string) => rows.find((r) => r.name === name && r.target.startsWith(target))?.reqPerSec
  const toyCs = rate('toy', 'convserve W=2')
  const toyProcs = rate('toy', PROCS)
  const bigProcs = rate(BIG, PROCS)
  const toyFloor = rate('toy', 'bare Fastify')
  const toyPeer = rate('toy', 'FastAPI')
  const bigCs = rate(BIG, 'convserve W=2')
  const bigOne = rate(BIG, 'convserve W=1')
  const bigPeer = rate(BIG, 'FastAPI')
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? a / b : undefined)

  console.log('\n4. Scaling with workers. (a) S2 base64 over HTTP, 10 connections (from the runs in 3): the main thread,')
  console.log('   the load generator and the wire share the cores with the workers, so this is not compute-bound here\n')
  console.log(table(['workers', 'req/s (median)'], [['1', num(bigOne ?? NaN, 0)], ['2', num(bigCs ?? NaN, 0)], ['2 ÷ 1', num(ratio(bigCs, bigOne) ?? NaN, 2)]], 1))
  console.log('\n   (b) compute-bound: jobs handed straight to the scheduler and pool (no HTTP), 2 per worker in flight,')
  console.log('   fresh tensors per job (copied into memory not zeroed first, as a socket\'s bytes arrive), the outputs freed on arrival;')
  console.log('   beside it the control, raw onnxruntime-node session.run looping on 1 and on 2 threads (weight a graph input,')
  console.log('   no hand-off, no fresh buffers, outputs freed likewise). All four in alternating rounds (5 × 2 s, after 3 s of warm-up per pool),\n   medians; in a fresh process of their own\n')
  const scaling = await runScalingInChild(['S1', 'S2', 'S3'])
  const scale = (rows: readonly ScalingRow[]) => rows[1]!.jobsPerSec / rows[0]!.jobsPerSec
  console.log(
    table(
      ['case', '1 worker jobs/s', '2 workers jobs/s', '2 ÷ 1', 'raw 1 thread runs/s', 'raw 2 threads runs/s', 'raw 2 ÷ 1'],
      scaling.map(({ id, rows }) => [
        id,
        num(rows.convserve[0]!.jobsPerSec, 0),
        num(rows.convserve[1]!.jobsPerSec, 0),
        num(scale(rows.convserve), 2),
        num(rows.raw[0]!.jobsPerSec, 0),
        num(rows.raw[1]!.jobsPerSec, 0),
        num(scale(rows.raw), 2),
      ]),
      1,
    ),
  )

  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
  const over = (ds: EventLoopDelay[]): EventLoopDelay => ({
    maxMs: Math.max(...ds.map((d) => d.maxMs)),
    p99Ms: mid(ds.map((d) => d.p99Ms)),
    meanMs: mid(ds.map((d) => d.meanMs)),
    resolutionMs: ds[0]!.resolutionMs,
  })
  const delays = [...samples].map(([load, ds]) => ({
    load: `${load}, 10 conns`,
    delay: { round: over(ds.map((d) => d.round)), saturated: over(ds.map((d) => d.saturated)) },
  }))
  console.log('\n5. Main-thread event-loop delay in the server process during the measured rounds (monitorEventLoopDelay;')
  console.log('   max over rounds, p99 and mean medians over rounds; each sample includes the sampling interval). Saturated:')
  console.log(`   each round less its first ${SATURATED_FROM_SECONDS * 1000} ms and last ${SATURATED_UNTIL_END_SECONDS * 1000} ms, when its ten connections open (their first bodies`)
  console.log('   arriving at once at idle workers) and close; whole rounds: everything. The wire floor is the control: a bare')
  console.log('   Fastify route taking the same S2 bytes in and sending as many out, no work\n')
  console.log(delayTable(delays))

  const bigDelay = (server: string) => delays.find((d) => d.load.startsWith(BIG) && d.load.includes(server))?.delay
  const x = (v: number) => `${v.toFixed(2)}×`
  const targeted = pool.filter((r) => TARGET_IDS.includes(r.id))
  const checks: Check[] = [
    ...targeted.map((r) => atLeast(`${r.id} compute ≥ ${computeTarget(r.id)} × raw`, r.computeVsRaw, computeTarget(r.id), (v) => `${x(v)} (${ms(r.computeMs)} vs ${ms(r.rawMs)} ms)`)),
    // the same targets with prepacking off: the weight a graph input on both sides
    ...targeted.flatMap((r) => {
      const u = r.inputWeight
      if (!u) return []
      const t = computeTarget(r.id)
      return [atLeast(`${r.id} compute ≥ ${t} × raw, PREPACK_MB=0`, r.rawMs / u.computeMs, t, (v) => `${x(v)} (${ms(u.computeMs)} vs ${ms(r.rawMs)} ms)`)]
    }),
    atMost('S2 base64 end-to-end ≤ 2.5 × raw kernel', s2Row.endToEndOverRaw, 2.5, (v) => `${x(v)} (${ms(s2Row.endToEndMs)} vs ${ms(s2Row.rawMs)} ms)`),
    atMost('S2 base64 end-to-end ≤ 2.5 × raw kernel, PREPACK_MB=0', s2Row.inputWeight && s2Row.inputWeight.endToEndMs / s2Row.rawMs, 2.5, (v) => `${x(v)} (${ms(s2Row.inputWeight!.endToEndMs)} vs ${ms(s2Row.rawMs)} ms)`),
    atLeast('toy req/s ≥ 0.60 × bare Fastify floor', ratio(toyCs, toyFloor), 0.6, (v) => `${x(v)} (${num(toyCs!, 0)} vs ${num(toyFloor!, 0)})`),
    atLeast('toy req/s ≥ 1.5 × FastAPI+PyTorch (W=2)', ratio(toyCs, toyPeer), 1.5, (v) => `${x(v)} (${num(toyCs!, 0)} vs ${num(toyPeer!, 0)})`, 'peer: not available'),
    atLeast('toy req/s ≥ 1.5 × FastAPI+PyTorch (PROCESSES=2)', ratio(toyProcs, toyPeer), 1.5, (v) => `${x(v)} (${num(toyProcs!, 0)} vs ${num(toyPeer!, 0)})`, 'peer: not available'),
    atLeast('S2 base64 req/s ≥ 3 × FastAPI+PyTorch (W=2)', ratio(bigCs, bigPeer), 3, (v) => `${x(v)} (${num(bigCs!, 0)} vs ${num(bigPeer!, 0)})`, 'peer: not available'),
    atLeast('S2 base64 req/s ≥ 3 × FastAPI+PyTorch (PROCESSES=2)', ratio(bigProcs, bigPeer), 3, (v) => `${x(v)} (${num(bigProcs!, 0)} vs ${num(bigPeer!, 0)})`, 'peer: not available'),
    ...scaling.flatMap(({ id, rows }) => [
      atLeast(`${id} compute-bound jobs/s, 2 workers ≥ 1.6 × 1`, scale(rows.convserve), 1.6, (v) => `${x(v)} (${num(rows.convserve[1]!.jobsPerSec, 0)} vs ${num(rows.convserve[0]!.jobsPerSec, 0)})`),
      atLeast(`control, not convserve: raw onnxruntime ${id}, 2 threads ≥ 1.6 × 1`, scale(rows.raw), 1.6, (v) => `${x(v)} (${num(rows.raw[1]!.jobsPerSec, 0)} vs ${num(rows.raw[0]!.jobsPerSec, 0)})`),
    ]),
    atMost('no event-loop stall > 20 ms, workers saturated (S2, W=2)', bigDelay('W=2')?.saturated.maxMs, 20, (v) => `max ${ms(v)} ms (whole rounds ${ms(bigDelay('W=2')!.round.maxMs)})`),
    atMost('control, not convserve: the same for the bare wire floor', bigDelay(WIRE)?.saturated.maxMs, 20, (v) => `max ${ms(v)} ms (whole rounds ${ms(bigDelay(WIRE)!.round.maxMs)})`),
  ]
  const failedHttp = rows.filter((r) => r.non2xx > 0 || r.errors > 0)
  console.log(`\nSummary${peer?.note ?? ''}${failedHttp.length ? ` — WARNING: non-2xx or errors in ${failedHttp.map((r) => `${r.name}@${r.target}`).join(', ')}` : ''}\n`)
  console.log(summaryTable(checks))
}

await main()
