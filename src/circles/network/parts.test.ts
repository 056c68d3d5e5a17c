import { describe, expect, test } from 'vitest'
import { localDistance } from '../engine/projection.ts'
import { connectedParts, describeParts, partsOfLines } from './parts.ts'

describe('connected parts', () => {
  test('by hand: a path of two edges and an island; the share by length', () => {
    const parts = connectedParts([
      { source: 1, target: 2, length: 300 },
      { source: 2, target: 3, length: 500 },
      { source: 7, target: 8, length: 200 },
    ])
    expect(parts).toEqual({ parts: 2, edges: 3, lengthM: 1000, largestShare: 0.8 })
    expect(describeParts(parts)[0]).toBe('the network has 2 connected parts (3 edges, 1.0 km); the largest holds 80.0 % of the length')
    expect(describeParts(parts)[1]).toMatch(/^warning: the largest part holds less than 95 %/)
  })

  test("a file's lines meet where their end points are identical, measured as the engine measures", () => {
    const a = [119.1, 28.0]
    const b = [119.101, 28.0]
    const c = [119.101, 28.001]
    const parts = partsOfLines([
      [a, b],
      [b, [119.1015, 28.0005], c],
      [[119.2, 28.1], [119.2001, 28.1]],
    ])
    const island = localDistance(119.2, 28.1, 119.2001, 28.1)
    const main = localDistance(a[0], a[1], b[0], b[1]) + localDistance(b[0], b[1], 119.1015, 28.0005) + localDistance(119.1015, 28.0005, c[0], c[1])
    expect(parts.parts).toBe(2)
    expect(parts.lengthM).toBeCloseTo(main + island, 6)
    expect(parts.largestShare).toBeCloseTo(main / (main + island), 9)
  })
})
