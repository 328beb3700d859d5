import type { PaddingMode } from './params.js'

/**
 * Where padded coordinate `i` (−before ≤ i < size+after) reads from, per PyTorch's F.pad:
 * reflect mirrors without repeating the edge (pad < size), replicate clamps, circular wraps
 * (pad ≤ size). Zeros has no source (−1).
 */
export function sourceIndex(i: number, size: number, mode: PaddingMode): number {
  if (i >= 0 && i < size) return i
  switch (mode) {
    case 'reflect':
      return i < 0 ? -i : 2 * (size - 1) - i
    case 'replicate':
      return i < 0 ? 0 : size - 1
    case 'circular':
      return ((i % size) + size) % size
    default:
      return -1
  }
}

/**
 * One padded copy of `planes` H×W planes. The conv kernel then runs with no padding, which keeps
 * its inner loop free of boundary cases for the non-zero modes (the copy costs one pass over the
 * input, small next to the k·k passes of the convolution).
 */
export function padPlanes(
  input: Float32Array,
  planes: number,
  h: number,
  w: number,
  pad: { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number },
  mode: PaddingMode,
): Float32Array {
  const ph = h + pad.top + pad.bottom
  const pw = w + pad.left + pad.right
  const rowMap = new Int32Array(ph)
  const colMap = new Int32Array(pw)
  for (let y = 0; y < ph; y++) rowMap[y] = sourceIndex(y - pad.top, h, mode)
  for (let x = 0; x < pw; x++) colMap[x] = sourceIndex(x - pad.left, w, mode)
  const out = new Float32Array(planes * ph * pw)
  for (let p = 0; p < planes; p++) {
    const inBase = p * h * w
    const outBase = p * ph * pw
    for (let y = 0; y < ph; y++) {
      const sy = rowMap[y]!
      if (sy < 0) continue
      const srcRow = inBase + sy * w
      const dstRow = outBase + y * pw
      for (let x = 0; x < pw; x++) {
        const sx = colMap[x]!
        if (sx >= 0) out[dstRow + x] = input[srcRow + sx]!
      }
    }
  }
  return out
}
