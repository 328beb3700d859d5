import { describe, expect, it } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { convTranspose2d } from '../../src/core/conv-transpose2d.js'
import { CoreError } from '../../src/core/errors.js'
import { resolveConv2d, resolveConvTranspose2d, resolvePool2d } from '../../src/core/geometry.js'
import type { ConvTranspose2dParams } from '../../src/core/params.js'
import { pool2d } from '../../src/core/pool2d.js'
import { parseHighlight, renderConvFigure, renderConvTransposeFigure, renderPoolFigure } from '../../src/figures/index.js'
import { findAll, parseXml, textOf, type XmlElement } from './xml.js'

const f = (xs: number[]) => new Float32Array(xs)
const X = f([0, 1, 2, 3, 4, 5, 6, 7, 8])
const K = f([0, 1, 2, 3])

function convFigure(params = {}, highlight = [0, 0], x = X, xs = [3, 3], w = K, ws = [2, 2], b?: Float32Array) {
  const g = resolveConv2d(xs, ws, b ? [b.length] : undefined, params)
  return parseXml(renderConvFigure(g, x, w, b, conv2d(g, x, w, b), highlight))
}

const cells = (svg: XmlElement, grid: string) => findAll(svg, (e) => e.name === 'g' && e.attrs['data-grid'] === grid)
const at = (list: XmlElement[], row: number, col: number, channel?: number) =>
  list.find((e) => e.attrs['data-row'] === String(row) && e.attrs['data-col'] === String(col) && (channel === undefined || e.attrs['data-channel'] === String(channel)))
const marked = (list: XmlElement[], attr: string) => list.filter((e) => e.attrs[attr] === 'true').map((e) => `${e.attrs['data-row']},${e.attrs['data-col']}`)

describe('the XML checker itself', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow()
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow()
    expect(() => parseXml('<svg>1 < 2</svg>')).toThrow()
    expect(() => parseXml('<svg>R&D</svg>')).toThrow()
    expect(() => parseXml('<svg/><svg/>')).toThrow()
    expect(parseXml('<svg x="&lt;"><t>a &amp; b</t></svg>').children[0]!.text).toBe('a & b')
  })
})

