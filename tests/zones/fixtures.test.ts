// 三不管 detection against hand-drawn cities (tests/zones/fixtures/in/*.geojson, written by
// fixtures/make-fixtures.ts): every planted zone found with its status and suggested owner, nothing
// else, nothing at all where boundaries meet exactly or differ only by floating-point noise; the
// same on PGlite's PostGIS and on the Debian PostgreSQL's PostGIS 3.3.
//
// Each fixture is loaded into the empty database inside a transaction that is rolled back after
// detection, so every fixture sees an empty database of its own: copying and opening a fresh
// embedded database costs 2–9 s on this machine (logged as "PGlite open" after the run), against
// 0.05–0.5 s for most fixtures' whole run.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDatabase, openEmbedded, type Database, type Queryable } from '../../src/db/database.ts'
import { migrate } from '../../src/db/migrate.ts'
import { userClaims } from '../../src/db/session.ts'
import type { NestingViolation, Zone, ZonesResult } from '../../src/zones/types.ts'
import { copyEmptyDatabase, createPostgresDatabase, type ThrowawayPostgres } from '../helpers/databases.ts'

// ── fixtures ───────────────────────────────────────────────────────────────────────────────
type Layer = 'city' | 'street' | 'community' | 'grid' | 'micro_grid' | 'management_area'
type Geometry = { type: string; coordinates: unknown }

interface UnitFeature {
  properties: {
    layer: Layer
    code: string
    name: string
    parent_code?: string
    kind?: string
    manager?: string
    micro_grids_tile?: boolean
    inserted_as?: Geometry
  }
  geometry: Geometry
}

type ZoneExpectation = {
  kind: 'gap' | 'overlap'
  level: string
  status: 'open' | 'noise'
  suggested_owner?: string
  claimants?: string[]
  width_m?: number
  width_tolerance_m?: number
}
type NestingExpectation = { kind: 'nesting'; level: string; code: string; parent_code: string }

interface PlantedFeature {
  properties: { layer: 'planted'; expect: ZoneExpectation | NestingExpectation; note: string }
  geometry: Geometry
}

interface Fixture {
  name: string
  units: UnitFeature[]
  planted: PlantedFeature[]
}

const fixtureDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/in')
const fixtures: Fixture[] = fs
  .readdirSync(fixtureDir)
  .filter((file) => file.endsWith('.geojson'))
  .sort()
  .map((file) => {
    const collection = JSON.parse(fs.readFileSync(path.join(fixtureDir, file), 'utf8')) as { features: (UnitFeature | PlantedFeature)[] }
    return {
      name: file.replace(/\.geojson$/, ''),
      units: collection.features.filter((f): f is UnitFeature => f.properties.layer !== 'planted'),
      planted: collection.features.filter((f): f is PlantedFeature => f.properties.layer === 'planted'),
    }
  })

const isZone = (p: PlantedFeature): p is PlantedFeature & { properties: { expect: ZoneExpectation } } => p.properties.expect.kind !== 'nesting'
const isNesting = (p: PlantedFeature): p is PlantedFeature & { properties: { expect: NestingExpectation } } => p.properties.expect.kind === 'nesting'

// ── loading, as the database owner ────────────────────────────────────────────────────────
const geom = (n: number) => `st_multi(st_setsrid(st_geomfromgeojson($${n}::text), 4326))`
const insertSql: Record<Layer, string> = {
  city: `insert into atlas.basemap_feature (code, name, kind, geom) values ($1, $2, 'city', ${geom(3)})`,
  street: `insert into atlas.street (code, name, kind, geom) values ($1, $2, '街道', ${geom(3)})`,
  community: `insert into atlas.community (code, name, geom, street_code, community_type) values ($1, $2, ${geom(3)}, $4, '纯居型')`,
  grid: `insert into atlas.grid (code, name, geom, community_code, micro_grids_tile) values ($1, $2, ${geom(3)}, $4, $5)`,
  micro_grid: `insert into atlas.micro_grid (code, name, geom, grid_code) values ($1, $2, ${geom(3)}, $4)`,
  management_area: `insert into atlas.management_area (code, name, geom, kind, manager) values ($1, $2, ${geom(3)}, $4, $5)`,
}
const parentsFirst: Layer[] = ['city', 'street', 'community', 'grid', 'micro_grid', 'management_area']
const tableOf: Record<Layer, string> = {
  city: 'basemap_feature',
  street: 'street',
  community: 'community',
  grid: 'grid',
  micro_grid: 'micro_grid',
  management_area: 'management_area',
}

