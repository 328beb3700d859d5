/** Small DOM and JSON helpers for the playground (no framework: the page is one form and three panels). */
export function byId(id: string): HTMLElement {
  const el = document.getElementById(id)
  if (!el) throw new Error(`the page has no #${id}`)
  return el
}

export function field(id: string): HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement {
  return byId(id) as HTMLInputElement
}

/** A field's JSON, or an error that says which field and where it broke. */
export function parseJsonField(id: string, label: string): unknown {
  const raw = field(id).value.trim()
  if (raw === '') throw new Error(`${label} is empty: type a JSON array such as [[0, 1], [2, 3]]`)
  try {
    return JSON.parse(raw)
  } catch (error) {
    throw new Error(`${label} is not valid JSON (${(error as Error).message})`)
  }
}

/** `2`, `[3, 2]`, `{"top": 1, …}` or a word (`same`, `valid`); empty means "use the default". */
export function parseParam(id: string): unknown {
  const raw = field(id).value.trim()
  if (raw === '') return undefined
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

/** Any tensor form the API answers with, as nested arrays and their shape. */
export function toNested(tensor: unknown): { value: unknown; shape: number[] } {
  if (Array.isArray(tensor)) {
    const shape: number[] = []
    for (let t: unknown = tensor; Array.isArray(t); t = t[0]) shape.push(t.length)
    return { value: tensor, shape }
  }
  const flat = tensor as { shape: number[]; data?: number[]; base64?: string }
  let data: number[] = flat.data ?? []
  if (flat.base64 !== undefined) {
    const bytes = Uint8Array.from(atob(flat.base64), (c) => c.charCodeAt(0))
    data = Array.from(new Float32Array(bytes.buffer))
  }
  const build = (axis: number, offset: number): unknown => {
    if (axis === flat.shape.length) return data[offset]
    const stride = flat.shape.slice(axis + 1).reduce((a, b) => a * b, 1)
    return Array.from({ length: flat.shape[axis]! }, (_, k) => build(axis + 1, offset + k * stride))
  }
  return { value: build(0, 0), shape: [...flat.shape] }
}

/** Nested arrays with one innermost row per line, numbers right-aligned: `[[19, 25],\n [37, 43]]`. */
export function formatNested(value: unknown): string {
  if (!Array.isArray(value)) return JSON.stringify(value).replace(/([,:])(?=\S)/g, '$1 ')
  const numbers: string[] = []
  const collect = (v: unknown): void => (Array.isArray(v) ? v.forEach(collect) : void numbers.push(JSON.stringify(v)))
  collect(value)
  const width = Math.max(...numbers.map((s) => s.length))
  const render = (v: unknown, depth: number): string => {
    if (!Array.isArray(v)) return JSON.stringify(v).padStart(width)
    if (v.every((x) => !Array.isArray(x))) return `[${v.map((x) => render(x, depth + 1)).join(', ')}]`
    const sep = ',' + '\n'.repeat(Array.isArray(v[0]?.[0]) ? 2 : 1) + ' '.repeat(depth + 1)
    return `[${v.map((x) => render(x, depth + 1)).join(sep)}]`
  }
  return render(value, 0)
}
