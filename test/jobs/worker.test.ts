import { valueSymbol } from 'piscina'
import { describe, expect, it } from 'vitest'
import { conv2d, pool2d, resolveConv2d, resolvePool2d } from '../../src/core/index.js'
import type { EngineSetting } from '../../src/engines/types.js'
import { CAN_RELEASE } from '../../src/jobs/release-buffers.js'
import type { JobSpec, TaskResult, WorkerTask } from '../../src/jobs/task.js'
import work from '../../src/jobs/worker.js'

/**
 * The worker's entry called on this thread, as piscina calls it on a worker: what it gives back,
 * and which of the task's buffers it frees once the job is done (jobs/release-buffers.ts: on Node
 * 22 and later they are detached; on Node 20 they are left to the collector).
 */
const run = async (task: WorkerTask): Promise<TaskResult> => {
  const moved = (await work(task)) as unknown as Record<symbol, TaskResult>
  return moved[valueSymbol] ?? (moved as unknown as TaskResult)
}
const detached = (b: ArrayBufferLike) => (b as ArrayBuffer & { detached?: boolean }).detached === true
const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7 + seed) % 11) / 4 - 1)
const base64 = (f: Float32Array) => Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64')
/** a base64 text as a large body's bytes arrive: chunks, each in a buffer of its own */
const pieces = (text: string, size: number) => {
  const bytes = Buffer.from(text, 'latin1')
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(new Uint8Array(bytes.subarray(i, i + size)))
  return out
}

// x=[1,3,8,8] w=[4,3,3,3] p=1 with bias: 13,824 FLOPs (ENGINE=onnxruntime sends it to onnxruntime whatever its size)
const geometry = resolveConv2d([1, 3, 8, 8], [4, 3, 3, 3], [4], { padding: 1 })
const [input, weight, bias] = [values(192, 1), values(108, 2), values(4, 3)]
const expected = conv2d(geometry, input, weight, bias)
const convJob = () => ({ op: 'conv2d' as const, geometry, input: input.slice(), weight: weight.slice(), bias: bias.slice() })

describe.each<EngineSetting>(['onnxruntime', 'reference'])('worker entry, ENGINE=%s', (engine) => {
  it('conv x=[1,3,8,8] k=3 p=1 tensors back: output intact, the task\'s input, weight and bias released', async () => {
    const job = convJob()
    const result = await run({ job, engine })
    if (!('output' in result)) throw new Error('expected tensors')
    expect(result.engine).toBe(engine)
    expect(result.output.length).toBe(expected.length)
    for (let i = 0; i < expected.length; i++) expect(result.output[i]).toBeCloseTo(expected[i]!, 4)
    expect(detached(result.output.buffer)).toBe(false)
    expect([job.input, job.weight, job.bias].map((t) => detached(t.buffer))).toEqual([CAN_RELEASE, CAN_RELEASE, CAN_RELEASE])
  })

  it('conv x=[1,3,8,8] k=3 p=1 as a base64 reply from base64 chunks: body intact, every chunk released', async () => {
    const wire = (name: string, t: Float32Array, shape: number[]) => ({ field: name, shape, size: t.length, text: pieces(base64(t), 100) })
    const tensors = [wire('input', input, [1, 3, 8, 8]), wire('weight', weight, [4, 3, 3, 3]), wire('bias', bias, [4])] as const
    const job: JobSpec = { op: 'conv2d', geometry, input: tensors[0], weight: tensors[1], bias: tensors[2] }
    const chunks = tensors.flatMap((t) => t.text)
    const result = await run({ job, engine, reply: { form: 'base64', tensors: [{ name: 'output', shape: [1, 4, 8, 8] }] } })
    if (!('body' in result)) throw new Error('expected a body')
    const reply = JSON.parse(Buffer.from(result.body).toString()) as { output: { base64: string; shape: number[] } }
    expect(reply.output.shape).toEqual([1, 4, 8, 8])
    const raw = Buffer.from(reply.output.base64, 'base64')
    const got = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length))
    expect(got.length).toBe(expected.length)
    for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4)
    expect(chunks.length).toBeGreaterThan(3)
    expect(chunks.every((c) => detached(c.buffer) === CAN_RELEASE)).toBe(true)
  })

  it('conv x=[1,3,8,8] k=3 p=1 as a base64 reply into a shared reply buffer: the shared buffer is never released', async () => {
    const into = new SharedArrayBuffer(4096)
    const job = convJob()
    const result = await run({ job, engine, reply: { form: 'base64', tensors: [{ name: 'output', shape: [1, 4, 8, 8] }] }, replyInto: into })
    if (!('body' in result)) throw new Error('expected a body')
    expect(result.body.buffer).toBe(into)
    expect(JSON.parse(Buffer.from(result.body).toString()).output.shape).toEqual([1, 4, 8, 8])
    expect(detached(job.input.buffer)).toBe(CAN_RELEASE)
  })

  it('maxpool x=[1,2,6,6] k=2 s=2 with indices: output and indices intact, the input released', async () => {
    const g = resolvePool2d([1, 2, 6, 6], { mode: 'max', kernelSize: [2, 2], stride: [2, 2], returnIndices: true })
    const x = values(72, 5)
    const want = pool2d(g, x)
    const job = { op: 'pool', geometry: g, input: x.slice() } as const
    const result = await run({ job, engine })
    if (!('output' in result)) throw new Error('expected tensors')
    expect(Array.from(result.output)).toEqual(Array.from(want.output))
    expect(Array.from(result.indices!)).toEqual(Array.from(want.indices!))
    expect(detached(job.input.buffer)).toBe(CAN_RELEASE)
  })
})
