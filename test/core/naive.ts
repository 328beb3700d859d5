/**
 * Deliberately naive oracles for the property tests: every tap of every window, bounds tested
 * inline, straight from the definitions in api-v1.md / the fixture README. Slow and obvious.
 */

export interface NaiveConv {
  n: number; cin: number; h: number; w: number
  cout: number; kh: number; kw: number; groups: number
  sh: number; sw: number; dh: number; dw: number
  pt: number; pb: number; pl: number; pr: number
}

/** Small integers in [−4, 4] from a seed, so float sums are exact and outputs compare with toEqual. */
export function ints(count: number, seed: number): Float32Array {
  const out = new Float32Array(count)
  let s = (seed >>> 0) || 1
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = (s >>> 24) % 9 - 4
  }
  return out
}

export function naiveConv(c: NaiveConv, x: Float32Array, wt: Float32Array, bias?: Float32Array): { shape: number[]; data: number[] } {
  const oh = Math.floor((c.h + c.pt + c.pb - c.dh * (c.kh - 1) - 1) / c.sh) + 1
  const ow = Math.floor((c.w + c.pl + c.pr - c.dw * (c.kw - 1) - 1) / c.sw) + 1
  const cinPer = c.cin / c.groups
  const coutPer = c.cout / c.groups
  const data: number[] = []
  for (let b = 0; b < c.n; b++)
    for (let oc = 0; oc < c.cout; oc++)
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++) {
          let s = bias ? bias[oc]! : 0
          const grp = Math.floor(oc / coutPer)
          for (let i = 0; i < cinPer; i++)
            for (let ky = 0; ky < c.kh; ky++)
              for (let kx = 0; kx < c.kw; kx++) {
                const iy = oy * c.sh - c.pt + ky * c.dh
                const ix = ox * c.sw - c.pl + kx * c.dw
                if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue
                const xv = x[((b * c.cin + grp * cinPer + i) * c.h + iy) * c.w + ix]!
                s += xv * wt[((oc * cinPer + i) * c.kh + ky) * c.kw + kx]!
              }
          data.push(s)
        }
  return { shape: [c.n, c.cout, oh, ow], data }
}

export interface NaivePool {
  planes: number; h: number; w: number; kh: number; kw: number
  sh: number; sw: number; dh: number; dw: number
  pt: number; pb: number; pl: number; pr: number
  ceil: boolean; mode: 'max' | 'avg' | 'lp'; cip: boolean; divisor: number | null; p: number
}

function outSize(n: number, k: number, s: number, d: number, before: number, after: number, ceil: boolean): number {
  const span = n + before + after - d * (k - 1) - 1
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1
  if (ceil && (out - 1) * s >= n + before) out--
  return out
}

export function naivePool(c: NaivePool, x: Float32Array): { shape: number[]; data: number[]; indices: number[] } {
  const oh = outSize(c.h, c.kh, c.sh, c.dh, c.pt, c.pb, c.ceil)
  const ow = outSize(c.w, c.kw, c.sw, c.dw, c.pl, c.pr, c.ceil)
  const data: number[] = []
  const indices: number[] = []
  for (let pl = 0; pl < c.planes; pl++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        let best = -Infinity
        let bestAt = -1
        let sum = 0
        let real = 0
        let inPadded = 0
        for (let ky = 0; ky < c.kh; ky++)
          for (let kx = 0; kx < c.kw; kx++) {
            const iy = oy * c.sh - c.pt + ky * c.dh
            const ix = ox * c.sw - c.pl + kx * c.dw
            if (iy >= -c.pt && iy < c.h + c.pb && ix >= -c.pl && ix < c.w + c.pr) inPadded++
            if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue
            const v = x[(pl * c.h + iy) * c.w + ix]!
            real++
            if (bestAt < 0 || v > best) {
              best = v
              bestAt = iy * c.w + ix
            }
            sum += c.mode === 'lp' ? Math.abs(v) ** c.p : v
          }
        if (c.mode === 'max') {
          data.push(best)
          indices.push(bestAt)
        } else if (c.mode === 'lp') {
          data.push(sum ** (1 / c.p))
        } else {
          data.push(sum / (c.divisor ?? (c.cip ? inPadded : real)))
        }
      }
  return { shape: [1, c.planes, oh, ow], data, indices }
}
