// The service circles between the engine and the database: the model read through the API
// functions (as the caller, so RLS decides), and everything it computes written back in one
// transaction. The command line uses this; the page's worker reads the same functions.
import type { Database, Queryable } from '../db/database.ts'
import { asCaller, type JwtClaims } from '../db/session.ts'
import { CircleModel, type CirclePointsJson, type WalkGraphJson } from './engine/model.ts'
import type { WalkParams } from './engine/isochrone.ts'

export async function readModel(tx: Queryable): Promise<CircleModel> {
  const graph = (await tx.query<{ g: WalkGraphJson }>('select public.walk_graph() as g')).rows[0].g
  const points = (await tx.query<{ p: CirclePointsJson }>('select public.circle_points() as p')).rows[0].p
  return CircleModel.fromJson(graph, points)
}

export interface ComputeSummary {
  params: WalkParams & { bands: number[] }
  facilities: number
  facilities_off_network: string[]
  circles: number
  residences: number
  residences_off_network: number
  access_times: number
  edges: number
  nodes: number
  excluded_edges: Record<string, number>
  seconds: { model: number; circles: number; access: number; write: number }
}

const bands = [5, 10, 15]

/**
 * `atlas isochrones`: every facility's circle (and the 5/10/15-minute bands) and every
 * residence's access time to each facility type, replacing what was stored, all or nothing.
 */
export async function computeAndStore(db: Database, claims: JwtClaims, params: WalkParams, onProgress?: (done: number, total: number) => void): Promise<ComputeSummary> {
  const t0 = performance.now()
  const model = await asCaller(db, claims, readModel, true)
  const t1 = performance.now()
  return asCaller(db, claims, async (tx) => {
    await tx.exec('set local statement_timeout = 0')
    await tx.query('delete from atlas.service_circle where speed_m_per_min = $1', [params.speed])
    let circles = 0
    let circleMs = 0
    let writeMs = 0
    const total = model.facilities.length
    let batch: unknown[] = []
    const flush = async () => {
      if (!batch.length) return
      const w = performance.now()
      await tx.query(
        `insert into atlas.service_circle (facility_code, minutes, speed_m_per_min, method, geom, reached_nodes, reached_km)
         select c ->> 0, (c ->> 1)::numeric, (c ->> 2)::numeric, c ->> 3,
                extensions.st_setsrid(extensions.st_geomfromgeojson(c ->> 4), 4326), (c ->> 5)::integer, (c ->> 6)::double precision
         from json_array_elements($1::json) c`,
        [JSON.stringify(batch)],
      )
      writeMs += performance.now() - w
      batch = []
    }
    let done = 0
    let last = ''
    let c0 = performance.now()
    for (const circle of model.facilityCircles(params, bands)) {
      if (circle.facility.code !== last) {
        if (last) onProgress?.(++done, total)
        last = circle.facility.code
      }
      if (!circle.polygon.length) continue
      batch.push([circle.facility.code, circle.minutes, circle.speed, JSON.stringify(circle.method),
        JSON.stringify({ type: 'MultiPolygon', coordinates: circle.polygon }), circle.reachedNodes, circle.reachedKm])
      circles++
      if (batch.length >= 16) {
        circleMs += performance.now() - c0
        await flush()
        c0 = performance.now()
      }
    }
    circleMs += performance.now() - c0
    await flush()
    onProgress?.(total, total)

    const a0 = performance.now()
    const rows: unknown[] = []
    const types = model.types.map((t) => t.type)
    const paramsJson = JSON.stringify(model.params())
    for (const type of types) {
      const access = model.access(type)
      model.residences.forEach((residence, i) => {
        const snap = model.residenceSnaps[i]
        if (!snap) return
        const seconds = model.seconds(i, access.network[i], params.speed)
        const facility = access.facility[i] >= 0 ? model.facilities[access.facility[i]].code : null
        rows.push([residence.code, type, seconds, facility, Math.round(snap.distance * 100) / 100])
      })
    }
    const accessMs = performance.now() - a0
    const w = performance.now()
    await tx.exec('delete from atlas.access_time')
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
      facilities: model.facilities.length,
      facilities_off_network: offNetwork,
      circles,
      residences: model.residences.length,
      residences_off_network: model.residenceSnaps.filter((s) => !s).length,
      access_times: rows.length,
      edges: model.graph.edgeCount,
      nodes: model.graph.nodeCount,
      excluded_edges: model.graph.excluded,
      seconds: { model: sec(t1 - t0), circles: sec(circleMs), access: sec(accessMs), write: sec(writeMs) },
    }
  })
}

const sec = (ms: number) => Math.round(ms) / 1000
