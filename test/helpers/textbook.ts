/** The textbook's running example (D2L 6.2): the input X and kernel K, and the "+1" channel. */
export const X = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
]
export const K = [
  [0, 1],
  [2, 3],
]
export const plus1 = (m: number[][]) => m.map((row) => row.map((v) => v + 1))
