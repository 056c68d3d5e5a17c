// A city's files as its offices write them (tests/fixtures/formats/make.sh: GDAL's ogr2ogr from the
// sample's WGS-84 GeoJSON in in/): Shapefiles in GBK with no .cpg and UTF-8 with one, a zipped
// Shapefile and a GeoPackage in CGCS2000 Gauss–Krüger zones, CSV with Chinese longitude/latitude
// headers, CSV with WKT, an Excel workbook. Each lands within 0.05 m of the same features in WGS-84,
// with its Chinese text whole; damaged files are refused in words and nothing is written.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { describeImport } from '../../src/cli/commands/import.ts'
import type { Database } from '../../src/db/database.ts'
import { projectRoot } from '../../src/db/embedded.ts'
import { importFile, type ImportOptions } from '../../src/db/import.ts'
import { ImportError } from '../../src/db/validate.ts'
import { emptyDatabaseOn, tempDir } from '../helpers/databases.ts'

const fixtures = path.join(projectRoot, 'tests/fixtures/formats')
const out = (name: string) => path.join(fixtures, 'out', name)
const bad = (name: string) => path.join(fixtures, 'bad', name)
type Layer = 'community' | 'facility'
const original = (layer: Layer | 'street') =>
  (JSON.parse(fs.readFileSync(path.join(fixtures, 'in', `${layer}.geojson`), 'utf8')) as GeoJSON.FeatureCollection).features

/**
 * The largest distance, in metres on the ellipsoid, from any vertex of a stored feature to the
 * original's outline, or of the original's to the stored one's (a Hausdorff distance by vertices).
 */
async function largestError(db: Database, layer: Layer): Promise<number> {
  const { rows } = await db.query<{ m: number | null; n: number }>(
    `with t as (
       select s.geom as a, extensions.st_setsrid(extensions.st_geomfromgeojson(t.g), 4326) as b
       from jsonb_to_recordset($1::jsonb) as t(code text, g text) join atlas.${layer} s on s.code = t.code),
     outline as (select a, b, case when extensions.st_dimension(a) = 2 then extensions.st_boundary(a) else a end as la,
                                  case when extensions.st_dimension(b) = 2 then extensions.st_boundary(b) else b end as lb from t)
     select count(*)::int as n, max(greatest(
       (select max(extensions.st_distance(d.geom::extensions.geography, lb::extensions.geography)) from extensions.st_dumppoints(a) d),
       (select max(extensions.st_distance(d.geom::extensions.geography, la::extensions.geography)) from extensions.st_dumppoints(b) d))) as m
     from outline`,
    [JSON.stringify(original(layer).map((f) => ({ code: (f.properties as { code: string }).code, g: JSON.stringify(f.geometry) })))],
  )
  expect(rows[0].n).toBe(original(layer).length)
  return rows[0].m ?? Infinity
}

/** The stored names, by code, against the originals': the Chinese text read whole. */
async function namesMatch(db: Database, layer: Layer): Promise<void> {
  const { rows } = await db.query<{ code: string; name: string }>(`select code, name from atlas.${layer} order by code`)
  const expected = original(layer)
    .map((f) => f.properties as { code: string; name: string })
    .map(({ code, name }) => ({ code, name }))
    .sort((a, b) => a.code.localeCompare(b.code))
  expect(rows).toEqual(expected)
}

const counts = async (db: Database) =>
  (await db.query<{ c: number; f: number }>('select (select count(*) from atlas.community)::int c, (select count(*) from atlas.facility)::int f')).rows[0]

