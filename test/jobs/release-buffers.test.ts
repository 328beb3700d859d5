import { describe, expect, it } from 'vitest'
import { CAN_RELEASE, releaseBuffers } from '../../src/jobs/release-buffers.js'

const detached = (b: ArrayBuffer) => (b as ArrayBuffer & { detached?: boolean }).detached === true

// Node 22 and later have ArrayBuffer.prototype.transfer; on Node 20 nothing may change (CI runs both)
describe(`releaseBuffers (${process.version}: transfer ${CAN_RELEASE ? 'present' : 'absent'})`, () => {
  it('CAN_RELEASE is whether this runtime has ArrayBuffer.prototype.transfer', () => {
    expect(CAN_RELEASE).toBe(typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function')
    const [major] = process.versions.node.split('.').map(Number)
    if (major! >= 22) expect(CAN_RELEASE).toBe(true)
  })

  it('3 buffers, 1 kept: the other 2 are detached (their memory freed) and counted; the kept one is untouched', () => {
    const [a, b, kept] = [new Float32Array([1, 2, 3]), new Uint8Array(1024), new Float32Array([7, 8])]
    const released = releaseBuffers([a.buffer, b.buffer, kept.buffer], new Set([kept.buffer]))
    expect(Array.from(kept)).toEqual([7, 8])
    if (CAN_RELEASE) {
      expect(released).toBe(2)
      expect([detached(a.buffer), detached(b.buffer)]).toEqual([true, true])
      expect([a.length, b.length]).toEqual([0, 0])
    } else {
      expect(released).toBe(0)
      expect(Array.from(a)).toEqual([1, 2, 3])
      expect(b.length).toBe(1024)
    }
  })

  it('2 buffers, no keep set given: both are released', () => {
    const [a, b] = [new Float32Array([1, 2]), new Float32Array(8)]
    const released = releaseBuffers([a.buffer, b.buffer])
    expect(released).toBe(CAN_RELEASE ? 2 : 0)
    expect([a.length, b.length]).toEqual(CAN_RELEASE ? [0, 0] : [2, 8])
  })

  it('a buffer listed twice (two views of one buffer) is released once', () => {
    const buffer = new ArrayBuffer(64)
    const released = releaseBuffers([new Float32Array(buffer).buffer, new Uint8Array(buffer, 8).buffer], new Set())
    expect(released).toBe(CAN_RELEASE ? 1 : 0)
  })

  it('a SharedArrayBuffer, an undefined entry, an empty and an already detached buffer are skipped', () => {
    const shared = new SharedArrayBuffer(16)
    new Int32Array(shared)[0] = 42
    const gone = new ArrayBuffer(8)
    structuredClone(gone, { transfer: [gone] })
    const released = releaseBuffers([shared, undefined, new ArrayBuffer(0), gone], new Set())
    expect(released).toBe(0)
    expect(new Int32Array(shared)[0]).toBe(42)
  })

  it('a buffer the runtime will not detach (a WebAssembly memory) is skipped without a throw; the next one is still released', () => {
    const memory = new WebAssembly.Memory({ initial: 1 })
    new Uint8Array(memory.buffer)[0] = 7
    const after = new ArrayBuffer(32)
    const released = releaseBuffers([memory.buffer, after], new Set())
    expect(new Uint8Array(memory.buffer)[0]).toBe(7)
    expect(released).toBe(CAN_RELEASE ? 1 : 0)
    expect(detached(after)).toBe(CAN_RELEASE)
  })
})
