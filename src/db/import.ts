// `atlas import <layer> <file>`: validate, then write the whole file in one transaction, or
// nothing. PostGIS judges geometry validity and nesting, so the messages name GEOS's reasons.
// The walking network may also come as OSM XML, OSM PBF or OSMnx GraphML (../circles/network/),
// read into the same features and written by the same path.
import fs from 'node:fs'
import type { OsmImportRule } from '../circles/engine/rules.ts'
import { connectedParts, type NetworkParts } from '../circles/network/parts.ts'
import { gateBarriers, readOsmGates, type OsmGates } from '../circles/network/gates.ts'
import { detectNetworkFormat, formatNames, NetworkError, notANetworkFile, readNetwork, type NetworkFormat } from '../circles/network/read.ts'
import { listReasons } from '../circles/network/split.ts'
import type { ImportLayerResult, StagedFeature } from '../shared/api.ts'
import { layers, type LayerName } from '../shared/layers.ts'
import type { Database, Queryable } from './database.ts'
import { resolveCrs, type Crs } from '../files/crs.ts'
import { epsgIndex } from '../files/epsg.ts'
import { readSourcePath } from '../files/path.ts'
import { prepareFeatures, prepareSource, type Noding, type Prepared } from '../files/prepare.ts'
import { describeEncoding, isTabularOrGisFile, type Source, type SourceFormat } from '../files/source.ts'
import type { Columns } from '../files/table.ts'
import type { Geometry } from 'geojson'
import { implausiblePlacement } from './offsets.ts'
import { toWkbBase64 } from './wkb.ts'
import { ImportError, parseFeatureCollection, type Feature } from './validate.ts'

export { namedSystems as coordinateSystems } from '../files/crs.ts'
export type { Noding } from '../files/prepare.ts'

export interface ImportOptions {
  /** The file's coordinate system, when the file does not say: wgs84, gcj02…, or EPSG:<code>. */
  crs?: string
  /** Replace features whose code is already in the database instead of refusing them. */
  upsert?: boolean
  /** A line network: cut its lines where they cross or touch (not a bridge or tunnel over another). */
  node?: boolean
  /** OSM files: the import rules lifted (`trunk`, `tunnel`: osmImportRules). */
  walkable?: readonly OsmImportRule[]
  /** The layer's field → the file's field to read it from, beyond the dictionary (`--map`); for a
   * table, also `lon`, `lat` or `wkt` → the column holding the geometry. */
  map?: Record<string, string>
  /** The sheet of a workbook, or the layer of a GeoPackage, a zip or a folder of Shapefiles. */
  layer?: string
}

export interface ImportResult {
  layer: LayerName
  file: string
  features: number
  inserted: number
  updated: number
  /** The coordinate system the file was read in (wgs84, gcj02, EPSG:4549, a .prj's name…). */
  crs: string
  /** The file's format, where it is not GeoJSON. */
  format?: NetworkFormat | SourceFormat
  /** A .dbf's or a CSV's text encoding, in words (GBK (detected: no .cpg)…). */
  encoding?: string
  /** The sheet or layer read, of a file that holds several. */
  source?: string
  /** Ways (OSM) or edges (GraphML) left out because a pedestrian cannot use them, by reason. */
  excluded?: Record<string, number>
  /** What was read but could not be used (nodes missing from the file, zero-length pieces). */
  warnings?: string[]
  /** A line network's junctions: where its lines met other than end to end, and what was done. */
  noding?: Noding
  /** The stored walking network's connected parts, after the import. */
  parts?: NetworkParts
  /** The layer's fields read from fields of other names (by the dictionary or `--map`). */
  fields?: Record<string, string>
}


/** A coordinate system by name, code or definition (resolveCrs, with the EPSG registry), or the reason it cannot be used. */
export function coordinateSystem(given: string): Crs | string {
  return resolveCrs(given, epsgIndex)
}

/** Runs the import's writing: in a transaction of its own, or in one its caller holds. */
type Writer = <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>

