import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'

describe('loadConfig', () => {
  it('reads the environment over the defaults', () => {
    const c = loadConfig({ WORKERS: '3', MAX_QUEUE: '5', ENGINE: 'reference', WORKER_NICE: '0', API_KEYS: 'a, b' })
    expect(c).toMatchObject({ workers: 3, maxQueue: 5, engine: 'reference', workerNice: 0, apiKeys: ['a', 'b'] })
    expect(loadConfig({})).toMatchObject({ engine: 'auto', workerNice: 10, prepackBytes: 32 * 1024 * 1024, maxQueue: 4 * loadConfig({}).workers })
    expect(loadConfig({ PREPACK_MB: '0' }).prepackBytes).toBe(0)
    expect(loadConfig({ PREPACK_MB: '5' }).prepackBytes).toBe(5 * 1024 * 1024)
    expect(loadConfig({}).requestTimeoutMs).toBe(120_000)
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '0' }).requestTimeoutMs).toBe(0)
    expect(loadConfig({}).idleTimeoutMs).toBe(120_000)
    expect(loadConfig({ IDLE_TIMEOUT_MS: '0', JOB_TIMEOUT_MS: '600000' })).toMatchObject({ idleTimeoutMs: 0, jobTimeoutMs: 600_000 })
  })

  it('refuses a bad value at start, naming the variable and the value', () => {
    expect(() => loadConfig({ WORKER_NICE: '-1' })).toThrow(ConfigError)
    expect(() => loadConfig({ WORKER_NICE: '-1' })).toThrow(/WORKER_NICE must be an integer ≥ 0, got "-1"/)
    expect(() => loadConfig({ PREPACK_MB: '1.5' })).toThrow(/PREPACK_MB must be an integer ≥ 0, got "1.5"/)
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '-5' })).toThrow(/REQUEST_TIMEOUT_MS must be an integer ≥ 0, got "-5"/)
    expect(() => loadConfig({ JOB_TIMEOUT_MS: '200000' })).toThrow(/IDLE_TIMEOUT_MS \(120000\) must be longer than JOB_TIMEOUT_MS \(200000\)/)
    expect(() => loadConfig({ ENGINE: 'gpu' })).toThrow(/ENGINE must be one of auto, onnxruntime, reference, got "gpu"/)
  })
})
