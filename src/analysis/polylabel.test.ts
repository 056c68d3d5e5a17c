import { describe, expect, it } from 'vitest'
import { polylabel } from './polylabel.ts'

describe('polylabel', () => {
  it('finds the middle of a square and its half-width', () => {
    // about 1 km by 1 km at 28° N
    const d = 0.009
    const square = [[[119, 28], [119 + d / Math.cos((28 * Math.PI) / 180), 28], [119 + d / Math.cos((28 * Math.PI) / 180), 28 + d], [119, 28 + d], [119, 28]]]
    const { point, radiusM, widthM } = polylabel(square, 1)
    expect(point[1]).toBeCloseTo(28 + d / 2, 3)
    expect(radiusM).toBeGreaterThan(490)
    expect(radiusM).toBeLessThan(510)
    expect(widthM).toBeCloseTo(1002, -1)
  })

  it('stays inside an L-shaped polygon, away from the notch', () => {
    const l = [[[0, 0], [0.02, 0], [0.02, 0.005], [0.005, 0.005], [0.005, 0.02], [0, 0.02], [0, 0]]]
    const { point, radiusM } = polylabel(l, 1)
    const inArm = (point[0] <= 0.005 && point[1] <= 0.02) || (point[1] <= 0.005 && point[0] <= 0.02)
    expect(inArm).toBe(true)
    expect(radiusM).toBeGreaterThan(200)
  })

  it('avoids a hole', () => {
    const withHole = [
      [[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]],
      [[0.003, 0.003], [0.007, 0.003], [0.007, 0.007], [0.003, 0.007], [0.003, 0.003]],
    ]
    const { point } = polylabel(withHole, 1)
    const inHole = point[0] > 0.003 && point[0] < 0.007 && point[1] > 0.003 && point[1] < 0.007
    expect(inHole).toBe(false)
  })
})
