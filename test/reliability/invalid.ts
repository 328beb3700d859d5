import fc from 'fast-check'

/**
 * Requests that are wrong by construction, generated from the request schemas (every field gets
 * values outside its schema) and from the shape arithmetic (well-typed shapes that cannot fit).
 * Each generator only produces requests the contract says are a 4xx; `codes`, when given, are the
 * codes the contract names for that mistake.
 */
export interface BadRequest {
  readonly url: string
  readonly body?: unknown
  /** sent as is instead of JSON.stringify(body) */
  readonly raw?: string | Buffer
  readonly contentType?: string
  readonly codes?: readonly string[]
}

export const X = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
export const K = [[0, 1], [2, 3]]
const base: Record<string, Record<string, unknown>> = {
  '/conv2d': { input: X, weight: K },
  '/conv-transpose2d': { input: X, weight: K },
  '/pool': { input: X, kernelSize: 2 },
  '/shape': { op: 'conv2d', inputShape: [3, 3], weightShape: [2, 2] },
}

const nonInteger = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((x) => !Number.isInteger(x))
const notNumber = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }))
const notBoolean = fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.boolean(), { maxLength: 2 }))
const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }))

/** int ≥ min or [a, b] with both ≥ min — everything else */
const badPair = (min: number) =>
  fc.oneof(
    fc.integer({ min: -1000, max: min - 1 }),
    nonInteger,
    notNumber,
    fc.array(fc.integer({ min, max: 5 }), { minLength: 3, maxLength: 6 }),
    fc.array(fc.integer({ min, max: 5 }), { maxLength: 1 }),
    fc.tuple(fc.integer({ min: -5, max: min - 1 }), fc.integer({ min, max: 5 })),
    fc.tuple(fc.integer({ min, max: 5 }), fc.oneof(notNumber, nonInteger)),
  )
const badInt = (min: number) => fc.oneof(fc.integer({ min: -1000, max: min - 1 }), nonInteger, notNumber, fc.array(fc.integer(), { maxLength: 2 }))
const badWord = (allowed: readonly string[]) => fc.oneof(fc.string().filter((s) => !allowed.includes(s)), notString)
const badPadding = fc.oneof(
  fc.integer({ min: -1000, max: -1 }),
  nonInteger,
  fc.string().filter((s) => s !== 'same' && s !== 'valid'),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.nat(3), { minLength: 3, maxLength: 5 }),
  fc.array(fc.nat(3), { maxLength: 1 }),
  fc.record({ top: fc.nat(2), bottom: fc.nat(2), left: fc.nat(2) }),
  fc.record({ top: fc.integer({ min: -5, max: -1 }), bottom: fc.nat(2), left: fc.nat(2), right: fc.nat(2) }),
  fc.record({ top: fc.nat(2), bottom: fc.nat(2), left: fc.nat(2), right: fc.nat(2), extra: fc.nat(2) }),
)
const badDims = fc.oneof(
  fc.constant([]),
  fc.array(fc.nat(4), { minLength: 5, maxLength: 12 }),
  fc.tuple(fc.integer({ min: -9, max: -1 }), fc.nat(4)),
  fc.tuple(nonInteger, fc.nat(4)),
  fc.tuple(fc.string(), fc.nat(4)),
  notNumber,
)

/** A nested tensor that is not a rank 1–4 rectangle of finite float32 numbers. */
const badNested = fc.oneof(
  // ragged: one row of a ≥2-row matrix gets another length
  fc.record({ rows: fc.integer({ min: 2, max: 5 }), cols: fc.integer({ min: 1, max: 5 }), at: fc.nat(4), len: fc.nat(6) })
    .filter((r) => r.len !== r.cols)
    .map(({ rows, cols, at, len }) => {
      const m = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => i + j))
      m[at % rows] = Array.from({ length: len }, (_, j) => j)
      return m
    }),
  // a number replaced by something that is not one
  fc.record({ at: fc.nat(8), bad: fc.oneof(notNumber, fc.array(fc.integer(), { maxLength: 2 }), fc.constant(1e39), fc.constant(-1e40)) }).map(({ at, bad }) => {
    const m: unknown[][] = X.map((row) => [...row])
    m[Math.floor(at / 3) % 3]![at % 3] = bad
    return m
  }),
  fc.constant([]),
  fc.constant([[]]),
  // rank 5 and more
  fc.integer({ min: 5, max: 40 }).map((depth) => {
    let t: unknown = [1, 2]
    for (let i = 1; i < depth; i++) t = [t]
    return t
  }),
)

