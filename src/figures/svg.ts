/**
 * The few SVG primitives the figures need, as strings. Every piece of text goes through `esc`,
 * so a figure is well-formed XML whatever the numbers are. No <style> element: an SVG inlined in
 * a page would leak its rules into the page, so styling is presentation attributes only.
 */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

type Attrs = Record<string, string | number | boolean | undefined>

function attrs(a: Attrs): string {
  let out = ''
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === false) continue
    out += ` ${k}="${esc(String(v))}"`
  }
  return out
}

export function el(name: string, a: Attrs, children?: string | readonly string[]): string {
  if (children === undefined) return `<${name}${attrs(a)}/>`
  const body = typeof children === 'string' ? children : children.join('')
  return `<${name}${attrs(a)}>${body}</${name}>`
}

export function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return el('text', { x, y, ...a }, esc(content))
}

/** Generic families only: the figure must not depend on a font being installed or fetched. */
export const SANS = 'sans-serif'
export const MONO = 'monospace'

/** Rough advance widths, enough to size cells and wrap lines (digits are ~0.55–0.6 em in both). */
export function textWidth(s: string, fontSize: number): number {
  return s.length * fontSize * 0.6
}

/** The palette: close to the textbook's figures (white cells, grey padding, blue window). */
export const COLORS = {
  ink: '#1f2328',
  muted: '#6e7781',
  grid: '#57606a',
  cell: '#ffffff',
  pad: '#eaeef2',
  padInk: '#8c959f',
  window: '#b6d4fe',
  windowEdge: '#0b5cad',
  output: '#ffe08a',
  outputEdge: '#b07d00',
} as const

export function document(width: number, height: number, title: string, desc: string, body: readonly string[]): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    el(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        width: Math.ceil(width),
        height: Math.ceil(height),
        viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
        role: 'img',
        'font-family': SANS,
        'data-figure': 'convserve',
      },
      [
        el('title', {}, esc(title)),
        el('desc', {}, esc(desc)),
        el('rect', { x: 0, y: 0, width: Math.ceil(width), height: Math.ceil(height), fill: '#ffffff' }),
        ...body,
      ],
    ) +
    '\n'
  )
}
