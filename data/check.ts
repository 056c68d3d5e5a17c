// Checks the generated sample city with real PostGIS (PGlite + pglite-postgis, in process).
//
//   npx tsx data/check.ts            exits 1 if any check fails
//
// Loads data/longquan/<layer>.geojson into temporary tables and verifies validity,
// nesting, tiling, the river, the planted 三不管 cases, the walking graph and the figures.

import fs from 'node:fs'
import path from 'node:path'
import type { FeatureCollection, Geometry } from 'geojson'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { layers, type LayerName } from '../src/shared/layers.ts'
import { sampleLayers } from './sample/city.ts'
import type { CityProperties } from './sample/city.ts'
import { sampleDirectory } from './sample/write.ts'

let failures = 0
let passes = 0
function check(ok: boolean, what: string, detail = '') {
  if (ok) passes++
  else failures++
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ' — ' + detail : ''}`)
}
const fmt = (n: number | string, d = 0) => Number(n).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })

const t0 = Date.now()
const db = await PGlite.create({ extensions: { postgis } })
await db.exec('create extension postgis')
/** The rows of a query; PGlite gives counts and float8 as numbers, numeric as text. */
const q = async <T,>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows
const one = async <T,>(sql: string, params: unknown[] = []) => (await q<T>(sql, params))[0]
interface Count {
  n: number
}

// ---- load
const raw = new Map<LayerName, FeatureCollection<Geometry, CityProperties>>()
for (const l of sampleLayers) {
  const file = path.join(sampleDirectory, `${l}.geojson`)
  const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection<Geometry, CityProperties>
  raw.set(l, fc)
  await db.exec(`create temp table ${l} (code text primary key, parent_code text, name text, props jsonb, geom geometry)`)
  await db.query(
    `insert into ${l}
       select f->'properties'->>'code', f->'properties'->>'parent_code', f->'properties'->>'name', f->'properties',
              ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326)
         from jsonb_array_elements($1::jsonb) f`,
    [JSON.stringify(fc.features)],
  )
  await db.exec(`create index on ${l} using gist (geom); create index on ${l} (parent_code)`)
}
console.log(`loaded ${sampleLayers.length} layers into PostGIS in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

// ---- counts, codes, parents
console.log('\ncounts')
const counts: Record<string, number> = {}
for (const l of sampleLayers) {
  counts[l] = (await one<Count>(`select count(*) n from ${l}`)).n
  check(counts[l] === raw.get(l)?.features.length, `${l}: ${fmt(counts[l])} features, codes unique`)
}
for (const l of sampleLayers) {
  const p = layers[l].parent
  if (!p) continue
  const bad = await one<Count>(`select count(*) n from ${l} c left join ${p.layer} p on p.code = c.parent_code where (c.parent_code is not null and p.code is null) or ($1 and c.parent_code is null)`, [p.required])
  check(Number(bad.n) === 0, `${l}: every parent_code is a ${p.layer}`, `${bad.n} bad`)
}
check(counts.community === 28 && counts.street === 4, '4 streets, 28 communities')
check(counts.grid >= 80 && counts.grid <= 120, `grids 80–120`, `${counts.grid}`)
check(counts.micro_grid >= 1500 && counts.micro_grid <= 3000, `micro-grids 1,500–3,000`, `${counts.micro_grid}`)
check(counts.facility >= 150, `facilities ≥ 150`, `${counts.facility}`)
check(counts.walk_edge >= 10000, `walk edges ≥ 10,000`, `${counts.walk_edge}`)
check(counts.former_village >= 5 && counts.former_village <= 8, 'former villages 5–8', `${counts.former_village}`)
check(counts.backlog === 56, 'backlog: 56 items', `${counts.backlog}`)