const ownTransaction =
  (db: Database): Writer =>
  (work) =>
    db.transaction(work)

/**
 * Inside the caller's transaction (the sample city's first load: every layer and the circles, whole
 * or not at all). What the import sets for itself (its search path, its staging table) does not outlive it.
 */
const callersTransaction =
  (tx: Queryable): Writer =>
  async (work) => {
    const { rows } = await tx.query<{ path: string }>(`select current_setting('search_path') as path`)
    const result = await work(tx)
    await tx.exec('drop table if exists pg_temp.import_staged')
    await tx.query(`select set_config('search_path', $1, true)`, [rows[0].path])
    return result
  }

export function importFile(db: Database, layer: LayerName, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  return importFileBy(ownTransaction(db), layer, file, options)
}

/** `importFile` inside a transaction the caller holds: written when the caller commits, or not at all. */
export function importFileWithin(tx: Queryable, layer: LayerName, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  return importFileBy(callersTransaction(tx), layer, file, options)
}

async function importFileBy(writer: Writer, layer: LayerName, file: string, options: ImportOptions): Promise<ImportResult> {
  // Shapefiles (a .shp, a folder, a .zip), GeoPackages, CSV and Excel tables
  if (isTabularOrGisFile(file) || isFolder(file)) {
    const { map, columns } = splitColumns(options.map)
    const source = await readSourcePath(file, { layer: options.layer, columns })
    return importSourceBy(writer, layer, file, source, { ...options, map })
  }
  // Network files (OSM XML, OSM PBF, OSMnx GraphML) are told by their first bytes.
  const { format, detail } = detectNetworkFormat(file)
  if (layer === 'walk_edge' && !format)
    throw new ImportError(file, [{ index: -1, reason: detail ? `${notANetworkFile}; ${detail}` : notANetworkFile }])
  if (format && format !== 'geojson') {
    // an OSM file's entrances and gates are the gates of the compounds they lie on
    if (layer === 'gate' && (format === 'osm' || format === 'pbf')) return importOsmGatesBy(writer, file, format, options)
    if (layer !== 'walk_edge')
      throw new ImportError(file, [
        {
          index: -1,
          reason: `this is an ${formatNames[format]} file, a walking network: it can only be imported into walk_edge${format === 'osm' || format === 'pbf' ? ' (its ways) or gate (its entrances and gates)' : ''}; the ${layer} layer takes GeoJSON`,
        },
      ])
    const network = await readNetwork(file, options.walkable)
    // OSM and OSMnx say where ways join (shared nodes): their crossings are bridges, not junctions
    const result = await importFeaturesBy(writer, layer, file, network.features, options.crs ?? 'wgs84', { ...options, topology: true })
    return { ...result, format: network.format, excluded: network.excluded, warnings: network.warnings }
  }
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new ImportError(file, [{ index: -1, reason: `cannot read the file: ${(error as Error).message}` }])
  }
  return importTextBy(writer, layer, file, text, options)
}

/**
 * The entrances and gates of an OSM file imported as compounds' gates: each given the compound
 * whose outline it lies on (within the nesting tolerance, the nearest outline when two meet), and
 * written as any gate file is. A node on no compound's outline (a shop's door, a building's
 * entrance inside a compound, a compound not loaded) is left out and counted; a file with no gate
 * on any compound is refused, saying what to load first.
 */