async function loadFixture(tx: Queryable, fixture: Fixture) {
  for (const layer of parentsFirst) {
    for (const { properties: p, geometry } of fixture.units.filter((u) => u.properties.layer === layer)) {
      const extra =
        layer === 'community' || layer === 'micro_grid' ? [p.parent_code]
        : layer === 'grid' ? [p.parent_code, p.micro_grids_tile ?? false]
        : layer === 'management_area' ? [p.kind, p.manager]
        : []
      await tx.query(insertSql[layer], [p.code, p.name, JSON.stringify(p.inserted_as ?? geometry), ...extra])
    }
  }
  // a parent edited after its children were written: the triggers check only the child
  for (const { properties: p, geometry } of fixture.units.filter((u) => u.properties.inserted_as)) {
    await tx.query(`update atlas.${tableOf[p.layer]} set geom = ${geom(2)} where code = $1`, [p.code, JSON.stringify(geometry)])
  }
}

// ── detection, as a leader ─────────────────────────────────────────────────────────────────
async function zonesAsLeader(tx: Queryable, withGeometry = true): Promise<ZonesResult> {
  await tx.exec('set local role authenticated')
  await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(userClaims('leader'))])
  const { rows } = await tx.query<{ result: ZonesResult }>('select public.zones(with_geometry => $1) as result', [withGeometry])
  await tx.exec('reset role')
  if (!rows[0]?.result) throw new Error('public.zones() returned no row (on PGlite: a GEOS error inside the query)')
  return rows[0].result
}

interface Outcome {
  detection: ZonesResult
  /** Per planted feature: its area and, per detected zone, whether the zone covers its PointOnSurface. */
  planted: { area_m2: number; covers: boolean[] }[]
  /** Zone ids detected a second time, and after renaming a community and a street. */
  idsAgain: string[]
  idsAfterRename: string[]
  ms: number
}

class Rollback extends Error {}

/**
 * PGlite computes on this thread and resolves its queries in microtasks, which would hold back the
 * PostgreSQL client's replies until PGlite ran out of work; a turn of the event loop before each
 * query lets the server work on its fixture while PGlite works on its own.
 */
function yielding(tx: Queryable): Queryable {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
  return {
    query: async (sql, params) => {
      await turn()
      return tx.query(sql, params)
    },
    exec: async (sql) => {
      await turn()
      return tx.exec(sql)
    },
  }
}

async function runFixture(db: Database, fixture: Fixture): Promise<Outcome> {
  let outcome: Outcome | undefined
  const started = performance.now()
  await db
    .transaction(async (inner) => {
      const tx = yielding(inner)
      // PostGIS lives in the extensions schema, as on Supabase
      await tx.exec('set local search_path = atlas, extensions, public')
      await loadFixture(tx, fixture)
      const detection = await zonesAsLeader(tx)
      const idsAgain = (await zonesAsLeader(tx, false)).zones.map((z) => z.id)
      await tx.exec(`update atlas.community set name = name || '（更名）' where code = (select max(code) from atlas.community);
                     update atlas.street set name = name || '（更名）' where code = (select max(code) from atlas.street)`)
      const idsAfterRename = (await zonesAsLeader(tx, false)).zones.map((z) => z.id)
      const { rows } = await tx.query<{ area_m2: number; covers: boolean[] }>(
        `select st_area(p.g::geography) as area_m2,
                coalesce((select array_agg(st_covers(st_setsrid(st_geomfromgeojson((z.z -> 'geometry')::text), 4326), st_pointonsurface(p.g)) order by z.i)
                          from jsonb_array_elements($2::jsonb) with ordinality z (z, i)), '{}') as covers
         from jsonb_array_elements($1::jsonb) with ordinality q (q, i)
         cross join lateral (select st_setsrid(st_geomfromgeojson(q.q::text), 4326) as g) p
         order by q.i`,
        [JSON.stringify(fixture.planted.map((f) => f.geometry)), JSON.stringify(detection.zones)],
      )
      outcome = { detection, planted: rows, idsAgain, idsAfterRename, ms: 0 }
      throw new Rollback()
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error
    })
  outcome!.ms = Math.round(performance.now() - started)
  return outcome!
}