// ---- validity and SRID
console.log('\nvalidity')
for (const l of sampleLayers) {
  const r = await one<{ polys: number; invalid: number; bad_srid: number; empty: number }>(
    `select count(*) filter (where ST_GeometryType(geom) in ('ST_Polygon','ST_MultiPolygon')) polys,
            count(*) filter (where ST_GeometryType(geom) in ('ST_Polygon','ST_MultiPolygon') and not ST_IsValid(geom)) invalid,
            count(*) filter (where ST_SRID(geom) <> 4326) bad_srid,
            count(*) filter (where ST_IsEmpty(geom)) empty
       from ${l}`,
  )
  check(Number(r.invalid) === 0 && Number(r.bad_srid) === 0 && Number(r.empty) === 0, `${l}: ${r.polys} polygons valid (ST_IsValid), SRID 4326, none empty`,
    Number(r.invalid) ? (await q<{ code: string; why: string }>(`select code, ST_IsValidReason(geom) why from ${l} where not ST_IsValid(geom) limit 3`)).map((x) => `${x.code}: ${x.why}`).join('; ') : '')
}
const outlineOk = await one<{ ok: boolean }>(`select bool_and(ST_CoveredBy(s.geom, o.geom)) ok from street s, basemap o where o.code = 'county-outline'`)
check(outlineOk.ok === true, 'every street lies inside the county outline (WGS-84)')
const outsideOutline = await one<Count>(
  `select (select count(*) from facility f, basemap o where o.code='county-outline' and not ST_Within(f.geom, o.geom))
        + (select count(*) from walk_edge w, basemap o where o.code='county-outline' and not ST_Within(w.geom, o.geom)) n`,
)
check(Number(outsideOutline.n) === 0, 'facilities and walking edges inside the county outline')

// ---- nesting (5 m tolerance)
console.log('\nnesting')
for (const [child, parent] of [
  ['community', 'street'],
  ['grid', 'community'],
  ['micro_grid', 'grid'],
] as const) {
  const r = await one<{ n: number; bad: number }>(
    `with p as (select code, ST_Buffer(geom::geography, 5)::geometry g from ${parent})
     select count(*) n, count(*) filter (where not ST_CoveredBy(c.geom, p.g)) bad
       from ${child} c join p on p.code = c.parent_code`,
  )
  check(Number(r.bad) === 0, `each ${child} lies within its ${parent} (5 m)`, `${r.bad} of ${r.n} outside`)
}
for (const l of ['facility', 'residence', 'backlog'] as const) {
  const r = await one<{ n: number; bad: number }>(
    `with p as (select code, ST_Buffer(geom::geography, 5)::geometry g from community)
     select count(*) n, count(*) filter (where not ST_CoveredBy(c.geom, p.g)) bad from ${l} c join p on p.code = c.parent_code`,
  )
  check(Number(r.bad) === 0, `each ${l} lies within its community (5 m)`, `${r.bad} of ${r.n} outside`)
}
{
  const r = await one<Count>(`select count(*) n from residence r where not exists (select 1 from micro_grid m where ST_Within(r.geom, m.geom))`)
  check(Number(r.n) === 0, 'each residence lies in a micro-grid', `${r.n} outside`)
}

