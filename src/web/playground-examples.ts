/**
 * The textbook's worked examples (Dive into Deep Learning, ch. 6 / 7 in v1.0, and the transposed
 * convolution of §14.10), as request bodies for the public API. The playground opens on the
 * first one. An op is the route it is POSTed to.
 */
export type Op = 'conv2d' | 'conv-transpose2d' | 'pool'

export interface Example {
  readonly id: string
  readonly label: string
  readonly op: Op
  /** what the example shows, one sentence for a student */
  readonly note: string
  readonly body: Readonly<Record<string, unknown>>
}

const X = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
]
const K = [
  [0, 1],
  [2, 3],
]
const plus1 = (m: number[][]) => m.map((row) => row.map((v) => v + 1))
const X2 = [X, plus1(X)]
const K2 = [K, plus1(K)]
const edgeRow = [1, 1, 0, 0, 0, 0, 1, 1]
// §14.10's input and kernel
const TX = [
  [0, 1],
  [2, 3],
]
// the 1×1 example: the book uses random inputs; fixed values keep the numbers readable
const ramp = (from: number) => [0, 1, 2].map((r) => [0, 1, 2].map((c) => from + r * 3 + c))

export const EXAMPLES: readonly Example[] = [
  {
    id: 'correlation',
    label: 'Cross-correlation',
    op: 'conv2d',
    note: 'A 2×2 kernel slides over a 3×3 input; each output is the sum of the window times the kernel (§6.2).',
    body: { input: X, kernel: K },
  },
  {
    id: 'padding',
    label: 'Padding',
    op: 'conv2d',
    note: 'One row and column of zeros on every side make the output larger: 4×4 instead of 2×2 (§6.3).',
    body: { input: X, kernel: K, padding: 1 },
  },
  {
    id: 'stride',
    label: 'Stride',
    op: 'conv2d',
    note: 'Stride 3 down and 2 across skips positions: ⌊(3 − 2 + 2 + 3)/3⌋ × ⌊(3 − 2 + 2 + 2)/2⌋ = 2×2 (§6.3).',
    body: { input: X, kernel: K, padding: 1, stride: [3, 2] },
  },
  {
    id: 'multi-in',
    label: 'Two input channels',
    op: 'conv2d',
    note: 'One kernel plane per input channel; the per-channel sums are added into one output (§6.4).',
    body: { input: X2, kernel: K2 },
  },
  {
    id: 'multi-out',
    label: 'Three output channels',
    op: 'conv2d',
    note: 'Three kernels (K, K+1, K+2), each over both input channels, give three output planes (§6.4).',
    body: { input: X2, kernel: { shape: [3, 2, 2, 2], data: [K2, K2.map(plus1), K2.map(plus1).map(plus1)].flat(3) } },
  },
  {
    id: 'one-by-one',
    label: '1×1 convolution',
    op: 'conv2d',
    note: 'A 1×1 kernel mixes channels at each pixel: a fully connected layer applied per position (§6.4).',
    body: { input: [ramp(0), ramp(1), ramp(2)], kernel: { shape: [2, 3, 1, 1], data: [1, 0, -1, 0.5, 0.25, -2] } },
  },
  {
    id: 'max-pool',
    label: 'Max pooling',
    op: 'pool',
    note: 'Each output is the largest value in its 2×2 window (§6.5).',
    body: { input: X, mode: 'max', kernelSize: 2, stride: 1 },
  },
  {
    id: 'avg-pool',
    label: 'Average pooling',
    op: 'pool',
    note: 'Each output is the mean of its 2×2 window (§6.5).',
    body: { input: X, mode: 'avg', kernelSize: 2, stride: 1 },
  },
  {
    id: 'transposed',
    label: 'Transposed convolution',
    op: 'conv-transpose2d',
    note: 'Each input element scatters its value times the kernel into the output; overlaps add up: 2×2 ⋆ᵀ 2×2 → 3×3 (§14.10).',
    body: { input: TX, kernel: K },
  },
  {
    id: 'transposed-stride',
    label: 'Transposed, stride 2',
    op: 'conv-transpose2d',
    note: 'Stride 2 places the scattered kernels 2 apart, so they no longer overlap: (2 − 1) × 2 + 2 = 4 rows (§14.10).',
    body: { input: TX, kernel: K, stride: 2 },
  },
  {
    id: 'edge',
    label: 'Edge detection',
    op: 'conv2d',
    note: 'The kernel [1, −1] answers 1 at a white-to-black edge, −1 at black-to-white, 0 elsewhere (§6.2).',
    body: { input: Array.from({ length: 6 }, () => edgeRow), kernel: [[1, -1]] },
  },
]
