import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.js'
import type { ConfigOverrides } from '../../src/config.js'

/**
 * One app per test file: worker threads take a moment to start. The event-loop-delay guard is off
 * unless a test turns it on: test files block the loop for whole seconds (transforms, big
 * fixtures), which under-pressure would rightly report as overload.
 */
export async function startApp(overrides: ConfigOverrides = {}): Promise<FastifyInstance> {
  const app = await buildApp({ workers: 1, maxEventLoopDelayMs: 0, ...overrides })
  await app.ready()
  return app
}

export async function post(app: FastifyInstance, url: string, payload: unknown, extra: Partial<InjectOptions> = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url, payload: payload as InjectOptions['payload'], ...extra })
}

/** little-endian float32 → base64, as a client sends it */
export function toBase64(values: ArrayLike<number>): string {
  return Buffer.from(new Float32Array(Array.from(values)).buffer).toString('base64')
}

export function fromBase64(text: string, dtype: 'float32' | 'int32' = 'float32'): number[] {
  const bytes = Buffer.from(text, 'base64')
  const copy = new Uint8Array(bytes).buffer
  return Array.from(dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy))
}

type Flat = { shape: number[]; data: number[] }

/** A flat tensor in each of the three wire forms. */
export function inForm(t: Flat, form: 'nested' | 'flat' | 'base64'): unknown {
  if (form === 'flat') return t
  if (form === 'base64') return { shape: t.shape, dtype: 'float32', base64: toBase64(t.data) }
  return nest(t.data, t.shape)
}

export function nest(data: number[], shape: number[]): unknown {
  if (shape.length <= 1) return data
  const [, ...rest] = shape
  const step = rest.reduce((a, b) => a * b, 1)
  const out: unknown[] = []
  for (let i = 0; i < data.length; i += step) out.push(nest(data.slice(i, i + step), rest))
  return out
}

/** A response tensor in any form → flat {shape, data} (null → NaN). */
export function flatten(t: unknown, dtype: 'float32' | 'int32' = 'float32'): Flat {
  if (Array.isArray(t)) {
    const shape: number[] = []
    let probe: unknown = t
    while (Array.isArray(probe)) {
      shape.push(probe.length)
      probe = probe[0]
    }
    const data = (t as unknown[]).flat(4) as (number | null)[]
    return { shape, data: data.map((x) => (x === null ? Number.NaN : x)) }
  }
  const o = t as { shape: number[]; data?: (number | null)[]; base64?: string; dtype?: 'float32' | 'int32' }
  if (o.base64 !== undefined) return { shape: o.shape, data: fromBase64(o.base64, o.dtype ?? dtype) }
  return { shape: o.shape, data: o.data!.map((x) => (x === null ? Number.NaN : x)) }
}
