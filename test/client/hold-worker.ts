import type { WorkerTask } from '../../src/jobs/task.js'
import work from '../../src/jobs/worker.js'

/**
 * Worker entry for the queue tests: a pool job whose first input value is ≥ 1000 keeps its worker
 * busy that many milliseconds before computing. A sleeping worker holds the only thread without
 * burning a core on a shared machine, and its length does not depend on the machine's speed.
 */
export default async function holdThenWork(task: WorkerTask): ReturnType<typeof work> {
  const first = (task.job.input instanceof Float32Array ? task.job.input[0] : undefined) ?? 0
  if (task.job.op === 'pool' && first >= 1000) await new Promise((resolve) => setTimeout(resolve, first))
  return work(task)
}
