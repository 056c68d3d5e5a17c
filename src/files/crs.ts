// A file's coordinate system, however it is given (a name, `EPSG:n`, a Shapefile's .prj, a
// GeoPackage's definition, a GeoJSON `crs` member), resolved to one conversion to WGS-84: proj4 for
// any projection it can express (CGCS2000 and its Gauss–Krüger zones, UTM, Web Mercator…), the
// published formulas for GCJ-02 and BD-09. Pure: the EPSG definitions come from a lookup the caller
// gives (the Node import reads epsg-index; see ./epsg.ts).
import proj4, { type Converter } from 'proj4'
import { offsetToWgs84 } from '../db/offsets.ts'
import type { Feature } from '../db/validate.ts'
import { eachCounted, type Progress } from './progress.ts'

export type Position = [number, number]

export interface Crs {
  /** How the atlas names it: wgs84, cgcs2000, gcj02, bd09, EPSG:4549, or the .prj's own name. */
  id: string
  /** In words, for the import's report. */
  name: string
  /** A position of the file to WGS-84; absent when the file is in WGS-84 (or CGCS2000) already. */
  toWgs84?: (p: Position) => Position
  /** Said with the import: a datum the atlas can only approximate. */
  warning?: string
  /** A projection, whose coordinates are metres (or feet), not degrees. */
  projected?: boolean
}

/** An EPSG code's name and proj4 definition, or undefined when the code is unknown. */
export type EpsgLookup = (code: number) => { name: string; proj4: string } | undefined

/** The systems named by word (`--crs`), besides EPSG codes and definitions. */
export const namedSystems = {
  wgs84: 'WGS-84 (EPSG:4326): GPS, OpenStreetMap',
  cgcs2000: 'CGCS2000 (EPSG:4490): Tianditu, land offices; equal to WGS-84 at map scale',
  gcj02: 'GCJ-02: Amap, Tencent; converted to WGS-84',
  bd09: 'BD-09: Baidu; converted to WGS-84',
} as const
export type NamedSystem = keyof typeof namedSystems

const named: Record<NamedSystem, Crs> = {
  wgs84: { id: 'wgs84', name: 'WGS-84' },
  cgcs2000: { id: 'cgcs2000', name: 'CGCS2000 (EPSG:4490)' },
  gcj02: { id: 'gcj02', name: 'GCJ-02', toWgs84: (p) => offsetToWgs84('gcj02', p) },
  bd09: { id: 'bd09', name: 'BD-09', toWgs84: (p) => offsetToWgs84('bd09', p) },
}

/** Geographic systems equal to WGS-84 at map scale (a metre or less), kept as they are. */
const sameAsWgs84 = new Set([4326, 4490, 4167, 4258, 4269, 4283, 4619, 4670])

const wgs84 = 'EPSG:4326'

/** Ellipsoids whose datum is WGS-84 within a metre when no shift is given. */
const geocentricEllipsoids = /^(WGS84|GRS80|CGCS2000|GRS 1980|WGS 84)$/i

function fromProj4(id: string, name: string, definition: string): Crs | string {
  let projection: Converter
  let parsed: { projName?: string; ellps?: string; datum_params?: (number | string)[]; nadgrids?: string; datumCode?: string; units?: string; to_meter?: number }
  try {
    projection = proj4(definition, wgs84)
    parsed = proj4.Proj(definition) as unknown as typeof parsed
  } catch (error) {
    return `the coordinate system ${name} cannot be read (${(error as Error).message}); reproject the file to WGS-84 (EPSG:4326) or give --crs EPSG:<code>`
  }
  if (!parsed.projName) return `the coordinate system ${name} names no projection the atlas can convert; reproject the file to WGS-84 (EPSG:4326)`
  const shifted = (parsed.datum_params?.some((v) => Number(v) !== 0) ?? false) || parsed.nadgrids !== undefined
  const ellipsoid = parsed.ellps ?? parsed.datumCode ?? ''
  const warning =
    !shifted && ellipsoid && !geocentricEllipsoids.test(ellipsoid) && !/wgs84|china_2000|cgcs2000/i.test(parsed.datumCode ?? '')
      ? `${name} is on the ${ellipsoid} ellipsoid and its definition gives no shift to WGS-84 (as with Beijing 1954 and Xian 1980): positions may be off by up to 100 m; ask the data's owner for CGCS2000`
      : undefined
  if (parsed.projName === 'longlat' && !shifted && geocentricEllipsoids.test(ellipsoid || 'WGS84'))
    return /china|cgcs|grs80|grs 1980/i.test(`${parsed.datumCode ?? ''} ${ellipsoid}`) ? named.cgcs2000 : named.wgs84
  return { id, name, toWgs84: (p) => projection.forward<Position>(p), ...(warning ? { warning } : {}), ...(parsed.projName !== 'longlat' ? { projected: true } : {}) }
}