async function importOsmGatesBy(writer: Writer, file: string, format: 'osm' | 'pbf', options: ImportOptions): Promise<ImportResult> {
  let read: OsmGates
  try {
    read = await readOsmGates(file, format)
  } catch (error) {
    if (error instanceof NetworkError) throw new ImportError(file, [{ index: -1, reason: error.message }])
    throw new ImportError(file, [{ index: -1, reason: `cannot read the ${formatNames[format]} file: ${(error as Error).message}` }])
  }
  const found = read.features.length
  const left = Object.keys(read.excluded).length ? ` (left out, closed to a pedestrian: ${listReasons(read.excluded)})` : ''
  if (!found)
    throw new ImportError(file, [{ index: -1, reason: `the ${formatNames[format]} file holds no gate: no node tagged entrance=* or barrier=${gateBarriers.join('|')}${left}` }])
  const { compounds, toleranceM } = await writer((tx) => compoundsOfGates(tx, read.features))
  const placed = read.features.flatMap((feature, i) => (compounds[i] ? [{ ...feature, properties: { ...feature.properties, parent_code: compounds[i] } }] : []))
  const away = found - placed.length
  const tolerance = `${toleranceM} m`
  if (!placed.length)
    throw new ImportError(file, [
      {
        index: -1,
        reason: `none of the file's ${found} gates lies on the outline of a compound (a residence drawn as its outline, within ${tolerance}): import the compounds (the residence layer) first${left}`,
      },
    ])
  const result = await importFeaturesBy(writer, 'gate', file, placed, options.crs ?? 'wgs84', options)
  const warnings = [
    ...(result.warnings ?? []),
    ...(away ? [`${away} of the file's ${found} gates lie on no compound's outline (more than ${tolerance} from every outline: a shop's or a building's door, or a compound not loaded): left out`] : []),
  ]
  return { ...result, features: found, format, excluded: read.excluded, ...(warnings.length ? { warnings } : {}) }
}

/** For each gate, the code of the compound whose outline it lies on (the nearest within the tolerance), or null. */
async function compoundsOfGates(q: Queryable, gates: Feature[]): Promise<{ compounds: (string | null)[]; toleranceM: number }> {
  const points = gates.map((gate) => (gate.geometry.coordinates as [number, number]).map(Number))
  await q.exec('set local search_path = atlas, extensions, public')
  const tolerance = await q.query<{ m: number }>('select atlas.nesting_tolerance_m() as m')
  const toleranceM = tolerance.rows[0].m
  // the outlines near each gate through the residences' spatial index (a box the tolerance wide,
  // in degrees at the gate's latitude), then the geodesic distance to each
  const { rows } = await q.query<{ i: number; code: string | null }>(
    `select p.i::int, (select r.code from atlas.residence r
                       where r.geom && st_expand(p.g, $2::float8 / (110000 * cos(radians(st_y(p.g)))))
                         and geometrytype(r.geom) in ('POLYGON', 'MULTIPOLYGON')
                         and st_dwithin(st_boundary(r.geom)::geography, p.g::geography, $2)
                       order by st_distance(st_boundary(r.geom)::geography, p.g::geography), r.code limit 1) as code
     from (select i, st_setsrid(st_point(x, y), 4326) as g from jsonb_to_recordset($1::jsonb) as t (i int, x float8, y float8)) p
     order by p.i`,
    [JSON.stringify(points.map(([x, y], i) => ({ i, x, y }))), toleranceM],
  )
  return { compounds: rows.map((row) => row.code), toleranceM }
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory()
  } catch {
    return false
  }
}

/** `--map lon=…,lat=…,wkt=…` name a table's geometry columns; the rest, the layer's fields. */
function splitColumns(map: Record<string, string> = {}): { map: Record<string, string>; columns: Columns } {
  const columns: Columns = {}
  const rest: Record<string, string> = {}
  for (const [field, source] of Object.entries(map)) {
    if (field === 'lon' || field === 'lat' || field === 'wkt') columns[field] = source
    else rest[field] = source
  }
  return { map: rest, columns }
}

export function importText(db: Database, layer: LayerName, file: string, text: string, options: ImportOptions = {}): Promise<ImportResult> {
  return importTextBy(ownTransaction(db), layer, file, text, options)
}

async function importTextBy(writer: Writer, layer: LayerName, file: string, text: string, options: ImportOptions): Promise<ImportResult> {
  const { features, crs } = parseFeatureCollection(file, text)
  return importSourceBy(writer, layer, file, { format: 'geojson', features, ...(crs ? { crs: { given: crs, from: 'its crs member' } } : {}), warnings: [] }, options)
}