// ── the engines ────────────────────────────────────────────────────────────────────────────
const engines = ['PGlite', 'PostgreSQL'] as const
type Engine = (typeof engines)[number]
const outcomes: Record<Engine, Map<string, Outcome | Error>> = { PGlite: new Map(), PostgreSQL: new Map() }
const timings: Record<string, number> = {}
let embedded: Database | undefined
let server: Database | undefined
let throwaway: ThrowawayPostgres | undefined

async function runAll(engine: Engine, open: () => Promise<Database>) {
  const started = performance.now()
  const db = await open()
  timings[`${engine} open`] = Math.round(performance.now() - started)
  for (const fixture of fixtures) {
    outcomes[engine].set(fixture.name, await runFixture(db, fixture).catch((error: Error) => error))
  }
  timings[`${engine} total`] = Math.round(performance.now() - started)
  return db
}

beforeAll(async () => {
  // the server works in its own process while PGlite works in this one
  ;[embedded, server] = await Promise.all([
    runAll('PGlite', () => openEmbedded(copyEmptyDatabase())),
    runAll('PostgreSQL', async () => {
      throwaway = await createPostgresDatabase()
      const db = await openDatabase(throwaway.url)
      await migrate(db)
      return db
    }),
  ])
})

afterAll(async () => {
  await embedded?.close()
  await server?.close()
  await throwaway?.drop()
  const perFixture = Object.fromEntries(
    fixtures.map((f) => [f.name, engines.map((e) => (outcomes[e].get(f.name) as Outcome | undefined)?.ms ?? null).join(' / ')]),
  )
  console.info('zone fixtures, ms (PGlite / PostgreSQL):', timings, perFixture)
})

function outcomeOf(engine: Engine, name: string): Outcome {
  const outcome = outcomes[engine].get(name)
  if (outcome === undefined) throw new Error(`${name} did not run on ${engine}`)
  if (outcome instanceof Error) throw outcome
  return outcome
}

/** The detected zone that is this planted land: same kind and level, area within 1 %, covering its point on surface. */
function matchesOf(outcome: Outcome, plantedIndex: number, expectation: ZoneExpectation): Zone[] {
  const { area_m2, covers } = outcome.planted[plantedIndex]
  return outcome.detection.zones.filter(
    (z, i) => z.kind === expectation.kind && z.level === expectation.level && covers[i] && Math.abs(z.area_m2 - area_m2) <= 0.01 * area_m2,
  )
}

function describeZone(z: Zone) {
  return `${z.id} ${z.kind}/${z.level} ${z.status} ${z.area_m2} m² ${z.width_m} m wide, owner ${z.suggested_owner} (${z.reason})`
}

// ── the checks, on each engine ─────────────────────────────────────────────────────────────
describe.each(engines)('三不管 fixtures on %s', (engine) => {
  describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_, fixture) => {
    const zonesPlanted = fixture.planted.map((p, i) => [p, i] as const).filter(([p]) => isZone(p))
    const nestingPlanted = fixture.planted.filter(isNesting)

    test('every planted zone is found, with its status and suggested owner (recall)', () => {
      const outcome = outcomeOf(engine, fixture.name)
      for (const [planted, i] of zonesPlanted) {
        const expectation = planted.properties.expect as ZoneExpectation
        const found = matchesOf(outcome, i, expectation)
        const context = `${fixture.name}: planted ${expectation.kind}/${expectation.level} of ${outcome.planted[i].area_m2.toFixed(1)} m² (${planted.properties.note}); detected:\n${outcome.detection.zones.map(describeZone).join('\n')}`
        expect(found, context).toHaveLength(1)
        const [zone] = found
        expect(zone.status, context).toBe(expectation.status)
        if (expectation.suggested_owner) expect(zone.suggested_owner, context).toBe(expectation.suggested_owner)
        if (expectation.claimants) expect([...(zone.claimants ?? [])].sort(), context).toEqual([...expectation.claimants].sort())
        if (expectation.width_m !== undefined) {
          expect(Math.abs(zone.width_m - expectation.width_m), context).toBeLessThanOrEqual(expectation.width_tolerance_m ?? 0.05 * expectation.width_m)
        }
      }
    })

    test('no open zone that was not planted (precision), and nothing else at all, not even noise', () => {
      const outcome = outcomeOf(engine, fixture.name)
      const planted = new Set(
        zonesPlanted.flatMap(([p, i]) => matchesOf(outcome, i, p.properties.expect as ZoneExpectation).map((z) => z.id)),
      )
      const extra = outcome.detection.zones.filter((z) => !planted.has(z.id))
      expect(extra.filter((z) => z.status === 'open').map(describeZone)).toEqual([])
      expect(extra.map(describeZone)).toEqual([])
      if (zonesPlanted.length === 0) expect(outcome.detection.zones).toEqual([])
    })

    test('nesting violations as planted', () => {
      const outcome = outcomeOf(engine, fixture.name)
      const expected = nestingPlanted.map((p) => {
        const e = p.properties.expect
        return { layer: e.level, code: e.code, parent_code: e.parent_code, area: outcome.planted[fixture.planted.indexOf(p)].area_m2 }
      })
      expect(outcome.detection.nesting.map((n) => ({ layer: n.layer, code: n.code, parent_code: n.parent_code }))).toEqual(
        expected.map(({ layer, code, parent_code }) => ({ layer, code, parent_code })),
      )
      outcome.detection.nesting.forEach((n, i) => {
        expect(Math.abs(n.outside_m2 - expected[i].area), `${n.code}: ${n.outside_m2} m² outside, planted ${expected[i].area} m²`).toBeLessThanOrEqual(
          0.01 * expected[i].area,
        )
      })
    })

    test('ids are stable: detected again, and after renaming a community and a street', () => {
      const outcome = outcomeOf(engine, fixture.name)
      const ids = outcome.detection.zones.map((z) => z.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(outcome.idsAgain).toEqual(ids)
      expect(outcome.idsAfterRename).toEqual(ids)
    })
  })
})

