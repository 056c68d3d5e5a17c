import { expect, test } from 'vitest'
import { drawnParts, withCompoundLand } from './display.ts'
import { at } from './engine/testing.ts'

const square = (x: number, y: number, size: number, clockwise = false) => {
  const ring = [at(x, y), at(x + size, y), at(x + size, y + size), at(x, y + size), at(x, y)]
  return clockwise ? ring.reverse() : ring
}

test('small holes are filled where a circle is drawn; holes of 2 ha and more stay', () => {
  const shell = square(0, 0, 1000)
  const block = square(100, 100, 100, true) // 1 ha
  const river = square(300, 300, 400, true) // 16 ha
  const [drawn] = drawnParts([[shell, block, river]])
  expect(drawn).toEqual([shell, river])
  expect(drawnParts([[shell, square(100, 100, 142, true)]])[0]).toHaveLength(2) // 2.02 ha
})

test('a trial circle takes in the land of the compounds it enters: one outline round both, the overlap once', () => {
  const roads = [[square(0, 0, 100)]]
  const land = { type: 'MultiPolygon' as const, coordinates: [[square(50, 50, 100)]] }
  const joined = withCompoundLand(roads, land)
  expect(joined).toHaveLength(1)
  expect(joined[0]).toHaveLength(1)
  // the L-shaped outline of the two overlapping squares: 8 corners and the closing point
  expect(joined[0][0]).toHaveLength(9)
  expect(withCompoundLand(roads, null)).toBe(roads)
  expect(withCompoundLand([], land)).toEqual(land.coordinates)
})
