// China's offset coordinate systems, GCJ-02 (Amap, Tencent) and BD-09 (Baidu), read back to WGS-84,
// and the check that catches a file in one of them imported as WGS-84: its features land a few
// hundred metres off the city's roads, and on them once read as GCJ-02 or BD-09.
import gcoord from 'gcoord'
import { layers, type LayerSpec } from '../shared/layers.ts'
import type { Queryable } from './database.ts'
import type { Feature } from './validate.ts'

export type OffsetSystem = 'gcj02' | 'bd09'
type Position = [number, number]

const forward: Record<OffsetSystem, (p: Position) => Position> = {
  gcj02: (p) => gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02),
  bd09: (p) => gcoord.transform(p, gcoord.WGS84, gcoord.BD09),
}

/**
 * A position of GCJ-02 or BD-09 in WGS-84: the point the published forward formula takes to it,
 * found by fixed-point steps to 1e-10° (about 0.01 mm; gcoord's own inverse stops at 1e-6°, 0.1 m).
 */
export function offsetToWgs84(system: OffsetSystem, target: Position): Position {
  let [x, y] = gcoord.transform(target, system === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84)
  for (let i = 0; i < 30; i++) {
    const [fx, fy] = forward[system]([x, y])
    const [dx, dy] = [fx - target[0], fy - target[1]]
    if (Math.abs(dx) < 1e-10 && Math.abs(dy) < 1e-10) break
    x -= dx
    y -= dy
  }
  return [x, y]
}

/** The positions of validated GeoJSON coordinates, at any depth, each mapped. */
function mapPositions(c: unknown, f: (p: Position) => Position): unknown {
  if (!Array.isArray(c)) return c
  if (typeof c[0] === 'number') return [...f([c[0], c[1] as number]), ...(c.slice(2) as number[])]
  return c.map((inner) => mapPositions(inner, f))
}

function positionsOf(c: unknown, into: Position[] = []): Position[] {
  if (!Array.isArray(c)) return into
  if (typeof c[0] === 'number') into.push([c[0], c[1] as number])
  else for (const inner of c) positionsOf(inner, into)
  return into
}

export function featureToWgs84(feature: Feature, system: OffsetSystem): Feature {
  return { ...feature, geometry: { ...feature.geometry, coordinates: mapPositions(feature.geometry.coordinates, (p) => offsetToWgs84(system, p)) } }
}

/** A position that stands for the feature: a point, a line's middle vertex, a polygon's vertices' mean. */
function representative(geometry: Feature['geometry']): Position | undefined {
  const positions = positionsOf(geometry.coordinates)
  if (!positions.length) return undefined
  if (/Polygon$/.test(geometry.type)) return [positions.reduce((s, p) => s + p[0], 0) / positions.length, positions.reduce((s, p) => s + p[1], 0) / positions.length]
  return positions[Math.floor(positions.length / 2)]
}

/** A file read as WGS-84 this far from the roads, or farther, is looked at in the offset systems. */
export const offRoadM = 60

const systemNames: Record<OffsetSystem, string> = { gcj02: 'GCJ-02 (Amap, Tencent)', bd09: 'BD-09 (Baidu)' }
const declare = (system: OffsetSystem) => `declare --crs ${system} (or --crs wgs84 if they are WGS-84 after all)`
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

interface Extent {
  west: number
  south: number
  east: number
  north: number
  /** Whether the database holds a walking network. */
  roads: boolean
}

/** The extent of the city the database holds (its streets, communities and roads), or null when it holds none. */
async function cityExtent(q: Queryable): Promise<Extent | null> {
  const { rows } = await q.query<{ west: number | null; south: number | null; east: number | null; north: number | null; roads: boolean }>(
    `select extensions.st_xmin(e) west, extensions.st_ymin(e) south, extensions.st_xmax(e) east, extensions.st_ymax(e) north,
            exists (select 1 from atlas.walk_edge) roads
     from (select extensions.st_extent(geom)::extensions.geometry e from (
       select geom from atlas.street union all select geom from atlas.community union all select geom from atlas.walk_edge) held) x`,
  )
  const e = rows[0]
  return e.west === null || e.south === null || e.east === null || e.north === null ? null : { west: e.west, south: e.south, east: e.east, north: e.north, roads: e.roads }
}

// about 5 km round the city: a new district beside it is no mistake
const margin = 0.05
const withinExtent = (e: Extent, [x, y]: Position) => x >= e.west - margin && x <= e.east + margin && y >= e.south - margin && y <= e.north + margin
const where = (p: Position) => `${p[0].toFixed(4)}, ${p[1].toFixed(4)}`
const describeExtent = (e: Extent) => `${where([e.west, e.south])} to ${where([e.east, e.north])}`

/**
 * For a file declared in a system the atlas converts (a projection, GCJ-02…) whose features must lie
 * in the city: a reason in words when, converted, none lands within 5 km of it — a wrong zone or
 * system in the .prj or --crs moves a whole file tens or hundreds of kilometres.
 */
