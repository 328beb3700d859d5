import type { Piscina } from 'piscina'
import { ApiError, type ErrorCode } from '../errors.js'
import type { EngineSetting } from '../engines/types.js'
import { runInline, shouldRunInline } from './inline.js'
import type { ReplyBuffers } from './reply-buffers.js'
import { bodyResult, replyBody, replyLength, resolveJob, taskBuffers, type JobSpec, type ReplySpec, type TaskRefusal, type TaskResult, type WorkerTask } from './task.js'

export type RunOutcome = TaskResult & {
  /** milliseconds the job waited for a worker (0 inline) */
  readonly queueMs: number
  /**
   * milliseconds the job spent passing between threads: the round trip to its worker less the
   * worker's own time (the task's and the result's messages, waking each thread; 0 inline)
   */
  readonly hopMs: number
  /**
   * set when the reply body lives in a shared reply buffer: call once the reply has been
   * written (or abandoned), so the buffer can serve another reply
   */
  readonly release?: () => void
}

export interface SchedulerOptions {
  readonly workers: number
  readonly maxQueue: number
  readonly jobTimeoutMs: number
  readonly engine: EngineSetting
  readonly inlineFlops: number
  /** shared buffers for large replies built on the workers (none: each reply has its own) */
  readonly replyBuffers?: ReplyBuffers
  /** called when a job ends, for metrics and logs */
  readonly onJobDone?: (job: JobSpec, outcome: RunOutcome | undefined, status: 'ok' | 'timeout' | 'aborted' | 'failed' | 'refused') => void
}

interface Pending {
  readonly job: JobSpec
  readonly reply: ReplySpec | undefined
  readonly enqueuedAt: number
  state: 'queued' | 'running' | 'settled'
  resolve(value: RunOutcome): void
  reject(error: Error): void
  cleanup(): void
}

/**
 * Admission and ordering in front of piscina: at most one job per worker is handed to piscina,
 * the rest wait here in a bounded FIFO. Waiting here (not in piscina) is what lets a job whose
 * client has gone or whose time is up leave the queue without ever starting, and what lets a
 * running job be abandoned without terminating its thread (terminating a thread inside
 * onnxruntime's session.run kills the whole process).
 */
export class Scheduler {
  private readonly queue: Pending[] = []
  private running = 0
  private closing = false
  private idleWaiters: (() => void)[] = []
  /** recent job run times, for Retry-After */
  private averageRunMs = 50

  constructor(
    private readonly pool: Piscina,
    private readonly options: SchedulerOptions,
  ) {}

  get queued(): number {
    return this.queue.length
  }

  get active(): number {
    return this.running
  }

  get isClosing(): boolean {
    return this.closing
  }

  /** Ready to take work: not shutting down, the pool has threads, the queue has room. */
  isReady(): boolean {
    return !this.closing && this.pool.threads.length > 0 && this.queue.length < this.options.maxQueue
  }

  utilization(): number {
    return this.pool.utilization
  }

  /** True when `run` would compute this job at once on the calling thread (no queue, no worker). */
  runsInline(job: JobSpec): boolean {
    return shouldRunInline(job, this.options.engine, this.options.inlineFlops)
  }

  /**
   * Runs a job inline or on a worker. With `reply`, the outcome is the reply body built where the
   * job ran; without, the output tensors.
   */
  run(job: JobSpec, signal?: AbortSignal, reply?: ReplySpec): Promise<RunOutcome> {
    if (this.closing) throw new ApiError('SHUTTING_DOWN', 'the service is shutting down; retry on another instance')
    if (signal?.aborted) throw new ApiError('INTERNAL', 'the request was aborted before its job started')
    if (this.runsInline(job)) {
      const started = performance.now()
      const result = runInline(resolveJob(job))
      const body = reply ? replyBody(reply, result) : undefined
      // decoding and the reply's encoding, as a worker reports them
      const codecMs = performance.now() - started - result.computeMs
      // completed in place, not spread (engines/result.ts)
      const outcome: RunOutcome = body
        ? Object.assign(bodyResult(body, result, codecMs), { queueMs: 0, hopMs: 0 })
        : Object.assign(result, { codecMs, queueMs: 0, hopMs: 0 })
      this.options.onJobDone?.(job, outcome, 'ok')
      return Promise.resolve(outcome)
    }
    if (this.running >= this.options.workers && this.queue.length >= this.options.maxQueue) {
      throw new ApiError(
        'QUEUE_FULL',
        `the job queue is full (${this.queue.length} waiting, MAX_QUEUE=${this.options.maxQueue}); retry after the Retry-After seconds`,
        { 'retry-after': String(this.retryAfterSeconds()) },
      )
    }
    return new Promise<RunOutcome>((resolve, reject) => {
      const timer = setTimeout(() => this.expire(pending), this.options.jobTimeoutMs)
      const onAbort = () => this.abandon(pending, 'aborted')
      signal?.addEventListener('abort', onAbort, { once: true })
      const pending: Pending = {
        job,
        reply,
        enqueuedAt: performance.now(),
        state: 'queued',
        resolve,
        reject,
        cleanup() {
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
        },
      }
      this.queue.push(pending)
      this.pump()
    })
  }

