/**
 * `auto` runs jobs below this many FLOPs in the TypeScript core: onnxruntime's fixed cost per
 * call (feeds, session.run's setImmediate hop, output tensors: ~9–14 µs here) outweighs the
 * core's arithmetic below it. PLACEHOLDER until measured.
 */
export const INLINE_FLOPS_THRESHOLD = 10_000
