// Compounds reached through their gates, against pgRouting on the Debian PostgreSQL 15 + PostGIS +
// pgRouting: a small city of walled compounds on a street grid, imported with `atlas import`, its
// access times computed by the engine (`computeAndStore`, as `atlas isochrones`), and every stored
// time compared with a brute force: pgr_withPointsCost from each facility's road point to each
// gate's, plus the facility's and the gate's straight walks to their roads and the straight walk from the gate to the
// household's place (the compound's point on surface, or a building's of its own inside it), the
// best over the gates; a compound with no gate of the gate layer is entered where a walkable road
// crosses its outline, and one with neither from its own point, as a point residence is; a home
// inside a compound (a building, an address) through the compound's ways in. The walk inside is the engine's plane
// distance against PostGIS's geodesic one: times agree within 1e-4 relative.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { withCompoundLand } from '../../src/circles/display.ts'
import { CircleModel, type CirclePointsJson, type WalkGraphJson } from '../../src/circles/engine/model.ts'
import { computeAndStore } from '../../src/circles/store.ts'
import { connect, type Connection } from '../../src/db/connect.ts'
import type { Database } from '../../src/db/database.ts'
import { importText } from '../../src/db/import.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { at, box, compoundCity, feature } from '../helpers/compounds.ts'
import { createPostgresDatabase, type ThrowawayPostgres } from '../helpers/databases.ts'

const planner = userClaims('planner', 'gates-oracle')
const leader = userClaims('leader', 'gates-oracle')
const speed = 66.7

const costSql = `length_m * (case when steps then 2 else 1 end) / ${speed}::float8 * 60`

async function pgr<T>(db: Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.exec('set local search_path = oracle, extensions, public')
    return (await tx.query<T>(sql, params)).rows
  })
}

