import type { PoolGeometry } from '../core/geometry-types.js'
import { separableReads } from '../core/pool2d-separable.js'
import { poolTaps } from '../core/pool-ranges.js'

/**
 * `auto` runs jobs below this many FLOPs in the TypeScript core, the rest on onnxruntime.
 *
 * Measured on this machine (2-core AMD EPYC, Node 20, onnxruntime-node 1.30, one thread, medians
 * of 15 × 200 calls in-process, each side timed as the worker calls it: ORT = supports() + run()):
 * onnxruntime's fixed cost per call is 17–20 µs here (feeds, session.run's setImmediate hop,
 * output tensors); the core runs a small conv at ~0.5–1 GFLOP/s and a small pool at ~0.2 GFLOP/s.
 *
 *   conv 2×8×8 k3 →2        4 608 FLOPs   core   5 µs   ORT 18 µs
 *   conv 2×10×10 k3 →4     14 400 FLOPs   core  23 µs   ORT 18 µs
 *   max 2×2 on 8×32×32      8 192 FLOPs   core  31 µs   ORT 40 µs
 *   avg 3×3 on 4×16×16      9 216 FLOPs   core  58 µs   ORT 37 µs
 *   max 2×2 on 16×32×32    16 384 FLOPs   core  68 µs   ORT 50 µs
 *
 * The crossover sits between 5k and 15k FLOPs for both ops; 10k splits it.
 */
export const INLINE_FLOPS_THRESHOLD = 10_000

/**
 * Pools `auto` gives the core although onnxruntime computes them exactly, because the core is
 * faster: ORT 1.30's LpPool and AveragePool read every window cell by cell (0.05–0.08 and 0.3–0.45
 * G reads/s here), and its MaxPool is fast only for undilated kernels up to 32×32 (a 31×31 or 32×32
 * window on 1×1×512×512: 4 ms; 33×33: 136 ms; 48×48: 274 ms; 15×15 dilated 2 on 1×1×1024×1024:
 * 207 ms, where the core takes 65), while the core's separable passes read ~2k
 * cells per k×k window (core/pool2d-separable.ts). Measured in-process, one thread, medians
 * (scratch, Node 24; ORT = runJob on onnxruntime, core = pool2d):
 *
 *   lp p=2 2×2 s2 on 1×16×112×112       ORT   4.0 ms   core   1.4 ms
 *   lp p=2 3×3 s1                       ORT  29 ms      core   6.2 ms
 *   avg 3×3 s1 p1 on 1×16×112×112       ORT   4.4 ms   core   4.5 ms   (direct ÷ separable reads 1.5)
 *   avg 5×5 s1 p2                       ORT  11 ms      core   5.6 ms   (2.5)
 *   avg 3×3 s2                          ORT   1.1 ms   core   1.6 ms
 *   avg 31×31 on 1×1×448×448            ORT 637 ms      core  25 ms
 *   max 31×31 on 1×1×448×448            ORT   2.3 ms   core  28 ms
 *   max 63×63 on 1×1×512×512            ORT 545 ms      core  57 ms
 *   max 5×63, 63×15 on 1×1×512×512      ORT  37, 121    core  25, 39     (4.6, 3.5)
 *   max 63×1 on 1×1×512×512             ORT  23 ms      core  28 ms      (1.0)
 *   max 7×7 dilation 2 on 1×1×1024×1024  ORT  43 ms      core  33 ms      (3.5)
 *   max 3×3 dilation 2                   ORT  11 ms      core  21 ms      (1.5)
 *
 * So: lp always; avg once the direct loop would read at least twice what the passes read; max
 * once the kernel is dilated or a side passes 32 and the direct loop would read at least 3 times as
 * much.
 * Global pools stay on ORT (its global kernels read each cell once, as the passes would).
 */
export function coreOutrunsOrt(g: PoolGeometry): boolean {
  if (g.kind === 'global') return false
  if (g.mode === 'lp') return true
  const { rows, cols } = poolTaps(g)
  const { direct, separable } = separableReads(g.inH, rows, cols, g.outW)
  if (g.mode === 'avg') return direct >= 2 * separable
  const pastFastPath = g.kH > 32 || g.kW > 32 || g.dilationH > 1 || g.dilationW > 1
  return pastFastPath && direct >= 3 * separable
}
