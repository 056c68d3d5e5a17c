import { describe, expect, test } from 'vitest'
import { contourLines, crossesNothing, defaultContour, tolerance, type Ring } from './contour.ts'
import { buildGraph, subLine } from './graph.ts'
import { circle, reach, sourcesOf } from './isochrone.ts'
import { toPlane } from './projection.ts'
import { Search } from './search.ts'
import { SnapIndex } from './snap.ts'
import { at, edge, gridNetwork, plane, random } from './testing.ts'

// A path A(0,0) — B(100,0) — C(200,0) and a spur B — D(100,80) of steps.
const path = [
  edge('ab', [1, [0, 0]], [2, [100, 0]]),
  edge('bc', [2, [100, 0]], [3, [200, 0]]),
  edge('bd', [2, [100, 0]], [4, [100, 80]], { steps: true, highway: 'steps' }),
]

const toXY = (ring: Ring) => ring.map(([lon, lat]) => toPlane(plane, lon, lat))

function inside(rings: [number, number][][], [x, y]: [number, number]): boolean {
  let count = 0
  for (const ring of rings)
    for (let k = 0, l = ring.length - 1; k < ring.length; l = k++) {
      const [xi, yi] = ring[k]
      const [xj, yj] = ring[l]
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) count++
    }
  return count % 2 === 1
}

function distanceToSegments(p: [number, number], segments: [number, number][][]): number {
  let best = Infinity
  for (const line of segments)
    for (let k = 0; k + 1 < line.length; k++) {
      const [[ax, ay], [bx, by]] = [line[k], line[k + 1]]
      const [dx, dy] = [bx - ax, by - ay]
      const l2 = dx * dx + dy * dy
      const t = l2 ? Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / l2)) : 0
      best = Math.min(best, Math.hypot(ax + t * dx - p[0], ay + t * dy - p[1]))
    }
  return best
}

describe('reach: the pieces of road a walk covers', () => {
  test('from a point part-way along an edge, the budget runs out part-way along edges (hand-computed)', () => {
    const graph = buildGraph(path)
    const search = new Search(graph)
    // start 25 m along ab (at x = 25), budget 120 level metres
    const start = { edge: 0, fraction: 0.25, distance: 0, point: at(25, 0) }
    const walked = reach(search, [start], 120)
    const byCode = Object.fromEntries(walked.pieces.map((p) => [graph.edgeCodes[p.edge], [p.from, p.to]]))
    expect(byCode.ab).toEqual([0, 1]) // A at 25, B at 75: the whole edge
    expect(byCode.bc[0]).toBe(0)
    expect(byCode.bc[1]).toBeCloseTo(0.45, 9) // 45 m left after B
    expect(byCode.bd[1]).toBeCloseTo(45 / 160, 9) // steps: 80 m cost 160
    const costs = Object.fromEntries(Array.from(walked.nodes, (n, i) => [graph.nodeIds[n], walked.costs[i]]))
    expect(costs).toEqual({ 1: 25, 2: 75 })
  })

  test('the start edge alone, when the budget ends before either node', () => {
    const graph = buildGraph(path)
    const walked = reach(new Search(graph), [{ edge: 1, fraction: 0.5, distance: 0, point: at(150, 0) }], 20)
    expect(walked.nodes.length).toBe(0)
    expect(walked.pieces).toHaveLength(1)
    expect(walked.pieces[0].from).toBeCloseTo(0.3, 9)
    expect(walked.pieces[0].to).toBeCloseTo(0.7, 9)
  })

  test('sourcesOf puts the start between its edge’s nodes at their costs', () => {
    const graph = buildGraph(path)
    expect(sourcesOf(graph, { edge: 2, fraction: 0.5, distance: 0, point: at(100, 40) })).toEqual([
      { node: graph.nodeIndex.get(2), cost: 80, label: -1 },
      { node: graph.nodeIndex.get(4), cost: 80, label: -1 },
    ])
  })
})

describe('snap', () => {
  test('snaps to the nearest point on the nearest edge, not the nearest node', () => {
    const graph = buildGraph(path)
    const snap = new SnapIndex(graph).snap(...at(160, 12))!
    expect(graph.edgeCodes[snap.edge]).toBe('bc')
    expect(snap.fraction).toBeCloseTo(0.6, 3)
    expect(snap.distance).toBeCloseTo(12, 2)
    expect(new SnapIndex(graph).snap(...at(160, 500), 300)).toBeNull()
  })
})

describe('the separating polygon', () => {
  test('on random networks: valid rings, every reached point inside, nothing beyond the tolerance inside, holes kept', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const graph = buildGraph(gridNetwork(14, 90, seed))
      const search = new Search(graph)
      const index = new SnapIndex(graph)
      const rand = random(seed)
      const start = index.snap(...at(rand() * 1100, rand() * 1100))!
      const made = circle(search, [start], { minutes: 8, speed: 66.7 })
      const rings = made.polygon.flat().map(toXY)
      expect(crossesNothing(rings.map((ring) => Float64Array.from(ring.flat())), 1)).toBe(true)
      // the reached pieces and the rest of every touched edge
      const reached = made.reach.pieces.map((p) => subLine(graph, p.edge, p.from, p.to).map(([lon, lat]) => toPlane(plane, lon, lat)))
      for (const line of reached)
        for (let k = 0; k + 1 < line.length; k++)
          for (let s = 0; s <= 1; s += 0.1) {
            const p: [number, number] = [line[k][0] + s * (line[k + 1][0] - line[k][0]), line[k][1] + s * (line[k + 1][1] - line[k][1])]
            expect(inside(rings, p)).toBe(true)
          }
      // points of the plane inside the polygon are all within the tolerance of a reached piece
      const limit = tolerance(defaultContour)
      for (let i = 0; i < 400; i++) {
        const p: [number, number] = [rand() * 1300 - 100, rand() * 1300 - 100]
        if (inside(rings, p)) expect(distanceToSegments(p, reached)).toBeLessThanOrEqual(limit + 1e-6)
      }
      // a grid of 90 m blocks walked round leaves holes
      expect(made.polygon.some((polygon) => polygon.length > 1)).toBe(true)
    }
  })

  test('shells run counter-clockwise and holes clockwise (RFC 7946); two far lines make two parts', () => {
    const lines = [
      [at(0, 0), at(100, 0), at(100, 100), at(0, 100), at(0, 0)],
      [at(1000, 0), at(1100, 0)],
    ] as [number, number][][]
    const { coordinates } = contourLines(lines)
    expect(coordinates).toHaveLength(2)
    const area = (ring: [number, number][]) => ring.slice(1).reduce((s, p, k) => s + ring[k][0] * p[1] - p[0] * ring[k][1], 0) / 2
    const square = coordinates.find((polygon) => polygon.length === 2)!
    expect(area(toXY(square[0]))).toBeGreaterThan(0)
    expect(area(toXY(square[1]))).toBeLessThan(0)
  })
})
