import { BroadcastChannel } from 'node:worker_threads'
import { conv2d } from '../../src/core/conv2d.js'
import { resolveConv2d } from '../../src/core/geometry.js'
import { seeded } from '../engines/jobs.js'
import { toBase64 } from '../helpers/app.js'
import { CHANNEL } from '../fixtures/crash-worker.js'
import type { Expected } from '../helpers/answer.js'

export const CRASH_WORKER = new URL('../fixtures/crash-worker.ts', import.meta.url)

/** A small conv job whose first input value is `first` (the fixture worker's markers), with its answer. */
export function markedJob(first: number, seed = 1): { body: Record<string, unknown>; want: Expected } {
  const input = seeded(36, seed)
  input[0] = first
  const weight = seeded(18, seed + 1)
  const g = resolveConv2d([1, 1, 6, 6], [2, 1, 3, 3], undefined, {})
  return {
    body: { input: { shape: [1, 1, 6, 6], data: Array.from(input) }, weight: { shape: [2, 1, 3, 3], data: Array.from(weight) } },
    want: { shape: g.wireOutputShape, output: conv2d(g, input, weight) },
  }
}

/** A conv job heavy enough to occupy a worker for a while (S2-like, 14.5 MFLOP), base64 on the wire. */
export function heavyJob(channels = 16, side = 56): { body: Record<string, unknown>; want: Expected } {
  const inputShape = [1, channels, side, side]
  const weightShape = [channels, channels, 3, 3]
  const input = seeded(channels * side * side, 5)
  const weight = seeded(channels * channels * 9, 6)
  const g = resolveConv2d(inputShape, weightShape, undefined, { padding: 1 })
  return {
    body: {
      input: { shape: inputShape, dtype: 'float32', base64: toBase64(input) },
      weight: { shape: weightShape, dtype: 'float32', base64: toBase64(weight) },
      padding: 1,
    },
    want: { shape: g.wireOutputShape, output: conv2d(g, input, weight) },
  }
}

/** The test's end of the fixture worker's channel: which jobs started, and "release" for held ones. */
export class WorkerProbe {
  readonly started: number[] = []
  private readonly channel = new BroadcastChannel(CHANNEL)
  private waiters: (() => void)[] = []

  constructor() {
    this.channel.onmessage = (event) => {
      const data = (event as { data?: unknown }).data as { started?: number } | undefined
      if (typeof data?.started === 'number') {
        this.started.push(data.started)
        for (const wake of this.waiters.splice(0)) wake()
      }
    }
  }

  async waitStarted(first: number): Promise<void> {
    while (!this.started.includes(first)) await new Promise<void>((resolve) => this.waiters.push(resolve))
  }

  release(): void {
    this.channel.postMessage('release')
  }

  close(): void {
    this.channel.close()
  }
}
