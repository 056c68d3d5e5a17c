// The embedded PostGIS bundle without topology and raster: what it keeps works (geometry, PROJ's
// transforms, the geography type), what it drops is said to be missing, and the cached bundle holds
// every entry of the installed one but those.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PGlite } from '@electric-sql/pglite'
import { postgis as installed } from '@electric-sql/pglite-postgis'
import tar from 'tar-stream'
import type { Geometry, Position } from 'geojson'
import { postgis, unused } from '../../src/db/postgis.ts'
import { toWkbBase64 } from '../../src/db/wkb.ts'
import { tempDir } from '../helpers/databases.ts'

const work = tempDir('postgis')
let db: PGlite

beforeAll(async () => {
  db = await PGlite.create({ dataDir: path.join(work, 'db'), extensions: { postgis } })
  await db.exec('create extension postgis')
})
afterAll(async () => {
  await db?.close()
  fs.rmSync(work, { recursive: true, force: true })
})

async function names(file: string): Promise<string[]> {
  const found: string[] = []
  const extract = tar.extract()
  extract.on('entry', (header, stream, next) => {
    found.push(header.name)
    stream.on('end', next)
    stream.resume()
  })
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve)
    extract.on('error', reject)
    fs.createReadStream(file).pipe(zlib.createGunzip()).pipe(extract)
  })
  return found.sort()
}

test('geometry, a transform through PROJ and geography work as with the installed bundle', async () => {
  const { rows } = await db.query<{ x: number; y: number; metres: number; version: string }>(
    `select round(st_x(p)::numeric, 1)::float8 as x, round(st_y(p)::numeric, 1)::float8 as y,
            round(st_distance('POINT(119 28)'::geography, 'POINT(119.01 28)'::geography))::float8 as metres,
            postgis_lib_version() as version
       from (select st_transform(st_setsrid(st_point(119, 28), 4326), 4549) as p) t`,
  )
  // CGCS2000 / 3-degree Gauss-Kruger CM 120E, as GDAL's gdaltransform gives it (OGC:CRS84 → EPSG:4549)
  expect(rows[0].x).toBeCloseTo(401_635.3, 0)
  expect(rows[0].y).toBeCloseTo(3_098_844.8, 0)
  // 0.01° of longitude on the WGS 84 parallel of 28°N: N·cos φ·Δλ = 6,382,847 m × 0.88295 × 0.00017453 = 983.6 m
  expect(rows[0].metres).toBe(984)
  expect(rows[0].version).toMatch(/^3\./)
})

test('topology and raster, which the atlas does not use, are not offered', async () => {
  const { rows } = await db.query<{ name: string }>(`select name from pg_available_extensions where name like 'postgis%' order by name`)
  expect(rows.map((r) => r.name)).toEqual(['postgis'])
})

test('the bundle keeps every entry of the installed one except the topology, raster and geocoder files', async () => {
  const setup = await postgis.setup(db, { PGLITE_ENV: {} })
  const original = await installed.setup(db, { PGLITE_ENV: {} })
  const kept = await names(fileURLToPath(setup.bundlePath!))
  const all = await names(fileURLToPath(original.bundlePath))
  expect(kept).not.toEqual(all)
  expect(kept).toEqual(all.filter((name) => !unused(name)))
  expect(kept).toContain('lib/postgresql/postgis-3.so')
  expect(kept.some((name) => name.startsWith('share/proj/'))).toBe(true)
  expect(all).toContain('lib/postgresql/postgis_raster-3.so')
  expect(all).toContain('lib/postgresql/postgis_topology-3.so')
})

test('geometries written as WKB (src/db/wkb.ts) are the ones PostGIS parses from their GeoJSON, in every type, with z and without', async () => {
  const random = (seed: number) => () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 0.1 + 119
  const next = random(7)
  const ring = (n: number): Position[] => {
    const r = Array.from({ length: n }, () => [next(), next() - 91])
    return [...r, r[0]]
  }
  const geometries: Geometry[] = [
    { type: 'Point', coordinates: [119.1, 28.05] },
    { type: 'Point', coordinates: [119.1, 28.05, 12.5] },
    { type: 'LineString', coordinates: [[119, 28], [119.001, 28.002], [119.003, 28.001]] },
    { type: 'LineString', coordinates: [[119, 28, 1], [119.001, 28.002]] },
    { type: 'Polygon', coordinates: [ring(5), ring(3)] },
    { type: 'MultiPoint', coordinates: [[119, 28], [119.2, 28.1]] },
    { type: 'MultiLineString', coordinates: [[[119, 28], [119.1, 28.1]], [[119.2, 28], [119.3, 28.1], [119.4, 28]]] },
    { type: 'MultiPolygon', coordinates: [[ring(40)], [ring(4), ring(6)]] },
    { type: 'MultiPolygon', coordinates: [] },
    { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [119, 28] }, { type: 'Polygon', coordinates: [ring(4)] }] },
  ]
  for (const geometry of geometries) {
    const { rows } = await db.query<{ same: boolean; wkb: string; json: string }>(
      `select st_astext(a) as wkb, st_astext(b) as json, st_srid(a) = 4326 and st_equals(a, b) is not false and st_asewkb(a) = st_asewkb(b) as same
         from (select st_geomfromwkb(decode($1, 'base64'), 4326) as a, st_setsrid(st_geomfromgeojson($2), 4326) as b) t`,
      [toWkbBase64(geometry), JSON.stringify(geometry)],
    )
    expect(rows[0].wkb, geometry.type).toBe(rows[0].json)
    expect(rows[0].same, `${rows[0].wkb} = ${rows[0].json}`).toBe(true)
  }
})