/** A file read into features: made ready for the layer (../files/prepare.ts), then written. */
async function importSourceBy(writer: Writer, layer: LayerName, file: string, source: Source, options: ImportOptions): Promise<ImportResult> {
  const prepared = prepareSource(file, layer, source, options, epsgIndex)
  const result = await writePrepared(writer, layer, file, source.features.length, prepared, options)
  return {
    ...result,
    ...(source.format !== 'geojson' ? { format: source.format } : {}),
    ...(source.encoding && source.encoding.how !== 'ascii' ? { encoding: describeEncoding(source.encoding, source.format) } : {}),
    ...(source.layer ? { source: source.layer } : {}),
    ...(Object.keys(prepared.mapping).length ? { fields: prepared.mapping } : {}),
    ...(prepared.warnings.length ? { warnings: [...(result.warnings ?? []), ...prepared.warnings] } : {}),
  }
}

/** Validates the features, then stages, checks and writes them in one transaction, or nothing. */
export function importFeatures(
  db: Database,
  layer: LayerName,
  file: string,
  features: Feature[],
  crs: Crs | string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  return importFeaturesBy(ownTransaction(db), layer, file, features, crs, options)
}

async function importFeaturesBy(
  writer: Writer,
  layer: LayerName,
  file: string,
  features: Feature[],
  given: Crs | string,
  options: ImportOptions & { topology?: boolean; crsStated?: boolean },
): Promise<ImportResult> {
  const crs = typeof given === 'string' ? coordinateSystem(given) : given
  if (typeof crs === 'string') throw new ImportError(file, [{ index: -1, reason: crs }])
  return writePrepared(writer, layer, file, features.length, prepareFeatures(file, layer, features, crs, options), options)
}

/** Prepared features written, after the checks that read the database; refused whole if any is refused. */
async function writePrepared(writer: Writer, layer: LayerName, file: string, count: number, prepared: Prepared, options: ImportOptions): Promise<ImportResult> {
  if (prepared.problems.length) throw new ImportError(file, prepared.problems)
  const { crs, noding, features: converted } = prepared
  const spec = layers[layer]
  const counts = await writer(async (tx) => {
    // PostGIS's operators (=, &&) live in the extensions schema, as on Supabase.
    await tx.exec('set local search_path = atlas, extensions, public')
    // where the file lands against the city the database holds: a file that says nothing of its
    // coordinates in Amap's or Baidu's, or one converted from a wrong zone
    const reason = await implausiblePlacement(tx, spec, converted, { stated: prepared.crsStated, converted: crs.toWgs84 !== undefined, name: crs.name })
    if (reason) throw new ImportError(file, [{ index: -1, reason }])
    const written = await writeFeatures(tx, layer, converted, options.upsert ?? false)
    if ('problems' in written) throw new ImportError(file, written.problems)
    return layer === 'walk_edge' ? { ...written, parts: await networkParts(tx) } : written
  })
  return { layer, file, features: count, ...counts, crs: crs.id, ...(noding ? { noding } : {}) }
}

/**
 * Stages, checks and writes validated WGS-84 features through the import's API function
 * (public.import_layer, ./importSql.ts), the one the page calls too: all or nothing, as the caller.
 */
export async function writeFeatures(
  q: Queryable,
  layer: LayerName,
  features: Feature[],
  upsert: boolean,
): Promise<ImportLayerResult> {
  const { rows } = await q.query<{ result: ImportLayerResult }>(
    'select public.import_layer($1, $2::jsonb, $3) as result',
    [layer, JSON.stringify(features.map((f): StagedFeature => ({ p: f.properties, g: toWkbBase64(f.geometry as Geometry) }))), upsert],
  )
  return rows[0].result
}

/** The stored walking network's connected parts (`atlas network check`, and after an import). */
export async function networkParts(q: Queryable): Promise<NetworkParts> {
  const { rows } = await q.query<{ source: number; target: number; length: number }>(
    'select source, target, length_m::float8 as length from atlas.walk_edge where source is not null and target is not null',
  )
  return connectedParts(rows)
}
