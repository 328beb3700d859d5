import { describe, expect, it } from 'vitest'
import { conv2d } from '../../src/core/conv2d.js'
import { resolveConv2d, resolvePool2d } from '../../src/core/geometry.js'
import type { Conv2dParams, Pool2dParams } from '../../src/core/params.js'
import { pool2d } from '../../src/core/pool2d.js'
import { assertClose, loadConformanceCases, toApiCase, type ConformanceCase, type FlatTensor } from '../helpers/conformance.js'

const cases = loadConformanceCases()

const j = (v: unknown): string => String(JSON.stringify(v)).replace(/"/g, '')

function caseName(c: ConformanceCase): string {
  const a = c.attrs
  const x = `x=${j(c.inputs.input.shape)}`
  const common = `s=${j(a['stride'])} p=${j(a['padding'])} d=${j(a['dilation'])}`
  switch (c.op) {
    case 'conv2d':
      return `${c.source} conv2d ${x} w=${j(c.inputs.weight!.shape)}${c.inputs.bias ? ' bias' : ''} ${common} g=${a['groups']} ${a['padding_mode']} [${c.id}]`
    case 'maxpool2d':
    case 'avgpool2d':
    case 'lppool2d': {
      const extra = [
        a['ceil_mode'] ? 'ceil' : '',
        a['count_include_pad'] === false ? 'nocip' : '',
        a['divisor_override'] != null ? `div=${a['divisor_override']}` : '',
        a['p'] !== undefined ? `p=${a['p']}` : '',
        a['return_indices'] ? 'indices' : '',
      ].filter(Boolean).join(' ')
      return `${c.source} ${c.op} ${x} k=${j(a['kernel_size'])} ${common}${extra ? ' ' + extra : ''} [${c.id}]`
    }
    case 'adaptive_avgpool2d':
    case 'adaptive_maxpool2d':
      return `${c.source} ${c.op} ${x} out=${j(a['output_size'])}${a['return_indices'] ? ' indices' : ''} [${c.id}]`
    default:
      return `${c.source} ${c.op} ${x} [${c.id}]`
  }
}

describe('conformance fixtures through the core', () => {
  it('loads every non-transpose case', () => {
    expect(cases.length).toBe(217)
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length)
  })

  for (const c of cases) {
    it(caseName(c), () => {
      const api = toApiCase(c)
      const input = api.body['input'] as FlatTensor
      if (api.route === '/conv2d') {
        const weight = api.body['weight'] as FlatTensor
        const bias = api.body['bias'] as FlatTensor | undefined
        const g = resolveConv2d(input.shape, weight.shape, bias?.shape, api.body as Conv2dParams)
        // the fixture's resolved padding must be what the geometry resolved from the API's form
        const [top, left, bottom, right] = c.attrs['padding'] as number[]
        expect([g.padTop, g.padLeft, g.padBottom, g.padRight]).toEqual([top, left, bottom, right])
        expect([...g.wireOutputShape]).toEqual(api.expected.output.shape)
        const out = conv2d(g, Float32Array.from(input.data), Float32Array.from(weight.data), bias && Float32Array.from(bias.data))
        assertClose(out, api.expected.output.data, api.tolerance, c.id)
      } else {
        const g = resolvePool2d(input.shape, api.body as Pool2dParams)
        expect([...g.wireOutputShape]).toEqual(api.expected.output.shape)
        const { output, indices } = pool2d(g, Float32Array.from(input.data))
        assertClose(output, api.expected.output.data, api.tolerance, c.id)
        if (api.expected.indices) {
          expect(indices).toBeDefined()
          expect(Array.from(indices!)).toEqual(api.expected.indices.data)
        } else {
          expect(indices).toBeUndefined()
        }
      }
    })
  }
})
