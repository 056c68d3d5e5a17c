// A file in GCJ-02 or BD-09 that declares nothing, imported beside the sample city's WGS-84 roads:
// refused with the offset in words; declared, imported to within 0.1 m of where the features are;
// the same features in WGS-84 imported without a word; a file wholly outside the city refused.
import fs from 'node:fs'
import path from 'node:path'
import gcoord from 'gcoord'
import { describe, expect, test } from 'vitest'
import { importText } from '../../src/db/import.ts'
import { offsetToWgs84 } from '../../src/db/offsets.ts'
import { sampleDir } from '../../src/db/sample.ts'
import type { Feature } from '../../src/db/validate.ts'
import { emptyDatabaseOn, sampleCityRolledBack } from '../helpers/databases.ts'

const atlas = sampleCityRolledBack()
const facilities = (JSON.parse(fs.readFileSync(path.join(sampleDir, 'facility.geojson'), 'utf8')) as { features: Feature[] }).features.slice(0, 40)
type Position = [number, number]
const at = (f: Feature) => (f.geometry as GeoJSON.Point).coordinates as Position

/** The sample's first 40 facilities under new codes, their points moved by `move`, with no crs member. */
function file(prefix: string, move: (p: Position) => Position = (p) => p): string {
  const features = facilities.map((f, i) => ({
    ...f,
    properties: { ...f.properties, code: `${prefix}-${i}` },
    geometry: { type: 'Point', coordinates: move(at(f)) },
  }))
  return JSON.stringify({ type: 'FeatureCollection', features })
}
const toGcj = (p: Position) => gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02)
const toBd = (p: Position) => gcoord.transform(p, gcoord.WGS84, gcoord.BD09)

const stored = async (prefix: string) =>
  (await atlas.db.query<{ n: number }>(`select count(*)::int as n from atlas.facility where code like $1`, [`${prefix}-%`])).rows[0].n

/** The largest distance, in metres on the ellipsoid, between the stored points and the sample's. */
async function largestError(prefix: string): Promise<number> {
  const { rows } = await atlas.db.query<{ m: number }>(
    `select max(extensions.st_distance(f.geom::extensions.geography, extensions.st_setsrid(extensions.st_makepoint(t.x, t.y), 4326)::extensions.geography)) as m
     from jsonb_to_recordset($1::jsonb) as t(code text, x float8, y float8) join atlas.facility f on f.code = t.code`,
    [JSON.stringify(facilities.map((f, i) => ({ code: `${prefix}-${i}`, x: at(f)[0], y: at(f)[1] })))],
  )
  return rows[0].m
}

describe('a facility file that declares no coordinate system', () => {
  test('in GCJ-02: refused, saying how many lie outside the community they name, read both ways; nothing written', async () => {
    const refusal = await importText(atlas.db, 'facility', 'amap.geojson', file('G', toGcj)).then(
      () => '',
      (error: Error) => error.message,
    )
    // in a built-up city an offset of 500 m still lands near some road, but in another community
    const found = /read as WGS-84 (\d+) of its features lie outside the community they name \(of 40 that name one\); read as GCJ-02 \(Amap, Tencent\), (\d+) do: declare --crs gcj02/.exec(refusal)
    expect(found, refusal).not.toBeNull()
    // the figures, for the record
    console.log(refusal.split('\n').at(-1))
    const [asWgs84, asGcj] = [Number(found![1]), Number(found![2])]
    expect(asWgs84).toBeGreaterThanOrEqual(8)
    expect(asGcj).toBeLessThanOrEqual(2)
    expect(await stored('G')).toBe(0)
  })

  test('in GCJ-02, declared: imported within 0.1 m of the features', async () => {
    const result = await importText(atlas.db, 'facility', 'amap.geojson', file('D', toGcj), { crs: 'gcj02' })
    expect(result.inserted).toBe(40)
    expect(await largestError('D')).toBeLessThan(0.1)
  })

  test('in BD-09: refused, naming BD-09; declared: within 0.1 m', async () => {
    await expect(importText(atlas.db, 'facility', 'baidu.geojson', file('B', toBd))).rejects.toThrow(/read as BD-09 \(Baidu\), \d+ do: declare --crs bd09/)
    await importText(atlas.db, 'facility', 'baidu.geojson', file('E', toBd), { crs: 'bd09' })
    expect(await largestError('E')).toBeLessThan(0.1)
  })

  test('in WGS-84: imported without a word; --crs wgs84 imports an offset file as it is, unchecked', async () => {
    expect((await importText(atlas.db, 'facility', 'gps.geojson', file('W'))).inserted).toBe(40)
    expect(await largestError('W')).toBe(0)
    expect((await importText(atlas.db, 'facility', 'amap.geojson', file('S', toGcj), { crs: 'wgs84' })).inserted).toBe(40)
    expect(await largestError('S')).toBeGreaterThan(200)
  })

  test('wholly outside the city: refused, saying where the city and the file are; --crs wgs84 imports it', async () => {
    // moved to Beijing, and so without their Longquan communities
    const moved = JSON.parse(file('P', ([x, y]) => [x - 119.14 + 116.4, y - 28.07 + 39.9])) as { features: Feature[] }
    for (const f of moved.features) delete f.properties.parent_code
    const beijing = JSON.stringify(moved)
    await expect(importText(atlas.db, 'facility', 'elsewhere.geojson', beijing)).rejects.toThrow(
      /the file lies wholly outside the city the database holds \(119\.\d{4}, 28\.\d{4} to 119\.\d{4}, 28\.\d{4}; its first feature is at 116\.\d{4}, 39\.\d{4}\)/,
    )
    expect(await stored('P')).toBe(0)
    expect((await importText(atlas.db, 'facility', 'elsewhere.geojson', beijing, { crs: 'wgs84' })).inserted).toBe(40)
  })
})

