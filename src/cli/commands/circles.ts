// `atlas isochrones`, `atlas isochrone --at`, `atlas coverage`: the service circles from the
// command line, over the same engine and SQL functions as the page.
import type { Database } from '../../db/database.ts'
import { asCaller, userClaims } from '../../db/session.ts'
import { budgetOf, checkWalkParams, defaultWalk, type WalkParams } from '../../circles/engine/isochrone.ts'
import { computeAndStore, readModel, type ComputeSummary } from '../../circles/store.ts'
import { CommandError, noArguments, withDatabase, type Command } from './command.ts'

const walkOptions = [
  '    --minutes <n>       time budget, 1–60 (default 8)',
  '    --speed <m/min>     walking speed on level ground (default 66.7, i.e. 4 km/h)',
]

export const isochronesCommand: Command = {
  name: 'isochrones',
  usage: [
    "isochrones              compute and store every facility's service circle (and the 5/10/15-minute",
    "                        bands) and every residence's walking time to each facility type",
    ...walkOptions,
  ],
  async run(context) {
    noArguments(context, 'isochrones takes no arguments: atlas isochrones [--minutes 8] [--speed 66.7]')
    const params = walkParams(context.values)
    const progress = context.values.json || !process.stderr.isTTY ? undefined : (done: number, total: number) => process.stderr.write(`\r  circles ${done}/${total}`)
    const summary = await withDatabase(context.target, (db) => isochrones(db, params, progress))
    if (progress) process.stderr.write('\n')
    context.print(describeIsochrones(summary), summary)
  },
}

export const isochroneCommand: Command = {
  name: 'isochrone',
  usage: ['isochrone --at <lon>,<lat>   one circle from a point, not stored (--minutes, --speed)'],
  async run(context) {
    noArguments(context, 'isochrone takes no arguments: atlas isochrone --at <lon>,<lat> [--minutes 8] [--speed 66.7]')
    const at = parsePoint(context.values.at)
    const params = walkParams(context.values)
    const result = await withDatabase(context.target, (db) => isochrone(db, at, params))
    context.print(describeIsochrone(result), result)
  },
}

export const coverageCommand: Command = {
  name: 'coverage',
  usage: [
    'coverage                households and residents inside and outside the circles, per community',
    '                        and facility type, and city totals (--minutes, --speed)',
  ],
  async run(context) {
    noArguments(context, 'coverage takes no arguments: atlas coverage [--minutes 8] [--speed 66.7]')
    const params = walkParams(context.values)
    const report = await withDatabase(context.target, (db) => coverage(db, params))
    context.print(describeCoverage(report), report)
  },
}

export function walkParams(values: { minutes?: string; speed?: string }): WalkParams {
  const minutes = values.minutes === undefined ? defaultWalk.minutes : Number(values.minutes)
  const speed = values.speed === undefined ? defaultWalk.speed : Number(values.speed)
  try {
    checkWalkParams({ minutes, speed })
  } catch (error) {
    throw new CommandError((error as Error).message)
  }
  return { minutes, speed }
}

export function parsePoint(text: string | undefined): [number, number] {
  if (!text) throw new CommandError('isochrone needs a start point: --at <lon>,<lat>')
  const parts = text.split(',').map((s) => s.trim())
  const [lon, lat] = parts.map(Number)
  if (parts.length !== 2 || !Number.isFinite(lon) || !Number.isFinite(lat))
    throw new CommandError(`--at ${text} is not <lon>,<lat> in degrees (e.g. --at 119.142,28.071)`)
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) throw new CommandError(`--at ${text}: longitude must be within ±180 and latitude within ±90`)
  return [lon, lat]
}

const planner = userClaims('planner', 'atlas-cli')
const leader = userClaims('leader', 'atlas-cli')

export async function isochrones(db: Database, params: WalkParams, progress?: (done: number, total: number) => void): Promise<ComputeSummary> {
  return computeAndStore(db, planner, params, progress)
}

export function describeIsochrones(s: ComputeSummary): string {
  const lines = [
    `service circles: ${s.circles} stored for ${s.facilities - s.facilities_off_network.length} facilities (${s.params.minutes} min and the ${s.params.bands.join('/')}-minute bands at ${s.params.speed} m/min)`,
    `access times: ${s.access_times} (residence × facility type) for ${s.residences - s.residences_off_network} residences`,
    `network: ${s.edges} walkable edges, ${s.nodes} nodes` + excludedText(s.excluded_edges),
    `took ${s.seconds.model} s to load, ${s.seconds.circles} s for circles, ${s.seconds.access} s for access times, ${s.seconds.write} s to write`,
  ]
  if (s.facilities_off_network.length) lines.push(`facilities off the network (no circle): ${s.facilities_off_network.join(', ')}`)
  if (s.residences_off_network) lines.push(`residences more than 300 m from every walkable road (not covered): ${s.residences_off_network}`)
  return lines.join('\n')
}

