// atlas isochrones / isochrone / coverage on a copy of the sample city: the public JSON shapes,
// staleness, and bad input refused in words with nothing written.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ComputeSummary } from '../../src/circles/store.ts'
import type { Coverage } from '../../src/circles/types.ts'
import type { OneCircle } from '../../src/cli/commands/isochrone.ts'
import type { Database } from '../../src/db/database.ts'
import { copySampleDatabase } from '../helpers/databases.ts'
import { openAtlas, type AtlasSession } from '../helpers/cli.ts'

let session: AtlasSession

const atlas = (...args: string[]) => session.run(...args)

/** The folder's database, as the commands left it. */
const withDb = <T>(work: (db: Database) => Promise<T>): Promise<T> => work(session.db)

const count = (db: Database, sql: string) => db.query<{ n: string }>(sql).then((r) => Number(r.rows[0].n))

beforeAll(async () => {
  session = await openAtlas(copySampleDatabase())
})
afterAll(() => session?.close())

describe('atlas isochrone --at', () => {
  test('one circle from a point: the polygon, every reached node once with its time, the parameters', async () => {
    const { code, out } = await atlas('isochrone', '--at', '119.142,28.071', '--json')
    expect(code).toBe(0)
    const result = JSON.parse(out) as OneCircle
    expect(result.polygon.type).toBe('MultiPolygon')
    expect(result.polygon.coordinates.length).toBeGreaterThan(0)
    expect(result.reached.length).toBeGreaterThan(10)
    const nodes = result.reached.map((r) => r.node)
    expect(new Set(nodes).size).toBe(nodes.length)
    for (const r of result.reached) {
      expect(r.seconds).toBeGreaterThanOrEqual(0)
      expect(r.seconds).toBeLessThanOrEqual(480 + 1e-9)
    }
    expect(result.params).toMatchObject({ minutes: 8, speed_m_per_min: 66.7, steps_factor: 2, connector_cap_m: 300 })
    expect(result.params.method).toMatchObject({ name: 'network-band', radius_m: 18, cell_m: 4 })
    expect(result.params.method.tolerance_m).toBeLessThanOrEqual(25)
    // a longer walk reaches a superset
    const longer = JSON.parse((await atlas('isochrone', '--at', '119.142,28.071', '--minutes', '12', '--speed', '66.7', '--json')).out) as OneCircle
    const more = new Set(longer.reached.map((r) => r.node))
    for (const node of nodes) expect(more.has(node)).toBe(true)
    // the polygon is valid in PostGIS and holds every reached node
    await withDb(async (db) => {
      const { rows } = await db.query<{ valid: boolean; inside: boolean }>(
        `select extensions.st_isvalid(g) as valid,
                bool_and(extensions.st_dwithin(g::extensions.geography, n.geom::extensions.geography, 0.01)) as inside
         from (select extensions.st_setsrid(extensions.st_geomfromgeojson($1), 4326) g) p, atlas.walk_node n where n.id = any($2::bigint[])
         group by g`,
        [JSON.stringify(result.polygon), nodes],
      )
      expect(rows[0]).toEqual({ valid: true, inside: true })
    })
  })

  test.each([
    [['--at', '119.142,28.071', '--speed', '0'], /walking speed 0 m\/min must be above 0/],
    [['--at', '119.142,28.071', '--speed=-5'], /walking speed -5 m\/min must be above 0/],
    [['--at', '119.142,28.071', '--minutes', '0'], /minutes 0 must be between 1 and 60/],
    [['--at', '119.142,28.071', '--minutes', '61'], /minutes 61 must be between 1 and 60/],
    [['--at', '120.5,29.5'], /more than 300 m from every walkable road/],
    [['--at', 'north'], /is not <lon>,<lat>/],
    [[], /needs a start point: --at <lon>,<lat>/],
  ])('refuses %j in words', async (args, message) => {
    const { code, err } = await atlas('isochrone', ...args, '--json')
    expect(code).not.toBe(0)
    expect(err).toMatch(message)
  })
})