// ---- tiling
console.log('\ntiling')
for (const [l, by] of [
  ['street', null],
  ['community', 'parent_code'],
  ['grid', 'parent_code'],
  ['management_area', null],
] as const) {
  const rows = await q<{ a: string; b: string; m2: number }>(
    `select a.code a, b.code b, ST_Area(ST_Intersection(a.geom, b.geom)::geography) m2
       from ${l} a join ${l} b on a.code < b.code ${by ? `and a.${by} = b.${by}` : ''} and ST_Intersects(a.geom, b.geom)
      where ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1`,
  )
  if (l === 'management_area') continue // reported below with the planted cases
  check(rows.length === 0, `${by ? 'sibling ' : ''}${l}s do not overlap (> 1 m²)`, rows.map((r) => `${r.a}×${r.b} ${fmt(r.m2)} m²`).join('; '))
}
{
  const rows = await q<{ a: string; b: string; m2: number }>(
    `select a.code a, b.code b, ST_Area(ST_Intersection(a.geom, b.geom)::geography) m2
       from community a join community b on a.code < b.code and ST_Intersects(a.geom, b.geom)
      where ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1`,
  )
  check(rows.length === 0, 'no two communities overlap (> 1 m²), across streets too')
}
// gaps: the street minus its communities
const communityGaps = await q<{ street: string; name: string; m2: number; lon: number; lat: number }>(
  `with g as (
     select s.code street, s.name, (ST_Dump(ST_Difference(s.geom, (select ST_Union(c.geom) from community c where c.parent_code = s.code)))).geom g
       from street s)
   select street, name, ST_Area(g::geography) m2, ST_X(ST_Centroid(g)) lon, ST_Y(ST_Centroid(g)) lat from g
    where ST_Area(g::geography) > 1 order by m2 desc`,
)
const wuchu = communityGaps.find((g) => g.street === '331181003')
check(
  communityGaps.length === 1 && !!wuchu,
  'communities tile their street except the one planted gap (吴处联建房, 剑池街道)',
  communityGaps.map((g) => `${g.name}: ${fmt(g.m2)} m² at ${g.lon.toFixed(5)}, ${g.lat.toFixed(5)}`).join('; '),
)
if (wuchu) {
  const inVillage = await one<{ name: string } | undefined>(`select name from former_village where ST_Contains(geom, ST_SetSRID(ST_Point($1, $2), 4326))`, [wuchu.lon, wuchu.lat])
  check(inVillage?.name === '吴岭村', '吴处联建房 lies on the land of the former 吴岭村', inVillage?.name ?? 'none')
  const managed = await one<Count>(`select count(*) n from management_area where ST_Intersects(geom, ST_SetSRID(ST_Point($1, $2), 4326))`, [wuchu.lon, wuchu.lat])
  check(Number(managed.n) === 0, '吴处联建房 lies in no management area either')
}
for (const [child, parent] of [
  ['grid', 'community'],
] as const) {
  const r = await q<{ code: string; m2: number }>(
    `select p.code, ST_Area(ST_Difference(p.geom, (select ST_Union(c.geom) from ${child} c where c.parent_code = p.code))::geography) m2 from ${parent} p`,
  )
  const bad = r.filter((x) => x.m2 > 1)
  check(bad.length === 0, `${child}s tile their ${parent} (no gap > 1 m²)`, bad.map((x) => `${x.code} ${fmt(x.m2)} m²`).join('; '))
}
{
  const r = await q<{ a: string; b: string }>(`select a.code a, b.code b from micro_grid a join micro_grid b on a.code < b.code and ST_Intersects(a.geom, b.geom)`)
  check(r.length === 0, 'micro-grids are separate buildings (none touch or overlap)', `${r.length} pairs`)
}

