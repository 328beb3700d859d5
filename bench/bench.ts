import { cpus } from 'node:os'
import { runComputeBench, type ComputeRow } from './compute.js'

/**
 * `npm run bench`. Sections run one after another in this process and print one table each;
 * the HTTP sections (autocannon against the app and the FastAPI peer) are added beside
 * `compute`. Not a test: nothing here asserts on a time.
 */
function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3))
const num = (x: number, d = 1) => x.toFixed(d)

export function computeTable(rows: readonly ComputeRow[]): string {
  return table(
    ['id', 'case', 'MFLOP', 'raw ms', 'engine ms', 'core ms', 'raw GF/s', 'engine GF/s', 'core GF/s', 'engine/raw', 'core/raw', 'ran on'],
    rows.map((r) => [
      r.id,
      r.label,
      num(r.flops / 1e6),
      ms(r.rawMs),
      ms(r.engineMs),
      ms(r.coreMs),
      num(r.rawGflops),
      num(r.engineGflops),
      num(r.coreGflops, 2),
      num(r.engineVsRaw, 2),
      num(r.coreVsRaw, 4),
      r.engine,
    ]),
  )
}

async function main(): Promise<void> {
  console.log(`convserve bench — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}`)
  console.log('\nCompute, in-process, one thread (medians; engine/raw = raw time ÷ engine time)\n')
  console.log(computeTable(await runComputeBench()))
}

await main()
