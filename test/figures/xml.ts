/**
 * A small XML well-formedness check for the figures (no DOMParser in Node): one root element,
 * balanced tags, quoted and unique attributes, only the five predefined or numeric entities,
 * no stray `<` or `&` in text. Returns the elements so tests can query them.
 */
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*/
const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g

function decode(raw: string, where: number): string {
  if (/&/.test(raw.replace(ENTITY, ''))) throw new Error(`bare & at ${where}`)
  return raw.replace(ENTITY, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  )
}

export function parseXml(source: string): XmlElement {
  let i = 0
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>')
    if (end < 0) throw new Error('unterminated XML declaration')
    i = end + 2
  }
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  while (i < source.length) {
    const lt = source.indexOf('<', i)
    const textRun = source.slice(i, lt < 0 ? source.length : lt)
    if (stack.length === 0) {
      if (textRun.trim() !== '') throw new Error(`text outside the root at ${i}`)
    } else stack[stack.length - 1]!.text += decode(textRun, i)
    if (lt < 0) break
    i = lt + 1
    if (source[i] === '/') {
      const m = NAME.exec(source.slice(i + 1))
      if (!m) throw new Error(`bad end tag at ${i}`)
      const open = stack.pop()
      if (!open || open.name !== m[0]) throw new Error(`</${m[0]}> at ${i} closes <${open?.name ?? 'nothing'}>`)
      i += 1 + m[0].length
      while (/\s/.test(source[i] ?? '')) i++
      if (source[i] !== '>') throw new Error(`bad end tag at ${i}`)
      i++
      continue
    }
    const m = NAME.exec(source.slice(i))
    if (!m) throw new Error(`bad start tag at ${i}`)
    const element: XmlElement = { name: m[0], attrs: {}, children: [], text: '' }
    i += m[0].length
    for (;;) {
      const ws = /^\s*/.exec(source.slice(i))![0].length
      i += ws
      if (source.startsWith('/>', i) || source[i] === '>') break
      if (ws === 0) throw new Error(`attributes need white space between them at ${i}`)
      const attr = /^([A-Za-z_:][-A-Za-z0-9_.:]*)="([^"<]*)"/.exec(source.slice(i))
      if (!attr) throw new Error(`bad attribute at ${i}: ${source.slice(i, i + 30)}`)
      if (attr[1]! in element.attrs) throw new Error(`duplicate attribute ${attr[1]} at ${i}`)
      element.attrs[attr[1]!] = decode(attr[2]!, i)
      i += attr[0].length
    }
    if (stack.length > 0) stack[stack.length - 1]!.children.push(element)
    else if (root) throw new Error(`second root element <${element.name}> at ${i}`)
    else root = element
    if (source.startsWith('/>', i)) i += 2
    else {
      i += 1
      stack.push(element)
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`)
  if (!root) throw new Error('no root element')
  return root
}

export function findAll(root: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = []
  const walk = (e: XmlElement) => {
    if (test(e)) out.push(e)
    e.children.forEach(walk)
  }
  walk(root)
  return out
}

/** All text inside an element, its descendants' included. */
export function textOf(e: XmlElement): string {
  return e.text + e.children.map(textOf).join('')
}