const epsgPattern = /^(?:EPSG:+|urn:ogc:def:crs:EPSG:[^:]*:|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/\d+\/)?(\d{4,6})$/i

/**
 * A coordinate system from how a file or a user gives it: `wgs84`, `gcj02`…, `EPSG:4549` (or 4549,
 * or a URN), a WKT definition (a .prj) or a proj4 string. The reason in words when it cannot be used.
 */
export function resolveCrs(given: string, lookup: EpsgLookup): Crs | string {
  const text = given.trim()
  const word = text.toLowerCase().replace(/[-_ ]/g, '')
  if (word in named) return named[word as NamedSystem]
  if (/crs84$/i.test(text) || /^wgs84$/i.test(word)) return named.wgs84
  if (/^gcj(02)?$|^mars$/.test(word)) return named.gcj02
  if (/^bd(09)?$|^baidu$/.test(word)) return named.bd09
  const epsg = epsgPattern.exec(text)
  if (epsg) return fromEpsg(Number(epsg[1]), lookup)
  if (/^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS|BASEGEOGCRS|COMPD_CS)\s*\[/i.test(text)) return fromWkt(text, lookup)
  if (text.startsWith('+proj=') || text.includes(' +proj=')) return fromProj4(text, `the proj4 definition ${text}`, text)
  return `unknown coordinate system "${given}": give one of ${Object.keys(named).join(', ')}, or EPSG:<code> (CGCS2000 Gauss–Krüger zones are EPSG:4491–4554)`
}

function fromEpsg(code: number, lookup: EpsgLookup): Crs | string {
  if (code === 4326) return named.wgs84
  if (code === 4490) return named.cgcs2000
  const found = lookup(code)
  if (!found) return `EPSG:${code} is not a coordinate system the atlas knows; check the code (CGCS2000 Gauss–Krüger zones are EPSG:4491–4554, WGS-84 / UTM zones EPSG:32601–32660)`
  if (sameAsWgs84.has(code)) return { id: `EPSG:${code}`, name: `EPSG:${code} (${found.name})` }
  return fromProj4(`EPSG:${code}`, `EPSG:${code} (${found.name})`, found.proj4)
}

function fromWkt(wkt: string, lookup: EpsgLookup): Crs | string {
  const name = /^\s*\w+\s*\[\s*"([^"]*)"/.exec(wkt)?.[1] ?? 'of the .prj'
  if (/gcj[-_ ]?0?2|mars/i.test(name)) return named.gcj02
  if (/bd[-_ ]?0?9|baidu/i.test(name)) return named.bd09
  // the code the definition gives for itself (its last AUTHORITY, or WKT2's ID), when the atlas knows it
  const authority = /(?:AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]|ID\s*\[\s*"EPSG"\s*,\s*(\d+)\s*\])\s*\]\s*$/i.exec(wkt)
  const code = authority ? Number(authority[1] ?? authority[2]) : undefined
  if (code !== undefined && lookup(code)) {
    const byCode = fromEpsg(code, lookup)
    if (typeof byCode !== 'string') return byCode
  }
  return fromProj4(name, name, wkt)
}

/** The file's positions, at any depth, each mapped. */
export function mapPositions(c: unknown, f: (p: Position) => Position): unknown {
  if (!Array.isArray(c)) return c
  if (typeof c[0] === 'number') return typeof c[1] === 'number' ? f([c[0], c[1]]) : c
  return c.map((inner) => mapPositions(inner, f))
}

