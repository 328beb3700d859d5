import { availableParallelism } from 'node:os'
import type { EngineSetting } from './engines/types.js'

/**
 * The Configuration table of api-v1.md as one typed object. `loadConfig` reads it from the
 * environment once (server.ts); tests build apps from `resolveConfig({...overrides})`.
 */
export interface Config {
  readonly port: number
  readonly host: string
  /** HTTP processes sharing the port (node:cluster), like gunicorn's -w; 1 = this process alone */
  readonly processes: number
  /** worker threads per process */
  readonly workers: number
  readonly bodyLimit: number
  readonly maxElements: number
  readonly maxFlops: number
  readonly maxQueue: number
  readonly jobTimeoutMs: number
  /**
   * milliseconds a client has to send a whole request, headers and body (408 after; 0 = no limit,
   * as Fastify's default): a stalled upload must not hold its connection and bytes for ever
   */
  readonly requestTimeoutMs: number
  /**
   * milliseconds a connection may go without a byte moving either way before it is closed (0 = no
   * limit, as Fastify's default): a client that stops reading its reply would otherwise hold the
   * reply's megabytes for as long as it likes. Longer than jobTimeoutMs, as nothing moves while a
   * job computes
   */
  readonly idleTimeoutMs: number
  readonly apiKeys: readonly string[]
  readonly engine: EngineSetting
  readonly logLevel: string
  /** requests per minute per API key (or client IP); 0 = off */
  readonly rateLimit: number
  /** origins allowed by CORS; empty = CORS off */
  readonly corsOrigins: readonly string[]
  /** how long SIGTERM/SIGINT waits for in-flight jobs before exiting */
  readonly shutdownGraceMs: number
  /** event-loop delay (ms) above which /readyz and new work answer 503; 0 = off */
  readonly maxEventLoopDelayMs: number
  /**
   * niceness added to each worker thread (Linux; 0 = off): the main thread, which every request
   * passes through, then gets a busy core first and the workers use what is left
   */
  readonly workerNice: number
  /**
   * bytes of prepacked weights each worker keeps (engines/onnxruntime/prepacked.ts): a weight
   * sent again runs on a session that holds it as a constant; 0 = off
   */
  readonly prepackBytes: number
  /** bodies of this many bytes or more keep their long base64 strings as bytes (tests set 0) */
  readonly largeBodyBytes: number
  /** test-only: strings this long or longer in large bodies stay bytes (default 4096) */
  readonly longStringBytes?: number
  /** test-only: a different worker entry (fault tests); not read from the environment */
  readonly workerFile?: URL
  /** test-only: override the inline threshold in FLOPs (-1 = engine default) */
  readonly inlineFlops?: number
}

export type ConfigOverrides = { -readonly [K in keyof Config]?: Config[K] }

const ENGINES: readonly EngineSetting[] = ['auto', 'onnxruntime', 'reference']
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

export function resolveConfig(overrides: ConfigOverrides = {}): Config {
  const processes = overrides.processes ?? 1
  // the cores are shared out: one engine thread per core in all, at least one per process
  const workers = overrides.workers ?? Math.max(1, Math.floor(availableParallelism() / processes))
  return {
    port: 3000,
    host: '0.0.0.0',
    bodyLimit: 33_554_432,
    maxElements: 16_777_216,
    maxFlops: 20_000_000_000,
    maxQueue: 4 * workers,
    jobTimeoutMs: 30_000,
    requestTimeoutMs: 120_000,
    idleTimeoutMs: 120_000,
    apiKeys: [],
    engine: 'auto',
    logLevel: 'info',
    rateLimit: 0,
    corsOrigins: [],
    shutdownGraceMs: 10_000,
    maxEventLoopDelayMs: 1_000,
    workerNice: 10,
    prepackBytes: 32 * 1024 * 1024,
    largeBodyBytes: 65_536,
    ...overrides,
    processes,
    workers,
  }
}

type Env = Record<string, string | undefined>

function int(env: Env, name: string, min: number): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`)
  }
  return value
}

function list(env: Env, name: string): string[] | undefined {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return undefined
  return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`)
  }
  return raw as T
}

/** Reads the environment; an invalid value stops the server at start with a message naming it. */
export function loadConfig(env: Env = process.env): Config {
  const overrides: ConfigOverrides = {}
  const set = <K extends keyof ConfigOverrides>(key: K, value: ConfigOverrides[K] | undefined) => {
    if (value !== undefined) overrides[key] = value
  }
  set('port', int(env, 'PORT', 0))
  set('host', env.HOST || undefined)
  set('processes', int(env, 'PROCESSES', 1))
  set('workers', int(env, 'WORKERS', 1))
  set('bodyLimit', int(env, 'BODY_LIMIT', 1))
  set('maxElements', int(env, 'MAX_ELEMENTS', 1))
  set('maxFlops', int(env, 'MAX_FLOPS', 1))
  set('maxQueue', int(env, 'MAX_QUEUE', 0))
  set('jobTimeoutMs', int(env, 'JOB_TIMEOUT_MS', 1))
  set('requestTimeoutMs', int(env, 'REQUEST_TIMEOUT_MS', 0))
  set('idleTimeoutMs', int(env, 'IDLE_TIMEOUT_MS', 0))
  set('apiKeys', list(env, 'API_KEYS'))
  set('engine', oneOf(env, 'ENGINE', ENGINES))
  set('logLevel', oneOf(env, 'LOG_LEVEL', LOG_LEVELS))
  set('rateLimit', int(env, 'RATE_LIMIT', 0))
  set('corsOrigins', list(env, 'CORS_ORIGINS'))
  set('shutdownGraceMs', int(env, 'SHUTDOWN_GRACE_MS', 0))
  set('maxEventLoopDelayMs', int(env, 'MAX_EVENT_LOOP_DELAY_MS', 0))
  set('workerNice', int(env, 'WORKER_NICE', 0))
  const prepackMb = int(env, 'PREPACK_MB', 0)
  if (prepackMb !== undefined) overrides.prepackBytes = prepackMb * 1024 * 1024
  const config = resolveConfig(overrides)
  if (config.idleTimeoutMs > 0 && config.idleTimeoutMs <= config.jobTimeoutMs) {
    throw new ConfigError(
      `IDLE_TIMEOUT_MS (${config.idleTimeoutMs}) must be longer than JOB_TIMEOUT_MS (${config.jobTimeoutMs}): no bytes move on a connection while its job computes`,
    )
  }
  return config
}

/** The effective configuration for the start-up log line: keys are never logged, only their count. */
export function describeConfig(config: Config): Record<string, unknown> {
  const { apiKeys, workerFile: _w, inlineFlops: _i, longStringBytes: _l, ...rest } = config
  return { ...rest, apiKeys: apiKeys.length }
}
