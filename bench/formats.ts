// A land office's Shapefile: 100,000 polygons (parcels of 7 vertices) in CGCS2000 / 3-degree
// Gauss–Krüger CM 120E (EPSG:4549) with a .prj, their names in GBK with no .cpg, written by GDAL.
// Ours: `atlas import basemap <file.shp>` into the Debian PostgreSQL — read, converted to WGS-84,
// validated, staged, checked by PostGIS (validity, codes) and written in one transaction. The rival:
// GDAL's `ogr2ogr -f PostgreSQL -t_srs EPSG:4326` on the same file into the same server, which
// reads, converts and copies the rows into a plain table and checks nothing: it does less.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase } from '../src/db/database.ts'
import { importFile } from '../src/db/import.ts'
import { migrate } from '../src/db/migrate.ts'
import { compare, median, time, withThrowawayPostgres, type BenchResult } from './harness.ts'

/** `count` heptagons of about 60 m across, in rows over a district, as GeoJSON in EPSG:4549 metres. */
function parcels(count: number): string {
  const perRow = Math.ceil(Math.sqrt(count))
  const features = Array.from({ length: count }, (_, i) => {
    const [cx, cy] = [400_000 + (i % perRow) * 80, 3_100_000 + Math.floor(i / perRow) * 80]
    const ring = Array.from({ length: 7 }, (_, k) => [cx + 30 * Math.cos((2 * Math.PI * k) / 7), cy + 30 * Math.sin((2 * Math.PI * k) / 7)])
    ring.push(ring[0])
    return { type: 'Feature', properties: { 编号: `P${i}`, 名称: `第${i}号地块`, 类型: 'park' }, geometry: { type: 'Polygon', coordinates: [ring] } }
  })
  return JSON.stringify({ type: 'FeatureCollection', features })
}

export async function runFormatBenchmarks(): Promise<BenchResult[]> {
  const count = 100_000
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-shp-'))
  try {
    fs.writeFileSync(path.join(dir, 'parcels.geojson'), parcels(count))
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-a_srs', 'EPSG:4549', '-lco', 'ENCODING=CP936', path.join(dir, 'parcels.shp'), path.join(dir, 'parcels.geojson')])
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.cpg')) fs.rmSync(path.join(dir, f))
    const shp = path.join(dir, 'parcels.shp')
    return await withThrowawayPostgres('atlas_bench_shp', async (url) => {
      const db = await openDatabase(url)
      try {
        await migrate(db)
        let imported = 0
        const runs = 3
        const times: number[] = []
        for (let i = 0; i < runs; i++) {
          await db.exec('delete from atlas.basemap_feature')
          const t0 = performance.now()
          imported = (await importFile(db, 'basemap', shp, { map: { code: '编号', name: '名称', kind: '类型' } })).inserted
          times.push(performance.now() - t0)
        }
        const oursMs = median(times)
        const pgConnection = (() => {
          const u = new URL(url)
          return `PG:host=${u.hostname} port=${u.port || 5432} user=${decodeURIComponent(u.username)} dbname=${u.pathname.slice(1)}`
        })()
        await db.exec('create extension if not exists postgis schema extensions')
        const rivalMs = await time(runs, () =>
          Promise.resolve(
            execFileSync('ogr2ogr', ['-f', 'PostgreSQL', pgConnection, shp, '-oo', 'ENCODING=CP936', '-t_srs', 'EPSG:4326', '-nln', 'public.parcels_gdal', '-overwrite', '-lco', 'GEOMETRY_NAME=geom', '--config', 'PG_USE_COPY', 'YES'], {
              env: { ...process.env, PGOPTIONS: '-c search_path=public,extensions' },
            }),
          ),
        )
        const { rows } = await db.query<{ n: number }>('select count(*)::int as n from public.parcels_gdal')
        console.error(`import_shapefile_100k: ours ${imported} polygons imported and checked; ogr2ogr ${rows[0].n} rows copied`)
        return [compare('import_shapefile_100k', oursMs, rivalMs, "GDAL 3.6 ogr2ogr -f PostgreSQL -t_srs EPSG:4326, told the encoding (-oo ENCODING=CP936; without it GDAL fails on the GBK names), on the same Shapefile into the same PostgreSQL 15 (copies rows, checks nothing)", runs)]
      } finally {
        await db.close()
      }
    })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
