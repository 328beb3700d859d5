/**
 * Shared reply buffers: a worker writes a large base64 reply straight into memory the main thread
 * sends from, and the memory is used again for a later reply. A reply buffer transferred from a
 * worker instead (a fresh ArrayBuffer per reply) is external memory to the main thread's V8 heap,
 * and its growth is what starts V8's full mark-compact collections there: measured on S2 with 10
 * connections, 63–88 mark-compacts in 6 s (each 3–15 ms on the thread every request passes
 * through) against 2–41 without those buffers, and 120–136 against 214–237 requests/s.
 *
 * Buffers come in power-of-two sizes from 64 kB; smaller replies are not worth it. Free buffers
 * are kept for reuse up to `maxBytes` in all; past that a reply gets a buffer of its own, as before.
 */
export interface ReplyBuffer {
  readonly buffer: SharedArrayBuffer
  /** back to the pool; call once the reply has been written (or will never be); repeat calls do nothing */
  release(): void
}

export const MIN_SHARED_REPLY_BYTES = 64 * 1024

export class ReplyBuffers {
  private readonly free = new Map<number, SharedArrayBuffer[]>()
  private allocatedBytes = 0

  constructor(private readonly maxBytes: number) {}

  /** bytes held in shared buffers, in use or free */
  get allocated(): number {
    return this.allocatedBytes
  }

  get inUse(): number {
    let free = 0
    for (const [size, list] of this.free) free += size * list.length
    return this.allocatedBytes - free
  }

  acquire(length: number): ReplyBuffer | undefined {
    if (length < MIN_SHARED_REPLY_BYTES) return undefined
    const size = 2 ** Math.ceil(Math.log2(length))
    let buffer = this.free.get(size)?.pop()
    if (!buffer) {
      if (this.allocatedBytes + size > this.maxBytes) return undefined
      buffer = new SharedArrayBuffer(size)
      this.allocatedBytes += size
    }
    let released = false
    return {
      buffer,
      release: () => {
        if (released) return
        released = true
        const list = this.free.get(size) ?? []
        list.push(buffer)
        this.free.set(size, list)
      },
    }
  }
}
