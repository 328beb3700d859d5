/**
 * The textbook's worked examples (Dive into Deep Learning, ch. 6), used as OpenAPI request
 * examples so that Swagger UI's "Try it out → Execute" runs the book's example as is.
 * The first example of each list is the one Swagger UI fills in.
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

export const conv2dExamples = [
  { input: X, kernel: K },
  { input: X, kernel: K, padding: 1 },
  { input: X, kernel: K, padding: 1, stride: [3, 2] },
  {
    input: [X, X.map((row) => row.map((v) => v + 1))],
    kernel: [K, K.map((row) => row.map((v) => v + 1))],
  },
  { input: { shape: [1, 1, 3, 3], data: [0, 1, 2, 3, 4, 5, 6, 7, 8] }, weight: { shape: [1, 1, 2, 2], data: [0, 1, 2, 3] } },
]

export const poolExamples = [
  { input: X, mode: 'max', kernelSize: 2, stride: 1 },
  { input: X, mode: 'avg', kernelSize: 2, stride: 1 },
]

export const shapeExamples = [
  { op: 'conv2d', inputShape: [3, 3], weightShape: [2, 2] },
  { op: 'conv2d', inputShape: [8, 8], weightShape: [3, 3], padding: 1, stride: [3, 4] },
  { op: 'pool', inputShape: [1, 1, 4, 4], kernelSize: 3, stride: 2, padding: 1 },
]
