import { ApiProblem, compute, figure, type ExplainEntry } from './playground-api.js'
import { EXAMPLES, type Example, type Op } from './playground-examples.js'
import { byId, field, formatNested, parseJsonField, parseParam, toNested } from './playground-dom.js'

/**
 * The playground page: a form for one /conv2d, /conv-transpose2d or /pool request, the figure the
 * service draws for it, its output and its worked sums. Clicking an output cell (in the figure or
 * in the list of sums) asks for the figure again with `?highlight=`.
 */
interface Job {
  op: Op
  body: Record<string, unknown>
  shape: number[]
  sums: ExplainEntry[]
}

let job: Job | undefined
let selected: number[] = []

const op = (): Op => (document.querySelector<HTMLInputElement>('input[name="op"]:checked')?.value as Op) ?? 'conv2d'

function setOp(value: Op): void {
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="op"]')) radio.checked = radio.value === value
  document.body.dataset.op = value
}

function showExample(example: Example): void {
  setOp(example.op)
  const b = example.body as Record<string, unknown>
  const json = (v: unknown) => (v === undefined ? '' : formatNested(v))
  field('input').value = json(b.input)
  field('kernel').value = json(b.kernel)
  field('bias').value = b.bias === undefined ? '' : JSON.stringify(b.bias)
  for (const name of ['stride', 'padding', 'dilation', 'kernelSize', 'outputPadding']) field(name).value = b[name] === undefined ? '' : JSON.stringify(b[name])
  if (example.op === 'pool' && b.kernelSize === undefined) field('kernelSize').value = ''
  field('mode').value = (b.mode as string) ?? 'max'
  field('paddingMode').value = (b.paddingMode as string) ?? 'zeros'
  ;(field('flipKernel') as HTMLInputElement).checked = b.flipKernel === true
  byId('note').textContent = example.note
  for (const chip of document.querySelectorAll<HTMLButtonElement>('#examples button')) chip.setAttribute('aria-pressed', String(chip.dataset.id === example.id))
}

/** The request body from the form; a field that does not parse is reported like an API error. */
function readBody(): { op: Op; body: Record<string, unknown> } {
  const kind = op()
  const body: Record<string, unknown> = { input: parseJsonField('input', 'Input') }
  if (kind !== 'pool') {
    body.kernel = parseJsonField('kernel', 'Kernel')
    if (field('bias').value.trim() !== '') body.bias = parseJsonField('bias', 'Bias')
  }
  if (kind === 'conv2d') {
    if (field('paddingMode').value !== 'zeros') body.paddingMode = field('paddingMode').value
    if ((field('flipKernel') as HTMLInputElement).checked) body.flipKernel = true
  } else if (kind === 'conv-transpose2d') {
    const outputPadding = parseParam('outputPadding')
    if (outputPadding !== undefined) body.outputPadding = outputPadding
  } else {
    body.mode = field('mode').value
    const kernelSize = parseParam('kernelSize')
    if (kernelSize !== undefined) body.kernelSize = kernelSize
  }
  for (const name of ['stride', 'padding', 'dilation']) {
    const value = parseParam(name)
    if (value !== undefined) body[name] = value
  }
  return { op: kind, body }
}

function showError(error: unknown): void {
  const box = byId('error')
  box.hidden = false
  box.replaceChildren()
  const code = document.createElement('strong')
  const message = document.createElement('span')
  if (error instanceof ApiProblem) {
    code.textContent = `${error.status} ${error.code}`
    message.textContent = error.message
  } else {
    code.textContent = 'Error'
    message.textContent = error instanceof Error ? error.message : String(error)
  }
  box.append(code, message)
}

/** Index of an output cell in the output's rank: batch 0, the cell's channel, its row and column. */
function wireIndex(shape: readonly number[], channel: number, row: number, col: number): number[] {
  if (shape.length === 2) return [row, col]
  if (shape.length === 3) return [channel, row, col]
  return [0, channel, row, col]
}

