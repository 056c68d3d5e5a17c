// 三不管 zone detection (public.zones) on PGlite + PostGIS: the sample city, and synthetic cities
// of 10,000 and 80,000 micro-grids with planted gaps, overlaps and slivers, every one of which
// must be found (a fast wrong answer is no result). The rival, in the same run and on the same
// database, is the naive formulation: the same gap differences, but every same-level pair
// intersected with no spatial index (a cross join, index and bitmap scans off).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { connect } from '../src/db/connect.ts'
import { openDatabase, type Database } from '../src/db/database.ts'
import { loadSample } from '../src/db/sample.ts'
import { asCaller, userClaims } from '../src/db/session.ts'
import { localPlane } from '../src/circles/engine/projection.ts'
import { random } from '../src/circles/engine/testing.ts'
import { compare, median, round, time, type BenchResult } from './harness.ts'

const log = (message: string) => console.error(`[bench zones] ${message}`)
const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-zones-'))

interface Zone {
  kind: 'gap' | 'overlap'
  level: string
  status: string
  area_m2: number
  width_m: number
  parent: { layer: string; code: string } | null
  claimants: string[] | null
  bbox: [number, number, number, number]
  label: [number, number]
}
interface ZonesJson {
  zones: Zone[]
  nesting: unknown[]
}

/** public.zones() as a leader calls it through the API. */
export async function zones(db: Database, withGeometry: boolean): Promise<ZonesJson> {
  return asCaller(db, userClaims('leader', 'bench'), async (tx) =>
    (await tx.query<{ z: ZonesJson }>('select public.zones(with_geometry => $1) as z', [withGeometry])).rows[0].z, true)
}

/**
 * The naive formulation of the same detection, as the owner: each parent minus the union of its
 * children (as ours), and the overlaps of every pair of same-level units found by a cross join
 * with no spatial index; pieces kept as ours keeps them (atlas.zone_parts). No candidates,
 * widths or reasons: less work per zone than ours, all the work in the pairs. Returns the
 * number of pieces found.
 */
export async function naive(db: Database): Promise<number> {
  const pairs = (table: string) => `
    select a.code, b.code, extensions.st_intersection(a.geom, b.geom, atlas.zone_grid()) as g
    from atlas.${table} a cross join atlas.${table} b
    where a.code < b.code and extensions.st_intersects(a.geom, b.geom)`
  const minus = (parent: string, children: string, link: string, where = 'true') => `
    select extensions.st_difference(p.geom, coalesce((select extensions.st_union(c.geom, atlas.zone_grid()) from ${children} c where ${link}),
      'SRID=4326;POLYGON EMPTY'::extensions.geometry), atlas.zone_grid()) as g
    from ${parent} p where ${where}`
  return db.transaction(async (tx) => {
    await tx.exec('set local enable_indexscan = off; set local enable_bitmapscan = off; set local jit = off')
    const { rows } = await tx.query<{ n: number }>(`
      with raw as (
        ${minus('(select code, extensions.st_union(geom, atlas.zone_grid()) as geom from atlas.basemap_feature where kind = \'city\' group by code)', 'atlas.street', 'true')}
        union all ${minus('atlas.street', 'atlas.community', 'c.street_code = p.code')}
        union all ${minus('atlas.community', 'atlas.grid', 'c.community_code = p.code')}
        union all ${minus('atlas.grid', 'atlas.micro_grid', 'c.grid_code = p.code', 'p.micro_grids_tile')}
        union all select g from (${pairs('street')}) s (a, b, g)
        union all select g from (${pairs('community')}) s (a, b, g)
        union all select g from (${pairs('grid')}) s (a, b, g)
        union all select g from (${pairs('micro_grid')}) s (a, b, g)
        union all select g from (${pairs('management_area')}) s (a, b, g)
      )
      select count(*)::int as n from raw cross join lateral atlas.zone_parts(raw.g) p`)
    return rows[0].n
  })
}