// ---- the river
console.log('\nriver')
{
  const r = await one<{ m2: number; span: number } | undefined>(`select ST_Area(geom::geography) m2, ST_Length(ST_LongestLine(geom, geom)::geography) span from basemap where kind_is_river`.replace('kind_is_river', `props->>'kind' = 'river'`))
  check(!!r, 'a river polygon', r ? `${fmt(r.m2 / 1e6, 2)} km², spans ${fmt(r.span / 1000, 1)} km` : '')
  const wet = await q<{ l: string; code: string; m2: number }>(
    `select l, code, m2 from (
       select 'street' l, s.code, ST_Area(ST_Intersection(s.geom, r.geom)::geography) m2 from street s, basemap r where r.props->>'kind' = 'river'
       union all
       select 'community', c.code, ST_Area(ST_Intersection(c.geom, r.geom)::geography) from community c, basemap r where r.props->>'kind' = 'river') x
      where m2 > 1`,
  )
  check(wet.length === 0, 'no street or community takes in river water (> 1 m²)', wet.map((w) => `${w.l} ${w.code} ${fmt(w.m2)} m²`).join('; '))
  const northSide = await q<{ name: string; north: boolean }>(
    `with r as (select geom from basemap where props->>'kind' = 'river')
     select s.name, ST_Y(ST_Centroid(ST_Intersection(ST_Buffer(r.geom, 0.02), s.geom))) > ST_Y(ST_Centroid(ST_Intersection(ST_Buffer(r.geom, 0.02), (select ST_Union(geom) from street)))) north
       from street s, r`,
  )
  const side = Object.fromEntries(northSide.map((x) => [x.name, x.north]))
  check(side['龙渊街道'] && side['西街街道'] && !side['剑池街道'] && !side['石达石街道'], '龙渊 and 西街 north of the river, 剑池 and 石达石 south', JSON.stringify(side))
  const bridges = await q<{ code: string; name: string }>(
    `select w.code, w.name from walk_edge w, basemap r where r.props->>'kind' = 'river' and ST_Relate(w.geom, r.geom, 'T********')`,
  )
  check(bridges.length >= 4 && bridges.length <= 6, 'the river is crossed only by 4–6 bridges', bridges.map((b) => b.name).join(', '))
}

// ---- walking network
console.log('\nwalking network')
{
  const feats = raw.get('walk_edge')?.features ?? []
  const key = (p: number[]) => `${p[0]},${p[1]}`
  const adj = new Map<string, string[]>()
  let short = 0
  let stepsBad = 0
  for (const f of feats) {
    if (f.geometry.type !== 'LineString' || f.geometry.coordinates.length < 2) {
      short++
      continue
    }
    const c = f.geometry.coordinates
    if ((f.properties.highway === 'steps') !== (f.properties.steps === true)) stepsBad++
    const a = key(c[0])
    const b = key(c[c.length - 1])
    if (!adj.has(a)) adj.set(a, [])
    if (!adj.has(b)) adj.set(b, [])
    adj.get(a)!.push(b)
    adj.get(b)!.push(a)
  }
  const start = adj.keys().next().value!
  const seen = new Set([start])
  const stack = [start]
  while (stack.length) for (const n of adj.get(stack.pop()!)!) if (!seen.has(n)) {
    seen.add(n)
    stack.push(n)
  }
  check(short === 0, 'every edge is a LineString of 2+ vertices')
  check(seen.size === adj.size, 'the walking graph is one connected component (nodes = identical endpoints)', `${fmt(adj.size)} nodes, ${fmt(seen.size)} reached`)
  check(stepsBad === 0, 'steps = true exactly where highway = steps')
  const allowed = ['residential', 'footway', 'service', 'path', 'pedestrian', 'steps', 'primary', 'secondary', 'tertiary']
  const hw = await q<{ h: string; n: number }>(`select props->>'highway' h, count(*) n from walk_edge group by 1 order by 2 desc`)
  check(hw.every((h) => allowed.includes(h.h)), 'highway classes', hw.map((h) => `${h.h} ${h.n}`).join(', '))
  const lens = await one<{ bad: number; total: number; total_prop: number }>(
    `select count(*) filter (where abs((props->>'length_m')::float8 - ST_Length(geom::geography)) > 0.01 * ST_Length(geom::geography) + 0.05) bad,
            sum(ST_Length(geom::geography)) total, sum((props->>'length_m')::float8) total_prop from walk_edge`,
  )
  check(lens.bad === 0, 'length_m agrees with the geodesic length (PostGIS, 1%)', `${fmt(lens.total / 1000, 1)} km geodesic, ${fmt(lens.total_prop / 1000, 1)} km in length_m`)
  const named = await one<{ n: number; k: number }>(`select count(*) n, count(distinct name) k from walk_edge where name is not null`)
  check(Number(named.n) > 0, 'some edges carry street names', `${named.n} edges, ${named.k} names`)
}