describe('conv figure', () => {
  const svg = convFigure()

  it('is one well-formed, self-contained svg element', () => {
    expect(svg.name).toBe('svg')
    expect(svg.attrs.xmlns).toBe('http://www.w3.org/2000/svg')
    expect(Number(svg.attrs.width)).toBeGreaterThan(200)
    const names = new Set(findAll(svg, () => true).map((e) => e.name))
    for (const banned of ['script', 'image', 'foreignObject', 'style', 'a']) expect(names.has(banned)).toBe(false)
    const fonts = findAll(svg, (e) => 'font-family' in e.attrs).map((e) => e.attrs['font-family'])
    expect(new Set(fonts)).toEqual(new Set(['sans-serif', 'monospace']))
  })

  it('prints every value in its cell: input, kernel and output', () => {
    const input = cells(svg, 'input')
    expect(input.map((e) => textOf(e))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8'])
    expect(cells(svg, 'kernel').map((e) => textOf(e))).toEqual(['0', '1', '2', '3'])
    expect(cells(svg, 'output').map((e) => e.attrs['data-value'])).toEqual(['19', '25', '37', '43'])
  })

  it('shades the window of the highlighted output and marks that output', () => {
    expect(marked(cells(svg, 'input'), 'data-window')).toEqual(['0,0', '0,1', '1,0', '1,1'])
    expect(marked(cells(svg, 'output'), 'data-highlight')).toEqual(['0,0'])
    expect(findAll(svg, (e) => e.name === 'text' && e.attrs['data-sum'] === 'true').map(textOf)).toEqual(['0×0 + 1×1 + 3×2 + 4×3 = 19'])
  })

  it('moves the window with the highlight', () => {
    const other = convFigure({}, [1, 1])
    expect(marked(cells(other, 'input'), 'data-window')).toEqual(['1,1', '1,2', '2,1', '2,2'])
    expect(marked(cells(other, 'output'), 'data-highlight')).toEqual(['1,1'])
    expect(textOf(other)).toContain('4×0 + 5×1 + 7×2 + 8×3 = 43')
  })

  it('draws padding cells outside the input, shaded, and a window that reaches into them', () => {
    const padded = convFigure({ padding: 1, stride: [3, 2] }, [1, 1])
    const input = cells(padded, 'input')
    expect(input).toHaveLength(25)
    expect(at(input, -1, -1)!.attrs['data-pad']).toBe('true')
    expect(at(input, 0, 0)!.attrs['data-pad']).toBeUndefined()
    expect(marked(input, 'data-window')).toEqual(['2,1', '2,2', '3,1', '3,2'])
    expect(cells(padded, 'output').map((e) => e.attrs['data-value'])).toEqual(['0', '8', '6', '8'])
  })

  it('draws several input channels as a stack with the bracketed sum and the bias', () => {
    const x2 = f([...X, ...X.map((v) => v + 1)])
    const k2 = f([...K, ...K.map((v) => v + 1)])
    const svg2 = convFigure({}, [0, 0], x2, [2, 3, 3], k2, [1, 2, 2, 2], f([0.5]))
    const input = cells(svg2, 'input')
    expect(input).toHaveLength(18)
    expect(textOf(at(input, 0, 0, 1)!)).toBe('1')
    expect(textOf(svg2)).toContain('(1×1 + 2×2 + 4×3 + 5×4) + (0×0 + 1×1 + 3×2 + 4×3) + 0.5 = 56.5')
  })

  it('picks another output channel with a full index', () => {
    const x2 = f([...X, ...X.map((v) => v + 1)])
    const w = f([0, 1, 2, 3, 1, 2, 3, 4, 1, 2, 3, 4, 2, 3, 4, 5, 2, 3, 4, 5, 3, 4, 5, 6])
    const svg3 = convFigure({}, [2, 1, 1], x2, [2, 3, 3], w, [3, 2, 2, 2])
    const out = cells(svg3, 'output')
    expect(out).toHaveLength(12)
    expect(out.filter((e) => e.attrs['data-highlight'] === 'true').map((e) => [e.attrs['data-channel'], e.attrs['data-value']])).toEqual([['2', '224']])
    expect(cells(svg3, 'kernel').map(textOf).sort()).toEqual(['2', '3', '3', '4', '4', '5', '5', '6'])
  })

  it('refuses planes over 16×16, naming the size', () => {
    const g = resolveConv2d([17, 17], [2, 2], undefined, {})
    const x = new Float32Array(289)
    expect(() => renderConvFigure(g, x, K, undefined, conv2d(g, x, K), [0, 0])).toThrow(/16×16.*17×17/)
  })
})

describe('transposed conv figure (D2L §14.10: X = [[0,1],[2,3]], K = [[0,1],[2,3]])', () => {
  const TX = f([0, 1, 2, 3])
  function transposedFigure(params: ConvTranspose2dParams = {}, highlight = [0, 0], x = TX, xs = [2, 2], w = K, ws = [2, 2], b?: Float32Array) {
    const g = resolveConvTranspose2d(xs, ws, b ? [b.length] : undefined, params)
    return parseXml(renderConvTransposeFigure(g, x, w, b, convTranspose2d(g, x, w, b), highlight))
  }

  it('x=[2,2] k=[2,2] s=1 highlight 1,1: every input element and every kernel tap lands there; the book\'s 4', () => {
    const svg = transposedFigure({}, [1, 1])
    expect(svg.name).toBe('svg')
    expect(cells(svg, 'input').map(textOf)).toEqual(['0', '1', '2', '3'])
    expect(cells(svg, 'output').map((e) => e.attrs['data-value'])).toEqual(['0', '0', '1', '0', '4', '6', '4', '12', '9'])
    expect(marked(cells(svg, 'input'), 'data-window')).toEqual(['0,0', '0,1', '1,0', '1,1'])
    expect(marked(cells(svg, 'kernel'), 'data-window')).toEqual(['0,0', '0,1', '1,0', '1,1'])
    expect(marked(cells(svg, 'output'), 'data-highlight')).toEqual(['1,1'])
    expect(findAll(svg, (e) => e.name === 'text' && e.attrs['data-sum'] === 'true').map(textOf)).toEqual(['0×3 + 1×2 + 2×1 + 3×0 = 4'])
    expect(textOf(svg)).toContain('Transposed convolution')
  })

  it('x=[2,2] k=[2,2] s=1 highlight 0,0: only x[0,0] with the kernel\'s top-left tap', () => {
    const svg = transposedFigure({}, [0, 0])
    expect(marked(cells(svg, 'input'), 'data-window')).toEqual(['0,0'])
    expect(marked(cells(svg, 'kernel'), 'data-window')).toEqual(['0,0'])
  })

  it('x=[2,2] k=[2,2] s=2 highlight 1,2: x[0,1] lands with tap (1,0), 1×2 = 2; a stride gap shades nothing', () => {
    const svg = transposedFigure({ stride: 2 }, [1, 2])
    expect(marked(cells(svg, 'input'), 'data-window')).toEqual(['0,1'])
    expect(marked(cells(svg, 'kernel'), 'data-window')).toEqual(['1,0'])
    expect(textOf(svg)).toContain('1×2 = 2')
    // stride 3 leaves column 2 between the scattered kernels: no input, no tap, the empty sum
    const gap = transposedFigure({ stride: 3 }, [0, 2])
    expect(marked(cells(gap, 'input'), 'data-window')).toEqual([])
    expect(marked(cells(gap, 'kernel'), 'data-window')).toEqual([])
    expect(textOf(gap)).toContain('0 = 0')
  })

  it('x=[2,2,2] w=[2,2,2] bias: one row per input channel, the bracketed sum and the bias', () => {
    const svg = transposedFigure({}, [1, 1], f([0, 1, 2, 3, 4, 5, 6, 7]), [2, 2, 2], f([0, 1, 2, 3, 1, 1, 1, 1]), [2, 2, 2], f([0.5]))
    expect(cells(svg, 'input')).toHaveLength(8)
    expect(cells(svg, 'kernel')).toHaveLength(8)
    expect(textOf(svg)).toContain('(4×1 + 5×1 + 6×1 + 7×1) + (0×3 + 1×2 + 2×1 + 3×0) + 0.5 = 26.5')
  })

  it('refuses planes over 16×16, naming the size; the input is drawn without a padding ring', () => {
    const g = resolveConvTranspose2d([17, 17], [2, 2], undefined, {})
    const x = new Float32Array(289)
    expect(() => renderConvTransposeFigure(g, x, K, undefined, convTranspose2d(g, x, K), [0, 0])).toThrow(/16×16.*17×17/)
    // padding 4 on a 15×15 input would be a 23×23 padded plane for conv2d (refused); here it crops
    // the 16×16 scatter to 8×8, and the figure is drawn
    const cropped = transposedFigure({ padding: 4 }, [0, 0], f(Array.from({ length: 225 }, (_, i) => i % 9)), [15, 15])
    expect(cells(cropped, 'input')).toHaveLength(225)
    expect(cells(cropped, 'output')).toHaveLength(64)
  })
})

describe('pool figure', () => {
  const x16 = f(Array.from({ length: 16 }, (_, i) => i))
  const g = resolvePool2d([4, 4], { mode: 'max', kernelSize: 3, stride: 2, padding: 1 })
  const svg = parseXml(renderPoolFigure(g, x16, pool2d(g, x16).output, [1, 0]))

  it('has no kernel grid, shades the window and marks the max', () => {
    expect(cells(svg, 'kernel')).toHaveLength(0)
    const input = cells(svg, 'input')
    expect(marked(input, 'data-window')).toEqual(['1,-1', '1,0', '1,1', '2,-1', '2,0', '2,1', '3,-1', '3,0', '3,1'])
    expect(cells(svg, 'output').map((e) => e.attrs['data-value'])).toEqual(['5', '7', '13', '15'])
    expect(marked(cells(svg, 'output'), 'data-highlight')).toEqual(['1,0'])
    expect(textOf(svg)).toContain('max(4, 5, 8, 9, 12, 13) = 13')
  })

  it('writes the average with its divisor', () => {
    const avg = resolvePool2d([3, 3], { mode: 'avg', kernelSize: 2, stride: 1 })
    const doc = parseXml(renderPoolFigure(avg, X, pool2d(avg, X).output, [0, 0]))
    expect(textOf(doc)).toContain('avg(0, 1, 3, 4) = (0 + 1 + 3 + 4) / 4 = 2')
  })
})

describe('parseHighlight', () => {
  it('reads i,j (leading axes 0) and a full index', () => {
    expect(parseHighlight('1,0', [2, 2])).toEqual([1, 0])
    expect(parseHighlight(undefined, [3, 2, 2])).toEqual([0, 0, 0])
    expect(parseHighlight('1,1', [3, 2, 2])).toEqual([0, 1, 1])
    expect(parseHighlight('2,1,0', [3, 2, 2])).toEqual([2, 1, 0])
  })

  it('names the numbers when out of range or malformed', () => {
    const error = (raw: string, shape: number[]) => {
      try {
        parseHighlight(raw, shape)
      } catch (e) {
        return e as CoreError
      }
      throw new Error('no error')
    }
    const out = error('2,0', [2, 2])
    expect(out).toBeInstanceOf(CoreError)
    expect(out.field).toBe('highlight')
    expect(out.message).toBe('highlight 2,0 is outside the 2×2 output (valid: 0–1, 0–1)')
    expect(error('a,b', [2, 2]).message).toMatch(/"i,j"/)
    expect(error('1,2,3', [2, 2]).message).toMatch(/"1,2,3"/)
  })
})
