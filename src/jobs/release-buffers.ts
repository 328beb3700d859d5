/**
 * Frees the buffers a finished job no longer needs at once, instead of at V8's next collection.
 *
 * A worker's tensors are mostly off its JavaScript heap: the buffers a task brings (transferred
 * from the main thread), the tensors it decodes, onnxruntime's output. V8 frees such memory only
 * when a collection finds the buffer's object dead, and it sizes its collections by the heap,
 * not by the megabytes held outside it: with little else allocated, garbage buffers pile up
 * until the external memory forces a full mark-compact, whose marking then takes CPU from the
 * threads that compute (docs/performance.md, "Buffers freed when the job ends").
 *
 * `ArrayBuffer.prototype.transfer(0)` (ES2024: Node 22 and later) detaches a buffer and drops
 * its memory on the spot. Node 20 lacks it; there the buffers wait for the collector as before.
 */
type Releasable = ArrayBuffer & { transfer?: (length: number) => ArrayBuffer; readonly detached?: boolean }

export const CAN_RELEASE = typeof (ArrayBuffer.prototype as Releasable).transfer === 'function'

const KEEP_NONE: ReadonlySet<ArrayBufferLike> = new Set()

/**
 * Detaches each buffer of `buffers` that is not in `keep` (by default none is kept): the caller
 * guarantees that nothing reads them again. Shared buffers, already detached ones and any the
 * runtime will not detach (a WebAssembly memory's, say) are left alone: freeing early is an
 * optimisation, never a reason for a job to fail.
 */
export function releaseBuffers(buffers: Iterable<ArrayBufferLike | undefined>, keep: ReadonlySet<ArrayBufferLike> = KEEP_NONE): number {
  if (!CAN_RELEASE) return 0
  let released = 0
  for (const buffer of buffers) {
    if (buffer === undefined || !(buffer instanceof ArrayBuffer) || keep.has(buffer)) continue
    const b = buffer as Releasable
    if (b.detached || b.byteLength === 0) continue
    try {
      b.transfer!(0)
      released++
    } catch {
      // not detachable: the collector frees it as before
    }
  }
  return released
}