// ── the synthetic city ───────────────────────────────────────────────────────────────────
// A jittered lattice of cells ~50 m across; every level is drawn on the same lattice vertices,
// so units share their edges exactly: a grid is 10 × 10 micro-grids, a community 2 × 2 grids,
// a street 2 communities wide.
const cellM = 50
const gridCells = 10
const communityGrids = 2
const streetCommunities = 2

interface Planted {
  kind: 'gap' | 'overlap'
  status: 'open' | 'noise'
  what: string
  /** The planted zone's box, degrees, a little enlarged. */
  box: [number, number, number, number]
  grid: string
  claimants?: string[]
}
interface City {
  streets: string[]
  communities: string[]
  grids: string[]
  microGrids: string[]
  planted: Planted[]
  perturbed: number
  microCount: number
}

export function syntheticCity(cols: number, rows: number, seed: number): City {
  const rand = random(seed)
  const [lon0, lat0] = [119.1, 28.0]
  const { kx, ky } = localPlane(lon0, lat0)
  const r8 = (x: number) => Math.round(x * 1e8) / 1e8
  // vertex (i, j), i in 0..cols, j in 0..rows; interior vertices jittered by up to ±15 % of a cell
  const vx = new Float64Array((cols + 1) * (rows + 1))
  const vy = new Float64Array((cols + 1) * (rows + 1))
  for (let j = 0; j <= rows; j++)
    for (let i = 0; i <= cols; i++) {
      const inner = i > 0 && j > 0 && i < cols && j < rows
      const dx = inner ? (rand() - 0.5) * 0.3 * cellM : 0
      const dy = inner ? (rand() - 0.5) * 0.3 * cellM : 0
      vx[j * (cols + 1) + i] = r8(lon0 + (i * cellM + dx) / kx)
      vy[j * (cols + 1) + i] = r8(lat0 + (j * cellM + dy) / ky)
    }
  const v = (i: number, j: number): [number, number] => [vx[j * (cols + 1) + i], vy[j * (cols + 1) + i]]
  const wkt = (ring: [number, number][]) => `MULTIPOLYGON(((${[...ring, ring[0]].map(([x, y]) => `${x} ${y}`).join(',')})))`
  /** The ring round cells [i0, i1) × [j0, j1) along every lattice vertex of its border. */
  const block = (i0: number, j0: number, i1: number, j1: number) => {
    const ring: [number, number][] = []
    for (let i = i0; i < i1; i++) ring.push(v(i, j0))
    for (let j = j0; j < j1; j++) ring.push(v(i1, j))
    for (let i = i1; i > i0; i--) ring.push(v(i, j1))
    for (let j = j1; j > j0; j--) ring.push(v(i0, j))
    return wkt(ring)
  }
  const pad = (n: number) => String(n + 1).padStart(3, '0')
  const gridsX = cols / gridCells
  const gridsY = rows / gridCells
  const commX = gridsX / communityGrids
  const commY = gridsY / communityGrids
  const streetsX = Math.ceil(commX / streetCommunities)
  if (![gridsX, gridsY, commX, commY].every(Number.isInteger)) throw new Error(`${cols} × ${rows} cells do not make whole communities`)
  const q = (s: string) => `'${s}'`
  const streetCode = (sx: number) => `33118${String(sx + 1).padStart(4, '0')}`
  const communityCode = (ci: number, cj: number) => {
    const sx = Math.floor(ci / streetCommunities)
    return streetCode(sx) + pad((ci - sx * streetCommunities) * commY + cj)
  }
  const gridCode = (gi: number, gj: number) =>
    communityCode(Math.floor(gi / communityGrids), Math.floor(gj / communityGrids)) + pad((gi % communityGrids) * communityGrids + (gj % communityGrids))
  const microCode = (i: number, j: number) =>
    gridCode(Math.floor(i / gridCells), Math.floor(j / gridCells)) + pad((i % gridCells) * gridCells + (j % gridCells))

  const streets: string[] = []
  for (let sx = 0; sx < streetsX; sx++) {
    const i0 = sx * streetCommunities * communityGrids * gridCells
    const i1 = Math.min(cols, i0 + streetCommunities * communityGrids * gridCells)
    streets.push(`(${q(streetCode(sx))}, ${q(`街道${sx + 1}`)}, '街道', extensions.st_geomfromtext(${q(block(i0, 0, i1, rows))}, 4326))`)
  }
  const communities: string[] = []
  const span = communityGrids * gridCells
  for (let ci = 0; ci < commX; ci++)
    for (let cj = 0; cj < commY; cj++) {
      const code = communityCode(ci, cj)
      communities.push(`(${q(code)}, ${q(code.slice(0, 9))}, ${q(`社区${code.slice(9)}`)}, '纯居型',
        extensions.st_geomfromtext(${q(block(ci * span, cj * span, (ci + 1) * span, (cj + 1) * span))}, 4326))`)
    }
  const grids: string[] = []
  for (let gi = 0; gi < gridsX; gi++)
    for (let gj = 0; gj < gridsY; gj++) {
      const code = gridCode(gi, gj)
      grids.push(`(${q(code)}, ${q(code.slice(0, 12))}, ${q(`网格${code.slice(12)}`)}, true,
        extensions.st_geomfromtext(${q(block(gi * gridCells, gj * gridCells, (gi + 1) * gridCells, (gj + 1) * gridCells))}, 4326))`)
    }

  // The planted errors, on cells (i, j) with i ≡ j ≡ 2 (mod 5), each with its east neighbour
  // (i + 1 ≡ 3, in the same grid); the 1e-9° perturbations on cells with i ≡ j ≡ 0 (mod 5).
  // None touches another, so each is one zone of its own.
  const kinds = ['hole', 'push', 'push_sliver', 'shrink_sliver'] as const
  const plan = new Map<number, (typeof kinds)[number]>()
  const sites: number[] = []
  for (let j = 2; j < rows; j += 5) for (let i = 2; i < cols; i += 5) sites.push(j * cols + i)
  const want = Math.round((cols * rows) / 250) // 40 per 10,000 cells
  for (let k = 0; k < want; k++) {
    const at = Math.floor(rand() * sites.length)
    const [site] = sites.splice(at, 1)
    plan.set(site, kinds[k % kinds.length])
  }
  const perturbedCells = new Set<number>()
  for (let j = 0; j < rows; j += 5) for (let i = 0; i < cols; i += 5) if (rand() < 0.2) perturbedCells.add(j * cols + i)

  const along = (a: [number, number], b: [number, number], metres: number): [number, number] => {
    const len = Math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * ky)
    const t = metres / len
    return [r8(a[0] + t * (b[0] - a[0])), r8(a[1] + t * (b[1] - a[1]))]
  }
  const boxOf = (points: [number, number][]): [number, number, number, number] => {
    const xs = points.map((p) => p[0])
    const ys = points.map((p) => p[1])
    const m = 1e-6
    return [Math.min(...xs) - m, Math.min(...ys) - m, Math.max(...xs) + m, Math.max(...ys) + m]
  }
  const planted: Planted[] = []
  const microGrids: string[] = []
  let microCount = 0
  for (let j = 0; j < rows; j++)
    for (let i = 0; i < cols; i++) {
      const code = microCode(i, j)
      const grid = code.slice(0, 15)
      let ring: [number, number][] = [v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1)]
      const kind = plan.get(j * cols + i)
      if (kind === 'hole') {
        planted.push({ kind: 'gap', status: 'open', what: `micro-grid ${code} missing`, box: boxOf(ring), grid })
        continue
      }
      if (kind === 'push' || kind === 'push_sliver') {
        // its east edge pushed into its east neighbour: 40 % of the cell, or half a metre
        const metres = kind === 'push' ? 0.4 * cellM : 0.5
        const p1 = along(v(i + 1, j), v(i + 2, j), metres)
        const p2 = along(v(i + 1, j + 1), v(i + 2, j + 1), metres)
        ring = [v(i, j), v(i + 1, j), p1, p2, v(i + 1, j + 1), v(i, j + 1)]
        planted.push({
          kind: 'overlap', status: kind === 'push' ? 'open' : 'noise', what: `micro-grid ${code} pushed ${metres} m into ${microCode(i + 1, j)}`,
          box: boxOf([v(i + 1, j), p1, p2, v(i + 1, j + 1)]), grid, claimants: [code, microCode(i + 1, j)].sort(),
        })
      } else if (kind === 'shrink_sliver') {
        // its east edge drawn in by 0.3 m: a gap narrower than the 1 m threshold
        const q1 = along(v(i + 1, j), v(i, j), 0.3)
        const q2 = along(v(i + 1, j + 1), v(i, j + 1), 0.3)
        ring = [v(i, j), q1, q2, v(i, j + 1)]
        planted.push({ kind: 'gap', status: 'noise', what: `micro-grid ${code} drawn in 0.3 m`, box: boxOf([q1, v(i + 1, j), v(i + 1, j + 1), q2]), grid })
      } else if (perturbedCells.has(j * cols + i)) {
        // its north-east corner 1e-9° off its neighbours' copy of the same vertex: arithmetic, not land
        const [x, y] = ring[2]
        ring[2] = [x + 1e-9, y - 1e-9]
      }
      microCount++
      microGrids.push(`(${q(code)}, ${q(grid)}, ${q(`微网格${code.slice(15)}`)}, extensions.st_geomfromtext(${q(wkt(ring))}, 4326))`)
    }
  return { streets, communities, grids, microGrids, planted, perturbed: perturbedCells.size, microCount }
}

