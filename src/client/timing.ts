import type { Timing } from './types.js'

/**
 * Reads the W3C Server-Timing header the service sends on compute replies:
 * `queue;dur=0.012, compute;dur=1.234;desc="onnxruntime", codec;dur=0.350, hop;dur=0.210, total;dur=2.345`.
 * Unknown metrics and parameters are ignored, so a proxy adding its own entries does no harm.
 */
export function parseServerTiming(header: string | string[] | undefined): Timing | undefined {
  if (header === undefined) return undefined
  const text = Array.isArray(header) ? header.join(', ') : header
  const timing: { -readonly [K in keyof Timing]: Timing[K] } = {}
  let found = false
  for (const entry of text.split(',')) {
    const [rawName, ...params] = entry.split(';').map((part) => part.trim())
    const name = rawName?.toLowerCase()
    if (name !== 'queue' && name !== 'compute' && name !== 'codec' && name !== 'hop' && name !== 'total') continue
    for (const param of params) {
      const eq = param.indexOf('=')
      if (eq < 0) continue
      const key = param.slice(0, eq).trim().toLowerCase()
      let value = param.slice(eq + 1).trim()
      if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
      if (key === 'dur') {
        const ms = Number(value)
        if (Number.isFinite(ms)) {
          timing[name] = ms
          found = true
        }
      } else if (key === 'desc' && name === 'compute') {
        timing.engine = value
      }
    }
  }
  return found ? timing : undefined
}
