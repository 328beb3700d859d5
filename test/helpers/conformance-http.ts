import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe } from 'vitest'
import type { EngineSetting } from '../../src/engines/types.js'
import { expectAnswer } from './answer.js'
import { inForm, startApp } from './app.js'
import type { ApiCase, FlatTensor } from './conformance.js'

/** Conformance cases over HTTP (app.inject): the pieces the shared set's and the torch-random set's tests share. */

export const FORMS = ['nested', 'flat', 'base64'] as const
export type Form = (typeof FORMS)[number]

/**
 * An app setting to run a set under. `bytes`: every string of every body kept as bytes (the
 * large-body path of the JSON parser); with ENGINE=onnxruntime every job then leaves for a worker,
 * so base64 tensors are decoded there and base64 replies built there (jobs/task.ts).
 */
export interface HttpSetting {
  readonly engine: EngineSetting
  readonly bytes?: boolean
}

const TENSORS = ['input', 'weight', 'bias']

/**
 * One describe block per setting, each with its own app (one worker); `body` declares the tests
 * and reads the app through the getter once they run.
 */
export function describeOverHttp(set: string, settings: readonly HttpSetting[], body: (app: () => FastifyInstance, setting: HttpSetting) => void): void {
  for (const setting of settings) {
    describe(`${set} over HTTP, ENGINE=${setting.engine}${setting.bytes ? ', strings kept as bytes' : ''}`, () => {
      let app: FastifyInstance
      beforeAll(async () => {
        app = await startApp({ engine: setting.engine, workers: 1, ...(setting.bytes ? { largeBodyBytes: 0, longStringBytes: 1 } : {}) })
      })
      afterAll(async () => {
        await app.close()
      })
      body(() => app, setting)
    })
  }
}

/**
 * One case POSTed with its tensors in `form`: `failure` is null when the reply agrees (expectAnswer
 * with the case's tolerance), else what differs, named by the case and `label`; `engine` is
 * Server-Timing's `compute` desc.
 */
export async function answerCase(app: FastifyInstance, c: ApiCase, form: Form, label: string): Promise<{ failure: string | null; engine: string }> {
  const body: Record<string, unknown> = { ...c.body }
  for (const key of TENSORS) if (body[key]) body[key] = inForm(body[key] as FlatTensor, form)
  const res = await app.inject({ method: 'POST', url: c.route, payload: body })
  const engine = /desc="(\w+)"/.exec(String(res.headers['server-timing']))?.[1] ?? '?'
  const want = { shape: c.expected.output.shape, output: c.expected.output.data, indices: c.expected.indices?.data }
  try {
    expectAnswer(res.statusCode, res.body, want, `${c.id} (${label})`, c.tolerance)
  } catch (error) {
    return { failure: (error as Error).message.split('\n')[0]!, engine }
  }
  return { failure: null, engine }
}