// ---- people and figures
console.log('\nfigures')
{
  const t = await one<{ res: number; hh: number; reg: number; converted: number }>(
    `select sum((props->>'resident_population')::int) res, sum((props->>'households')::int) hh, sum((props->>'registered_population')::int) reg,
            count(*) filter (where props->>'type' = '村改居型') converted from community`,
  )
  check(Number(t.res) === 148800, 'resident population totals 148,800 (14.88万)', fmt(t.res))
  check(Math.abs(Number(t.hh) - 53000) <= 1000, 'about 53,000 households', fmt(t.hh))
  const mismatch = await q<{ name: string }>(
    `select c.name, (c.props->>'households')::int hh, (c.props->>'resident_population')::int res, s.hh shh, s.res sres
       from community c left join (select parent_code, sum((props->>'households')::int) hh, sum((props->>'residents')::int) res from residence group by 1) s
         on s.parent_code = c.code
      where s.hh is distinct from (c.props->>'households')::int or s.res is distinct from (c.props->>'resident_population')::int`,
  )
  check(mismatch.length === 0, 'community households and residents = sums over its residences', mismatch.map((m) => m.name).join(', '))
  const gridSum = await q<{ code: string }>(
    `select g.code from grid g left join (select parent_code, sum((props->>'households')::int) hh from micro_grid group by 1) m on m.parent_code = g.code
      where m.hh is distinct from (g.props->>'households')::int`,
  )
  check(gridSum.length === 0, 'grid households = sum of its micro-grids', `${gridSum.length} differ`)
  const commGrid = await q<{ code: string }>(
    `select c.code from community c left join (select parent_code, sum((props->>'households')::int) hh from grid group by 1) g on g.parent_code = c.code
      where g.hh is distinct from (c.props->>'households')::int`,
  )
  check(commGrid.length === 0, 'community households = sum of its grids', `${commGrid.length} differ`)
  const microRes = await q<{ code: string }>(
    `select m.code from micro_grid m left join (
       select m2.code, sum((r.props->>'households')::int) hh from residence r join micro_grid m2 on ST_Within(r.geom, m2.geom) group by 1) s on s.code = m.code
      where s.hh is distinct from (m.props->>'households')::int`,
  )
  check(microRes.length === 0, 'micro-grid households = sum of the residences inside it', `${microRes.length} differ`)
  const band = await one<{ lo: number; hi: number; mn: number; mx: number; ft: number; n: number }>(
    `select count(*) filter (where (props->>'households')::int < 500) lo, count(*) filter (where (props->>'households')::int > 800) hi,
            min((props->>'households')::int) mn, max((props->>'households')::int) mx,
            count(*) filter (where (props->>'worker_full_time')::boolean) ft, count(*) n from grid`,
  )
  check(band.lo >= 3 && band.lo <= 6 && band.hi >= 3 && band.hi <= 6, 'grids: 500–800 households except 3–6 under and 3–6 over',
    `${band.lo} under 500, ${band.hi} over 800, range ${band.mn}–${band.mx}; ${band.ft} of ${band.n} grid workers full-time`)
  const mg = await one<{ mn: number; mx: number; av: string }>(`select min((props->>'households')::int) mn, max((props->>'households')::int) mx, avg((props->>'households')::int) av from micro_grid`)
  check(mg.mn >= 10 && mg.mx <= 80, 'micro-grids: households typically 15–60', `${mg.mn}–${mg.mx}, mean ${fmt(mg.av, 1)}`)
  const sn = await one<{ props: CityProperties }>(`select props from community where name = '水南社区'`)
  check(sn.props.registered_population === 4597 && Number(sn.props.resident_population) < 4597, '水南社区: 4,597 registered, fewer resident (人户分离)', `${Number(sn.props.resident_population)} resident`)
  const fh = await one<{ props: CityProperties; m2: number }>(`select props, ST_Area(geom::geography) m2 from community where name = '凤凰社区'`)
  check(fh.m2 > 30e6 && fh.props.full_time_workers === 6 && Number(fh.props.resident_population) > 5000, '凤凰社区: 30+ km², 5,000+ residents, 6 full-time workers', `${fmt(fh.m2 / 1e6, 1)} km², ${Number(fh.props.resident_population)} residents`)
  const sa = await one<{ below: number; mn: number }>(`select count(*) filter (where (props->>'service_area_m2')::float8 < 300) below, min((props->>'service_area_m2')::float8) mn from community`)
  const dj = await one<{ a: number }>(`select (props->>'service_area_m2')::float8 a from community where name = '东景社区'`)
  check(Number(sa.below) === 19 && dj.a >= 80 && dj.a < 90, '19 of 28 communities below 300 m² of service rooms; 东景 about 80 m²', `${sa.below}; 东景 ${dj.a} m²`)
  check(Number(t.converted) >= 10 && Number(t.converted) <= 18, 'about half the communities are 村改居型', `${t.converted}`)
  const fac = await q<{ t: string; n: number }>(`select props->>'type' t, count(*) n from facility group by 1 order by 1`)
  const ft = Object.fromEntries(fac.map((f) => [f.t, Number(f.n)]))
  const psc = await one<Count>(`select count(distinct parent_code) n from facility where props->>'type' = 'party_service_centre'`)
  check(ft.pioneer_station === 15 && Number(psc.n) === 28 && ft.party_service_centre === 28, 'one 党群服务中心 per community; 15 先锋驿站', fac.map((f) => `${f.t} ${f.n}`).join(', '))
  const bl = await q<{ c: string; n: number; cost: number }>(`select props->>'category' c, count(*) n, sum((props->>'cost_yuan')::float8) cost from backlog group by 1`)
  const bc = Object.fromEntries(bl.map((b) => [b.c, Number(b.n)]))
  const cost = bl.reduce((a, b) => a + Number(b.cost), 0)
  check((bc['硬化'] ?? 0) + (bc['亮化'] ?? 0) + (bc['绿化'] ?? 0) === 23 && bc['洁化'] === 18 && bc['供水'] === 9 && bc['排污'] === 6,
    'backlog: 23 硬化/亮化/绿化, 18 洁化, 9 供水 + 6 排污', bl.map((b) => `${b.c} ${b.n}`).join(', '))
  check(Math.abs(cost - 67e6) <= 0.67e6, 'backlog cost ≈ ¥67,000,000 (within 1%)', `¥${fmt(cost)}`)
  const st = await q<{ s: string; n: number }>(`select props->>'status' s, count(*) n from backlog group by 1 order by 1`)
  const bs = Object.fromEntries(st.map((b) => [b.s, Number(b.n)]))
  check(bs.proposed === 44 && bs.approved === 6 && bs.in_progress === 4 && bs.done === 2 && st.length === 4,
    'backlog statuses: 44 proposed, 6 approved, 4 in progress, 2 done', st.map((b) => `${b.s} ${b.n}`).join(', '))
  // a 硬化 item waits for the 排污 and 供水 items of its site: the name up to 片 or 区块
  const deps = await q<{ code: string; given: string[]; expected: string[] }>(
    `with site as (select code, parent_code, props->>'category' c, substring(name from '^(.*?(?:片|区块))') s, props->'depends_on' d from backlog)
     select r.code, coalesce(r.d, '[]'::jsonb) given,
            coalesce((select jsonb_agg(w.code order by w.code) from site w
                      where w.c in ('排污', '供水') and w.parent_code = r.parent_code and w.s = r.s), '[]'::jsonb) expected
       from site r where r.c = '硬化' or r.d is not null`,
  )
  const wrong = deps.filter((d) => JSON.stringify(d.given) !== JSON.stringify(d.expected))
  const links = deps.reduce((n, d) => n + d.given.length, 0)
  check(wrong.length === 0 && links > 0, 'backlog: each 硬化 item depends on the 排污 and 供水 items of its site, and nothing else depends',
    wrong.length ? wrong.map((d) => `${d.code}: ${JSON.stringify(d.given)} ≠ ${JSON.stringify(d.expected)}`).join('; ') : `${links} dependencies`)
  const split = await q<{ name: string; n: number }>(
    `select v.name, count(*) n from former_village v join community c on ST_Intersects(v.geom, c.geom)
       and ST_Area(ST_Intersection(v.geom, c.geom)::geography) > 1000 group by v.name`,
  )
  check(split.length === counts.former_village && split.every((s) => s.n >= 2), 'each former village is split across 2+ communities', split.map((s) => `${s.name} ${s.n}`).join(', '))
}

