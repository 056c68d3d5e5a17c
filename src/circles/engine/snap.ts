// Snapping a point to the walking network: the nearest point on the nearest walkable edge (not
// the nearest node), as the fraction of the edge's length from its source node. A packed
// R-tree (flatbush) over every segment finds the candidates.
import Flatbush from 'flatbush'
import type { WalkGraph } from './graph.ts'
import { localPlane, type LocalPlane } from './projection.ts'

export interface Snap {
  edge: number
  /** Position along the edge, 0 at its source node, 1 at its target, by length. */
  fraction: number
  /** Straight distance from the point to the road point, metres. */
  distance: number
  /** The road point, lon/lat. */
  point: [number, number]
}

export class SnapIndex {
  private readonly index: Flatbush
  /** Segment i is edge segEdge[i], from its point segPoint[i] to segPoint[i]+1. */
  private readonly segEdge: Int32Array
  private readonly segPoint: Int32Array
  private readonly plane: LocalPlane

  constructor(readonly graph: WalkGraph) {
    const { coordStart, coords, edgeCount } = graph
    const segments = coordStart[edgeCount] - edgeCount
    this.segEdge = new Int32Array(segments)
    this.segPoint = new Int32Array(segments)
    // One plane for the index: the network's centre. Exact distances are measured again in a
    // plane at the query point, so this only orders the candidates.
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
    for (let i = 0; i < coords.length; i += 2) {
      minX = Math.min(minX, coords[i])
      maxX = Math.max(maxX, coords[i])
      minY = Math.min(minY, coords[i + 1])
      maxY = Math.max(maxY, coords[i + 1])
    }
    this.plane = localPlane((minX + maxX) / 2 || 0, (minY + maxY) / 2 || 0)
    this.index = new Flatbush(Math.max(1, segments))
    const { kx, ky } = this.plane
    let s = 0
    for (let e = 0; e < edgeCount; e++) {
      for (let p = coordStart[e]; p < coordStart[e + 1] - 1; p++) {
        const [x1, y1, x2, y2] = [coords[2 * p] * kx, coords[2 * p + 1] * ky, coords[2 * p + 2] * kx, coords[2 * p + 3] * ky]
        this.index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2))
        this.segEdge[s] = e
        this.segPoint[s++] = p
      }
    }
    if (segments === 0) this.index.add(0, 0, 0, 0)
    this.index.finish()
  }

  /** The nearest road point to lon/lat, or null when the network is empty or every edge is farther than maxDistance metres. */
  snap(lon: number, lat: number, maxDistance = Infinity): Snap | null {
    if (this.graph.edgeCount === 0) return null
    const { kx, ky } = this.plane
    const [x, y] = [lon * kx, lat * ky]
    // the nearest segment by box distance gives an upper bound; every segment that may beat it
    // has a box within that bound (slightly widened: the index's plane is not the query's)
    const first = this.index.neighbors(x, y, 1)
    if (!first.length) return null
    const bound = this.segmentDistance(first[0], x, y).distance * 1.02 + 1e-6
    if (bound / 1.02 > maxDistance * 1.05) return null
    const candidates = this.index.neighbors(x, y, Infinity, bound)
    const local = localPlane(lon, lat)
    let best: { segment: number; t: number; distance: number } | null = null
    for (const segment of candidates) {
      const found = this.segmentDistance(segment, lon * local.kx, lat * local.ky, local)
      if (!best || found.distance < best.distance || (found.distance === best.distance && this.segEdge[segment] < this.segEdge[best.segment]))
        best = { segment, ...found }
    }
    if (!best || best.distance > maxDistance) return null
    const e = this.segEdge[best.segment]
    const p = this.segPoint[best.segment]
    const { coordStart, coords, pointAlong } = this.graph
    const total = pointAlong[coordStart[e + 1] - 1]
    const at = pointAlong[p] + best.t * (pointAlong[p + 1] - pointAlong[p])
    const fraction = total > 0 ? Math.min(1, Math.max(0, at / total)) : 0
    const point: [number, number] = [
      coords[2 * p] + best.t * (coords[2 * p + 2] - coords[2 * p]),
      coords[2 * p + 1] + best.t * (coords[2 * p + 3] - coords[2 * p + 1]),
    ]
    return { edge: e, fraction, distance: best.distance, point }
  }

  private segmentDistance(segment: number, x: number, y: number, plane: LocalPlane = this.plane): { t: number; distance: number } {
    const p = this.segPoint[segment]
    const c = this.graph.coords
    const { kx, ky } = plane
    const [x1, y1, x2, y2] = [c[2 * p] * kx, c[2 * p + 1] * ky, c[2 * p + 2] * kx, c[2 * p + 3] * ky]
    const [dx, dy] = [x2 - x1, y2 - y1]
    const length2 = dx * dx + dy * dy
    const t = length2 > 0 ? Math.min(1, Math.max(0, ((x - x1) * dx + (y - y1) * dy) / length2)) : 0
    return { t, distance: Math.hypot(x1 + t * dx - x, y1 + t * dy - y) }
  }
}
