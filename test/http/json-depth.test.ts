import { describe, expect, it } from 'vitest'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/http/json-depth.js'

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings (escaped quotes included)', () => {
    expect(nestsDeeperThan('{"a":[[[1]]]}', 4)).toBe(false)
    expect(nestsDeeperThan('{"a":[[[[1]]]]}', 4)).toBe(true)
    expect(nestsDeeperThan('{"a":"[[[[[[[[[\\"[[[[[[","b":[1]}', 2)).toBe(false)
    expect(nestsDeeperThan('{"a":"\\\\","b":[[[[1]]]]}', 4)).toBe(true)
    expect(nestsDeeperThan('[1,[2,[3,[4,[5]]]]]', 4)).toBe(true)
  })

  it('lets the deepest legitimate body through: a rank-4 nested tensor in the body object', () => {
    expect(nestsDeeperThan(JSON.stringify({ input: [[[[1]]]], kernel: [[1]], padding: { top: 1, bottom: 1, left: 0, right: 0 } }), MAX_JSON_DEPTH)).toBe(false)
  })

  it('leaves malformed text (an unterminated string) to JSON.parse', () => {
    expect(nestsDeeperThan('{"a":"[[[[[[[[[[[[', 2)).toBe(false)
  })
})
