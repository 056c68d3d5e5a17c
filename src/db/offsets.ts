// China's offset coordinate systems, GCJ-02 (Amap, Tencent) and BD-09 (Baidu), read back to WGS-84,
// and the check that catches a file in one of them imported as WGS-84: its features land a few
// hundred metres off the city's roads, and on them once read as GCJ-02 or BD-09.
import gcoord from 'gcoord'
import { layers, type LayerName, type LayerSpec } from '../shared/layers.ts'
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

function positionsOf(c: unknown, into: Position[] = []): Position[] {
  if (!Array.isArray(c)) return into
  if (typeof c[0] === 'number') into.push([c[0], c[1] as number])
  else for (const inner of c) positionsOf(inner, into)
  return into
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

/** A sample of a file's points in one reading of its coordinates. */
export interface PlacementReading {
  name: string
  points: { x: number; y: number; parent?: string }[]
}

/** What public.import_placement answers: the city's extent, and per reading where the sample lands. */
export interface PlacementAnswer {
  extent: [number, number, number, number] | null
  roads: boolean
  readings: { name: string; inside: number; named: number; known: number; within: number; median_m: number | null }[]
}

/** The question a file's coordinates raise: its sample, in the readings that matter, and what to judge. */
export type PlacementQuestion =
  | { kind: 'undeclared'; readings: PlacementReading[]; parentLayer?: LayerName }
  | { kind: 'declared'; system: string; readings: PlacementReading[] }

/** Layers that may lie beyond the city the database holds: they are what extends it. */
export const extendsTheCity: ReadonlySet<LayerName> = new Set<LayerName>(['street', 'former_village', 'management_area', 'basemap'])

const where = (p: Position) => `${p[0].toFixed(4)}, ${p[1].toFixed(4)}`
const describeExtent = ([west, south, east, north]: [number, number, number, number]) => `${where([west, south])} to ${where([east, north])}`

/**
 * The question to ask of a file's features before writing them, or null when there is none: for a
 * file that declares nothing, where it lands read as WGS-84, GCJ-02 and BD-09 (up to 300 features,
 * a point each, with the unit each names); for a file converted from the system it declares, where
 * it lands at all (the outermost layers and the network may lie beyond the city, and are not asked).
 */
export function placementQuestion(spec: LayerSpec, features: Feature[], crs: { stated: boolean; converted: boolean; name: string }): PlacementQuestion | null {
  if (crs.stated && (!crs.converted || extendsTheCity.has(spec.name))) return null
  if (!crs.stated && spec.name === 'walk_edge') return null
  const step = Math.max(1, Math.floor(features.length / 300))
  const sampled = features
    .filter((_, i) => i % step === 0)
    .map((f) => ({ at: f.geometry ? representative(f.geometry) : undefined, parent: f.properties?.parent_code }))
    .filter((s): s is { at: Position; parent: unknown } => s.at !== undefined)
  if (!sampled.length) return null
  const reading = (name: string, move: (p: Position) => Position): PlacementReading => ({
    name,
    points: sampled.map((s) => {
      const [x, y] = move(s.at)
      return typeof s.parent === 'string' && s.parent !== '' ? { x, y, parent: s.parent } : { x, y }
    }),
  })
  if (crs.stated) return { kind: 'declared', system: crs.name, readings: [reading('declared', (p) => p)] }
  return {
    kind: 'undeclared',
    readings: [reading('wgs84', (p) => p), reading('gcj02', (p) => offsetToWgs84('gcj02', p)), reading('bd09', (p) => offsetToWgs84('bd09', p))],
    ...(spec.parent ? { parentLayer: spec.parent.layer } : {}),
  }
}

/** Asks the database where the sample lands (public.import_placement, as the page asks it too). */
export async function askPlacement(q: Queryable, question: PlacementQuestion): Promise<PlacementAnswer> {
  const { rows } = await q.query<{ answer: PlacementAnswer }>('select public.import_placement($1::jsonb, $2) as answer', [
    JSON.stringify(question.readings),
    question.kind === 'undeclared' ? (question.parentLayer ?? null) : null,
  ])
  return rows[0].answer
}

/**
 * The answer judged: a reason in words to refuse the file, or null. Undeclared: wholly outside the
 * city; else, features that name their unit mostly outside it as WGS-84 and inside it once read as
 * GCJ-02 or BD-09 (in a dense city an offset of 500 m still lands near some road, but in another
 * community); else, far from the roads as WGS-84 and on them read the other way. Declared and
 * converted: wholly outside the city (a wrong zone or datum).
 */
export function judgePlacement(spec: LayerSpec, question: PlacementQuestion, answer: PlacementAnswer): string | null {
  const extent = answer.extent
  if (!extent) return null
  const [asIs, ...others] = answer.readings
  const first = question.readings[0].points[0]
  if (!asIs || !first) return null
  if (question.kind === 'declared')
    return asIs.inside > 0
      ? null
      : `read in ${question.system}, as the file declares, its features land wholly outside the city the database holds (${describeExtent(extent)}; ` +
          `the first at ${where([first.x, first.y])}): the declaration is likely wrong — a Gauss–Krüger file in the wrong zone, or another datum; check the .prj or --crs`
  if (asIs.inside === 0)
    return (
      `the file lies wholly outside the city the database holds (${describeExtent(extent)}; ` +
      `its first feature is at ${where([first.x, first.y])}): if it is in another coordinate system, convert it or declare it with --crs; --crs wgs84 imports it as it is`
    )
  const parent = spec.parent && layers[spec.parent.layer]
  if (parent && asIs.named >= 5 && asIs.known >= 5) {
    if (asIs.within >= 0.9 * asIs.known) return null
    const best = [...others].sort((a, b) => b.within - a.within)[0]
    if (best && best.within >= 0.95 * asIs.known && best.within - asIs.within >= 0.2 * asIs.known) {
      const system = best.name as OffsetSystem
      return (
        `the file declares no coordinate system, and read as WGS-84 ${plural(asIs.known - asIs.within, 'of its features lies', 'of its features lie')} outside the ${parent.name} ${asIs.known - asIs.within === 1 ? 'it names' : 'they name'} ` +
        `(of ${asIs.known} that name one); read as ${systemNames[system]}, ${asIs.known - best.within} ${asIs.known - best.within === 1 ? 'does' : 'do'}: ${declare(system)}`
      )
    }
  }
  if (!answer.roads || asIs.median_m === null || asIs.median_m < offRoadM) return null
  const best = others.filter((r) => r.median_m !== null).sort((a, b) => a.median_m! - b.median_m!)[0]
  if (!best || best.median_m! > asIs.median_m / 3 || best.median_m! >= offRoadM) return null
  const system = best.name as OffsetSystem
  return (
    `the file declares no coordinate system, and read as WGS-84 its features are ${Math.round(asIs.median_m)} m from the nearest road ` +
    `(the median of ${asIs.inside}); read as ${systemNames[system]} they are ${Math.round(best.median_m!)} m from it: ${declare(system)}`
  )
}

/** The question asked and the answer judged, for the command line's import. */
export async function implausiblePlacement(q: Queryable, spec: LayerSpec, features: Feature[], crs: { stated: boolean; converted: boolean; name: string }): Promise<string | null> {
  const question = placementQuestion(spec, features, crs)
  return question ? judgePlacement(spec, question, await askPlacement(q, question)) : null
}
