import { move, transferableSymbol, valueSymbol, workerData } from 'piscina'
import { setPrepackBudget } from '../engines/onnxruntime/engine.js'
import { runJob } from '../engines/run.js'
import { ApiError } from '../errors.js'
import { releaseBuffers } from './release-buffers.js'
import { bodyResult, replyBody, resolveJob, taskBuffers, type TaskRefusal, type TaskResult, type WorkerTask } from './task.js'
import { lowerThreadPriority } from './thread-priority.js'
import type { WorkerSettings } from './worker-settings.js'

const settings = (workerData ?? {}) as WorkerSettings
lowerThreadPriority(Number(settings.nice ?? 0))
if (settings.prepackBytes !== undefined) setPrepackBudget(settings.prepackBytes)

/**
 * The piscina worker entry. Tensors arrive as transferred buffers (decoded, or a large body's
 * base64 bytes, decoded here); the result's buffers — the tensors, or the reply body when the
 * task asks for one, written into the shared reply buffer when the task brings one — are
 * transferred back (S2's output is 800 kB: cloning it would cost as much
 * as the hop). Every other buffer of the job is freed as soon as the result is built
 * (release-buffers.ts). A client mistake found in the bytes comes back as a refusal, never as a throw:
 * piscina would turn a thrown error into a bare Error without its code.
 */
export default async function work(task: WorkerTask): Promise<TaskResult | TaskRefusal> {
  const started = performance.now()
  let job
  try {
    job = resolveJob(task.job)
  } catch (error) {
    if (error instanceof ApiError) return { refused: { code: error.code, message: error.message } }
    throw error
  }
  const decodeMs = performance.now() - started
  const result = await runJob(job, task.engine)
  if (task.reply) {
    const encodeStarted = performance.now()
    const into = task.replyInto ? new Uint8Array(task.replyInto) : undefined
    const body = replyBody(task.reply, result, into)
    const done = performance.now()
    const out = Object.assign(bodyResult(body, result, decodeMs + done - encodeStarted), { workerMs: done - started })
    // the tensors are in the body now: all of them go, the task's and the run's
    releaseBuffers([...taskBuffers(task.job), ...taskBuffers(job), result.output.buffer, result.indices?.buffer], new Set([body.buffer]))
    // a view of the shared buffer crosses as a view (no copy); a buffer of its own moves
    return body.buffer === task.replyInto ? out : transfer(out, [body.buffer as ArrayBuffer])
  }
  const buffers: ArrayBuffer[] = [result.output.buffer as ArrayBuffer]
  if (result.indices) buffers.push(result.indices.buffer as ArrayBuffer)
  // the task's buffers (a large body's chunks), and the tensors run, decoded here or the task's own
  releaseBuffers([...taskBuffers(task.job), ...taskBuffers(job)], new Set(buffers))
  return transfer(Object.assign(result, { codecMs: decodeMs, workerMs: performance.now() - started }), buffers)
}

function transfer(value: TaskResult, buffers: ArrayBuffer[]): TaskResult {
  return move({
    get [transferableSymbol]() {
      return buffers
    },
    get [valueSymbol]() {
      return value
    },
  }) as unknown as TaskResult
}
