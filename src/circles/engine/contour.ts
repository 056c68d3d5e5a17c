// The separating polygon of what a walk reached: every point within `radius` metres of a reached
// piece of road, traced as the contour of a distance field sampled on a square grid (marching
// squares). Each ring vertex lies on its own grid edge and each segment inside its own cell, so
// rings never cross or touch: the polygon is valid by construction, keeps its holes (blocks the
// walk went round) and its separate parts, and never bridges a gap wider than 2 × radius.
//
// Bounds, for grid spacing `cell` (c) and radius r, with c·√2 ≤ r:
//  - every reached road point is inside: the four grid points around it lie within c·√2 ≤ r of it;
//  - every point inside lies within r + c·√2 of a reached road point (some grid point of its cell
//    is within r), so no unreached road farther than that from a reached one is inside.
import { fromPlane, localPlane, toPlane } from './projection.ts'

export interface ContourOptions {
  /** Half-width of the band drawn round the reached roads, metres. */
  radius: number
  /** Grid spacing, metres. */
  cell: number
  /** Rings are simplified (Douglas–Peucker) by up to this many metres where that crosses nothing. */
  simplify: number
}

export const defaultContour: ContourOptions = { radius: 18, cell: 4, simplify: 0.5 }
/** The farthest an unreached road inside a circle can be from a reached one. */
export const tolerance = (options: ContourOptions) => options.radius + options.cell * Math.SQRT2 + options.simplify
/** Largest grid the contour will sample; larger areas get a coarser grid and a narrower band. */
const maxCells = 16_000_000

export type Ring = [number, number][]
/** GeoJSON MultiPolygon coordinates: polygons of [shell, ...holes], shells counter-clockwise. */
export type MultiPolygonCoordinates = Ring[][]

/**
 * The band of `radius` metres round polylines given in lon/lat, as MultiPolygon coordinates
 * in lon/lat (empty when there are no lines).
 */
export function contourLines(
  lines: readonly (readonly [number, number][])[],
  options: ContourOptions = defaultContour,
  /** The plane and grid to sample on; circles of one start share it, so their bands nest exactly. */
  centre?: [number, number],
): { coordinates: MultiPolygonCoordinates; options: ContourOptions } {
  const points = lines.filter((line) => line.length > 0)
  if (!points.length) return { coordinates: [], options }
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const line of points)
    for (const [lon, lat] of line) {
      minLon = Math.min(minLon, lon)
      maxLon = Math.max(maxLon, lon)
      minLat = Math.min(minLat, lat)
      maxLat = Math.max(maxLat, lat)
    }
  const plane = centre ? localPlane(centre[0], centre[1]) : localPlane((minLon + maxLon) / 2, (minLat + maxLat) / 2)
  const projected = points.map((line) => line.map(([lon, lat]) => toPlane(plane, lon, lat)))
  const [x0, y0] = toPlane(plane, minLon, minLat)
  const [x1, y1] = toPlane(plane, maxLon, maxLat)
  let { radius, cell } = options
  const cellsFor = (c: number, r: number) => (Math.ceil((x1 - x0 + 2 * r) / c) + 4) * (Math.ceil((y1 - y0 + 2 * r) / c) + 4)
  if (cellsFor(cell, radius) > maxCells) {
    // keep the tolerance: a coarser grid takes its extra error out of the band
    const limit = tolerance(options)
    while (cellsFor(cell, radius) > maxCells) {
      cell *= 1.25
      radius = limit - cell * Math.SQRT2
      if (radius < cell * Math.SQRT2) throw new Error('the area reached is too large to draw at the stated tolerance')
    }
  }
  const used = { radius, cell, simplify: options.simplify }
  // grid points (i, j) at (ox + i·cell, oy + j·cell); a margin of two cells beyond the band
  // keeps the border outside, so every ring closes
  // the grid's points sit on multiples of the cell from the plane's centre
  const ox = Math.floor((x0 - radius) / cell - 2) * cell
  const oy = Math.floor((y0 - radius) / cell - 2) * cell
  const w = Math.ceil((x1 + radius - ox) / cell) + 3
  const h = Math.ceil((y1 + radius - oy) / cell) + 3
  // squared distances: a square root only where a contour crosses
  const far = (radius + cell) ** 2
  const distance2 = scratch.field(w * h)
  distance2.fill(far, 0, w * h)
  for (const line of projected) {
    if (line.length === 1) line.push(line[0])
    for (let k = 0; k + 1 < line.length; k++) stamp(distance2, w, h, ox, oy, cell, radius, line[k], line[k + 1])
  }
  const traced = trace(distance2, w, h, ox, oy, cell, radius)
  const simplified = options.simplify > 0 ? traced.map((ring) => simplifyRing(ring, options.simplify)) : traced
  // simplifying moves each ring by at most `simplify`; where two rings (or two stretches of one)
  // run closer than that it could make them cross, so then the traced rings are kept
  const rings = simplified === traced || crossesNothing(simplified, cell) ? simplified : traced
  const coordinates = assemble(rings).map((polygon) =>
    polygon.map((ring) => {
      const out: Ring = new Array<Ring[number]>(ring.length / 2)
      for (let k = 0; k < ring.length; k += 2) out[k / 2] = fromPlane(plane, ring[k], ring[k + 1])
      return out
    }),
  )
  return { coordinates, options: used }
}

