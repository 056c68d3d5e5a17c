// What the importer brings to the 三不管 checks: a grid may say its micro-grids tile it
// (micro_grids_tile, true or false only), and a basemap feature of kind city gives the outline
// the street offices must tile. Bad values are refused with nothing written.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../../src/db/database.ts'
import { importFile } from '../../src/db/import.ts'
import { ImportError } from '../../src/db/validate.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { tempDir } from '../helpers/databases.ts'
import { baseCity, type AtlasSession } from '../helpers/cli.ts'

const files = tempDir('import-zones')

const square = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon',
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
})

/** Writes a FeatureCollection of the given features to a file of its own. */
function collection(name: string, features: { properties: Record<string, unknown>; geometry: unknown }[]): string {
  const file = path.join(files, name)
  fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', ...f })) }))
  return file
}

// base-community.geojson's 大洋社区 covers 119.13–119.145 E, 28.07–28.09 N
const grid = (code: string, w: number, e: number, extra: Record<string, unknown> = {}) => ({
  properties: { code, name: `第${code.slice(-1)}网格`, parent_code: '331181001001', households: 600, ...extra },
  geometry: square(w, 28.07, e, 28.09),
})

let city: AtlasSession
let db: Database

beforeAll(async () => {
  city = await baseCity()
  db = city.db
})

afterAll(async () => {
  await city?.close()
  fs.rmSync(files, { recursive: true, force: true })
})

const gridCount = async () => Number((await db.query<{ n: string }>('select count(*) as n from atlas.grid')).rows[0].n)

describe('micro_grids_tile on the grid layer', () => {
  test('a value that is not true or false (nor yes, no, 是, 否, 1, 0) is refused in words, and nothing is written', async () => {
    const file = collection('grid-bad-flag.geojson', [grid('331181001001001', 119.13, 119.1375), grid('331181001001002', 119.1375, 119.145, { micro_grids_tile: 'sometimes' })])
    const error = await importFile(db, 'grid', file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    expect((error as Error).message).toMatch(/refused, nothing was written/)
    expect((error as Error).message).toMatch(/feature 1 \(code 331181001001002\): "micro_grids_tile" must be true or false, not "sometimes"/)
    expect(await gridCount()).toBe(0)
  })

  test('true is stored; a grid that leaves it out gets false; detection then checks the tiled grid only', async () => {
    const file = collection('grid.geojson', [grid('331181001001001', 119.13, 119.1375, { micro_grids_tile: true }), grid('331181001001002', 119.1375, 119.145)])
    expect(await importFile(db, 'grid', file)).toMatchObject({ inserted: 2 })
    const { rows } = await db.query<{ code: string; micro_grids_tile: boolean }>('select code, micro_grids_tile from atlas.grid order by code')
    expect(rows).toEqual([
      { code: '331181001001001', micro_grids_tile: true },
      { code: '331181001001002', micro_grids_tile: false },
    ])
    // the tiled grid has no micro-grids at all: the whole grid is a micro-grid gap; the other is not checked
    const zones = await asCaller(db, userClaims('leader'), async (tx) =>
      (await tx.query<{ z: { skipped: { level: string }[]; zones: { level: string; parent: { code: string } }[] } }>('select public.zones(with_geometry => false) as z')).rows[0].z)
    expect(zones.skipped.map((s) => s.level)).not.toContain('micro_grid')
    expect(zones.zones.filter((z) => z.level === 'micro_grid').map((z) => z.parent.code)).toEqual(['331181001001001'])
  })
})

describe('a basemap feature of kind city', () => {
  test('imports through the command line and becomes the outline the street offices are checked against', async () => {
    // the street fixture covers 119.13–119.16 E, 28.07–28.09 N; the city reaches 0.005° further south
    const file = collection('basemap-city.geojson', [
      { properties: { code: 'city-test', name: '测试城区', kind: 'city' }, geometry: square(119.13, 28.065, 119.16, 28.09) },
    ])
    const result = await city.run('import', 'basemap', file, '--json')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.out)).toMatchObject({ inserted: 1 })
    const { rows } = await db.query<{ kind: string; name: string }>(`select kind, name from atlas.basemap_feature where code = 'city-test'`)
    expect(rows).toEqual([{ kind: 'city', name: '测试城区' }])
    const zones = await asCaller(db, userClaims('planner'), async (tx) =>
      (await tx.query<{ z: { skipped: { level: string }[]; zones: { level: string; kind: string; parent: { layer: string; code: string }; area_m2: number }[] } }>(
        'select public.zones(with_geometry => false) as z')).rows[0].z)
    expect(zones.skipped.map((s) => s.level)).not.toContain('street')
    const street = zones.zones.filter((z) => z.level === 'street')
    expect(street).toHaveLength(1)
    expect(street[0]).toMatchObject({ kind: 'gap', parent: { layer: 'city', code: 'city-test' } })
    // 0.03° × 0.005° at 28.07° N
    expect(street[0].area_m2).toBeGreaterThan(0.03 * 0.005 * 111_320 * 110_850 * Math.cos((28.0675 * Math.PI) / 180) * 0.99)
    expect(street[0].area_m2).toBeLessThan(0.03 * 0.005 * 111_320 * 110_850 * Math.cos((28.0675 * Math.PI) / 180) * 1.01)
  })

  test('an unknown kind is refused with the kinds allowed', async () => {
    const file = collection('basemap-bad.geojson', [{ properties: { code: 'town-x', kind: 'town' }, geometry: square(119.13, 28.07, 119.14, 28.08) }])
    const error = await importFile(db, 'basemap', file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    expect((error as Error).message).toMatch(/feature 0 \(code town-x\): "kind" is "town"; allowed: outline, city, river/)
  })
})
