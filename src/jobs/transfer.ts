import type { Job } from '../engines/types.js'

/** The buffers a job owns; they move to the worker (the request never reads them again). */
export function jobBuffers(job: Job): ArrayBuffer[] {
  const list = [job.input.buffer as ArrayBuffer]
  if (job.op === 'conv2d') {
    list.push(job.weight.buffer as ArrayBuffer)
    if (job.bias) list.push(job.bias.buffer as ArrayBuffer)
  }
  // A buffer may appear once only in a transfer list (e.g. the same tensor as input and weight).
  return [...new Set(list)]
}