describe('points that name no unit, on roads 2 km apart', () => {
  const empty = emptyDatabaseOn('embedded')
  // four long roads, north–south and east–west, and 30 points along them
  const roads = [0, 1].flatMap((k) => [
    { code: `ns${k}`, coordinates: [[119.10 + 0.02 * k, 28.00], [119.10 + 0.02 * k, 28.06]] },
    { code: `ew${k}`, coordinates: [[119.09, 28.01 + 0.02 * k], [119.13, 28.01 + 0.02 * k]] },
  ])
  const points: Position[] = Array.from({ length: 30 }, (_, i) => (i % 2 ? [119.10 + 0.02 * (i % 4 > 1 ? 1 : 0), 28.005 + i * 0.0015] : [119.095 + i * 0.001, 28.01 + 0.02 * (i % 4 > 1 ? 1 : 0)]))
  const facilityFile = (move: (p: Position) => Position) =>
    JSON.stringify({
      type: 'FeatureCollection',
      features: points.map((p, i) => ({ type: 'Feature', properties: { code: `R-${i}`, name: `站${i}`, type: 'canteen' }, geometry: { type: 'Point', coordinates: move(p) } })),
    })

  test('in GCJ-02: refused, the distance to the roads said both ways; in WGS-84: imported', async () => {
    const network = { type: 'FeatureCollection', features: roads.map((r) => ({ type: 'Feature', properties: { code: r.code, highway: 'residential' }, geometry: { type: 'LineString', coordinates: r.coordinates } })) }
    await importText(empty.db, 'walk_edge', 'roads.geojson', JSON.stringify(network), { node: true })
    const refusal = await importText(empty.db, 'facility', 'amap.geojson', facilityFile(toGcj)).then(
      () => '',
      (error: Error) => error.message,
    )
    const found = /read as WGS-84 its features are (\d+) m from the nearest road \(the median of 30\); read as GCJ-02 \(Amap, Tencent\) they are (\d+) m from it: declare --crs gcj02/.exec(refusal)
    expect(found, refusal).not.toBeNull()
    // the figures, for the record
    console.log(refusal.split('\n').at(-1))
    expect(Number(found![1])).toBeGreaterThan(200)
    expect(Number(found![2])).toBe(0)
    expect((await importText(empty.db, 'facility', 'gps.geojson', facilityFile((p) => p))).inserted).toBe(30)
  })
})

test('GCJ-02 and BD-09 read back to WGS-84 to 1e-9°, where the library stops at 1e-6°', () => {
  let worst = 0
  let library = 0
  for (let i = 0; i < 2000; i++) {
    const p: Position = [74 + ((i * 7919) % 6000) / 100, 18 + ((i * 104729) % 3500) / 100]
    for (const [system, forward] of [['gcj02', toGcj], ['bd09', toBd]] as const) {
      const back = offsetToWgs84(system, forward(p))
      worst = Math.max(worst, Math.abs(back[0] - p[0]), Math.abs(back[1] - p[1]))
      const theirs = gcoord.transform(forward(p), system === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84)
      library = Math.max(library, Math.abs(theirs[0] - p[0]), Math.abs(theirs[1] - p[1]))
    }
  }
  expect(worst).toBeLessThan(1e-9)
  expect(library).toBeGreaterThan(1e-8)
})
