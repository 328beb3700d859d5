import { move, transferableSymbol, valueSymbol } from 'piscina'
import { runJob } from '../engines/run.js'
import type { EngineSetting, Job, JobResult } from '../engines/types.js'

export interface WorkerTask {
  readonly job: Job
  readonly engine: EngineSetting
}

/**
 * The piscina worker entry. Tensors arrive as transferred buffers; the result's buffers are
 * transferred back (a 1×64×56×56 output is 800 kB: cloning it would cost as much as the hop).
 */
export default async function work(task: WorkerTask): Promise<JobResult> {
  const result = await runJob(task.job, task.engine)
  const buffers: ArrayBuffer[] = [result.output.buffer as ArrayBuffer]
  if (result.indices) buffers.push(result.indices.buffer as ArrayBuffer)
  return move({
    get [transferableSymbol]() {
      return buffers
    },
    get [valueSymbol]() {
      return result
    },
  }) as unknown as JobResult
}
