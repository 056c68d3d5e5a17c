// The service circles between the engine and the database: the model read through the API
// functions (as the caller, so RLS decides), and everything it computes written back in one
// transaction. The command line uses this; the page's worker reads the same functions.
import { callApi } from '../db/api.ts'
import type { Database, Queryable } from '../db/database.ts'
import { asCaller, requestRoles, type JwtClaims } from '../db/session.ts'
import { toWkbBase64 } from '../db/wkb.ts'
import { CircleModel } from './engine/model.ts'
import type { WalkParams } from './engine/isochrone.ts'

export async function readModel(tx: Queryable): Promise<CircleModel> {
  const graph = await callApi(tx, 'walk_graph', {})
  const points = await callApi(tx, 'circle_points', {})
  return CircleModel.fromJson(graph, points)
}

export interface ComputeSummary {
  params: WalkParams & { bands: number[] }
  /** Whether everything was recomputed (--all), or only what was stale or missing. */
  all: boolean
  facilities: number
  facilities_off_network: string[]
  /** Circles computed and stored now, and circles of these parameters that were current and kept. */
  circles: number
  circles_kept: number
  residences: number
  residences_off_network: number
  /** Access times stored now (residence × facility type), for the types that needed them. */
  access_times: number
  access_types: string[]
  edges: number
  nodes: number
  excluded_edges: Record<string, number>
  seconds: { model: number; circles: number; access: number; write: number }
}

const defaultBands = [5, 10, 15]

export interface ComputeOptions {
  /** Recompute everything, current or not. */
  all?: boolean
  /** The bands computed beside the budget's circle: the 5/10/15-minute ones unless given. */
  bands?: readonly number[]
  onProgress?: (done: number, total: number) => void
}

/**
 * `atlas isochrones`: the circles (the budget and the 5/10/15-minute bands) of every facility
 * whose circles at these parameters are stale or missing, and the access times of every facility
 * type with a stale or missing one, replacing what they replace, all or nothing.
 */
export async function computeAndStore(db: Database, claims: JwtClaims, params: WalkParams, options: ComputeOptions = {}): Promise<ComputeSummary> {
  const t0 = performance.now()
  const model = await asCaller(db, claims, readModel, true)
  const modelMs = performance.now() - t0
  return asCaller(db, claims, async (tx) => {
    await tx.exec('set local statement_timeout = 0')
    return store(tx, model, modelMs, params, options)
  })
}

/**
 * `computeAndStore` inside a transaction the caller holds as the database's owner (the sample
 * city's first load, whose layers are not committed yet): as the caller of the API for the
 * reading and the writing, as RLS wants it, then back to the owner for what follows.
 */
export async function computeAndStoreWithin(tx: Queryable, claims: JwtClaims, params: WalkParams, options: ComputeOptions = {}): Promise<ComputeSummary> {
  const role = claims.role ?? 'anon'
  if (!(requestRoles as readonly string[]).includes(role)) throw new Error(`the JWT role ${JSON.stringify(role)} is not one of ${requestRoles.join(', ')}`)
  await tx.exec(`set local role ${role}; set local statement_timeout = 0`)
  await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)])
  const t0 = performance.now()
  const model = await readModel(tx)
  const summary = await store(tx, model, performance.now() - t0, params, options)
  await tx.exec('set local role none')
  await tx.query(`select set_config('request.jwt.claims', '', true)`)
  return summary
}

