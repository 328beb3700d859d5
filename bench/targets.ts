import { table } from './table.js'

/**
 * Issue 4's targets, checked against one run's medians. A target whose inputs were not measured
 * (no Python peer) is listed as SKIP with the reason — never as a pass.
 */
export interface Check {
  readonly target: string
  readonly measured: string
  readonly verdict: 'PASS' | 'FAIL' | 'SKIP'
}

export function atLeast(target: string, value: number | undefined, min: number, measured: (v: number) => string, skip = 'not measured'): Check {
  if (value === undefined || Number.isNaN(value)) return { target, measured: skip, verdict: 'SKIP' }
  return { target, measured: measured(value), verdict: value >= min ? 'PASS' : 'FAIL' }
}

export function atMost(target: string, value: number | undefined, max: number, measured: (v: number) => string, skip = 'not measured'): Check {
  if (value === undefined || Number.isNaN(value)) return { target, measured: skip, verdict: 'SKIP' }
  return { target, measured: measured(value), verdict: value <= max ? 'PASS' : 'FAIL' }
}

export function summaryTable(checks: readonly Check[]): string {
  return table(['target', 'measured', 'verdict'], checks.map((c) => [c.target, c.measured, c.verdict]), 2)
}