/** Loads the city as the owner, in multi-row inserts (the nesting triggers check every row). */
export async function load(db: Database, city: City): Promise<void> {
  const insert = async (head: string, rows: string[], chunk: number) => {
    for (let k = 0; k < rows.length; k += chunk) await db.exec(`${head} values ${rows.slice(k, k + chunk).join(',\n')}`)
  }
  await insert('insert into atlas.street (code, name, kind, geom)', city.streets, 100)
  await insert('insert into atlas.community (code, street_code, name, community_type, geom)', city.communities, 500)
  await insert('insert into atlas.grid (code, community_code, name, micro_grids_tile, geom)', city.grids, 500)
  await insert('insert into atlas.micro_grid (code, grid_code, name, geom)', city.microGrids, 2000)
  await db.exec('analyze atlas.street; analyze atlas.community; analyze atlas.grid; analyze atlas.micro_grid')
}

/** Every planted zone found once, as what it is, and nothing else: else the run fails. */
export function verify(found: ZonesJson, city: City, label: string): void {
  const problems: string[] = []
  const inside = (z: Zone, b: Planted['box']) => z.label[0] >= b[0] && z.label[0] <= b[2] && z.label[1] >= b[1] && z.label[1] <= b[3]
  const used = new Set<Zone>()
  for (const p of city.planted) {
    const matches = found.zones.filter((z) => z.kind === p.kind && z.level === 'micro_grid' && inside(z, p.box))
    if (matches.length !== 1) {
      problems.push(`${p.what}: ${matches.length} zones found there`)
      continue
    }
    const [z] = matches
    used.add(z)
    if (z.status !== p.status) problems.push(`${p.what}: status ${z.status}, planted ${p.status}`)
    if (p.kind === 'gap' && z.parent?.code !== p.grid) problems.push(`${p.what}: parent ${JSON.stringify(z.parent)}`)
    if (p.claimants && JSON.stringify(z.claimants) !== JSON.stringify(p.claimants))
      problems.push(`${p.what}: claimants ${JSON.stringify(z.claimants)}`)
  }
  const extra = found.zones.filter((z) => !used.has(z))
  for (const z of extra.slice(0, 5)) problems.push(`unplanted ${z.kind} (${z.level}, ${z.area_m2} m², ${z.status}) at ${z.label.join(',')}`)
  if (extra.length > 5) problems.push(`… and ${extra.length - 5} more unplanted zones`)
  if (found.nesting.length) problems.push(`${found.nesting.length} nesting violations reported, none planted`)
  if (problems.length) throw new Error(`${label}: detection is wrong:\n  ${problems.join('\n  ')}`)
}