/** Stores what is stale or missing, in the transaction given, from the model read in it. */
async function store(tx: Queryable, model: CircleModel, modelMs: number, params: WalkParams, options: ComputeOptions): Promise<ComputeSummary> {
  const all = options.all ?? false
  const bands = [...(options.bands ?? defaultBands)]
  const minutesList = [...new Set([params.minutes, ...bands])]
  // what is current: every minutes of these parameters stored, none stale
  const { rows: current } = await tx.query<{ code: string }>(
    `select c.facility_code as code from atlas.service_circle c
     where c.speed_m_per_min = $1 and c.minutes = any($2::numeric[])
     group by c.facility_code having count(*) = cardinality($2::numeric[]) and not bool_or(c.stale)`,
    [params.speed, minutesList],
  )
  const kept = new Set(all ? [] : current.map((r) => r.code))
  const todo = model.facilities.filter((f) => !kept.has(f.code)).map((f) => f.code)
  await tx.query('delete from atlas.service_circle where facility_code = any($1::text[]) and speed_m_per_min = $2 and minutes = any($3::numeric[])', [
    todo,
    params.speed,
    minutesList,
  ])
  let circles = 0
  let circleMs = 0
  let writeMs = 0
  let batch: unknown[] = []
  const flush = async () => {
    if (!batch.length) return
    const w = performance.now()
    await tx.query(
      // the compounds the walk enters through a gate: their land within reach of the gate, added
      `insert into atlas.service_circle (facility_code, minutes, speed_m_per_min, method, geom, reached_nodes, reached_km)
       select c ->> 0, (c ->> 1)::numeric, (c ->> 2)::numeric, c ->> 3,
              case when json_array_length(c -> 7) = 0 then w.g
                   else extensions.st_multi(extensions.st_collectionextract(extensions.st_union(w.g, coalesce(atlas.compound_land(c -> 7), w.g)), 3)) end,
              (c ->> 5)::integer, (c ->> 6)::double precision
       from json_array_elements($1::json) c,
            lateral (select extensions.st_geomfromwkb(decode(c ->> 4, 'base64'), 4326) as g) w`,
      [JSON.stringify(batch)],
    )
    writeMs += performance.now() - w
    batch = []
  }
  const wanted = new Set(todo)
  let done = 0
  let last = ''
  let c0 = performance.now()
  for (const circle of model.facilityCircles(params, bands, (f) => wanted.has(f.code))) {
    if (circle.facility.code !== last) {
      if (last) options.onProgress?.(++done, todo.length)
      last = circle.facility.code
    }
    if (!circle.polygon.length) continue
    batch.push([circle.facility.code, circle.minutes, circle.speed, JSON.stringify(circle.method),
      toWkbBase64({ type: 'MultiPolygon', coordinates: circle.polygon }), circle.reachedNodes, circle.reachedKm,
      circle.compounds.map((c) => [c.code, c.gate[0], c.gate[1], Math.round(c.remaining * 100) / 100])])
    circles++
    if (batch.length >= 16) {
      circleMs += performance.now() - c0
      await flush()
      c0 = performance.now()
    }
  }
  circleMs += performance.now() - c0
  await flush()
  options.onProgress?.(todo.length, todo.length)

  // access times: the types with a stale time, or a residence without one
  const { rows: staleTypes } = await tx.query<{ type: string }>(
    `select t.facility_type as type from atlas.facility_type t
     where $1 or exists (select 1 from atlas.access_time a where a.facility_type = t.facility_type and a.stale)
        or exists (select 1 from atlas.residence r where not exists (
             select 1 from atlas.access_time a where a.facility_type = t.facility_type and a.residence_code = r.code))`,
    [all],
  )
  const types = staleTypes.map((r) => r.type).filter((type) => model.types.some((t) => t.type === type))
  const a0 = performance.now()
  const rows: unknown[] = []
  const paramsJson = JSON.stringify(model.params())
  for (const type of types) {
    const access = model.access(type)
    model.residences.forEach((residence, i) => {
      // off the network, or no facility of the type reached: a row all the same, with no time, so
      // it is not asked for again; connector_m is the walk off the network of the entry used
      const seconds = model.seconds(access.total[i], params.speed)
      const facility = access.facility[i] >= 0 ? model.facilities[access.facility[i]].code : null
      const connector = access.connector[i]
      rows.push([residence.code, type, seconds, facility, Number.isNaN(connector) ? null : Math.round(connector * 100) / 100])
    })
  }
  const accessMs = performance.now() - a0
  const w = performance.now()
  await tx.query('delete from atlas.access_time where facility_type = any($1::text[])', [types])
  for (let k = 0; k < rows.length; k += 20000) {
    await tx.query(
      `insert into atlas.access_time (residence_code, facility_type, seconds, facility_code, connector_m, speed_m_per_min, params)
       select a ->> 0, a ->> 1, (a ->> 2)::double precision, a ->> 3, (a ->> 4)::double precision, $2, $3::jsonb
       from json_array_elements($1::json) a`,
      [JSON.stringify(rows.slice(k, k + 20000)), params.speed, paramsJson],
    )
  }
  writeMs += performance.now() - w
  const offNetwork = model.facilities.filter((_, i) => !model.facilitySnaps[i]).map((f) => f.code)
  return {
    params: { ...params, bands },
    all,
    facilities: model.facilities.length,
    facilities_off_network: offNetwork,
    circles,
    circles_kept: kept.size * minutesList.length,
    residences: model.residences.length,
    residences_off_network: model.residences.filter((_, i) => !model.onNetwork(i)).length,
    access_times: rows.length,
    access_types: types,
    edges: model.graph.edgeCount,
    nodes: model.graph.nodeCount,
    excluded_edges: model.graph.excluded,
    seconds: { model: sec(modelMs), circles: sec(circleMs), access: sec(accessMs), write: sec(writeMs) },
  }
}

const sec = (ms: number) => Math.round(ms) / 1000