/**
 * Working arrays kept between calls (a circle a frame while a planner drags a facility would
 * otherwise allocate and collect a megabyte each time). `next` is handed back all -1.
 */
const scratch = (() => {
  let field = new Float32Array(0)
  let mask = new Uint8Array(0)
  let next = new Int32Array(0)
  const size = (n: number) => Math.max(n, 1 << 16)
  return {
    field(n: number) {
      if (field.length < n) field = new Float32Array(size(n))
      return field
    },
    mask(n: number) {
      if (mask.length < n) mask = new Uint8Array(size(n))
      return mask
    },
    next(n: number) {
      if (next.length < n) next = new Int32Array(size(n)).fill(-1)
      return next
    },
  }
})()

/** Lowers the squared distance of every grid point within `radius` of the segment a–b to its true value. */
function stamp(distance2: Float32Array, w: number, h: number, ox: number, oy: number, cell: number, radius: number, a: [number, number], b: [number, number]): void {
  const [ax, ay] = a
  const [dx, dy] = [b[0] - ax, b[1] - ay]
  const length2 = dx * dx + dy * dy
  const r2 = radius * radius
  const i0 = Math.max(0, Math.floor((Math.min(ax, b[0]) - radius - ox) / cell))
  const i1 = Math.min(w - 1, Math.ceil((Math.max(ax, b[0]) + radius - ox) / cell))
  const j0 = Math.max(0, Math.floor((Math.min(ay, b[1]) - radius - oy) / cell))
  const j1 = Math.min(h - 1, Math.ceil((Math.max(ay, b[1]) + radius - oy) / cell))
  for (let j = j0; j <= j1; j++) {
    const py = oy + j * cell - ay
    const row = j * w
    for (let i = i0; i <= i1; i++) {
      const px = ox + i * cell - ax
      let t = length2 > 0 ? (px * dx + py * dy) / length2 : 0
      t = t < 0 ? 0 : t > 1 ? 1 : t
      const ex = px - t * dx
      const ey = py - t * dy
      const d2 = ex * ex + ey * ey
      // only points near enough to matter are written: the rest keep "far"
      if (d2 < r2 * 1.5 && d2 < distance2[row + i]) distance2[row + i] = d2
    }
  }
}

/**
 * Marching squares over the field f = radius − distance (inside where distance < radius). Rings
 * run with the inside on their left: shells counter-clockwise, holes clockwise.
 */
