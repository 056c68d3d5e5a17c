// Bad input is refused with a reason in words that names the feature, and the database is left
// exactly as it was: every table's count before equals after.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../../src/db/database.ts'
import { importFile } from '../../src/db/import.ts'
import { isLayerName } from '../../src/shared/layers.ts'
import { ImportError } from '../../src/db/validate.ts'
import { baseCity, importFixtures, type AtlasSession } from '../helpers/cli.ts'

const fixture = (name: string) => path.join(importFixtures, name)

let city: AtlasSession
let db: Database

const atlas = (...args: string[]) => city.run(...args)

async function counts(): Promise<Record<string, number>> {
  {
    const { rows } = await db.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'atlas' and table_type = 'BASE TABLE' order by 1`,
    )
    const result: Record<string, number> = {}
    for (const { table_name } of rows) {
      result[table_name] = Number((await db.query<{ n: number }>(`select count(*) as n from atlas.${table_name}`)).rows[0].n)
    }
    return result
  }
}

beforeAll(async () => {
  city = await baseCity()
  db = city.db
})

describe('atlas import refuses bad input and writes nothing', () => {
  const cases: [string, string, RegExp][] = [
    ['bad-self-intersecting.geojson', 'community', /feature 1 \(code 331181001003\): geometry is not valid: Self-intersection/],
    ['bad-out-of-range.geojson', 'community', /feature 1 \(code 331181001003\): coordinate \[119\.146, 91\] has latitude 91 beyond ±90/],
    ['bad-swapped.geojson', 'community', /feature 1 \(code 331181001003\): coordinate \[28\.071, 119\.146\].*swapped/],
    ['bad-projected-metres.geojson', 'community', /declares no coordinate system and its coordinates are not longitude and latitude \(one is 13262000, 3258000\).*Web Mercator, as web maps export it \(--crs EPSG:3857\)/],
    ['bad-missing-coordinates.geojson', 'community', /feature 1 \(code 331181001003\): coordinates are missing/],
    ['bad-missing-code.geojson', 'community', /feature 1: missing "code"/],
    ['bad-duplicate-code.geojson', 'community', /feature 1 \(code 331181001002\): duplicate code: feature 0 has the same code/],
    ['bad-existing-code.geojson', 'community', /feature 1 \(code 331181001001\): code already exists in the community layer/],
    ['bad-outside-parent.geojson', 'community', /feature 1 \(code 331181001003\): lies outside its parent street 331181001: [\d.]+ m² lie more than 5 m outside/],
    ['bad-unknown-parent.geojson', 'community', /feature 1 \(code 331181009001\): unknown parent_code 331181009: no such street/],
    ['bad-not-geojson.geojson', 'community', /not a GeoJSON FeatureCollection/],
    ['bad-not-json.geojson', 'community', /not a GeoJSON file: it is not valid JSON/],
    ['bad-wrong-geometry.geojson', 'community', /feature 1 \(code 331181001003\): geometry is a Point; the community layer takes Polygon or MultiPolygon/],
    ['bad-unknown-crs.geojson', 'community', /declared in EPSG:4547 \(CGCS2000 \/ 3-degree Gauss-Kruger CM 114E\), a projection in metres, but its coordinates are degrees \(one is 119\.\d+, 28\.\d+\)/],
  ]
  test.each(cases)('%s', async (file, layer, reason) => {
    if (!isLayerName(layer)) throw new Error(layer)
    const before = await counts()
    const error = await importFile(db, layer, fixture(file)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    expect((error as Error).message).toMatch(/refused, nothing was written/)
    expect((error as Error).message).toMatch(reason)
    expect(await counts()).toEqual(before)
  })

  test('the command exits non-zero with the reasons on stderr', async () => {
    const result = await atlas('import', 'community', fixture('bad-outside-parent.geojson'))
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/^atlas: .*bad-outside-parent.geojson: refused, nothing was written \(1 problem\):\n {2}- feature 1 \(code 331181001003\): lies outside/)
  })

  test('a missing file, an unknown layer and an unknown coordinate system are refused in words', async () => {
    const missing = await atlas('import', 'community', fixture('no-such-file.geojson'))
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/cannot read the file/)
    const layer = await atlas('import', 'village', fixture('base-street.geojson'))
    expect(layer.code).toBe(2)
    expect(layer.err).toMatch(/unknown layer "village"; layers: street, community/)
    const crs = await atlas('import', 'community', fixture('base-street.geojson'), '--crs', 'utm50')
    expect(crs.code).toBe(2)
    expect(crs.err).toMatch(/unknown coordinate system "utm50"/)
  })

  test('--json reports the problems as data', async () => {
    const result = await atlas('import', 'community', fixture('bad-outside-parent.geojson'), '--json')
    expect(result.code).toBe(1)
    const report: unknown = JSON.parse(result.err)
    expect(report).toHaveProperty('error', 'refused')
    expect(report).toHaveProperty('problems', [expect.objectContaining({ index: 1, code: '331181001003' })])
  })
})

describe('the same importer accepts good input', () => {
  test('--upsert replaces an existing feature', async () => {
    const replaced = await atlas('import', 'community', fixture('base-community.geojson'), '--upsert', '--json')
    expect(replaced.code).toBe(0)
    expect(JSON.parse(replaced.out)).toMatchObject({ inserted: 0, updated: 1 })
    const stats = await atlas('stats', '--json')
    expect(JSON.parse(stats.out)).toHaveProperty(['community', 'count'], 1)
  })
})

afterAll(async () => {
  await city?.close()
})
