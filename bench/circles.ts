// The walking isochrone engine against pgRouting, in the same run, on the same networks: one
// facility's circle, every circle and access time of the sample city, a thousand circles on a
// synthetic network of 200,000 edges, and the graph's build time and size. pgRouting runs on
// the Debian PostgreSQL 15 + PostGIS 3.3 + pgRouting 3.4 (ATLAS_TEST_PG_URL) in its best form:
// costs precomputed in seconds, edges filtered by a GiST index to a box round the start (the
// budget's distance plus a margin), the nodes reached hulled by ST_ConcaveHull(…, 0.3).
import pg from 'pg'
import { buildGraph, graphBytes, type EdgeInput } from '../src/circles/engine/graph.ts'
import { CircleModel, type CirclePointsJson, type WalkGraphJson } from '../src/circles/engine/model.ts'
import { localPlane } from '../src/circles/engine/projection.ts'
import type { Snap } from '../src/circles/engine/snap.ts'
import { connect } from '../src/db/connect.ts'
import type { Database } from '../src/db/database.ts'
import { importFile } from '../src/db/import.ts'
import { sampleFiles } from '../src/db/sample.ts'
import { asCaller, userClaims } from '../src/db/session.ts'
import { defaultWalk } from '../src/shared/defaults.ts'
import { compare, median, round, time, withThrowawayPostgres, type BenchResult } from './harness.ts'
import { random } from '../src/circles/engine/testing.ts'

const log = (message: string) => console.error(`[bench circles] ${message}`)
const { minutes, speed } = defaultWalk
/** Half the side of the box of edges pgRouting is given round a start: the budget's distance and a margin, metres. */
const boxHalfM = minutes * speed + 100

/** The edges within boxHalfM of a point, as pgRouting's edges SQL over a table with a GiST index on geom. */
function boxEdgesSql(table: string, lon: number, lat: number): string {
  const { kx, ky } = localPlane(lon, lat)
  const [dx, dy] = [boxHalfM / kx, boxHalfM / ky]
  return `select id, source, target, cost, cost as reverse_cost from ${table}
          where geom && extensions.st_makeenvelope(${lon - dx}, ${lat - dy}, ${lon + dx}, ${lat + dy}, 4326)`
}

/**
 * A jittered grid of n × n nodes 100 m apart with some diagonals, 7 % of the edges removed and
 * 3 % steps; lengths a little above the straight line. n = 316 gives about 200,000 edges.
 */
function syntheticCity(n: number, seed: number): EdgeInput[] {
  const rand = random(seed)
  const [lon0, lat0] = [113.9, 22.4]
  const plane = localPlane(lon0, lat0)
  const spacing = 100
  const pos: [number, number][] = []
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const [x, y] = [i * spacing + (rand() - 0.5) * 30, j * spacing + (rand() - 0.5) * 30]
      pos.push([lon0 + x / plane.kx, lat0 + y / plane.ky])
    }
  const edges: EdgeInput[] = []
  const link = (a: number, b: number) => {
    if (rand() < 0.07) return
    const [p, q] = [pos[a], pos[b]]
    const steps = rand() < 0.03
    edges.push({
      code: `s${edges.length}`,
      source: a + 1,
      target: b + 1,
      lengthM: Math.hypot((q[0] - p[0]) * plane.kx, (q[1] - p[1]) * plane.ky) * (1 + rand() * 0.2),
      steps,
      highway: steps ? 'steps' : 'residential',
      coordinates: [p, q],
    })
  }
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const k = j * n + i
      if (i + 1 < n) link(k, k + 1)
      if (j + 1 < n) link(k, k + n)
      if (i + 1 < n && j + 1 < n && rand() < 0.15) link(k, k + n + 1)
    }
  return edges
}

/** A client on the benchmark database with pgRouting's schema on its path (its functions call each other unqualified). */
async function rivalClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, options: '-c search_path=bench,extensions,public' })
  await client.connect()
  return client
}