export async function convertedOutside(q: Queryable, features: Feature[], system: string): Promise<string | null> {
  const step = Math.max(1, Math.floor(features.length / 300))
  const points = features
    .filter((_, i) => i % step === 0)
    .map((f) => representative(f.geometry))
    .filter((p): p is Position => p !== undefined)
  if (!points.length) return null
  const extent = await cityExtent(q)
  if (!extent || points.some((p) => withinExtent(extent, p))) return null
  return (
    `read in ${system}, as the file declares, its features land wholly outside the city the database holds (${describeExtent(extent)}; ` +
    `the first at ${where(points[0])}): the declaration is likely wrong — a Gauss–Krüger file in the wrong zone, or another datum; check the .prj or --crs`
  )
}

/**
 * For a file that declares no coordinate system: where its features land against the city the
 * database holds, read as WGS-84 and as GCJ-02 and BD-09. A reason in words to refuse it, or null.
 * Reads only. First, features that name their parent unit: do they lie in it? (In a dense city an
 * offset of 500 m still lands near some road, but in another community.) Else, the distance to the
 * nearest road of the walking network.
 */
export async function implausibleOffset(q: Queryable, spec: LayerSpec, features: Feature[]): Promise<string | null> {
  const step = Math.max(1, Math.floor(features.length / 300))
  const sampled = features
    .filter((_, i) => i % step === 0)
    .map((f) => ({ at: representative(f.geometry), parent: f.properties?.parent_code }))
    .filter((s): s is { at: Position; parent: unknown } => s.at !== undefined)
  if (!sampled.length) return null

  const extent = await cityExtent(q)
  if (!extent) return null
  const inside = sampled.filter(({ at }) => withinExtent(extent, at))
  if (!inside.length)
    return (
      `the file lies wholly outside the city the database holds (${describeExtent(extent)}; ` +
      `its first feature is at ${where(sampled[0].at)}): if it is in another coordinate system, convert it or declare it with --crs; --crs wgs84 imports it as it is`
    )
  const readings = (['gcj02', 'bd09'] as const).map((system) => ({ system, move: (p: Position) => offsetToWgs84(system, p) }))

  // features in the units they name
  const parent = spec.parent && layers[spec.parent.layer]
  const named = parent ? inside.filter((s) => typeof s.parent === 'string' && s.parent !== '') : []
  if (parent && named.length >= 5) {
    const within = async (move: (p: Position) => Position) =>
      (
        await q.query<{ known: number; within: number }>(
          `select count(u.code)::int as known,
                  count(u.code) filter (where extensions.st_dwithin(u.geom, extensions.st_setsrid(extensions.st_makepoint(t.x, t.y), 4326), 0.00005))::int as within
           from jsonb_to_recordset($1::jsonb) as t(x float8, y float8, parent text)
           left join atlas.${parent.table} u on u.code = t.parent`,
          [JSON.stringify(named.map((s) => ({ x: move(s.at)[0], y: move(s.at)[1], parent: s.parent })))],
        )
      ).rows[0]
    const asIs = await within((p) => p)
    if (asIs.known >= 5) {
      if (asIs.within >= 0.9 * asIs.known) return null
      const tried = await Promise.all(readings.map(async (r) => ({ system: r.system, within: (await within(r.move)).within })))
      const best = tried.sort((a, b) => b.within - a.within)[0]
      if (best.within >= 0.95 * asIs.known && best.within - asIs.within >= 0.2 * asIs.known)
        return (
          `the file declares no coordinate system, and read as WGS-84 ${plural(asIs.known - asIs.within, 'of its features lies', 'of its features lie')} outside the ${parent.name} ${asIs.known - asIs.within === 1 ? 'it names' : 'they name'} ` +
          `(of ${asIs.known} that name one); read as ${systemNames[best.system]}, ${asIs.known - best.within} ${asIs.known - best.within === 1 ? 'does' : 'do'}: ${declare(best.system)}`
        )
    }
  }

  // features near the roads
  if (!extent.roads) return null
  const median = async (positions: Position[]) =>
    (
      await q.query<{ m: number }>(
        `select percentile_cont(0.5) within group (order by d) as m from (
           select (select extensions.st_distance(e.geom::extensions.geography, p.g::extensions.geography)
                   from atlas.walk_edge e order by e.geom operator(extensions.<->) p.g limit 1) as d
           from (select extensions.st_setsrid(extensions.st_makepoint(t.x, t.y), 4326) as g
                 from jsonb_to_recordset($1::jsonb) as t(x float8, y float8)) p) s`,
        [JSON.stringify(positions.map(([x, y]) => ({ x, y })))],
      )
    ).rows[0].m
  const points = inside.map((s) => s.at)
  const asWgs84 = await median(points)
  if (asWgs84 < offRoadM) return null
  const tried = await Promise.all(readings.map(async (r) => ({ system: r.system, m: await median(points.map(r.move)) })))
  const best = tried.sort((a, b) => a.m - b.m)[0]
  if (best.m > asWgs84 / 3 || best.m >= offRoadM) return null
  return (
    `the file declares no coordinate system, and read as WGS-84 its features are ${Math.round(asWgs84)} m from the nearest road ` +
    `(the median of ${points.length}); read as ${systemNames[best.system]} they are ${Math.round(best.m)} m from it: ${declare(best.system)}`
  )
}