describe('both engines agree', () => {
  test.each(fixtures.map((f) => f.name))('%s: same ids, kinds, levels, statuses, owners; areas within 0.1 m², widths within 5 %', (name) => {
    const [a, b] = engines.map((engine) => outcomeOf(engine, name).detection)
    const key = (z: Zone) => ({ id: z.id, kind: z.kind, level: z.level, status: z.status, suggested_owner: z.suggested_owner, claimants: z.claimants, units: z.units })
    const byId = (zones: Zone[]) => [...zones].sort((x, y) => x.id.localeCompare(y.id))
    expect(byId(b.zones).map(key)).toEqual(byId(a.zones).map(key))
    byId(a.zones).forEach((za, i) => {
      const zb = byId(b.zones)[i]
      expect(Math.abs(za.area_m2 - zb.area_m2), `${za.id} area ${za.area_m2} / ${zb.area_m2}`).toBeLessThanOrEqual(0.1)
      expect(Math.abs(za.width_m - zb.width_m), `${za.id} width ${za.width_m} / ${zb.width_m}`).toBeLessThanOrEqual(0.05 * Math.max(za.width_m, zb.width_m))
    })
    const nest = (n: NestingViolation) => ({ layer: n.layer, code: n.code, parent_code: n.parent_code })
    expect(b.nesting.map(nest)).toEqual(a.nesting.map(nest))
    a.nesting.forEach((n, i) => expect(Math.abs(n.outside_m2 - b.nesting[i].outside_m2)).toBeLessThanOrEqual(0.1))
  })
})

describe('width', () => {
  test.each(engines)('on %s: a 3 m diagonal strip 2.97 km long is 3 m wide within 10 cm; a 40 m × 60 m hole is 40 m within 0.5 m', (engine) => {
    const strip = outcomeOf(engine, 'width-diagonal-strip').detection.zones
    const hole = outcomeOf(engine, 'width-rectangle').detection.zones
    expect(strip).toHaveLength(1)
    expect(hole).toHaveLength(1)
    expect(Math.abs(strip[0].width_m - 3), `strip: ${strip[0].width_m} m`).toBeLessThanOrEqual(0.1)
    expect(Math.abs(hole[0].width_m - 40), `hole: ${hole[0].width_m} m`).toBeLessThanOrEqual(0.5)
  })

  test.each(engines)('on %s: a 3 m strip bent at a right angle is 3.515 m wide at the bend, within 10 cm', (engine) => {
    const bent = outcomeOf(engine, 'width-bent-strip').detection.zones
    expect(bent).toHaveLength(1)
    expect(Math.abs(bent[0].width_m - (2 * 3 * Math.SQRT2) / (1 + Math.SQRT2)), `bent strip: ${bent[0].width_m} m`).toBeLessThanOrEqual(0.1)
  })
})
