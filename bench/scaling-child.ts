import { SCENARIOS } from './scenarios.js'
import { runScalingBench, type ScenarioScaling } from './scaling.js'

/**
 * Section 4(b) in a process of its own (scaling.ts, runScalingInChild): the pool under test
 * shares its process's main thread, and by this point the bench's own process holds the
 * earlier sections' heap and sessions. argv[2]: the scenario ids, as JSON.
 */
const ids = JSON.parse(process.argv[2] ?? '[]') as string[]
const out: ScenarioScaling[] = []
for (const id of ids) {
  const scenario = SCENARIOS.find((s) => s.id === id)
  if (!scenario) throw new Error(`no scenario ${id}`)
  out.push({ id, rows: await runScalingBench(scenario) })
}
process.send!(out, () => process.disconnect())