function trace(distance2: Float32Array, w: number, h: number, ox: number, oy: number, cell: number, radius: number): Float64Array[] {
  const r2 = radius * radius
  const mask = scratch.mask(w * h)
  for (let k = 0; k < w * h; k++) mask[k] = distance2[k] < r2 ? 1 : 0
  // crossing ids: the horizontal grid edge from (i, j) to (i+1, j) is 2·(j·w+i), the vertical one
  // from (i, j) to (i, j+1) is 2·(j·w+i)+1; every entry is -1 again once the rings are walked
  const next = scratch.next(2 * w * h)
  const starts: number[] = []
  let buffer = new Float64Array(1024)
  let n = 0
  const point = (id: number) => {
    const k = id >> 1
    const i = k % w
    const j = (k - i) / w
    const other = id & 1 ? k + w : k + 1
    const fa = radius - Math.sqrt(distance2[k])
    const fb = radius - Math.sqrt(distance2[other])
    // a vertex never sits on a grid point, so two edges never share one
    const t = Math.min(0.999, Math.max(0.001, fa / (fa - fb)))
    if (n + 2 > buffer.length) {
      const grown = new Float64Array(buffer.length * 2)
      grown.set(buffer)
      buffer = grown
    }
    buffer[n++] = id & 1 ? ox + i * cell : ox + (i + t) * cell
    buffer[n++] = id & 1 ? oy + (j + t) * cell : oy + j * cell
  }
  const corners = [0, 0, 0, 0]
  const crossing = [0, 0, 0, 0]
  const isIn = [0, 0, 0, 0]
  for (let j = 0; j + 1 < h; j++) {
    for (let i = 0; i + 1 < w; i++) {
      const bl = j * w + i
      // bottom left, then counter-clockwise
      const count = mask[bl] + mask[bl + 1] + mask[bl + w + 1] + mask[bl + w]
      if (count === 0 || count === 4) continue
      corners[0] = bl
      corners[1] = bl + 1
      corners[2] = bl + w + 1
      corners[3] = bl + w
      for (let c = 0; c < 4; c++) isIn[c] = mask[corners[c]]
      // the cell's edges counter-clockwise: bottom, right, top, left
      crossing[0] = 2 * bl
      crossing[1] = 2 * (bl + 1) + 1
      crossing[2] = 2 * (bl + w)
      crossing[3] = 2 * bl + 1
      const saddle = count === 2 && isIn[0] === isIn[2]
      const joined =
        saddle &&
        radius * 4 - (Math.sqrt(distance2[corners[0]]) + Math.sqrt(distance2[corners[1]]) + Math.sqrt(distance2[corners[2]]) + Math.sqrt(distance2[corners[3]])) > 0
      for (let c = 0; c < 4; c++) {
        // edge c runs from corner c to corner c+1; leave the inside where it goes out
        if (!(isIn[c] && !isIn[(c + 1) & 3])) continue
        // …and come back where an edge leads in: the next one round the cell for a joined
        // saddle, otherwise the one before (the only one, outside a saddle)
        let d = c
        do d = joined ? (d + 1) & 3 : (d + 3) & 3
        while (!(!isIn[d] && isIn[(d + 1) & 3]))
        next[crossing[c]] = crossing[d]
        starts.push(crossing[c])
      }
    }
  }
  const rings: Float64Array[] = []
  for (const start of starts) {
    if (next[start] < 0) continue
    n = 0
    let id = start
    do {
      point(id)
      const following = next[id]
      next[id] = -1
      id = following
    } while (id !== start)
    point(start)
    rings.push(buffer.slice(0, n))
  }
  return rings
}

/** Rings inside the contour are flat: x0, y0, x1, y1, …, the last point repeating the first. */
function signedArea(ring: Float64Array): number {
  let sum = 0
  for (let k = 0; k + 3 < ring.length; k += 2) sum += ring[k] * ring[k + 3] - ring[k + 2] * ring[k + 1]
  return sum / 2
}

function bbox(ring: Float64Array): [number, number, number, number] {
  let [a, b, c, d] = [Infinity, Infinity, -Infinity, -Infinity]
  for (let k = 0; k < ring.length; k += 2) {
    a = Math.min(a, ring[k])
    b = Math.min(b, ring[k + 1])
    c = Math.max(c, ring[k])
    d = Math.max(d, ring[k + 1])
  }
  return [a, b, c, d]
}