  /** Stop taking jobs, let every accepted one finish and answer, then close the threads. */
  async close(): Promise<void> {
    this.closing = true
    if (this.running > 0 || this.queue.length > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
    }
    await this.pool.close()
  }

  private retryAfterSeconds(): number {
    const waitMs = ((this.queue.length + 1) * this.averageRunMs) / this.options.workers
    return Math.max(1, Math.ceil(waitMs / 1000))
  }

  private pump(): void {
    while (this.running < this.options.workers && this.queue.length > 0) {
      const pending = this.queue.shift()!
      this.start(pending)
    }
    if (this.running === 0 && this.queue.length === 0) {
      for (const wake of this.idleWaiters.splice(0)) wake()
    }
  }

  private start(pending: Pending): void {
    pending.state = 'running'
    this.running++
    const startedAt = performance.now()
    const queueMs = startedAt - pending.enqueuedAt
    // the worker may write into the shared buffer until its run settles, even if the job was
    // abandoned meanwhile: it is released then, or, once the reply is out, by the caller
    const length = pending.reply && replyLength(pending.reply)
    const shared = length === undefined ? undefined : this.options.replyBuffers?.acquire(length)
    const task: WorkerTask = pending.reply
      ? shared
        ? { job: pending.job, engine: this.options.engine, reply: pending.reply, replyInto: shared.buffer }
        : { job: pending.job, engine: this.options.engine, reply: pending.reply }
      : { job: pending.job, engine: this.options.engine }
    // Once a run comes back, its worker gets the next queued job in the same turn, after this job
    // is settled but before its caller continues (a promise's continuation is a microtask): the
    // caller may spend a while on this thread writing a megabyte reply, and the worker would idle.
    const freeWorker = () => {
      this.running--
      this.pump()
    }
    this.pool.run(task, { transferList: taskBuffers(pending.job) }).then(
      (result: TaskResult | TaskRefusal) => {
        try {
          const roundTripMs = performance.now() - startedAt
          this.averageRunMs = 0.8 * this.averageRunMs + 0.2 * roundTripMs
          // (the body arrives as a view of a new SharedArrayBuffer object over the same memory)
          const usesShared = shared !== undefined && 'body' in result && result.body.buffer instanceof SharedArrayBuffer
          const abandoned = pending.state !== 'running'
          // the buffer goes back now unless the reply will be sent from it (an abandoned job's never is)
          if (!usesShared || abandoned) shared?.release()
          if (abandoned) return
          pending.state = 'settled'
          pending.cleanup()
          if ('refused' in result) {
            // a client mistake found in the bytes on the worker (a bad base64 character): a 4xx
            this.options.onJobDone?.(pending.job, undefined, 'refused')
            pending.reject(new ApiError(result.refused.code as ErrorCode, result.refused.message))
            return
          }
          // the result is this thread's own copy (structured clone): completed in place
          const hopMs = Math.max(0, roundTripMs - (result.workerMs ?? 0))
          const outcome: RunOutcome = usesShared ? Object.assign(result, { queueMs, hopMs, release: shared.release }) : Object.assign(result, { queueMs, hopMs })
          this.options.onJobDone?.(pending.job, outcome, 'ok')
          pending.resolve(outcome)
        } finally {
          freeWorker()
        }
      },
      (error: unknown) => {
        try {
          shared?.release()
          if (pending.state !== 'running') return
          pending.state = 'settled'
          pending.cleanup()
          this.options.onJobDone?.(pending.job, undefined, 'failed')
          pending.reject(workerFailure(error))
        } finally {
          freeWorker()
        }
      },
    )
  }

  private expire(pending: Pending): void {
    if (pending.state === 'settled') return
    const seconds = this.options.jobTimeoutMs
    this.abandon(pending, 'timeout')
    pending.reject(
      new ApiError('JOB_TIMEOUT', `the job ran past the time limit of ${seconds} ms (JOB_TIMEOUT_MS); its result is dropped`),
    )
  }

  /** A queued job leaves the queue and never starts; a running one finishes and its result is dropped. */
  private abandon(pending: Pending, why: 'timeout' | 'aborted'): void {
    if (pending.state === 'settled') return
    if (pending.state === 'queued') {
      const at = this.queue.indexOf(pending)
      if (at >= 0) this.queue.splice(at, 1)
    }
    pending.state = 'settled'
    pending.cleanup()
    this.options.onJobDone?.(pending.job, undefined, why)
    if (why === 'aborted') pending.reject(new ApiError('INTERNAL', 'the request was aborted'))
    this.pump()
  }
}

/** A worker that died or threw: the client sees a coded 500 without internals; the log has the rest. */
function workerFailure(error: unknown): ApiError {
  const failure = new ApiError('WORKER_FAILED', 'the worker running this job failed; the job was not completed, retry it')
  ;(failure as { cause?: unknown }).cause = error
  return failure
}
