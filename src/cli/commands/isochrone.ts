// `atlas isochrone --at <lon>,<lat>`: one circle from a point, not stored.
import type { MultiPolygonCoordinates } from '../../circles/engine/contour.ts'
import { budgetOf, type WalkParams } from '../../circles/engine/isochrone.ts'
import type { CircleModel } from '../../circles/engine/model.ts'
import { readModel } from '../../circles/store.ts'
import type { Database } from '../../db/database.ts'
import { asCaller } from '../../db/session.ts'
import { defaultWalk } from '../../shared/defaults.ts'
import { CommandError, noArguments, withDatabase, type Command } from './command.ts'
import { cityWalk, planner, walkParams } from './walk.ts'

export const isochroneCommand: Command = {
  name: 'isochrone',
  usage: ['isochrone --at <lon>,<lat>   one circle from a point, not stored (--minutes, --speed)'],
  async run(context) {
    noArguments(context, `isochrone takes no arguments: atlas isochrone --at <lon>,<lat> [--minutes ${defaultWalk.minutes}] [--speed ${defaultWalk.speed}]`)
    const at = parsePoint(context.values.at)
    const params = walkParams(context.values)
    const result = await withDatabase(context.target, async (db) => isochrone(db, at, await cityWalk(db, params)))
    context.print(describeIsochrone(result), result)
  },
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

export interface OneCircle {
  polygon: { type: 'MultiPolygon'; coordinates: MultiPolygonCoordinates }
  reached: { node: number; seconds: number }[]
  params: ReturnType<CircleModel['params']> & {
    minutes: number
    speed_m_per_min: number
    at: [number, number]
    snapped: { edge: string; fraction: number; point: [number, number]; distance_m: number }
    reached_km: number
  }
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
  const p = c.params
  return [
    `${p.minutes} min at ${p.speed_m_per_min} m/min from road ${p.snapped.edge} (${p.snapped.distance_m.toFixed(1)} m from the point)`,
    `reached ${c.reached.length} nodes and ${p.reached_km} km of road; the polygon has ${c.polygon.coordinates.length} part(s), tolerance ${p.method.tolerance_m} m`,
    'use --json for the polygon and the reached nodes',
  ].join('\n')
}

