// A local metric plane around a point: east and north in metres, scaled by the WGS-84
// ellipsoid's radii of curvature at that latitude. Within a few kilometres of its centre it
// agrees with geodesic distances to well under 0.1 %, which is all an isochrone needs.
const a = 6378137
const f = 1 / 298.257223563
const e2 = f * (2 - f)
const rad = Math.PI / 180

export interface LocalPlane {
  lon0: number
  lat0: number
  /** metres per degree of longitude and of latitude at the centre */
  kx: number
  ky: number
}

export function localPlane(lon0: number, lat0: number): LocalPlane {
  const s = Math.sin(lat0 * rad)
  const w = 1 - e2 * s * s
  const n = a / Math.sqrt(w) // prime vertical
  const m = (a * (1 - e2)) / (w * Math.sqrt(w)) // meridian
  return { lon0, lat0, kx: n * Math.cos(lat0 * rad) * rad, ky: m * rad }
}

export function toPlane(plane: LocalPlane, lon: number, lat: number): [number, number] {
  return [(lon - plane.lon0) * plane.kx, (lat - plane.lat0) * plane.ky]
}

export function fromPlane(plane: LocalPlane, x: number, y: number): [number, number] {
  return [plane.lon0 + x / plane.kx, plane.lat0 + y / plane.ky]
}

/** Distance in metres between two lon/lat points, in the plane of the first (short distances). */
export function localDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const plane = localPlane(lon1, (lat1 + lat2) / 2)
  return Math.hypot((lon2 - lon1) * plane.kx, (lat2 - lat1) * plane.ky)
}