const b64 = (n: number) => Buffer.from(new Float32Array(n).fill(1).buffer).toString('base64')
const badFlat = fc.oneof(
  fc.record({ shape: badDims, data: fc.constant([1, 2, 3, 4]) }),
  fc.record({ shape: fc.constant([2, 2]), data: fc.array(fc.integer(), { maxLength: 8 }).filter((d) => d.length !== 4) }),
  fc.record({ shape: fc.constant([2, 2]), data: fc.tuple(fc.integer(), fc.oneof(notNumber, fc.constant(1e39)), fc.integer(), fc.integer()) }),
  fc.record({ shape: fc.constant([2, 2]), data: notNumber }),
  fc.record({ shape: fc.constant([2, 2]) }),
  fc.record({ data: fc.constant([1, 2, 3, 4]) }),
  fc.record({ shape: fc.constant([2, 2]), data: fc.constant([1, 2, 3, 4]), base64: fc.constant(b64(4)) }),
)
const badBase64 = fc.oneof(
  // characters outside the alphabet
  fc.string({ minLength: 1, maxLength: 24 }).filter((s) => /[^A-Za-z0-9+/=]/.test(s)).map((s) => ({ shape: [2, 2], dtype: 'float32', base64: s })),
  // length not a multiple of 4
  fc.integer({ min: 1, max: 23 }).filter((n) => n % 4 !== 0).map((n) => ({ shape: [2, 2], base64: 'A'.repeat(n) })),
  // byte length ≠ 4 × elements
  fc.integer({ min: 0, max: 12 }).filter((n) => n !== 4).map((n) => ({ shape: [2, 2], dtype: 'float32', base64: b64(n) })),
  fc.constantFrom('float64', 'int8', 'int32', 'FLOAT32').map((dtype) => ({ shape: [2, 2], dtype, base64: b64(4) })),
  fc.record({ shape: badDims, base64: fc.constant(b64(4)) }),
  fc.record({ shape: fc.constant([2, 2]), base64: notString }),
)
export const badTensor: fc.Arbitrary<unknown> = fc.oneof(badNested, badFlat, badBase64, fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.boolean(), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 3 })))

const FIELDS: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  '/conv2d': {
    input: badTensor, weight: badTensor, kernel: badTensor, bias: badTensor, stride: badPair(1), padding: badPadding,
    paddingMode: badWord(['zeros', 'reflect', 'replicate', 'circular']), dilation: badPair(1), groups: badInt(1),
    flipKernel: notBoolean, outputFormat: badWord(['nested', 'flat', 'base64']), explain: notBoolean,
  },
  '/conv-transpose2d': {
    input: badTensor, weight: badTensor, kernel: badTensor, bias: badTensor, stride: badPair(1), padding: badPadding,
    outputPadding: badPair(0), paddingMode: badWord(['zeros']), dilation: badPair(1), groups: badInt(1),
    outputFormat: badWord(['nested', 'flat', 'base64']), explain: notBoolean,
  },
  '/pool': {
    input: badTensor, mode: badWord(['max', 'avg', 'lp']), kernelSize: badPair(1), stride: badPair(1), padding: badPadding,
    dilation: badPair(1), ceilMode: notBoolean, countIncludePad: notBoolean, divisorOverride: badInt(1),
    p: fc.oneof(fc.double({ max: 0, noNaN: true, noDefaultInfinity: true, min: -1e6 }), notNumber), global: notBoolean,
    outputSize: badPair(1), returnIndices: notBoolean, outputFormat: badWord(['nested', 'flat', 'base64']), explain: notBoolean,
  },
  '/shape': {
    op: badWord(['conv2d', 'convTranspose2d', 'pool']), inputShape: badDims, weightShape: badDims, biasShape: badDims, stride: badPair(1),
    padding: badPadding, outputPadding: badPair(0), dilation: badPair(1), groups: badInt(1), paddingMode: badWord(['zeros', 'reflect', 'replicate', 'circular']),
    flipKernel: notBoolean,
  },
}
const URLS = Object.keys(base)