/** The features in WGS-84 (two dimensions: a Z or M the file holds is dropped). */
export function featuresToWgs84(features: Feature[], crs: Crs, progress?: Progress): Feature[] {
  const convert = crs.toWgs84 ?? ((p: Position) => p)
  return eachCounted(features, 'convert', progress, (f) => (f.geometry ? { ...f, geometry: { ...f.geometry, coordinates: mapPositions(f.geometry.coordinates, convert) } } : f))
}

function* positions(c: unknown): Generator<Position> {
  if (!Array.isArray(c)) return
  if (typeof c[0] === 'number') yield [c[0], c[1] as number]
  else for (const inner of c) yield* positions(inner)
}

/**
 * For a file declared in a projection: a reason in words when its coordinates are degrees after all
 * (a .prj copied from another layer, a wrong --crs). Projected coordinates of a Chinese city are
 * hundreds of thousands of metres; every one within ±180, ±90 is not.
 */
export function degreesNotMetres(features: Feature[], crs: Crs): string | undefined {
  if (!crs.projected) return undefined
  let first: Position | undefined
  let seen = 0
  for (const feature of features)
    for (const p of positions(feature.geometry?.coordinates)) {
      if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) return undefined
      first ??= p
      if (++seen > 100_000) break
    }
  if (!first) return undefined
  return `the file is declared in ${crs.name}, a projection in metres, but its coordinates are degrees (one is ${first[0]}, ${first[1]}): it is longitude and latitude; declare its real system (--crs wgs84, gcj02…) or correct its .prj`
}

/**
 * For a file that declares no coordinate system: a reason in words when its coordinates cannot be
 * longitude and latitude, naming the system they most likely are (a Gauss–Krüger zone's number
 * before the easting names the zone).
 */
export function notLongitudeLatitude(features: Feature[]): string | undefined {
  let seen = 0
  let found: Position | undefined
  search: for (const feature of features)
    for (const p of positions(feature.geometry?.coordinates)) {
      // beyond a degree's range by far: metres (a latitude of 91 or a swapped pair is left to the checks of positions)
      if (Math.abs(p[0]) > 1000 || Math.abs(p[1]) > 1000) {
        found = p
        break search
      }
      if (++seen > 100_000) return undefined
    }
  if (!found) return undefined
  const [x, y] = found
  const candidates: string[] = []
  if (x >= 8_000_000 && x <= 16_000_000 && y >= 1_500_000 && y <= 8_000_000) candidates.push('Web Mercator, as web maps export it (--crs EPSG:3857)')
  const zone = Math.floor(x / 1_000_000)
  if (y > 0 && y < 10_000_000) {
    if (zone >= 25 && zone <= 45)
      candidates.push(
        `a 3-degree Gauss–Krüger zone ${zone} (central meridian ${zone * 3}°E) with the zone before the easting: in CGCS2000 --crs EPSG:${4513 + zone - 25} (Xian 1980: EPSG:${2349 + zone - 25}; Beijing 1954: EPSG:${2401 + zone - 25})`,
      )
    if (zone >= 13 && zone <= 23) candidates.push(`a 6-degree Gauss–Krüger zone ${zone} (central meridian ${zone * 6 - 3}°E) with the zone before the easting: in CGCS2000 --crs EPSG:${4491 + zone - 13}`)
    if (x > 0 && x < 1_000_000)
      candidates.push(
        'a Transverse Mercator zone (Gauss–Krüger without the zone number, or UTM): CGCS2000 3-degree zones with central meridian 75°E–135°E are EPSG:4534–4554, WGS-84 / UTM north zones EPSG:32601–32660',
      )
  }
  return (
    `the file declares no coordinate system and its coordinates are not longitude and latitude (one is ${Math.round(x)}, ${Math.round(y)}): they are metres of a projection` +
    (candidates.length ? `, perhaps ${candidates.join('; or ')}` : '') +
    `. Give the file's .prj, or --crs EPSG:<code>`
  )
}