function excludedText(excluded: Record<string, number>): string {
  const entries = Object.entries(excluded)
  return entries.length ? `; left out ${entries.map(([reason, n]) => `${n} (${reason})`).join(', ')}` : ''
}

export interface OneCircle {
  polygon: { type: 'MultiPolygon'; coordinates: unknown }
  reached: { node: number; seconds: number }[]
  params: Record<string, unknown>
}

/** `atlas isochrone --at`: one circle from a point, not stored. */
export async function isochrone(db: Database, at: [number, number], params: WalkParams): Promise<OneCircle> {
  const model = await asCaller(db, planner, readModel, true)
  let snap
  try {
    snap = model.snapPoint(at[0], at[1])
  } catch (error) {
    throw new CommandError((error as Error).message)
  }
  const [circle] = model.circles([snap], params.speed, [params.minutes])
  const { search, graph } = model
  const budget = budgetOf(params)
  const reached: { node: number; seconds: number }[] = []
  for (let i = 0; i < search.touchedCount; i++) {
    const node = search.touched[i]
    const cost = search.cost[node]
    if (cost <= budget) reached.push({ node: graph.nodeIds[node], seconds: (cost / params.speed) * 60 })
  }
  return {
    polygon: { type: 'MultiPolygon', coordinates: circle.polygon },
    reached,
    params: {
      minutes: params.minutes,
      speed_m_per_min: params.speed,
      at,
      snapped: { edge: graph.edgeCodes[snap.edge], fraction: snap.fraction, point: snap.point, distance_m: snap.distance },
      ...model.params(),
      method: circle.method,
      reached_km: Math.round(circle.km * 1000) / 1000,
    },
  }
}

export function describeIsochrone(c: OneCircle): string {
  const p = c.params as { minutes: number; speed_m_per_min: number; reached_km: number; snapped: { edge: string; distance_m: number }; method: { tolerance_m: number } }
  return [
    `${p.minutes} min at ${p.speed_m_per_min} m/min from road ${p.snapped.edge} (${p.snapped.distance_m.toFixed(1)} m from the point)`,
    `reached ${c.reached.length} nodes and ${p.reached_km} km of road; the polygon has ${(c.polygon.coordinates as unknown[]).length} part(s), tolerance ${p.method.tolerance_m} m`,
    'use --json for the polygon and the reached nodes',
  ].join('\n')
}

interface CoverageFigures {
  households_covered: number
  households_not_covered: number
  residents_covered: number
  residents_not_covered: number
}

export interface CoverageReport {
  params: { minutes: number; speed_m_per_min: number }
  basic_types: string[]
  city: Record<string, CoverageFigures>
  streets: { code: string; name: string; coverage: Record<string, CoverageFigures> }[]
  communities: { code: string; name: string; street_code: string; coverage: Record<string, CoverageFigures> }[]
  status: { stale: boolean; computed_at: string | null; residences_without_times: number }
}

export async function coverage(db: Database, params: WalkParams): Promise<CoverageReport> {
  return asCaller(db, leader, async (tx) => (await tx.query<{ c: CoverageReport }>('select public.coverage($1, $2) as c', [params.minutes, params.speed])).rows[0].c, true)
}

const pct = (a: number, b: number) => (a + b ? `${((100 * a) / (a + b)).toFixed(1)}%` : '—')

export function describeCoverage(report: CoverageReport): string {
  const types = Object.keys(report.city).sort((a, b) => (a === 'basic' ? -1 : b === 'basic' ? 1 : a.localeCompare(b)))
  const lines = [`coverage within ${report.params.minutes} min at ${report.params.speed_m_per_min} m/min ('basic' = inside the circle of every basic type: ${report.basic_types.join(', ')})`]
  if (report.status.stale) lines.push('note: stored circles or access times are stale or missing; run atlas isochrones')
  lines.push('', 'city                  households covered / not covered   residents covered / not covered')
  for (const type of types) {
    const f = report.city[type]
    lines.push(`  ${type.padEnd(20)} ${String(f.households_covered).padStart(8)} / ${String(f.households_not_covered).padEnd(8)} ${pct(f.households_covered, f.households_not_covered).padStart(6)}   ${String(f.residents_covered).padStart(8)} / ${String(f.residents_not_covered).padEnd(8)} ${pct(f.residents_covered, f.residents_not_covered).padStart(6)}`)
  }
  lines.push('', 'community (basic types)      households covered / not   residents covered / not')
  for (const c of report.communities) {
    const f = c.coverage.basic
    if (!f) continue
    lines.push(`  ${c.code} ${c.name.padEnd(8, '　')} ${String(f.households_covered).padStart(7)} / ${String(f.households_not_covered).padEnd(7)} ${pct(f.households_covered, f.households_not_covered).padStart(6)}   ${String(f.residents_covered).padStart(7)} / ${String(f.residents_not_covered).padEnd(7)}`)
  }
  return lines.join('\n')
}