/** One field of a valid body given a value outside its schema (or the tensor codec's rules). */
export const wrongField: fc.Arbitrary<BadRequest> = fc.constantFrom(...URLS).chain((url) =>
  fc.constantFrom(...Object.keys(FIELDS[url]!)).chain((field) =>
    FIELDS[url]![field]!.map((value) => {
      const body = { ...base[url], [field]: value }
      // kernel is the alias of weight: the bad value replaces it rather than joining it
      if (field === 'kernel') delete body.weight
      return { url, body }
    }),
  ),
)

const REQUIRED: Record<string, string[][]> = { '/conv2d': [['input'], ['weight']], '/conv-transpose2d': [['input'], ['weight']], '/pool': [['input']], '/shape': [['op'], ['inputShape']] }
export const missingField: fc.Arbitrary<BadRequest> = fc.constantFrom(...URLS).chain((url) =>
  fc.constantFrom(...REQUIRED[url]!).map((drop) => {
    const body = { ...base[url] }
    for (const f of drop) delete body[f]
    return { url, body, codes: ['MISSING_FIELD', 'INVALID_PARAMETER'] }
  }),
)

const KNOWN = new Set(Object.values(FIELDS).flatMap((f) => Object.keys(f)).concat(['__proto__', 'constructor']))
export const unknownField: fc.Arbitrary<BadRequest> = fc
  .record({ url: fc.constantFrom(...URLS), key: fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !KNOWN.has(k)), value: fc.jsonValue({ maxDepth: 2 }) })
  .map(({ url, key, value }) => ({ url, body: { ...base[url], [key]: value }, codes: ['UNKNOWN_FIELD'] }))

/** Bodies that are not objects, objects without the required fields, bytes that are not JSON. */
export const notARequest: fc.Arbitrary<BadRequest> = fc.constantFrom(...URLS).chain((url) =>
  fc.oneof(
    fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 })).map((body) => ({ url, raw: JSON.stringify(body) })),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
      .filter((o) => !('input' in o) && !('op' in o))
      .map((body) => ({ url, body })),
    fc.uint8Array({ maxLength: 120 }).map((bytes) => ({ url, raw: Buffer.from(bytes) })),
    fc.string({ unit: 'binary', maxLength: 80 }).map((text) => ({ url, raw: text })),
    // truncated valid JSON
    fc.nat(40).map((cut) => ({ url, raw: JSON.stringify(base[url]).slice(0, cut % JSON.stringify(base[url]).length), codes: ['INVALID_JSON', 'INVALID_BODY'] })),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x')
      .map((contentType) => ({ url, raw: JSON.stringify(base[url]), contentType, codes: ['UNSUPPORTED_MEDIA_TYPE'] })),
  ),
)

/** `__proto__` / `constructor.prototype` keys placed in the body or inside a tensor object. */
export const poisoned: fc.Arbitrary<BadRequest> = fc
  .record({
    url: fc.constantFrom('/conv2d', '/conv-transpose2d', '/pool'),
    key: fc.constantFrom('"__proto__":{"polluted":true}', '"constructor":{"prototype":{"polluted":true}}', '"__proto__":[]', '"__proto__":null'),
    inTensor: fc.boolean(),
  })
  .map(({ url, key, inTensor }) => {
    const tensor = inTensor ? `{${key},"shape":[3,3],"data":[0,1,2,3,4,5,6,7,8]}` : JSON.stringify(X)
    const rest = url === '/pool' ? '"kernelSize":2' : `"weight":${JSON.stringify(K)}`
    const raw = inTensor ? `{"input":${tensor},${rest}}` : `{${key},"input":${tensor},${rest}}`
    return { url, raw, codes: ['FORBIDDEN_PROPERTY'] }
  })