describe('compounds entered through their gates, against pgr_withPointsCost', () => {
  let throwaway: ThrowawayPostgres
  let connection: Connection
  let db: Database

  beforeAll(async () => {
    throwaway = await createPostgresDatabase()
    connection = await connect(throwaway.url, 'gates oracle test')
    db = connection.db
    await db.exec('create extension if not exists pgrouting with schema extensions; create schema oracle')
    for (const [layer, features] of Object.entries(compoundCity())) {
      const result = await importText(db, layer as 'street', `${layer}.geojson`, JSON.stringify({ type: 'FeatureCollection', features }))
      expect(result.inserted, layer).toBe(features.length)
    }
    await db.query(`update atlas.facility_type set basic = facility_type in ('canteen', 'health_station')`)
    await computeAndStore(db, planner, { minutes: 8, speed })
  }, 180_000)
  afterAll(async () => {
    await connection?.close().catch(() => {})
    await throwaway?.drop()
  })

  test('every stored time is the best over the compound’s ways in of pgRouting’s walk to it, the walk to the road and the walk inside', async () => {
    // the brute force: the walkable edges; each facility, gate, crossing and point home on its
    // nearest walkable edge (the streets run due east or north: the foot of the perpendicular in
    // lon/lat is the metric one), with its straight distance to it
    await db.transaction(async (tx) => {
      await tx.exec('set local search_path = oracle, extensions, public')
      await tx.exec(`
      create table oracle.edge as
        select row_number() over (order by code)::bigint as id, code, source, target, length_m, steps, geom
        from atlas.walk_edge where coalesce(access, '') <> 'private';
      create table oracle.home as
        select r.code, r.geom, st_pointonsurface(r.geom) as p,
               exists (select 1 from atlas.gate g where g.compound_code = r.code) as gated,
               geometrytype(r.geom) <> 'POINT' and exists (select 1 from oracle.edge e where st_intersects(st_boundary(r.geom), e.geom)) as crossed
        from atlas.residence r;
      -- the smallest compound around a home's point, larger than it, with gates or crossings
      create table oracle.host as
        select r.code, (select h.code from oracle.home h
                        where h.code <> r.code and geometrytype(h.geom) <> 'POINT' and st_area(h.geom) > st_area(r.geom)
                          and st_covers(h.geom, r.p) and (h.gated or h.crossed)
                        order by st_area(h.geom), h.code limit 1) as host
        from oracle.home r;
      create table oracle.way_in as
        -- its own gates
        select r.code as residence_code, 'gate' as kind, g.geom from oracle.home r join atlas.gate g on g.compound_code = r.code
        union all
        -- else its compound's: the compound's gates, or where walkable roads cross the compound's outline
        select r.code, case when h.gated then 'host gate' else 'host crossing' end, w.geom
        from oracle.home r join oracle.host x on x.code = r.code join oracle.home h on h.code = x.host
        cross join lateral (
          select g.geom from atlas.gate g where h.gated and g.compound_code = h.code
          union all
          select (st_dump(st_intersection(st_boundary(h.geom), e.geom))).geom from oracle.edge e
          where not h.gated and st_intersects(st_boundary(h.geom), e.geom)) w
        where not r.gated
        union all
        -- else where walkable roads cross its own outline
        select r.code, 'crossing', (st_dump(st_intersection(st_boundary(r.geom), e.geom))).geom
        from oracle.home r join oracle.host x on x.code = r.code join oracle.edge e on st_intersects(st_boundary(r.geom), e.geom)
        where not r.gated and x.host is null and r.crossed
        union all
        -- else its own point
        select r.code, 'own', r.p from oracle.home r join oracle.host x on x.code = r.code
        where not r.gated and x.host is null and not r.crossed;
      create table oracle.point as
        select row_number() over (order by x.kind, x.code, st_x(x.geom), st_y(x.geom))::bigint as pid, x.*, e.id as edge_id, e.fraction, 'b'::char as side,
               st_distance(x.geom::geography, st_lineinterpolatepoint(e.geom, e.fraction)::geography) as connector_m
        from (select 'facility' as kind, f.code, f.facility_type, null::text as residence_code, 0::float8 as inside_m, f.geom from atlas.facility f
              union all
              select w.kind, w.residence_code, null, w.residence_code,
                     case when w.kind = 'own' then 0 else st_distance(w.geom::geography, st_pointonsurface(r.geom)::geography) end, w.geom
              from oracle.way_in w join atlas.residence r on r.code = w.residence_code) x
        cross join lateral (
          select e.id, e.geom, st_linelocatepoint(e.geom, x.geom) as fraction from oracle.edge e
          order by st_distance(e.geom::geography, x.geom::geography) limit 1) e;`)
    })
    const points = (await db.query<{ pid: string; kind: string; code: string; facility_type: string | null; residence_code: string | null; inside_m: number; fraction: number; connector_m: number }>(
      'select pid, kind, code, facility_type, residence_code, inside_m, fraction, connector_m from oracle.point order by pid')).rows
    const facilities = points.filter((p) => p.kind === 'facility')
    const ways = points.filter((p) => p.kind !== 'facility')
    // the fixture's ways in: 4 gates, C-X's one crossing of a footway (C-Z's private road is not
    // walked), 4 own points, and the gates of the compounds B-F1 and P-3 lie in
    expect(ways.map((w) => `${w.residence_code}:${w.kind}`).sort()).toEqual(
      ['C-A:gate', 'C-A:gate', 'C-B:gate', 'C-F:gate', 'C-N:own', 'C-X:crossing', 'C-Z:own', 'P-1:own', 'P-2:own', 'B-F1:host gate', 'P-3:host gate', 'P-3:host gate'].sort(),
    )
    // pgRouting 3.4 routes wrongly round a point exactly on a node: none is
    expect(points.every((p) => p.fraction > 0 && p.fraction < 1)).toBe(true)
    const pairs = await pgr<{ start_pid: string; end_pid: string; agg_cost: number }>(
      db,
      `select start_pid, end_pid, agg_cost from pgr_withPointsCost('select id, source, target, ${costSql} as cost, ${costSql} as reverse_cost from oracle.edge',
         'select pid, edge_id, fraction, side from oracle.point', $1::bigint[], $2::bigint[], directed := false)`,
      [facilities.map((p) => -Number(p.pid)), ways.map((p) => -Number(p.pid))],
    )
    const cost = new Map(pairs.map((r) => [`${-Number(r.start_pid)}/${-Number(r.end_pid)}`, r.agg_cost]))
    const expected = new Map<string, number>()
    for (const way of ways)
      for (const f of facilities) {
        const c = cost.get(`${f.pid}/${way.pid}`)
        if (c === undefined) continue
        const seconds = c + ((f.connector_m + way.connector_m + way.inside_m) / speed) * 60
        const key = `${way.residence_code}/${f.facility_type}`
        if (!expected.has(key) || seconds < expected.get(key)!) expected.set(key, seconds)
      }
    const stored = (await db.query<{ residence_code: string; facility_type: string; seconds: number | null; connector_m: number | null }>(
      `select residence_code, facility_type, seconds, connector_m from atlas.access_time where facility_type in ('canteen', 'health_station') order by 1, 2`)).rows
    expect(stored).toHaveLength(20)
    const problems = stored.filter((row) => {
      const want = expected.get(`${row.residence_code}/${row.facility_type}`)
      return want === undefined || row.seconds === null || Math.abs(row.seconds - want) > 1e-4 * want
    })
    expect(problems.map((p) => `${p.residence_code} ${p.facility_type}: ${p.seconds} s stored, ${expected.get(`${p.residence_code}/${p.facility_type}`)} s by pgRouting`)).toEqual([])
  })

  test('a compound whose place is far from the road it is nearest but whose gate is near is covered', async () => {
    const times = new Map((await db.query<{ code: string; seconds: number }>(
      `select residence_code as code, seconds from atlas.access_time where facility_type = 'canteen'`)).rows.map((r) => [r.code, r.seconds]))
    // C-F: F-2 12 m to the south street, 10 m along it to its south gate's road point, 20 m to the
    // gate, then √(10² + 85²) inside to its place (500, 305): 127.6 m, where from its own point
    // (95 m from the north street) the walk would be some 400 m round the block and 95 m
    expect(times.get('C-F')! * (speed / 60)).toBeCloseTo(12 + 10 + 20 + Math.hypot(10, 85), 0)
    const coverage = await asCaller(db, leader, async (tx) => (await tx.query<{ c: { communities: { coverage: Record<string, { households_covered: number }> }[] } }>(
      'select public.coverage(2, $1) as c', [speed])).rows[0].c, true)
    // within 2 minutes (133.4 m) of a canteen: C-F's 400 households through its gate; C-B and the home P-1 are not
    expect(coverage.communities[0].coverage.canteen.households_covered).toBe(
      [...times].filter(([, s]) => s !== null && s <= 120).reduce((sum, [code]) => sum + ({ 'C-A': 320, 'C-B': 210, 'C-F': 400, 'C-X': 150, 'C-N': 90, 'C-Z': 60, 'P-1': 12, 'P-2': 18, 'B-F1': 48, 'P-3': 24 } as Record<string, number>)[code], 0),
    )
    expect(times.get('C-F')!).toBeLessThanOrEqual(120)
  })

  test('a building inside a walled compound walks out through the compound’s gate, not through its wall', async () => {
    const seconds = async (code: string, type: string) =>
      (await db.query<{ s: number }>(`select seconds as s from atlas.access_time where residence_code = $1 and facility_type = $2`, [code, type])).rows[0].s
    // B-F1's place (555, 355) is 45 m from the north street, but C-F is walled: from the health
    // station F-3 (12 m east of the east street) down that street 130 m, west 90 m to C-F's south
    // gate's road point, 20 m to the gate, then 142.3 m inside — not the 172 m over the wall
    expect((await seconds('B-F1', 'health_station')) * (speed / 60)).toBeCloseTo(12 + 130 + 90 + 20 + Math.hypot(45, 135), 0)
    // the address inside C-A: through its east gate (180, 130) from F-1 (130, -12): 12 m to the
    // south street, 70 m east, 130 m up the x = 200 street, 20 m to the gate, 121.7 m inside —
    // its south gate (70, 20) would be 12 + 60 + 20 + 130.4
    expect((await seconds('P-3', 'canteen')) * (speed / 60)).toBeCloseTo(Math.min(12 + 70 + 130 + 20 + Math.hypot(120, 20), 12 + 60 + 20 + Math.hypot(10, 130)), 0)
  })

  test('the drawn circle takes in the part of a compound its walk enters through a gate, as the coverage counts it', async () => {
    const covers = async (facility: string, minutes: number, compound: string, what: 'geom' | 'place') =>
      (await db.query<{ v: boolean }>(
        `select extensions.st_covers(c.geom, ${what === 'geom' ? 'r.geom' : 'extensions.st_pointonsurface(r.geom)'}) as v
         from atlas.service_circle c, atlas.residence r where c.facility_code = $1 and c.minutes = $2 and r.code = $3`,
        [facility, minutes, compound])).rows[0].v
    // F-2 reaches C-F's south gate 42 m into its walk: 491.6 m are left at 8 minutes, and the
    // whole compound (at most 180 m from the gate) is inside its circle; at 5 minutes 291.5 m
    expect(await covers('F-2', 8, 'C-F', 'geom')).toBe(true)
    expect(await covers('F-2', 5, 'C-F', 'place')).toBe(true)
    // C-A's nearest gate is 422 m from F-2: beyond 5 minutes (333.5 m), its place 100 m from every street is outside
    expect(await covers('F-2', 5, 'C-A', 'place')).toBe(false)
    // and a compound reached from its own point is drawn as before: C-N's place lies 90 m from its street
    expect(await covers('F-2', 15, 'C-N', 'place')).toBe(false)
  })
  test('a trial facility where F-2 stands is drawn as F-2’s stored circle: the roads’ polygon and the land compound_land() gives', async () => {
    const [graph, points, f2] = await asCaller(db, planner, async (tx) => [
      (await tx.query<{ g: WalkGraphJson }>('select public.walk_graph() as g')).rows[0].g,
      (await tx.query<{ p: CirclePointsJson }>('select public.circle_points() as p')).rows[0].p,
      (await tx.query<{ lon: number; lat: number }>(`select extensions.st_x(geom) as lon, extensions.st_y(geom) as lat from atlas.facility where code = 'F-2'`)).rows[0],
    ] as const)
    const trial = CircleModel.fromJson(graph, points).whatIf(f2.lon, f2.lat, 'canteen', { minutes: 8, speed })
    // C-F through its south gate 42 m into the walk, and the others whose gates (or crossing) lie within 533.6 m
    expect(trial.compounds.map((c) => c.code).sort()).toEqual(['B-F1', 'C-A', 'C-B', 'C-F', 'C-X', 'P-3'])
    const entered = trial.compounds.map((c) => [c.code, c.gate[0], c.gate[1], Math.round(c.remaining * 100) / 100])
    const land = await asCaller(db, planner, async (tx) => (await tx.query<{ land: object }>('select public.compound_land($1::json) as land', [JSON.stringify(entered)])).rows[0].land)
    const drawn = withCompoundLand(trial.polygon, land as never)
    const { rows } = await db.query<{ diff: number; area: number }>(
      `select extensions.st_area(extensions.st_symdifference(c.geom, extensions.st_geomfromgeojson($1))::extensions.geography) as diff,
              extensions.st_area(c.geom::extensions.geography) as area
       from atlas.service_circle c where c.facility_code = 'F-2' and c.minutes = 8`,
      [JSON.stringify({ type: 'MultiPolygon', coordinates: drawn })],
    )
    // the compound's land is a good part of the circle, and the page draws what is stored
    expect(rows[0].area).toBeGreaterThan(0)
    expect(rows[0].diff / rows[0].area).toBeLessThan(1e-3)
    const roadsOnly = await db.query<{ diff: number }>(
      `select extensions.st_area(extensions.st_symdifference(c.geom, extensions.st_geomfromgeojson($1))::extensions.geography) as diff
       from atlas.service_circle c where c.facility_code = 'F-2' and c.minutes = 8`,
      [JSON.stringify({ type: 'MultiPolygon', coordinates: trial.polygon })],
    )
    expect(roadsOnly.rows[0].diff / rows[0].area).toBeGreaterThan(0.05)
    // refused in words: not an array, a bad entry
    await expect(asCaller(db, planner, (tx) => tx.query(`select public.compound_land('{}'::json)`))).rejects.toThrow('entered must be a JSON array')
    await expect(asCaller(db, planner, (tx) => tx.query(`select public.compound_land('[["C-F", 114, 22.5, -3]]'::json)`))).rejects.toThrow('the metres left (0…10000)')
  })

  test('a gate written, or a compound drawn round homes, makes the times of the homes inside it stale, and only theirs', async () => {
    const stale = async () =>
      (await db.query<{ code: string }>(`select distinct residence_code as code from atlas.access_time where stale order by 1`)).rows.map((r) => r.code)
    expect(await stale()).toEqual([])
    const [lon, lat] = at(580, 300)
    await db.query(`insert into atlas.gate (code, compound_code, name, geom) values ('G-F2', 'C-F', '东门', extensions.st_setsrid(extensions.st_point($1, $2), 4326))`, [lon, lat])
    expect(await stale()).toEqual(['B-F1', 'C-F'])
    await db.query(`update atlas.access_time set stale = false`)
    // a compound drawn round the home P-1 on the south street: its way out is now the compound's
    await importText(db, 'residence', 'wall.geojson', JSON.stringify({ type: 'FeatureCollection', features: [
      feature({ code: 'C-W', parent_code: '440304901001', households: 0, residents: 0 }, box(300, 5, 330, 25)),
    ] }))
    expect(await stale()).toEqual(['P-1'])
  })
})