describe('atlas coverage and isochrones', () => {
  test('coverage: every household counted once per type, matching the stored access times', async () => {
    const { code, out } = await atlas('coverage', '--json')
    expect(code).toBe(0)
    const report = JSON.parse(out) as Coverage
    expect(report.params).toEqual({ minutes: 8, speed_m_per_min: 66.7 })
    expect(report.basic_types).toEqual(['canteen', 'elderly_care', 'health_station', 'party_service_centre'])
    expect(report.communities).toHaveLength(28)
    const expected = await withDb(async (db) => ({
      households: await count(db, 'select sum(households) as n from atlas.residence'),
      canteen: await count(db, `select coalesce(sum(r.households), 0) as n from atlas.residence r join atlas.access_time a on a.residence_code = r.code
                                where a.facility_type = 'canteen' and a.seconds <= 480`),
      basic: await count(db, `select coalesce(sum(r.households), 0) as n from atlas.residence r where (select count(*) from atlas.access_time a
                                join atlas.facility_type t using (facility_type) where t.basic and a.residence_code = r.code and a.seconds <= 480) = 4`),
    }))
    for (const type of [...Object.keys(report.city)]) {
      const f = report.city[type]
      expect(f.households_covered + f.households_not_covered).toBe(expected.households)
    }
    expect(report.city.canteen.households_covered).toBe(expected.canteen)
    expect(report.city.basic.households_covered).toBe(expected.basic)
    const sumCommunities = report.communities.reduce((s, c) => s + c.coverage.basic.households_covered, 0)
    expect(sumCommunities).toBe(expected.basic)
    // a slower walk covers no more
    const slower = JSON.parse((await atlas('coverage', '--speed', '50', '--json')).out) as Coverage
    expect(slower.city.canteen.households_covered).toBeLessThanOrEqual(report.city.canteen.households_covered)
  })

  test('an edit makes circles and access times stale; atlas isochrones makes them current; bad params write nothing', async () => {
    await withDb(async (db) => {
      await db.exec(`update atlas.facility set geom = extensions.st_translate(geom, 0.0005, 0) where code = (select min(code) from atlas.facility)`)
      expect(await count(db, 'select count(*) as n from atlas.service_circle where stale')).toBe(4)
      expect(await count(db, 'select count(*) as n from atlas.access_time where stale')).toBeGreaterThan(0)
    })
    const before = await withDb((db) => count(db, 'select count(*) as n from atlas.service_circle'))
    const bad = await atlas('isochrones', '--speed', '0')
    expect(bad.code).not.toBe(0)
    expect(bad.err).toMatch(/walking speed 0 m\/min must be above 0/)
    expect(await withDb((db) => count(db, 'select count(*) as n from atlas.service_circle where stale'))).toBe(4)
    const { code, out } = await atlas('isochrones', '--json')
    expect(code).toBe(0)
    const summary = JSON.parse(out) as ComputeSummary
    // only the moved facility's four circles, and the access times of its type
    expect(summary).toMatchObject({ all: false, circles: 4, circles_kept: before - 4 })
    expect(summary.access_types).toHaveLength(1)
    expect(summary.params).toMatchObject({ minutes: 8, speed: 66.7, bands: [5, 10, 15] })
    // a second run finds nothing to do
    const again = JSON.parse((await atlas('isochrones', '--json')).out) as ComputeSummary
    expect(again).toMatchObject({ circles: 0, circles_kept: before, access_times: 0, access_types: [] })
    await withDb(async (db) => {
      expect(await count(db, 'select count(*) as n from atlas.service_circle where stale')).toBe(0)
      expect(await count(db, 'select count(*) as n from atlas.access_time where stale')).toBe(0)
      expect(await count(db, 'select count(*) as n from atlas.service_circle where not extensions.st_isvalid(geom)')).toBe(0)
      await db.exec(`update atlas.walk_edge set highway = 'footway' where code = (select min(code) from atlas.walk_edge)`)
      expect(await count(db, 'select count(*) as n from atlas.service_circle where not stale')).toBe(0)
    })
  }, 120_000)
})
