import { describe, expect, it } from 'vitest'
import { MIN_SHARED_REPLY_BYTES, ReplyBuffers } from '../../src/jobs/reply-buffers.js'

describe('ReplyBuffers', () => {
  it('gives power-of-two shared buffers from 64 kB, none for smaller replies', () => {
    const pool = new ReplyBuffers(64 << 20)
    expect(pool.acquire(MIN_SHARED_REPLY_BYTES - 1)).toBeUndefined()
    const a = pool.acquire(1_070_487)!
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(a.buffer.byteLength).toBe(2 << 20)
    expect(pool.acquire(MIN_SHARED_REPLY_BYTES)!.buffer.byteLength).toBe(MIN_SHARED_REPLY_BYTES)
  })

  it('hands a released buffer to the next reply of its size, never one still in use', () => {
    const pool = new ReplyBuffers(64 << 20)
    const a = pool.acquire(1_000_000)!
    const b = pool.acquire(1_000_000)!
    expect(b.buffer).not.toBe(a.buffer)
    a.release()
    a.release() // a second release must not put it in the free list twice
    const c = pool.acquire(900_000)!
    expect(c.buffer).toBe(a.buffer)
    expect(pool.acquire(900_000)!.buffer).not.toBe(a.buffer)
    expect(pool.allocated).toBe(3 * (1 << 20))
  })

  it('stops at its byte budget: past it a reply gets no shared buffer', () => {
    const pool = new ReplyBuffers(4 << 20)
    const held = [pool.acquire(2 << 20)!, pool.acquire(2 << 20)!]
    expect(pool.acquire(100_000)).toBeUndefined()
    expect(pool.inUse).toBe(4 << 20)
    held[0]!.release()
    expect(pool.inUse).toBe(2 << 20)
    expect(pool.acquire(2 << 20)!.buffer).toBe(held[0]!.buffer)
  })
})
