// Sets of lattice cells traced into (Multi)Polygons along cell edges: neighbours share identical
// vertices, so layers nest and tile exactly, and nothing overlaps or leaves a gap unless planted.
import type { LineString, MultiPolygon, Point, Polygon, Position } from 'geojson'
import { components, type Lattice } from './lattice.ts'
import { toLonLat, type Metres } from './projection.ts'

export type CityGeometry = Point | LineString | Polygon | MultiPolygon

/** Node ids, closed (the first is the last). */
type Ring = number[]

interface Edge {
  from: number
  to: number
  /** 0 east, 1 north, 2 west, 3 south */
  direction: number
  used: boolean
}

/** The boundary of the cells as polygons of node ids: shell first, then holes; largest first. */
export function traceCells(lattice: Lattice, cells: Iterable<number>): Ring[][] {
  const { cell, node, nodeRows, cellColumns, cellRows, nodeX, nodeY } = lattice
  const set = new Set(cells)
  const sorted = [...set].sort((a, b) => a - b)
  const piece = new Map<number, number>()
  components(sorted, lattice.cellNeighbours).forEach((cs, k) => cs.forEach((c) => piece.set(c, k)))
  const has = (i: number, j: number) => i >= 0 && j >= 0 && i < cellColumns && j < cellRows && set.has(cell(i, j))
  const outgoing = new Map<number, Edge[]>()
  const edges: Edge[] = []
  const add = (fi: number, fj: number, ti: number, tj: number, direction: number) => {
    const edge: Edge = { from: node(fi, fj), to: node(ti, tj), direction, used: false }
    edges.push(edge)
    const list = outgoing.get(edge.from)
    if (list) list.push(edge)
    else outgoing.set(edge.from, [edge])
  }
  // the cells' sides that face no cell of the set, counter-clockwise around each cell
  for (const c of sorted) {
    const i = lattice.cellColumn(c)
    const j = lattice.cellRow(c)
    if (!has(i, j - 1)) add(i, j, i + 1, j, 0)
    if (!has(i + 1, j)) add(i + 1, j, i + 1, j + 1, 1)
    if (!has(i, j + 1)) add(i + 1, j + 1, i, j + 1, 2)
    if (!has(i - 1, j)) add(i, j + 1, i, j, 3)
  }
  const next = (edge: Edge): Edge => {
    const candidates = outgoing.get(edge.to) ?? []
    if (candidates.length === 1) return candidates[0]
    // a pinch: two cells of the set touch diagonally at this node; which way the ring turns
    // depends on whether the two cells belong to one connected piece
    const ni = Math.floor(edge.to / nodeRows)
    const nj = edge.to % nodeRows
    const pair = has(ni - 1, nj - 1) ? [cell(ni - 1, nj - 1), cell(ni, nj)] : [cell(ni, nj - 1), cell(ni - 1, nj)]
    const same = piece.get(pair[0]) === piece.get(pair[1])
    const want = same ? (edge.direction + 3) % 4 : (edge.direction + 1) % 4
    const turn = candidates.find((x) => x.direction === want)
    if (!turn) throw new Error('trace: no turn')
    return turn
  }
  const rings: Ring[] = []
  const firstEdges: Edge[] = []
  for (const first of edges) {
    if (first.used) continue
    const ring = [first.from]
    let edge = first
    for (;;) {
      edge.used = true
      ring.push(edge.to)
      const following = next(edge)
      if (following === first) break
      if (following.used) throw new Error('trace: ring does not close')
      edge = following
    }
    rings.push(ring)
    firstEdges.push(first)
  }
  const area = (ring: Ring) => {
    let a = 0
    for (let k = 0; k + 1 < ring.length; k++) a += nodeX[ring[k]] * nodeY[ring[k + 1]] - nodeX[ring[k + 1]] * nodeY[ring[k]]
    return a / 2
  }
  const inside = (x: number, y: number, ring: Ring) => {
    let within = false
    for (let k = 0, l = ring.length - 2; k < ring.length - 1; l = k++) {
      const xi = nodeX[ring[k]]
      const yi = nodeY[ring[k]]
      const xj = nodeX[ring[l]]
      const yj = nodeY[ring[l]]
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) within = !within
    }
    return within
  }
  const shells: { ring: Ring; area: number; holes: Ring[] }[] = []
  const holes: { ring: Ring; edge: Edge }[] = []
  rings.forEach((ring, k) => {
    const a = area(ring)
    if (a > 0) shells.push({ ring, area: a, holes: [] })
    else holes.push({ ring, edge: firstEdges[k] })
  })
  // a hole belongs to the smallest shell holding a point 2 m inside it, off its first edge
  for (const hole of holes) {
    const dx = nodeX[hole.edge.to] - nodeX[hole.edge.from]
    const dy = nodeY[hole.edge.to] - nodeY[hole.edge.from]
    const length = Math.hypot(dx, dy)
    const x = (nodeX[hole.edge.to] + nodeX[hole.edge.from]) / 2 + (dy / length) * 2
    const y = (nodeY[hole.edge.to] + nodeY[hole.edge.from]) / 2 - (dx / length) * 2
    const owner = shells.filter((shell) => inside(x, y, shell.ring)).sort((a, b) => a.area - b.area)[0]
    if (!owner) throw new Error('trace: hole without shell')
    owner.holes.push(hole.ring)
  }
  shells.sort((a, b) => b.area - a.area)
  return shells.map((shell) => [shell.ring, ...shell.holes])
}

export function cellsGeometry(lattice: Lattice, cells: Iterable<number>): Polygon | MultiPolygon {
  const polygons = traceCells(lattice, cells).map((polygon) => polygon.map((ring) => ring.map((n): Position => lattice.nodeLonLat[n])))
  if (polygons.length === 0) throw new Error('empty cell set')
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons }
}

/** A quadrilateral in local metres as a closed Polygon. */
export function quadGeometry(quad: readonly Metres[]): Polygon {
  const ring = quad.map(([x, y]) => toLonLat(x, y))
  return { type: 'Polygon', coordinates: [[...ring, ring[0]]] }
}

/** Bilinear interpolation in a quadrilateral: (0, 0) is its first corner, (1, 1) its third. */
export function bilinear(quad: readonly Metres[], u: number, v: number): Metres {
  const [p0, p1, p2, p3] = quad
  return [
    (1 - u) * (1 - v) * p0[0] + u * (1 - v) * p1[0] + u * v * p2[0] + (1 - u) * v * p3[0],
    (1 - u) * (1 - v) * p0[1] + u * (1 - v) * p1[1] + u * v * p2[1] + (1 - u) * v * p3[1],
  ]
}

/** The quadrilateral scaled by `factor` about the mean of its corners. */
export function shrink(quad: readonly Metres[], factor: number): Metres[] {
  const cx = (quad[0][0] + quad[1][0] + quad[2][0] + quad[3][0]) / 4
  const cy = (quad[0][1] + quad[1][1] + quad[2][1] + quad[3][1]) / 4
  return quad.map(([x, y]) => [cx + (x - cx) * factor, cy + (y - cy) * factor])
}