/** `i,j` when the leading axes are 0 (the contract's form), the whole index otherwise. */
const highlightOf = (index: number[]) => (index.slice(0, -2).every((v) => v === 0) ? index.slice(-2) : index)

async function drawFigure(): Promise<void> {
  if (!job) return
  const target = byId('figure')
  try {
    const svg = await figure(`/${job.op}`, job.body, highlightOf(selected), field('apiKey').value)
    target.innerHTML = svg.replace(/^<\?xml[^>]*>\s*/, '')
  } catch (error) {
    target.replaceChildren()
    const p = document.createElement('p')
    p.className = 'muted'
    p.textContent = error instanceof ApiProblem ? `No figure for this job: ${error.message}` : String(error)
    target.append(p)
  }
}

function showSums(): void {
  const list = byId('sums')
  list.replaceChildren()
  if (!job || job.sums.length === 0) {
    const li = document.createElement('li')
    li.className = 'muted'
    li.textContent = 'Worked sums are given for outputs of up to 1,024 elements.'
    list.append(li)
    return
  }
  for (const entry of job.sums) {
    const li = document.createElement('li')
    const at = document.createElement('span')
    at.className = 'at'
    at.textContent = `[${entry.index.join(', ')}]`
    const text = document.createElement('code')
    text.textContent = entry.text
    li.append(at, text)
    li.dataset.index = entry.index.join(',')
    li.tabIndex = 0
    li.setAttribute('aria-selected', String(entry.index.join(',') === selected.join(',')))
    list.append(li)
  }
  list.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
}

async function select(index: number[]): Promise<void> {
  selected = index
  showSums()
  await drawFigure()
}

async function run(): Promise<void> {
  byId('error').hidden = true
  const button = byId('run') as HTMLButtonElement
  button.disabled = true
  try {
    const { op: kind, body } = readBody()
    const key = field('apiKey').value
    let reply
    try {
      reply = await compute(`/${kind}`, { ...body, explain: true }, key)
    } catch (error) {
      // explain has a size limit; the output itself may still be computed
      if (!(error instanceof ApiProblem && /explain/.test(error.message))) throw error
      reply = await compute(`/${kind}`, body, key)
    }
    const nested = toNested(reply.output)
    job = { op: kind, body, shape: nested.shape, sums: reply.explain ?? [] }
    const out = byId('output')
    out.textContent = formatNested(nested.value)
    out.dataset.json = JSON.stringify(nested.value)
    byId('shape').textContent = `shape [${nested.shape.join(', ')}]`
    await select(new Array<number>(nested.shape.length).fill(0))
  } catch (error) {
    showError(error)
  } finally {
    button.disabled = false
  }
}

function start(): void {
  const chips = byId('examples')
  for (const example of EXAMPLES) {
    const chip = document.createElement('button')
    chip.type = 'button'
    chip.textContent = example.label
    chip.dataset.id = example.id
    chip.addEventListener('click', () => {
      showExample(example)
      void run()
    })
    chips.append(chip)
  }
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="op"]')) radio.addEventListener('change', () => setOp(op()))
  byId('job').addEventListener('submit', (event) => {
    event.preventDefault()
    void run()
  })
  byId('figure').addEventListener('click', (event) => {
    const cell = (event.target as Element).closest<SVGGElement>('[data-grid="output"]')
    if (!cell || !job) return
    const d = cell.dataset
    void select(wireIndex(job.shape, Number(d.channel), Number(d.row), Number(d.col)))
  })
  const pick = (event: Event) => {
    const li = (event.target as Element).closest<HTMLLIElement>('li[data-index]')
    if (li) void select(li.dataset.index!.split(',').map(Number))
  }
  byId('sums').addEventListener('click', pick)
  byId('sums').addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Enter') pick(event)
  })
  showExample(EXAMPLES[0]!)
  void run()
}

start()