async function sampleCity(db: Database, url: string, results: BenchResult[]): Promise<void> {
  const files = sampleFiles()
  for (const layer of ['street', 'community', 'facility', 'walk_edge', 'residence'] as const) {
    const found = files.find((f) => f.layer === layer)
    if (!found) throw new Error(`the sample city has no ${layer} layer`)
    await importFile(db, layer, found.file)
  }
  const [graphJson, pointsJson] = await asCaller(db, userClaims('leader', 'bench'), async (tx) => [
    (await tx.query<{ g: WalkGraphJson }>('select public.walk_graph() as g')).rows[0].g,
    (await tx.query<{ p: CirclePointsJson }>('select public.circle_points() as p')).rows[0].p,
  ] as const, true)
  // pgRouting's best form: integer ids, costs in seconds, GiST indexes on the edges and nodes,
  // and each facility's and residence's nearest node found once, as the engine snaps them once
  await db.exec(`
    create schema bench;
    create table bench.edge as
      select row_number() over (order by code)::integer as id, source, target,
             length_m * (case when steps then 2 else 1 end) / ${speed}::float8 * 60 as cost, geom
      from atlas.walk_edge;
    create index on bench.edge using gist (geom);
    create table bench.node as select id, geom from atlas.walk_node;
    alter table bench.node add primary key (id);
    create index on bench.node using gist (geom);
    create table bench.fnode as
      select f.code, f.facility_type, (select n.id from bench.node n order by n.geom operator(extensions.<->) f.geom limit 1) as node
      from atlas.facility f;
    create table bench.rnode as
      select r.code, (select n.id from bench.node n order by n.geom operator(extensions.<->) extensions.st_pointonsurface(r.geom) limit 1) as node
      from atlas.residence r;
    create index on bench.rnode (node);
    analyze bench.edge; analyze bench.node; analyze bench.fnode; analyze bench.rnode;`)
  const rival = await rivalClient(url)
  try {
    const model = CircleModel.fromJson(graphJson, pointsJson)
    const facilities = model.facilities
    log(`sample city: ${model.graph.edgeCount} edges, ${facilities.length} facilities, ${model.residences.length} residences`)

    // isochrone_one: snap + search + pieces + contour per facility, against pgRouting per facility
    const one = (f: (typeof facilities)[number]) => {
      const snap = model.snapPoint(f.lon, f.lat)
      const [c] = model.circles([snap], speed, [minutes])
      if (!c.polygon.length) throw new Error(`no circle for ${f.code}`)
    }
    const rivalOne = async (f: (typeof facilities)[number]) => {
      // the nearest node (GiST), then the walk over the edges in a box round it
      const [start] = (
        await rival.query<{ id: string; lon: number; lat: number }>(
          'select id, st_x(geom) as lon, st_y(geom) as lat from bench.node order by geom <-> st_setsrid(st_point($1, $2), 4326) limit 1',
          [f.lon, f.lat],
        )
      ).rows
      const { rows } = await rival.query<{ points: number }>(
        `select st_npoints(st_concavehull(st_collect(n.geom), 0.3)) as points
         from pgr_drivingDistance($1, $2::bigint, $3::float8, directed := false) d join bench.node n on n.id = d.node`,
        [boxEdgesSql('bench.edge', start.lon, start.lat), start.id, minutes * 60],
      )
      if (!(rows[0].points >= 1)) throw new Error(`no pgRouting hull for ${f.code}`)
    }
    for (const f of facilities.slice(0, 20)) {
      one(f)
      await rivalOne(f)
    }
    const oursOne: number[] = []
    const theirsOne: number[] = []
    for (const f of facilities) {
      let t0 = performance.now()
      one(f)
      oursOne.push(performance.now() - t0)
      t0 = performance.now()
      await rivalOne(f)
      theirsOne.push(performance.now() - t0)
    }
    results.push(
      compare('isochrone_one', median(oursOne), median(theirsOne),
        'pgRouting 3.4: the facility\'s nearest node (GiST), pgr_drivingDistance over the edges in a box round it (GiST), ST_ConcaveHull(0.3) of the nodes reached; median per facility',
        facilities.length),
    )

    // isochrone_all_sample: every facility's circle and every type's access times
    // (the model built afresh each time, outside the timing: the graph loaded, no access cached)
    const allTimes: number[] = []
    for (let i = 0; i < 4; i++) {
      const fresh = CircleModel.fromJson(graphJson, pointsJson)
      const t0 = performance.now()
      for (const snap of fresh.facilitySnaps) if (snap) fresh.circles([snap], speed, [minutes])
      for (const type of fresh.types) fresh.access(type.type)
      if (i > 0) allTimes.push(performance.now() - t0) // the first is a warm-up
    }
    const ours = median(allTimes)
    const allEdges = 'select id, source, target, cost, cost as reverse_cost from bench.edge'
    const theirs = await time(3, async () => {
      const hulls = await rival.query(
        `select d.from_v, st_npoints(st_concavehull(st_collect(n.geom), 0.3)) as points
         from pgr_drivingDistance($1, (select array_agg(node) from bench.fnode), $2::float8, directed := false, equicost := false) d
         join bench.node n on n.id = d.node group by d.from_v`,
        [allEdges, minutes * 60],
      )
      if (hulls.rows.length < 100) throw new Error(`pgRouting drew ${hulls.rows.length} hulls`)
      const access = await rival.query(
        `select t.facility_type, count(r.code) as residences
         from (select facility_type, array_agg(node) as starts from bench.fnode group by facility_type) t
         cross join lateral pgr_drivingDistance($1, t.starts, 1e9::float8, directed := false, equicost := true) d
         join bench.rnode r on r.node = d.node group by t.facility_type`,
        [allEdges],
      )
      if (access.rows.length !== 8) throw new Error(`pgRouting measured ${access.rows.length} types`)
    }, 1)
    results.push(
      compare('isochrone_all_sample', ours, theirs,
        'pgRouting 3.4: one pgr_drivingDistance from all 152 facilities\' nearest nodes (equicost false) + ST_ConcaveHull(0.3) per facility, and per type an equicost pgr_drivingDistance over the whole network joined to the residences\' nearest nodes',
        3),
    )
  } finally {
    await rival.end()
  }
}

