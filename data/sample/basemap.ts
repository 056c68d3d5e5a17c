// The basemap's drawn features: the county outline (the real one, converted from GCJ-02 to WGS-84)
// and the river 龙泉溪, whose banks are the lattice's bank rows inside the town.
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson'
import gcoord from 'gcoord'
import { bankPoint, type Lattice } from './lattice.ts'
import { metresPerDegreeLatitude, metresPerDegreeLongitude, round7, toLonLat, type LonLat } from './projection.ts'

/** What cleaning the outline took. */
export interface OutlineCleaning {
  /** vertices of the cleaned ring */
  vertices: number
  /** pieces pinched off the main shape, kept as polygons of their own */
  lobes: number
  /** pinched-off holes, filled */
  holes: number
  filledKm2: number
}

/** The outline's source is generalised to 1/1024°. */
const grid = 1024

type GridPoint = [number, number]

/**
 * The county outline in WGS-84. Its source has zero-width spikes and rings that touch themselves;
 * those are cleaned first, exactly, on the source's 1/1024° grid: spikes and back-tracks dropped,
 * pinched loops split off as separate lobes (same orientation) or holes (opposite orientation).
 */
export function countyOutline(source: FeatureCollection): { geometry: Polygon | MultiPolygon; cleaning: OutlineCleaning } {
  const outline = source.features[0]?.geometry
  if (outline?.type !== 'Polygon' || outline.coordinates.length !== 1) throw new Error('outline: expected a Polygon with one ring')
  let points = outline.coordinates[0].map(([x, y]): GridPoint => {
    const p: GridPoint = [Math.round(x * grid), Math.round(y * grid)]
    if (Math.abs(p[0] / grid - x) > 1e-9 || Math.abs(p[1] / grid - y) > 1e-9) throw new Error('outline: not on the 1/1024 grid')
    return p
  })
  const equal = (a: GridPoint, b: GridPoint) => a[0] === b[0] && a[1] === b[1]
  if (equal(points[0], points[points.length - 1])) points.pop()
  // drop duplicates, spikes (a b a) and back-tracks (b on the way back from a to c)
  for (let changed = true; changed; ) {
    changed = false
    const kept: GridPoint[] = []
    for (const p of points) {
      if (kept.length && equal(kept[kept.length - 1], p)) {
        changed = true
        continue
      }
      kept.push(p)
      while (kept.length >= 3) {
        const [a, b, c] = kept.slice(-3)
        const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
        const dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1])
        if (cross === 0 && dot <= 0) {
          kept.splice(kept.length - 2, 1) // b is a spike's tip or a back-track
          if (kept.length >= 2 && equal(kept[kept.length - 1], kept[kept.length - 2])) kept.pop()
          changed = true
        } else break
      }
    }
    // the same across the ring's seam
    while (kept.length > 3) {
      const n = kept.length
      const [a, b, c] = [kept[n - 1], kept[0], kept[1]]
      const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
      const dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1])
      if (equal(a, b)) kept.pop()
      else if (cross === 0 && dot <= 0) kept.shift()
      else break
      changed = true
    }
    points = kept
  }
  // split at vertices the ring passes twice
  const loops: GridPoint[][] = []
  const split = (ring: GridPoint[]) => {
    const seen = new Map<string, number>()
    for (let k = 0; k < ring.length; k++) {
      const key = ring[k].join(',')
      const at = seen.get(key)
      if (at !== undefined) {
        split(ring.slice(at, k))
        split([...ring.slice(0, at), ...ring.slice(k)])
        return
      }
      seen.set(key, k)
    }
    if (ring.length >= 3) loops.push(ring)
  }
  split(points)
  const signedArea = (ring: GridPoint[]) => {
    let a = 0
    for (let k = 0; k < ring.length; k++) {
      const p = ring[k]
      const q = ring[(k + 1) % ring.length]
      a += p[0] * q[1] - q[0] * p[1]
    }
    return a / 2
  }
  loops.sort((a, b) => Math.abs(signedArea(b)) - Math.abs(signedArea(a)))
  const mainSign = Math.sign(signedArea(loops[0]))
  const toWgs84 = (ring: GridPoint[], counterClockwise: boolean): Position[] => {
    const oriented = Math.sign(signedArea(ring)) > 0 === counterClockwise ? ring : [...ring].reverse()
    const converted = oriented.map(([x, y]): LonLat => {
      const [longitude, latitude] = gcoord.transform([x / grid, y / grid], gcoord.GCJ02, gcoord.WGS84)
      return [round7(longitude), round7(latitude)]
    })
    return [...converted, converted[0]]
  }
  const shells = loops.filter((loop) => Math.sign(signedArea(loop)) === mainSign)
  const holes = loops.filter((loop) => Math.sign(signedArea(loop)) !== mainSign)
  const polygons = shells.map((shell) => [toWgs84(shell, true)])
  // pinched-off holes are filled: at 1/1024° they are generalisation's artefacts, and a hole that
  // touches its shell twice would disconnect the interior (invalid)
  const filled = holes.reduce((a, hole) => a + Math.abs(signedArea(hole)), 0)
  const cleaning = {
    vertices: points.length,
    lobes: shells.length - 1,
    holes: holes.length,
    filledKm2: (filled / grid / grid) * (metresPerDegreeLongitude / 1000) * (metresPerDegreeLatitude / 1000),
  }
  const geometry: Polygon | MultiPolygon =
    polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons }
  return { geometry, cleaning }
}

/** 龙泉溪 from 14 km west of the centre to 10 km east: the lattice's bank rows, and bank points beyond. */
export function riverGeometry(lattice: Lattice): Polygon {
  const { columnX, nodeColumns, riverRow, nodeLonLat, node } = lattice
  const west = -14000
  const east = 10000
  const step = 150
  const bank = (north: boolean) => {
    const row = north ? riverRow + 1 : riverRow
    const points: LonLat[] = []
    for (let x = west; x < columnX[0] - step / 2; x += step) points.push(toLonLat(...bankPoint(x, north)))
    for (let i = 0; i < nodeColumns; i++) points.push(nodeLonLat[node(i, row)])
    for (let x = columnX[nodeColumns - 1] + step; x <= east; x += step) points.push(toLonLat(...bankPoint(x, north)))
    return points
  }
  const ring = [...bank(false), ...bank(true).reverse()]
  ring.push(ring[0])
  return { type: 'Polygon', coordinates: [ring] }
}
