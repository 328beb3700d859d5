import { expect } from 'vitest'

/**
 * An error body must not leak internals: no stack frames, no file paths or module names, no
 * engine (onnxruntime) messages. The message is for the client and names only its own fields.
 */
const LEAKS: readonly RegExp[] = [
  /\bat \S+ \(/, // a stack frame "at fn (file:line)"
  /\n\s+at /,
  /file:\/\//,
  /\/(?:work|home|usr|tmp|app|src|node_modules)\//,
  /\.(?:ts|js|mjs|cjs):\d+/,
  /onnxruntime|OrtRun|ORT_|piscina/i,
  /"stack"/,
]

export function assertCleanError(text: string, context = ''): void {
  const body = JSON.parse(text) as { message?: unknown; code?: unknown }
  expect(typeof body.message, context).toBe('string')
  expect((body.message as string).length, context).toBeGreaterThan(0)
  for (const leak of LEAKS) expect(text, `${context}: leaks ${leak}`).not.toMatch(leak)
}
