// GeoJSON geometries as Well-Known Binary (ISO, little-endian), for writes that carry many
// vertices: PostGIS reads WKB some twenty times faster than it parses GeoJSON (a service circle
// has about two thousand vertices), and base64 is the shortest way to put bytes in a JSON batch.
// Positions with a third value make the geometry XYZ, as ST_GeomFromGeoJSON does (a missing z is 0).
import type { Geometry, LineString, Point, Polygon, Position } from 'geojson'

const typeCode = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
} as const

function hasZ(geometry: Geometry): boolean {
  if (geometry.type === 'GeometryCollection') return geometry.geometries.some(hasZ)
  const walk = (value: unknown): boolean => (Array.isArray(value) && typeof value[0] === 'number' ? value.length > 2 : Array.isArray(value) && value.some(walk))
  return walk(geometry.coordinates)
}

/** A geometry as WKB. */
export function toWkb(geometry: Geometry): Uint8Array {
  const dims = hasZ(geometry) ? 3 : 2
  // written twice: once with no buffer, to count its bytes, then into a buffer of that size
  let view: DataView | null = null
  let at = 0
  const uint = (n: number) => {
    view?.setUint32(at, n, true)
    at += 4
  }
  const header = (type: keyof typeof typeCode) => {
    view?.setUint8(at, 1)
    at += 1
    uint(typeCode[type] + (dims === 3 ? 1000 : 0))
  }
  const position = (p: Position) => {
    for (let d = 0; d < dims; d++) {
      view?.setFloat64(at, p[d] ?? 0, true)
      at += 8
    }
  }
  const positions = (list: Position[]) => {
    uint(list.length)
    list.forEach(position)
  }
  const write = (g: Geometry) => {
    header(g.type)
    switch (g.type) {
      case 'Point':
        return position(g.coordinates)
      case 'LineString':
        return positions(g.coordinates)
      case 'Polygon':
        uint(g.coordinates.length)
        return g.coordinates.forEach(positions)
      case 'MultiPoint':
        uint(g.coordinates.length)
        return g.coordinates.forEach((p) => write({ type: 'Point', coordinates: p }))
      case 'MultiLineString':
        uint(g.coordinates.length)
        return g.coordinates.forEach((l) => write({ type: 'LineString', coordinates: l }))
      case 'MultiPolygon':
        uint(g.coordinates.length)
        return g.coordinates.forEach((p) => write({ type: 'Polygon', coordinates: p }))
      case 'GeometryCollection':
        uint(g.geometries.length)
        return g.geometries.forEach(write)
    }
  }
  write(geometry)
  const bytes = new Uint8Array(at)
  view = new DataView(bytes.buffer)
  at = 0
  write(geometry)
  return bytes
}

/** A geometry as base64 WKB, for `extensions.st_geomfromwkb(decode(…, 'base64'), 4326)`. */
export function toWkbBase64(geometry: Geometry): string {
  const bytes = toWkb(geometry)
  // Node's Buffer where there is one; in the page's worker, btoa over the bytes in chunks
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes).toString('base64')
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/**
 * A geometry from WKB (ISO or extended, either byte order, with Z or M dropped), as a GeoPackage or
 * PostGIS writes it; throws when the bytes end before the geometry does.
 */
export function fromWkb(bytes: Uint8Array): Geometry {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 0
  const read = (): Geometry => {
    const little = view.getUint8(at) === 1
    at += 1
    let type = view.getUint32(at, little)
    at += 4
    // extended WKB: flags in the high bits, and an SRID after the type
    let dims = 2 + (type & 0x80000000 ? 1 : 0) + (type & 0x40000000 ? 1 : 0)
    if (type & 0x20000000) at += 4
    type &= 0x0fffffff
    // ISO WKB: 1000 Z, 2000 M, 3000 ZM
    if (type >= 1000) {
      const kind = Math.floor(type / 1000)
      dims = kind === 3 ? 4 : 3
      type %= 1000
    }
    const position = (): Position => {
      const p: Position = [view.getFloat64(at, little), view.getFloat64(at + 8, little)]
      at += 8 * dims
      return p
    }
    const count = () => {
      const n = view.getUint32(at, little)
      at += 4
      if (n > bytes.length) throw new RangeError(`a count of ${n} in ${bytes.length} bytes`)
      return n
    }
    const positions = () => Array.from({ length: count() }, position)
    const rings = () => Array.from({ length: count() }, positions)
    const parts = <T extends Geometry>() => Array.from({ length: count() }, () => read() as T)
    switch (type) {
      case 1:
        return { type: 'Point', coordinates: position() }
      case 2:
        return { type: 'LineString', coordinates: positions() }
      case 3:
        return { type: 'Polygon', coordinates: rings() }
      case 4:
        return { type: 'MultiPoint', coordinates: parts<Point>().map((g) => g.coordinates) }
      case 5:
        return { type: 'MultiLineString', coordinates: parts<LineString>().map((g) => g.coordinates) }
      case 6:
        return { type: 'MultiPolygon', coordinates: parts<Polygon>().map((g) => g.coordinates) }
      case 7:
        return { type: 'GeometryCollection', geometries: parts() }
      default:
        throw new RangeError(`geometry type ${type} is not one of points, lines and polygons`)
    }
  }
  return read()
}