/** A fresh copy of the migrated, empty database. */
function copyOf(template: string): string {
  const dir = path.join(temp(), 'db')
  fs.cpSync(template, dir, { recursive: true })
  return dir
}

async function syntheticBench(template: string, cols: number, rows: number, runs: number, withRival: boolean, results: BenchResult[]): Promise<void> {
  const city = syntheticCity(cols, rows, 20261125 + cols)
  const size = `${Math.round(city.microCount / 1000)}k`
  log(`synthetic city ${size}: ${city.microCount} micro-grids, ${city.grids.length} grids, ${city.communities.length} communities, ` +
    `${city.streets.length} streets; ${city.planted.length} zones planted, ${city.perturbed} corners 1e-9° off`)
  const db = await openDatabase(copyOf(template))
  try {
    const t0 = performance.now()
    await load(db, city)
    const loadMs = performance.now() - t0
    log(`loaded in ${round(loadMs / 1000, 2)} s`)
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      const t = performance.now()
      const found = await zones(db, false)
      times.push(performance.now() - t)
      verify(found, city, `gaps_${size}`)
      log(`zones(): ${round(times.at(-1)! / 1000, 2)} s, ${found.zones.length} zones, every planted one found`)
    }
    const ours = median(times)
    const what = `gaps_${size}`
    if (withRival) {
      const rivalTimes: number[] = []
      for (let i = 0; i < Math.min(runs, 2); i++) {
        const t = performance.now()
        const pieces = await naive(db)
        rivalTimes.push(performance.now() - t)
        if (pieces !== city.planted.length) throw new Error(`the naive detection found ${pieces} pieces, ${city.planted.length} planted`)
        log(`naive: ${round(rivalTimes.at(-1)! / 1000, 2)} s`)
      }
      results.push(compare(what, ours, median(rivalTimes),
        `the naive formulation on the same PGlite: the same gap differences, every same-level pair by a cross join with no spatial index (index and bitmap scans off), no candidates or widths`,
        runs))
    } else {
      results.push({ name: what, value: round(ours), unit: 'ms', baseline: null, ratio: null, n: runs })
    }
    results.push({ name: `gaps_${size}_load`, value: round(loadMs), unit: 'ms', baseline: null, ratio: null, n: 1 })
  } finally {
    await db.close()
  }
}