function contains(ring: Float64Array, x: number, y: number): boolean {
  let inside = false
  const last = ring.length - 2
  for (let k = 0, l = last - 2; k < last; l = k, k += 2) {
    const xi = ring[k]
    const yi = ring[k + 1]
    const xj = ring[l]
    const yj = ring[l + 1]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Gives each hole to the innermost shell around it. */
function assemble(rings: Float64Array[]): Float64Array[][] {
  const shells: { ring: Float64Array; area: number; box: number[]; holes: Float64Array[] }[] = []
  const holes: Float64Array[] = []
  for (const ring of rings) {
    const area = signedArea(ring)
    if (area > 0) shells.push({ ring, area, box: bbox(ring), holes: [] })
    else holes.push(ring)
  }
  shells.sort((a, b) => a.area - b.area)
  for (const hole of holes) {
    const [x, y] = [hole[0], hole[1]]
    const candidates = shells.filter((shell) => x >= shell.box[0] && x <= shell.box[2] && y >= shell.box[1] && y <= shell.box[3])
    // every hole lies in some shell: where only one box holds it, that is the shell
    const owner = candidates.length === 1 ? candidates[0] : candidates.find((shell, k) => k === candidates.length - 1 || contains(shell.ring, x, y))
    if (!owner) throw new Error('contour: a hole lies in no shell')
    owner.holes.push(hole)
  }
  shells.sort((a, b) => b.area - a.area)
  return shells.map((shell) => [shell.ring, ...shell.holes])
}

/** Douglas–Peucker on a closed flat ring; keeps the ring as it is if it would collapse or turn. */
export function simplifyRing(ring: Float64Array, epsilon: number): Float64Array {
  const n = ring.length / 2 - 1 // the last point repeats the first
  if (n < 8) return ring
  // anchor at the first point and at the point farthest from it
  let far = 0
  let best = -1
  for (let k = 1; k < n; k++) {
    const d = (ring[2 * k] - ring[0]) ** 2 + (ring[2 * k + 1] - ring[1]) ** 2
    if (d > best) {
      best = d
      far = k
    }
  }
  const keep = new Uint8Array(n + 1)
  keep[0] = keep[far] = keep[n] = 1
  const stack: number[] = [0, far, far, n]
  const e2 = epsilon * epsilon
  while (stack.length) {
    const b = stack.pop()!
    const a = stack.pop()!
    const [ax, ay] = [ring[2 * a], ring[2 * a + 1]]
    const [dx, dy] = [ring[2 * b] - ax, ring[2 * b + 1] - ay]
    const length2 = dx * dx + dy * dy
    let worst = -1
    let at = -1
    for (let k = a + 1; k < b; k++) {
      const px = ring[2 * k] - ax
      const py = ring[2 * k + 1] - ay
      let t = length2 > 0 ? (px * dx + py * dy) / length2 : 0
      t = t < 0 ? 0 : t > 1 ? 1 : t
      const d = (px - t * dx) ** 2 + (py - t * dy) ** 2
      if (d > worst) {
        worst = d
        at = k
      }
    }
    if (worst > e2) {
      keep[at] = 1
      stack.push(a, at, at, b)
    }
  }
  let count = 0
  for (let k = 0; k <= n; k++) count += keep[k]
  const out = new Float64Array(count * 2)
  for (let k = 0, m = 0; k <= n; k++)
    if (keep[k]) {
      out[m++] = ring[2 * k]
      out[m++] = ring[2 * k + 1]
    }
  // a thin ring could turn inside out: keep it as traced
  const [before, after] = [signedArea(ring), signedArea(out)]
  return count >= 5 && Math.sign(before) === Math.sign(after) && Math.abs(after) > Math.abs(before) / 2 ? out : ring
}

/** Whether no two segments of the rings cross or touch, other than neighbours sharing their vertex. */
export function crossesNothing(rings: readonly Float64Array[], cell: number): boolean {
  const size = Math.max(cell * 4, 1)
  const buckets = new Map<number, number[]>()
  const segments: [number, number, number, number, number, number][] = [] // x1 y1 x2 y2 ring index
  rings.forEach((ring, r) => {
    for (let k = 0; 2 * k + 3 < ring.length; k++) {
      const s = segments.length
      segments.push([ring[2 * k], ring[2 * k + 1], ring[2 * k + 2], ring[2 * k + 3], r, k])
      const [x1, y1, x2, y2] = segments[s]
      for (let i = Math.floor(Math.min(x1, x2) / size); i <= Math.floor(Math.max(x1, x2) / size); i++)
        for (let j = Math.floor(Math.min(y1, y2) / size); j <= Math.floor(Math.max(y1, y2) / size); j++) {
          const key = (i + 32768) * 65536 + (j + 32768)
          const list = buckets.get(key)
          if (list) list.push(s)
          else buckets.set(key, [s])
        }
    }
  })
  const neighbours = (a: number, b: number) => {
    const sa = segments[a]
    const sb = segments[b]
    if (sa[4] !== sb[4]) return false
    const last = rings[sa[4]].length / 2 - 2
    const d = Math.abs(sa[5] - sb[5])
    return d === 1 || d === last
  }
  for (const list of buckets.values())
    for (let p = 0; p < list.length; p++)
      for (let q = p + 1; q < list.length; q++) {
        const a = list[p]
        const b = list[q]
        if (neighbours(a, b)) continue
        if (segmentsMeet(segments[a], segments[b])) return false
      }
  return true
}

function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
  return v > 0 ? 1 : v < 0 ? -1 : 0
}

function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by)
}

function segmentsMeet(s: readonly number[], t: readonly number[]): boolean {
  const [ax, ay, bx, by] = s
  const [cx, cy, dx, dy] = t
  const o1 = orientation(ax, ay, bx, by, cx, cy)
  const o2 = orientation(ax, ay, bx, by, dx, dy)
  const o3 = orientation(cx, cy, dx, dy, ax, ay)
  const o4 = orientation(cx, cy, dx, dy, bx, by)
  if (o1 !== o2 && o3 !== o4) return true
  return (
    (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) ||
    (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) ||
    (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) ||
    (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by))
  )
}
