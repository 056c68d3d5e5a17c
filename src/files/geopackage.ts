// A GeoPackage (what QGIS writes by default): an SQLite file whose features tables hold geometries
// as a small header and WKB (OGC 12-128r18, §2.1.3). Read with sql.js, SQLite compiled to WebAssembly,
// so the same code serves the command line and the page.
import type { Database as SqliteDatabase, SqlJsStatic, SqlValue } from 'sql.js'
import { fromWkb } from '../db/wkb.ts'
import type { Feature } from '../db/validate.ts'
import { FileError, type Source } from './source.ts'

const envelopeBytes = [0, 32, 48, 48, 64]

/** A GeoPackage geometry blob as GeoJSON; null for an empty geometry. */
export function fromGeoPackageBlob(blob: Uint8Array): Feature['geometry'] | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new RangeError('not a GeoPackage geometry (no "GP" header)')
  const flags = blob[3]
  if (flags & 0b10_0000) throw new RangeError('an extended GeoPackage geometry type, which the atlas does not read')
  const envelope = envelopeBytes[(flags >> 1) & 0b111]
  if (envelope === undefined) throw new RangeError('a GeoPackage geometry header with an unknown envelope')
  if (flags & 0b1_0000) return null
  return fromWkb(blob.subarray(8 + envelope)) as Feature['geometry']
}

function rows(db: SqliteDatabase, sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
  const statement = db.prepare(sql)
  try {
    statement.bind(params)
    const out: Record<string, SqlValue>[] = []
    while (statement.step()) out.push(statement.getAsObject())
    return out
  } finally {
    statement.free()
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

export function readGeoPackage(file: string, bytes: Uint8Array, SQL: SqlJsStatic, layerName?: string): Source {
  let db: SqliteDatabase
  try {
    db = new SQL.Database(bytes)
    db.exec('select 1 from sqlite_master limit 1')
  } catch (error) {
    throw new FileError(file, `not a GeoPackage: it cannot be opened as SQLite (${(error as Error).message})`)
  }
  try {
    let layers: Record<string, SqlValue>[]
    try {
      layers = rows(db, `select table_name from gpkg_contents where data_type = 'features' order by table_name`)
    } catch {
      throw new FileError(file, 'not a GeoPackage: the SQLite file has no gpkg_contents table')
    }
    const names = layers.map((l) => String(l.table_name))
    if (!names.length) throw new FileError(file, 'the GeoPackage holds no feature layers (only tiles or attributes)')
    let table: string
    if (layerName !== undefined) {
      const found = names.find((n) => n === layerName) ?? names.find((n) => n.toLowerCase() === layerName.toLowerCase())
      if (!found) throw new FileError(file, `the GeoPackage has no layer "${layerName}"; its layers: ${names.join(', ')}`)
      table = found
    } else if (names.length > 1) throw new FileError(file, `the GeoPackage has ${names.length} layers (${names.join(', ')}): name the one to import with --layer <name>`)
    else table = names[0]

    const [column] = rows(db, 'select column_name, srs_id from gpkg_geometry_columns where table_name = ?', [table])
    if (!column) throw new FileError(file, `the GeoPackage layer ${table} has no geometry column`)
    const geometryColumn = String(column.column_name)
    const [srs] = rows(db, 'select organization, organization_coordsys_id, definition from gpkg_spatial_ref_sys where srs_id = ?', [column.srs_id])
    let crs: string | undefined
    if (srs && Number(column.srs_id) > 0) {
      if (String(srs.organization).toUpperCase() === 'EPSG') crs = `EPSG:${Number(srs.organization_coordsys_id)}`
      else if (typeof srs.definition === 'string' && srs.definition !== 'undefined') crs = srs.definition
    }
    const info = rows(db, `pragma table_info(${quote(table)})`)
    const key = info.find((c) => Number(c.pk) === 1 && String(c.type).toUpperCase() === 'INTEGER')?.name
    const fields = info.map((c) => String(c.name)).filter((n) => n !== geometryColumn && n !== key)
    const features: Feature[] = []
    for (const row of rows(db, `select ${[geometryColumn, ...fields].map(quote).join(', ')} from ${quote(table)}`)) {
      const blob = row[geometryColumn]
      let geometry: Feature['geometry'] | null = null
      if (blob instanceof Uint8Array) {
        try {
          geometry = fromGeoPackageBlob(blob)
        } catch (error) {
          throw new FileError(file, `feature ${features.length} of layer ${table}: its geometry cannot be read (${(error as Error).message})`)
        }
      }
      const properties: Record<string, unknown> = {}
      for (const name of fields) {
        const value = row[name]
        properties[name] = value instanceof Uint8Array ? null : value
      }
      features.push({ type: 'Feature', geometry: geometry as Feature['geometry'], properties })
    }
    if (!features.length) throw new FileError(file, `the GeoPackage layer ${table} holds no features`)
    return { format: 'geopackage', features, ...(crs ? { crs: { given: crs, from: `the GeoPackage (layer ${table})` } } : {}), ...(names.length > 1 ? { layer: table } : {}), warnings: [] }
  } finally {
    db.close()
  }
}
