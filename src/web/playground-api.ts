/**
 * The playground talks to the service only through its public API, as any client would:
 * JSON for the output and the worked sums, `Accept: image/svg+xml` for the figure.
 */
export interface ExplainEntry {
  index: number[]
  window: { rows: [number, number]; cols: [number, number] }
  terms: string
  value: number | null
  text: string
}

export interface ComputeReply {
  output: unknown
  explain?: ExplainEntry[]
}

/** An error as the contract shapes it: `{statusCode, error, code, message}`. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

function headers(apiKey: string, accept: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept }
  if (apiKey.trim() !== '') h.authorization = `Bearer ${apiKey.trim()}`
  return h
}

async function problem(response: Response): Promise<ApiProblem> {
  const raw = await response.text()
  try {
    const body = JSON.parse(raw) as { code?: string; message?: string; error?: string }
    return new ApiProblem(response.status, body.code ?? body.error ?? 'ERROR', body.message ?? raw)
  } catch {
    return new ApiProblem(response.status, `HTTP ${response.status}`, raw || response.statusText)
  }
}

export async function compute(path: string, body: object, apiKey: string): Promise<ComputeReply> {
  const response = await fetch(path, { method: 'POST', headers: headers(apiKey, 'application/json'), body: JSON.stringify(body) })
  if (!response.ok) throw await problem(response)
  return (await response.json()) as ComputeReply
}

export async function figure(path: string, body: object, highlight: readonly number[], apiKey: string): Promise<string> {
  const query = highlight.length > 0 ? `?highlight=${highlight.join(',')}` : ''
  const response = await fetch(path + query, { method: 'POST', headers: headers(apiKey, 'image/svg+xml'), body: JSON.stringify(body) })
  if (!response.ok) throw await problem(response)
  return response.text()
}
