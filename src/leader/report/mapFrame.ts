// The printed map's projection and scale bar. At a city's scale an equirectangular projection
// scaled by cos(latitude) at the map's middle keeps shapes and distances right to well under a
// percent (Longquan spans 0.2° of latitude): a metre east and a metre north are the same length
// on paper. The scale bar is read off that same scale, so it is right wherever it is drawn.
import type { Geometry, Position } from 'geojson'

/** The mean Earth radius (IUGG), metres. */
export const earthRadiusM = 6_371_008.8

export type Bounds = [west: number, south: number, east: number, north: number]

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

export interface MapFrame {
  /** The box the map fills (its height may be less than asked, to keep the map's shape). */
  box: Box
  /** [lon, lat] → [x, y] in points, y downwards as on a PDF page drawn by pdfkit. */
  project(position: Position): [number, number]
  /** Paper points per metre on the ground. */
  pointsPerMetre: number
}

const radians = (degrees: number) => (degrees * Math.PI) / 180

/** Ground metres east and north of the map's middle (equirectangular, scaled at the middle latitude). */
function metres(bounds: Bounds) {
  const [west, south, east, north] = bounds
  const lon0 = (west + east) / 2
  const lat0 = (south + north) / 2
  const k = Math.cos(radians(lat0))
  return {
    toMetres: ([lon, lat]: Position): [number, number] => [earthRadiusM * radians(lon - lon0) * k, earthRadiusM * radians(lat - lat0)],
    width: earthRadiusM * radians(east - west) * k,
    height: earthRadiusM * radians(north - south),
  }
}

/**
 * The map of `bounds` in a box of at most `width` × `maxHeight` points at (x, y): as large as fits,
 * centred across, its height trimmed to the map's own shape.
 */
export function mapFrame(bounds: Bounds, x: number, y: number, width: number, maxHeight: number): MapFrame {
  const m = metres(bounds)
  const pointsPerMetre = Math.min(width / Math.max(m.width, 1e-9), maxHeight / Math.max(m.height, 1e-9))
  const height = Math.min(maxHeight, m.height * pointsPerMetre)
  const box = { x, y, width, height }
  const cx = x + width / 2
  const cy = y + height / 2
  return {
    box,
    pointsPerMetre,
    project(position) {
      const [e, n] = m.toMetres(position)
      return [cx + e * pointsPerMetre, cy - n * pointsPerMetre]
    },
  }
}

export interface ScaleBar {
  /** Ground length of the whole bar, a round number of metres (1, 2 or 5 × a power of ten). */
  metres: number
  /** Its length on paper, points. */
  width: number
}

/** The longest round length whose bar is at most `maxWidth` points long. */
export function scaleBar(pointsPerMetre: number, maxWidth: number): ScaleBar {
  const most = maxWidth / pointsPerMetre
  const power = 10 ** Math.floor(Math.log10(most))
  const step = [5, 2, 1].find((s) => s * power <= most) ?? 1
  const length = step * power
  return { metres: length, width: length * pointsPerMetre }
}

/** Great-circle distance in metres (haversine), the check of the projection's scale. */
export function groundDistance(a: Position, b: Position): number {
  const dLat = radians(b[1] - a[1])
  const dLon = radians(b[0] - a[0])
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a[1])) * Math.cos(radians(b[1])) * Math.sin(dLon / 2) ** 2
  return 2 * earthRadiusM * Math.asin(Math.sqrt(h))
}

/** The polygons of a geometry as rings of positions (anything else yields none). */
export function polygonsOf(geometry: Geometry): Position[][][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates]
  if (geometry.type === 'MultiPolygon') return geometry.coordinates
  if (geometry.type === 'GeometryCollection') return geometry.geometries.flatMap(polygonsOf)
  return []
}

/** The bounds of some geometries, or null if they have no polygon. */
export function boundsOf(geometries: readonly Geometry[]): Bounds | null {
  let west = Infinity
  let south = Infinity
  let east = -Infinity
  let north = -Infinity
  for (const geometry of geometries)
    for (const polygon of polygonsOf(geometry))
      for (const [lon, lat] of polygon[0] ?? []) {
        if (lon < west) west = lon
        if (lon > east) east = lon
        if (lat < south) south = lat
        if (lat > north) north = lat
      }
  return west <= east ? [west, south, east, north] : null
}

/** Bounds grown by a share of their size on every side. */
export function padBounds([west, south, east, north]: Bounds, share: number): Bounds {
  const dx = (east - west) * share
  const dy = (north - south) * share
  return [west - dx, south - dy, east + dx, north + dy]
}