async function sampleBench(template: string, results: BenchResult[]): Promise<void> {
  const dir = copyOf(template)
  const loading = await connect(dir, 'bench')
  await loadSample(loading.db)
  await loading.close()
  const db = await openDatabase(dir)
  try {
    const check = await zones(db, true)
    const planted = [
      { kind: 'gap', level: 'management', area: 166_917 },
      { kind: 'overlap', level: 'management', area: 53_466 },
      { kind: 'gap', level: 'community', area: 43_261 },
    ]
    for (const p of planted)
      if (!check.zones.some((z) => z.kind === p.kind && z.level === p.level && Math.abs(z.area_m2 - p.area) < 0.01 * p.area))
        throw new Error(`gaps_sample_city: the planted ${p.level} ${p.kind} of ${p.area} m² is not found`)
    const runs = 7
    const ours = await time(runs, () => zones(db, true), 1)
    const rival = await time(3, () => naive(db), 1)
    results.push(compare('gaps_sample_city', ours, rival,
      'the naive formulation on the same PGlite: the same gap differences, every same-level pair by a cross join with no spatial index (index and bitmap scans off), no candidates or widths',
      runs))
  } finally {
    await db.close()
  }
}

export async function runZoneBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  const template = path.join(temp(), 'empty')
  const migrating = await connect(template, 'bench')
  await migrating.close()
  await sampleBench(template, results)
  await syntheticBench(template, 100, 100, 3, true, results)
  await syntheticBench(template, 400, 200, 1, false, results)
  return results
}
