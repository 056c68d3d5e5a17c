// The pole of inaccessibility of a polygon: the inside point farthest from its edges, where a
// label sits best, and that distance, which says how large a label the polygon can hold.
// After Mapbox's polylabel (ISC), on a local equirectangular projection in metres.
import type { Position } from 'geojson'

export interface LabelPoint {
  /** [lon, lat] */
  point: [number, number]
  /** Distance from the point to the nearest edge, in metres. */
  radiusM: number
  /** Width and height of the polygon's bounding box, in metres. */
  widthM: number
  heightM: number
}

const metresPerDegree = 111_320

interface Cell {
  x: number
  y: number
  h: number
  d: number
  max: number
}

function pointToSegmentSquared(px: number, py: number, a: number[], b: number[]): number {
  let x = a[0]
  let y = a[1]
  let dx = b[0] - x
  let dy = b[1] - y
  if (dx !== 0 || dy !== 0) {
    const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy)
    if (t > 1) {
      x = b[0]
      y = b[1]
    } else if (t > 0) {
      x += dx * t
      y += dy * t
    }
  }
  dx = px - x
  dy = py - y
  return dx * dx + dy * dy
}

/** Signed distance from a point to the polygon's outline: positive inside. */
function signedDistance(x: number, y: number, rings: number[][][]): number {
  let inside = false
  let minSquared = Infinity
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i]
      const b = ring[j]
      if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside
      minSquared = Math.min(minSquared, pointToSegmentSquared(x, y, a, b))
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(minSquared)
}

function makeCell(x: number, y: number, h: number, rings: number[][][]): Cell {
  const d = signedDistance(x, y, rings)
  return { x, y, h, d, max: d + h * Math.SQRT2 }
}

/** A max-heap on `max`, small and allocation-light. */
class Heap {
  private items: Cell[] = []
  get length() {
    return this.items.length
  }
  push(cell: Cell) {
    const items = this.items
    items.push(cell)
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (items[parent].max >= cell.max) break
      items[i] = items[parent]
      i = parent
    }
    items[i] = cell
  }
  pop(): Cell {
    const items = this.items
    const top = items[0]
    const last = items.pop()!
    if (items.length) {
      let i = 0
      const n = items.length
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        const candidate = m === i ? last : items[m]
        let best = candidate.max
        if (l < n && items[l].max > best) {
          m = l
          best = items[l].max
        }
        if (r < n && items[r].max > best) m = r
        if (m === i) break
        items[i] = items[m]
        i = m
      }
      items[i] = last
    }
    return top
  }
}

/** The label point of a polygon (rings of [lon, lat]), to within `precisionM` metres. */
export function polylabel(polygon: Position[][], precisionM = 2): LabelPoint {
  const outer = polygon[0]
  let minLon = Infinity
  let minLat = Infinity
  let maxLon = -Infinity
  let maxLat = -Infinity
  for (const [lon, lat] of outer) {
    minLon = Math.min(minLon, lon)
    minLat = Math.min(minLat, lat)
    maxLon = Math.max(maxLon, lon)
    maxLat = Math.max(maxLat, lat)
  }
  const lat0 = (minLat + maxLat) / 2
  const kx = metresPerDegree * Math.cos((lat0 * Math.PI) / 180)
  const ky = metresPerDegree
  const rings = polygon.map((ring) => ring.map(([lon, lat]) => [(lon - minLon) * kx, (lat - minLat) * ky]))
  const width = (maxLon - minLon) * kx
  const height = (maxLat - minLat) * ky
  const cellSize = Math.min(width, height)
  const toLonLat = (x: number, y: number): [number, number] => [minLon + x / kx, minLat + y / ky]
  if (cellSize === 0) return { point: toLonLat(0, 0), radiusM: 0, widthM: width, heightM: height }

  const heap = new Heap()
  let h = cellSize / 2
  for (let x = 0; x < width; x += cellSize) for (let y = 0; y < height; y += cellSize) heap.push(makeCell(x + h, y + h, h, rings))

  // The centroid of the outer ring is a good first guess; so is the box's centre.
  let best = makeCell(width / 2, height / 2, 0, rings)
  const centroid = ringCentroid(rings[0])
  if (centroid) {
    const c = makeCell(centroid[0], centroid[1], 0, rings)
    if (c.d > best.d) best = c
  }
  let steps = 0
  while (heap.length && steps++ < 5000) {
    const cell = heap.pop()
    if (cell.d > best.d) best = cell
    if (cell.max - best.d <= precisionM) continue
    h = cell.h / 2
    heap.push(makeCell(cell.x - h, cell.y - h, h, rings))
    heap.push(makeCell(cell.x + h, cell.y - h, h, rings))
    heap.push(makeCell(cell.x - h, cell.y + h, h, rings))
    heap.push(makeCell(cell.x + h, cell.y + h, h, rings))
  }
  return { point: toLonLat(best.x, best.y), radiusM: Math.max(0, best.d), widthM: width, heightM: height }
}

function ringCentroid(ring: number[][]): [number, number] | undefined {
  let area = 0
  let x = 0
  let y = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]
    const b = ring[j]
    const f = a[0] * b[1] - b[0] * a[1]
    x += (a[0] + b[0]) * f
    y += (a[1] + b[1]) * f
    area += f * 3
  }
  return area === 0 ? undefined : [x / area, y / area]
}
