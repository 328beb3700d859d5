// probe.mjs — the HTTP side of check.sh, in plain Node (fetch is built in since Node 18), so the
// check needs no curl or jq. Each command prints one line and exits 0 when the answer is right.
//
//   node probe.mjs get200   URL PATH…         → every PATH under URL answers 200 (redirects followed)
//   node probe.mjs textbook URL               → the D2L 6.2 example answers [[19,25],[37,43]]
//   node probe.mjs s2       URL               → an S2-sized base64 job answers the exact planes
//   node probe.mjs spread   URL N MIN         → N textbook requests all right, ≥ MIN distinct X-Upstream
//   node probe.mjs wait     URL SECONDS       → polls until URL answers 200
//   node probe.mjs reqid    URL PATTERN       → a sent X-Request-Id comes back as sent; without one the
//                                               answer's id matches PATTERN (a regular expression)

const [cmd, base, ...rest] = process.argv.slice(2)

const TEXTBOOK = { input: [[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel: [[0, 1], [2, 3]] }
const TEXTBOOK_OUT = JSON.stringify([[19, 25], [37, 43]])

function fail(message) {
  console.log(message)
  process.exit(1)
}

/**
 * fetch with a time limit, for the answer and its body, whose timer keeps the process alive. When a server accepts a connection
 * and half-closes it without answering (a balancer's port published before anything listens
 * behind it), undici's fetch never settles and holds nothing open: with AbortSignal.timeout's
 * unref'd timer the process then ran out of work and exited 13 without a word, mid-poll.
 */
async function get(url, init = {}, ms = 10_000) {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new Error(`no answer from ${url} within ${ms} ms`)), ms)
  try {
    const res = await fetch(url, { ...init, signal: controller.signal })
    // the body is read within the limit too
    return { status: res.status, headers: res.headers, text: await res.text() }
  } finally {
    clearTimeout(timer)
  }
}

function post(path, body) {
  return get(new URL(path, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

function base64Ones(count) {
  // float32 1.0 is 0x3f800000, little-endian bytes 00 00 80 3f.
  return Buffer.from(new Float32Array(count).fill(1).buffer).toString('base64')
}

async function textbook() {
  const res = await post('/conv2d', TEXTBOOK)
  if (res.status !== 200) fail(`status ${res.status}: ${res.text.slice(0, 200)}`)
  const got = JSON.stringify(JSON.parse(res.text).output)
  if (got !== TEXTBOOK_OUT) fail(`output ${got}, expected ${TEXTBOOK_OUT}`)
  return res.headers.get('x-upstream')
}

// ResNet-style stage-2 layer: 64 → 64 channels, 56×56, 3×3, padding 1 (≈ 231 MFLOPs). With all-ones
// input and weight every output is 64 × (rows inside) × (cols inside): 576 inside, 384 on an edge,
// 256 in a corner — every element can be checked without a reference implementation.
async function s2() {
  const [C, H, W, K] = [64, 56, 56, 3]
  const body = {
    input: { shape: [1, C, H, W], dtype: 'float32', base64: base64Ones(C * H * W) },
    weight: { shape: [C, C, K, K], dtype: 'float32', base64: base64Ones(C * C * K * K) },
    padding: 1,
  }
  const res = await post('/conv2d', body)
  if (res.status !== 200) fail(`status ${res.status}: ${res.text.slice(0, 200)}`)
  const out = JSON.parse(res.text).output
  if (JSON.stringify(out.shape) !== JSON.stringify([1, C, H, W])) fail(`shape ${JSON.stringify(out.shape)}`)
  const bytes = Buffer.from(out.base64, 'base64')
  if (bytes.length !== 4 * C * H * W) fail(`${bytes.length} bytes, expected ${4 * C * H * W}`)
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, C * H * W)
  const inside = (i, n) => (i === 0 || i === n - 1 ? 2 : 3)
  for (let c = 0; c < C; c++) {
    for (let h = 0; h < H; h++) {
      for (let w = 0; w < W; w++) {
        const want = C * inside(h, H) * inside(w, W)
        const got = data[(c * H + h) * W + w]
        if (got !== want) fail(`output[0,${c},${h},${w}] = ${got}, expected ${want}`)
      }
    }
  }
  console.log(`shape [1,${C},${H},${W}], all ${C * H * W} values exact`)
}

async function spread(n, min) {
  const seen = new Map()
  for (let i = 0; i < n; i++) {
    const upstream = (await textbook()) ?? '(no X-Upstream header)'
    seen.set(upstream, (seen.get(upstream) ?? 0) + 1)
  }
  const summary = [...seen].map(([k, v]) => `${k}×${v}`).join(' ')
  if (seen.size < min) fail(`${n} answers right but only from ${summary}`)
  console.log(`${n} answers right, from ${summary}`)
}

async function get200(paths) {
  const lines = []
  for (const path of paths) {
    const res = await get(new URL(path, base))
    lines.push(`${path} ${res.status}`)
    if (res.status !== 200) fail(lines.join(', '))
  }
  console.log(lines.join(', '))
}

async function wait(seconds) {
  const deadline = Date.now() + seconds * 1000
  let last = ''
  while (Date.now() < deadline) {
    try {
      const res = await get(base, {}, 2000)
      if (res.status === 200) return console.log('200')
      last = `status ${res.status}`
    } catch (error) {
      last = String(error.cause?.code ?? error.message)
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  fail(`no 200 within ${seconds} s (last: ${last})`)
}

async function reqid(pattern) {
  const sent = 'check-4bf92f35'
  const echoed = (await get(new URL('/healthz', base), { headers: { 'x-request-id': sent } })).headers.get('x-request-id')
  if (echoed !== sent) fail(`sent ${sent}, answered ${echoed}`)
  const made = (await get(new URL('/healthz', base))).headers.get('x-request-id')
  if (!new RegExp(pattern).test(made ?? '')) fail(`sent none, answered ${made}, not /${pattern}/`)
  console.log(`${sent} echoed; none sent → ${made}`)
}

try {
  if (cmd === 'get200') await get200(rest)
  else if (cmd === 'textbook') console.log(`ok ${(await textbook()) ?? ''}`.trim())
  else if (cmd === 's2') await s2()
  else if (cmd === 'spread') await spread(Number(rest[0] ?? 20), Number(rest[1] ?? 2))
  else if (cmd === 'wait') await wait(Number(rest[0] ?? 30))
  else if (cmd === 'reqid') await reqid(rest[0] ?? '.')
  else fail(`unknown command ${cmd}`)
} catch (error) {
  fail(`${error.cause?.code ?? ''} ${error.message}`.trim())
}
