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
