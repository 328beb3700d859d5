/**
 * The textbook's worked examples (Dive into Deep Learning, ch. 6), used as OpenAPI request
 * examples so that Swagger UI's "Try it out → Execute" runs the book's example as is. The first
 * example of each map is the one Swagger UI fills in.
 */
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

export interface NamedExample {
  readonly summary: string
  readonly value: unknown
}

export const conv2dExamples: Record<string, NamedExample> = {
  crossCorrelation: { summary: 'Textbook 6.2: X ★ K → [[19, 25], [37, 43]]', value: { input: X, kernel: K } },
  padding: { summary: 'Textbook 6.3: padding 1 → 4×4', value: { input: X, kernel: K, padding: 1 } },
  stride: { summary: 'Textbook 6.3: padding 1, stride (3, 2) → [[0, 8], [6, 8]]', value: { input: X, kernel: K, padding: 1, stride: [3, 2] } },
  twoInputChannels: {
    summary: 'Textbook 6.4: two input channels → [[56, 72], [104, 120]]',
    value: { input: [X, plus1(X)], kernel: [K, plus1(K)] },
  },
  edgeDetection: {
    summary: 'Textbook 6.2: edge detection with K = [[1, −1]]',
    value: { input: Array.from({ length: 6 }, () => [1, 1, 0, 0, 0, 0, 1, 1]), kernel: [[1, -1]] },
  },
  flat: {
    summary: 'Flat tensors, NCHW, with the worked sums (explain)',
    value: { input: { shape: [1, 1, 3, 3], data: [0, 1, 2, 3, 4, 5, 6, 7, 8] }, weight: { shape: [1, 1, 2, 2], data: [0, 1, 2, 3] }, explain: true },
  },
  base64: {
    summary: 'Base64 little-endian float32 tensors (the fast form)',
    value: {
      input: { shape: [3, 3], dtype: 'float32', base64: 'AAAAAAAAgD8AAABAAABAQAAAgEAAAKBAAADAQAAA4EAAAABB' },
      kernel: { shape: [2, 2], dtype: 'float32', base64: 'AAAAAAAAgD8AAABAAABAQA==' },
    },
  },
}

/** Dive into Deep Learning §14.10 (transposed convolution), the book's X and K */
const TX = [
  [0, 1],
  [2, 3],
]

export const convTranspose2dExamples: Record<string, NamedExample> = {
  basic: { summary: 'Textbook 14.10: X ⋆ᵀ K → [[0, 0, 1], [0, 4, 6], [4, 12, 9]]', value: { input: TX, kernel: K } },
  padding: { summary: 'Textbook 14.10: padding 1 crops one row and column on each side → [[4]]', value: { input: TX, kernel: K, padding: 1 } },
  stride: { summary: 'Textbook 14.10: stride 2 → 4×4', value: { input: TX, kernel: K, stride: 2 } },
  explain: { summary: 'The worked sums (explain): which input elements land on each output element', value: { input: TX, kernel: K, explain: true } },
}

export const poolExamples: Record<string, NamedExample> = {
  max: { summary: 'Textbook 6.5: 2×2 max pooling → [[4, 5], [7, 8]]', value: { input: X, mode: 'max', kernelSize: 2, stride: 1 } },
  avg: { summary: 'Textbook 6.5: 2×2 average pooling → [[2, 3], [5, 6]]', value: { input: X, mode: 'avg', kernelSize: 2, stride: 1 } },
  indices: { summary: 'Max pooling with indices (flat h·W + w)', value: { input: X, kernelSize: 2, stride: 1, returnIndices: true } },
}

export const shapeExamples: Record<string, NamedExample> = {
  textbook: { summary: 'Textbook 6.2: 3×3 ★ 2×2 → [2, 2]', value: { op: 'conv2d', inputShape: [3, 3], weightShape: [2, 2] } },
  strided: {
    summary: 'Textbook 6.3: 8×8, k (3, 5), padding (0, 1), stride (3, 4) → [2, 2]',
    value: { op: 'conv2d', inputShape: [8, 8], weightShape: [3, 5], padding: [0, 1], stride: [3, 4] },
  },
  pool: { summary: 'Pooling 4×4, k 3, padding 1, stride 2', value: { op: 'pool', inputShape: [1, 1, 4, 4], kernelSize: 3, stride: 2, padding: 1 } },
  transposed: {
    summary: 'Transposed convolution 2×2, k 2, stride 2 → [4, 4]',
    value: { op: 'convTranspose2d', inputShape: [2, 2], weightShape: [2, 2], stride: 2 },
  },
}

export const requestExamples: Record<string, Record<string, NamedExample>> = {
  Conv2dRequest: conv2dExamples,
  ConvTranspose2dRequest: convTranspose2dExamples,
  PoolRequest: poolExamples,
  ShapeRequest: shapeExamples,
}

export const exampleValues = (named: Record<string, NamedExample>) => Object.values(named).map((e) => e.value)