// ---- management areas: the planted overlaps and gaps
console.log('\n三不管 (management areas)')
{
  const overlaps = await q<{ a: string; b: string; m2: number; lon: number; lat: number }>(
    `select a.name a, b.name b, ST_Area(ST_Intersection(a.geom, b.geom)::geography) m2,
            ST_X(ST_Centroid(ST_Intersection(a.geom, b.geom))) lon, ST_Y(ST_Centroid(ST_Intersection(a.geom, b.geom))) lat
       from management_area a join management_area b on a.code < b.code and ST_Intersects(a.geom, b.geom)
      where ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1`,
  )
  for (const o of overlaps) console.log(`     overlap ${o.a} × ${o.b}: ${fmt(o.m2)} m² at ${o.lon.toFixed(5)}, ${o.lat.toFixed(5)}`)
  check(overlaps.length === 1 && [overlaps[0].a, overlaps[0].b].sort().join() === ['剑池街道', '龙泉经济开发区'].sort().join(),
    'one planted overlap: 水南犁山 claimed by 剑池街道 and 龙泉经济开发区')
  const lishan = overlaps[0]
  if (lishan) {
    const c = await one<{ name: string } | undefined>(`select name from community where ST_Contains(geom, ST_SetSRID(ST_Point($1, $2), 4326))`, [lishan.lon, lishan.lat])
    check(c?.name === '水南社区', '犁山 lies in 水南社区', c?.name ?? 'none')
  }
  const gaps = await q<{ m2: number; lon: number; lat: number; comm: string | null }>(
    `with g as (select (ST_Dump(ST_Difference((select ST_Union(geom) from street), (select ST_Union(geom) from management_area)))).geom g)
     select ST_Area(g::geography) m2, ST_X(ST_Centroid(g)) lon, ST_Y(ST_Centroid(g)) lat,
            (select string_agg(name, '+') from community c where ST_Intersects(c.geom, ST_PointOnSurface(g))) comm
       from g where ST_Area(g::geography) > 1 order by m2`,
  )
  for (const g of gaps) console.log(`     gap ${fmt(g.m2)} m² at ${g.lon.toFixed(5)}, ${g.lat.toFixed(5)} in ${g.comm ?? 'no community'}`)
  const linchang = gaps.find((g) => g.comm)
  check(gaps.length === 2 && gaps.some((g) => !g.comm) && !!linchang, 'two planted management gaps: 吴处联建房 (no community either) and 林场 (in a community, no body)')
  if (linchang) {
    const near = await one<{ name: string; d: number }>(
      `select name, ST_Distance(geom::geography, ST_SetSRID(ST_Point($1, $2), 4326)::geography) d from management_area where kind_cb order by d limit 1`.replace('kind_cb', `props->>'kind' = 'construction_bureau'`),
      [linchang.lon, linchang.lat],
    )
    check(near.d < 300, '林场 borders the construction bureau area', `${near.name}, ${fmt(near.d)} m from the gap's centroid`)
  }
}

console.log(`\n${passes} passed, ${failures} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
await db.close()
process.exit(failures ? 1 : 0)
