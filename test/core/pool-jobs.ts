import fc from 'fast-check'
import type { Pool2dParams } from '../../src/core/params.js'
import type { NaivePool } from './naive.js'

/** How large the generated windows and their inputs get. */
export interface PoolJobBounds {
  readonly size: number
  readonly kernel: number
  readonly stride: number
  readonly dilation: number
  readonly pad: number
}

/**
 * Random window pools (max with indices, avg with every divisor rule, lp) over planes×h×w, as
 * the naive oracle's fields and as the params the service takes: each pad clamped to the pool
 * rule (below the dilated extent) and the dilated window fitting the padded input. The property
 * tests of pool2d (properties.test.ts) and of the separable passes share it.
 */
export function poolJobs(b: PoolJobBounds): fc.Arbitrary<NaivePool & { readonly seed: number; readonly params: Pool2dParams }> {
  return fc
    .record({
      planes: fc.integer({ min: 1, max: 3 }),
      h: fc.integer({ min: 1, max: b.size }),
      w: fc.integer({ min: 1, max: b.size }),
      kh: fc.integer({ min: 1, max: b.kernel }),
      kw: fc.integer({ min: 1, max: b.kernel }),
      sh: fc.integer({ min: 1, max: b.stride }),
      sw: fc.integer({ min: 1, max: b.stride }),
      dh: fc.integer({ min: 1, max: b.dilation }),
      dw: fc.integer({ min: 1, max: b.dilation }),
      pads: fc.tuple(fc.nat(b.pad), fc.nat(b.pad), fc.nat(b.pad), fc.nat(b.pad)),
      ceil: fc.boolean(),
      mode: fc.constantFrom<'max' | 'avg' | 'lp'>('max', 'avg', 'lp'),
      cip: fc.boolean(),
      divisor: fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }),
      p: fc.constantFrom(1, 2, 3, 0.5),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    })
    .map(({ pads, ...j }) => {
      const ekh = j.dh * (j.kh - 1) + 1
      const ekw = j.dw * (j.kw - 1) + 1
      const [pt, pb, pl, pr] = [Math.min(pads[0], ekh - 1), Math.min(pads[1], ekh - 1), Math.min(pads[2], ekw - 1), Math.min(pads[3], ekw - 1)]
      const divisor = j.mode === 'avg' ? j.divisor : null
      const params: Pool2dParams = {
        mode: j.mode,
        kernelSize: [j.kh, j.kw],
        stride: [j.sh, j.sw],
        dilation: [j.dh, j.dw],
        padding: { top: pt, bottom: pb, left: pl, right: pr },
        ceilMode: j.ceil,
        ...(j.mode === 'avg' ? { countIncludePad: j.cip, ...(divisor !== null ? { divisorOverride: divisor } : {}) } : {}),
        ...(j.mode === 'lp' ? { p: j.p } : {}),
        ...(j.mode === 'max' ? { returnIndices: true } : {}),
      }
      return { ...j, pt, pb, pl, pr, divisor, params }
    })
    .filter((j) => j.dh * (j.kh - 1) + 1 <= j.h + j.pt + j.pb && j.dw * (j.kw - 1) + 1 <= j.w + j.pl + j.pr)
}