describe('a city office\'s files, imported on the embedded database', () => {
  const atlas = emptyDatabaseOn('embedded')

  test('a folder holding a UTF-8 Shapefile with its .cpg: the streets', async () => {
    const result = await importFile(atlas.db, 'street', out('street'))
    expect(result).toMatchObject({ inserted: 4, format: 'shapefile', crs: 'wgs84', encoding: 'UTF-8 (from the .cpg)' })
  })

  const cases: [string, string, Layer, Partial<ImportOptions>, Record<string, unknown>, string][] = [
    ['a Shapefile in GBK with no .cpg', 'community-gbk/社区.shp', 'community', {}, { encoding: 'GBK (detected: no .cpg)', crs: 'wgs84' }, 'text read as GBK (detected: no .cpg)'],
    ['a Shapefile in UTF-8 with its .cpg (its Chinese field names cut at 10 bytes)', 'community-utf8/community.dbf', 'community', {}, { encoding: 'UTF-8 (from the .cpg)' }, 'code ← 社区代, parent_code ← 街道代, name ← 社区名, type ← 社区类, resident_population ← 常住人'],
    [
      'a zipped Shapefile in a Gauss–Krüger zone (its .prj) with a .cpg of 936',
      'community-gk.zip',
      'community',
      {},
      { crs: 'CGCS2000_3_Degree_GK_CM_120E', encoding: 'GBK (from the .cpg)' },
      'converted from CGCS2000_3_Degree_GK_CM_120E to WGS-84',
    ],
    ['a GeoPackage layer in a zone with its number (EPSG:4528)', 'city.gpkg', 'community', { layer: '社区' }, { crs: 'EPSG:4528', source: '社区', format: 'geopackage' }, '(GeoPackage, layer 社区)'],
    ['a GeoPackage layer in WGS-84', 'city.gpkg', 'facility', { layer: '设施' }, { crs: 'wgs84', source: '设施' }, 'fields read: code ← 设施编码'],
    ['a CSV with 经度/纬度 (UTF-8 with its mark)', 'facility-lonlat.csv', 'facility', {}, { format: 'csv', encoding: 'UTF-8 (detected)' }, 'floor_area_m2 ← 面积'],
    ['a CSV in GBK', 'facility-gbk.csv', 'facility', {}, { encoding: 'GBK (detected)' }, 'text read as GBK (detected)'],
    ['a CSV with a WKT column', 'facility-wkt.csv', 'facility', {}, { format: 'csv' }, '(CSV)'],
    ['an Excel workbook', 'facility.xlsx', 'facility', {}, { format: 'xlsx' }, '(Excel workbook)'],
  ]
  test.each(cases)('%s lands within 0.05 m, its Chinese names whole', async (_, file, layer, options, expected, said) => {
    const first = (await counts(atlas.db))[layer === 'community' ? 'c' : 'f'] === 0
    const result = await importFile(atlas.db, layer, out(file), { ...options, upsert: true })
    expect(result).toMatchObject({ features: original(layer).length, [first ? 'inserted' : 'updated']: original(layer).length, ...expected })
    expect(describeImport(result)).toContain(said)
    expect(await largestError(atlas.db, layer)).toBeLessThan(0.05)
    await namesMatch(atlas.db, layer)
    if (layer === 'community') {
      const { rows } = await atlas.db.query<{ households: number }>(`select households from atlas.community where code = '331181001001'`)
      expect(rows[0].households).toBe((original('community')[0].properties as { households: number }).households)
    }
  })

  test('a Shapefile whose .prj is lost: refused naming the zone; with --crs EPSG:4549, imported within 0.05 m', async () => {
    const dir = tempDir('atlas-noprj-')
    const unzipped = path.join(dir, 'gk')
    fs.mkdirSync(unzipped)
    const { readSource } = await import('../../src/files/source.ts')
    const source = await readSource('gk.zip', [{ name: 'gk.zip', bytes: new Uint8Array(fs.readFileSync(out('community-gk.zip'))) }], {}, { sqlJs: () => Promise.reject(new Error('unused')) })
    expect(source.crs?.from).toBe('社区.prj')
    // the same Shapefile without its .prj, from the zip's own files
    const { iter } = await import('but-unzip')
    for (const entry of iter(new Uint8Array(fs.readFileSync(out('community-gk.zip')))))
      if (!entry.filename.endsWith('.prj')) fs.writeFileSync(path.join(unzipped, entry.filename), await entry.read())
    const before = await counts(atlas.db)
    await expect(importFile(atlas.db, 'community', unzipped, { upsert: true })).rejects.toThrow(
      /declares no coordinate system and its coordinates are not longitude and latitude \(one is \d+, \d+\): they are metres of a projection, perhaps a Transverse Mercator zone .*EPSG:4534–4554/,
    )
    expect(await counts(atlas.db)).toEqual(before)
    const result = await importFile(atlas.db, 'community', unzipped, { upsert: true, crs: 'EPSG:4549' })
    expect(result).toMatchObject({ updated: 28, crs: 'EPSG:4549' })
    expect(await largestError(atlas.db, 'community')).toBeLessThan(0.05)
  })

  test('a file declared in a projection whose coordinates are degrees is refused', async () => {
    await expect(importFile(atlas.db, 'facility', out('facility-lonlat.csv'), { upsert: true, crs: 'EPSG:4549' })).rejects.toThrow(
      /declared in EPSG:4549 \(CGCS2000 \/ 3-degree Gauss-Kruger CM 120E\), a projection in metres, but its coordinates are degrees/,
    )
  })

  const damaged: [string, string, Layer, Partial<ImportOptions>, RegExp][] = [
    ['a .shp cut short', 'truncated', 'community', {}, /community\.shp is cut short: its header gives 38360 bytes, the file has 20000/],
    ['a .dbf whose record count disagrees', 'count/community.shp', 'community', {}, /community\.shp holds 28 shapes and community\.dbf 27 records/],
    ['a zip with no .shp', 'no-shp.zip', 'community', {}, /there is a \.dbf but no \.shp/],
    ['a CSV with no geometry column', 'no-geometry.csv', 'facility', {}, /the table has no geometry column: .*its columns: 设施编码, 设施名称, 设施类型/],
    ['a workbook whose sheet is empty', 'empty-sheet.xlsx', 'facility', {}, /the sheet "设施" is empty: it has no rows/],
    ['a GeoPackage layer that is not there', '../out/city.gpkg', 'facility', { layer: '道路' }, /the GeoPackage has no layer "道路"; its layers: 社区, 设施/],
    ['a GeoPackage of two layers with none named', '../out/city.gpkg', 'facility', {}, /the GeoPackage has 2 layers \(社区, 设施\): name the one to import with --layer <name>/],
  ]
  test.each(damaged)('%s: refused in words, nothing written', async (_, file, layer, options, reason) => {
    const before = await counts(atlas.db)
    const error = await importFile(atlas.db, layer, bad(file), { upsert: true, ...options }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    expect((error as Error).message).toMatch(/refused, nothing was written/)
    expect((error as Error).message).toMatch(reason)
    expect(await counts(atlas.db)).toEqual(before)
  })
})

describe('the same files on the PostgreSQL server', () => {
  const atlas = emptyDatabaseOn('postgres')

  test('a zipped Gauss–Krüger Shapefile, a GeoPackage and a workbook land within 0.05 m', async () => {
    await importFile(atlas.db, 'street', out('street'))
    await importFile(atlas.db, 'community', out('community-gk.zip'))
    expect(await largestError(atlas.db, 'community')).toBeLessThan(0.05)
    await importFile(atlas.db, 'community', out('city.gpkg'), { layer: '社区', upsert: true })
    expect(await largestError(atlas.db, 'community')).toBeLessThan(0.05)
    await namesMatch(atlas.db, 'community')
    await importFile(atlas.db, 'facility', out('facility.xlsx'))
    expect(await largestError(atlas.db, 'facility')).toBeLessThan(0.05)
    await namesMatch(atlas.db, 'facility')
  })
})

describe('a file declared in the wrong Gauss–Krüger zone', () => {
  const atlas = emptyDatabaseOn('embedded')
  test('lands hundreds of kilometres away: refused naming the system, nothing written; in the right zone, imported', async () => {
    await importFile(atlas.db, 'street', out('street'))
    await importFile(atlas.db, 'community', out('community-gbk'))
    const dir = tempDir('atlas-zone-')
    const { iter } = await import('but-unzip')
    for (const entry of iter(new Uint8Array(fs.readFileSync(out('community-gk.zip')))))
      if (!entry.filename.endsWith('.prj')) fs.writeFileSync(path.join(dir, entry.filename.replace('社区', 'grid')), await entry.read())
    // the communities' outlines as homes, their coordinates in CM 120E (EPSG:4549) but declared CM 114E (EPSG:4547)
    const options = { map: { code: '社区代码', parent_code: '社区代码', residents: '常住人口' } }
    await expect(importFile(atlas.db, 'residence', dir, { ...options, crs: 'EPSG:4547' })).rejects.toThrow(
      /read in EPSG:4547 \(CGCS2000 \/ 3-degree Gauss-Kruger CM 114E\), as the file declares, its features land wholly outside the city .*the first at 113\.\d{4}, 28\.\d{4}\): the declaration is likely wrong/,
    )
    expect((await atlas.db.query<{ n: number }>('select count(*)::int as n from atlas.residence')).rows[0].n).toBe(0)
    expect(await importFile(atlas.db, 'residence', dir, { ...options, crs: 'EPSG:4549' })).toMatchObject({ inserted: 28 })
  })
})
