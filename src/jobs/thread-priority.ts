import { readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'

/**
 * Lowers the calling thread's scheduling priority by `nice` (Linux only; elsewhere, or when the
 * system refuses, nothing changes). On Linux, setpriority() on a thread id affects that thread
 * alone, and /proc/thread-self names the caller's id. Worker threads call this at start: on a
 * machine whose cores are all busy the main thread — through which every request, every reply
 * and every health check passes — is then scheduled first, and the workers' throughput is what
 * is left, which is all of it whenever the main thread idles. Measured on S2 with 10
 * connections (2 cores, with the load generator): event-loop delay p99 10–15 ms against 17–25
 * ms at equal priority. Raising niceness needs no privilege; it can never be undone here.
 * Returns the niceness now in force, or undefined when it could not be read.
 */
export function lowerThreadPriority(nice: number): number | undefined {
  if (nice <= 0 || process.platform !== 'linux') return undefined
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (!Number.isSafeInteger(tid) || tid <= 0) return undefined
    setPriority(tid, Math.min(19, getPriority(tid) + nice))
    return getPriority(tid)
  } catch {
    return undefined
  }
}