async function syntheticNetwork(db: Database, url: string, results: BenchResult[]): Promise<void> {
  const edges = syntheticCity(316, 20261124)
  log(`synthetic network: ${edges.length} edges`)
  const builds: number[] = []
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now()
    buildGraph(edges)
    builds.push(performance.now() - t0)
  }
  const model = new CircleModel(edges, [], [])
  const graph = model.graph
  results.push({ name: 'graph_bytes_per_edge', value: round(graphBytes(graph) / graph.edgeCount), unit: 'bytes', baseline: null, ratio: null, n: 1 })

  // pgRouting's copy, loaded in chunks
  await db.exec(`
    create table bench.big_edge (id integer primary key, source integer not null, target integer not null, cost float8 not null,
      geom extensions.geometry(LineString, 4326) not null);
    create table bench.big_node (id integer primary key, geom extensions.geometry(Point, 4326) not null);`)
  for (let k = 0; k < edges.length; k += 25_000) {
    const chunk = edges.slice(k, k + 25_000).map((e, i) => [k + i + 1, e.source, e.target, (e.lengthM * (e.steps ? 2 : 1) * 60) / speed, e.coordinates.flat()])
    await db.query(
      `insert into bench.big_edge
       select (e ->> 0)::integer, (e ->> 1)::integer, (e ->> 2)::integer, (e ->> 3)::float8,
              extensions.st_setsrid(extensions.st_makeline(extensions.st_point((e -> 4 ->> 0)::float8, (e -> 4 ->> 1)::float8),
                                                           extensions.st_point((e -> 4 ->> 2)::float8, (e -> 4 ->> 3)::float8)), 4326)
       from json_array_elements($1::json) e`,
      [JSON.stringify(chunk)],
    )
  }
  const nodes = Array.from({ length: graph.nodeCount }, (_, i) => [graph.nodeIds[i], graph.nodeCoords[2 * i], graph.nodeCoords[2 * i + 1]])
  for (let k = 0; k < nodes.length; k += 50_000)
    await db.query(
      `insert into bench.big_node select (n ->> 0)::integer, extensions.st_setsrid(extensions.st_point((n ->> 1)::float8, (n ->> 2)::float8), 4326)
       from json_array_elements($1::json) n`,
      [JSON.stringify(nodes.slice(k, k + 50_000))],
    )
  await db.exec('create index on bench.big_edge using gist (geom); analyze bench.big_edge; analyze bench.big_node')
  const rival = await rivalClient(url)
  try {
    // building the graph: ours from the edges in memory; pgRouting's from the table, as every call does
    const buildRival = await time(3, async () => {
      await rival.query(`select count(*) from pgr_drivingDistance('select id, source, target, cost, cost as reverse_cost from bench.big_edge', 1::bigint, 0::float8, directed := false)`)
    }, 1)
    results.push(compare('graph_build_200k_edges', median(builds), buildRival,
      'pgRouting 3.4 reading the same 200k edges and building its graph (pgr_drivingDistance over the whole table, distance 0)', 3))

    // 1,000 random starts at nodes, 8 minutes: the circle (search + pieces + contour) each
    const rand = random(7)
    const starts: Snap[] = []
    for (let i = 0; i < 1000; i++) {
      const node = Math.floor(rand() * graph.nodeCount)
      const e = graph.adjEdge[graph.adjStart[node]]
      starts.push({ edge: e, fraction: graph.edgeSource[e] === node ? 0 : 1, distance: 0, point: [graph.nodeCoords[2 * node], graph.nodeCoords[2 * node + 1]] })
    }
    for (const snap of starts.slice(0, 20)) model.circles([snap], speed, [minutes])
    const t0 = performance.now()
    for (const snap of starts) model.circles([snap], speed, [minutes])
    const oursTotal = performance.now() - t0

    const rivalStarts = starts.slice(0, 100)
    const rivalOne = async (snap: Snap) => {
      const node = snap.fraction === 0 ? graph.edgeSource[snap.edge] : graph.edgeTarget[snap.edge]
      const { rows } = await rival.query<{ points: number }>(
        `select st_npoints(st_concavehull(st_collect(n.geom), 0.3)) as points
         from pgr_drivingDistance($1, $2::bigint, $3::float8, directed := false) d join bench.big_node n on n.id = d.node`,
        [boxEdgesSql('bench.big_edge', snap.point[0], snap.point[1]), graph.nodeIds[node], minutes * 60],
      )
      if (rows[0].points === null) throw new Error('no pgRouting hull')
    }
    for (const snap of starts.slice(900, 910)) await rivalOne(snap)
    const r0 = performance.now()
    for (const snap of rivalStarts) await rivalOne(snap)
    const rivalTotal = ((performance.now() - r0) * starts.length) / rivalStarts.length
    results.push(compare('isochrone_1000_starts_200k_edges', oursTotal, rivalTotal,
      `pgRouting 3.4 on the same ${edges.length}-edge network: pgr_drivingDistance over the edges in a box round each start (GiST) + ST_ConcaveHull(0.3), measured on 100 of the 1000 starts and scaled ×10`,
      starts.length))
  } finally {
    await rival.end()
  }
}

export async function runCircleBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  await withThrowawayPostgres('atlas_bench_circles', async (url) => {
    const connection = await connect(url, 'bench')
    try {
      await connection.db.exec('create extension if not exists pgrouting with schema extensions')
      await sampleCity(connection.db, url, results)
      await syntheticNetwork(connection.db, url, results)
    } finally {
      await connection.close()
    }
  })
  return results
}
