// `atlas import <layer> <file>`: validate, then write the whole file in one transaction, or
// nothing. PostGIS judges geometry validity and nesting, so the messages name GEOS's reasons.
// The walking network may also come as OSM XML, OSM PBF or OSMnx GraphML (../circles/network/),
// read into the same features and written by the same path.
import fs from 'node:fs'
import { countKinds, cutLines, cutsAt, describeKinds, findJunctions, someJunctions, type JunctionKind } from '../circles/network/noding.ts'
import type { OsmImportRule } from '../circles/engine/rules.ts'
import { connectedParts, type NetworkParts } from '../circles/network/parts.ts'
import { detectNetworkFormat, formatNames, notANetworkFile, readNetwork, type NetworkFormat } from '../circles/network/read.ts'
import { layers, type LayerName, type LayerSpec, type PropertySpec } from '../shared/layers.ts'
import type { Database, Queryable } from './database.ts'
import { degreesNotMetres, featuresToWgs84, notLongitudeLatitude, resolveCrs, type Crs } from '../files/crs.ts'
import { epsgIndex } from '../files/epsg.ts'
import { readSourcePath } from '../files/path.ts'
import { describeEncoding, isTabularOrGisFile, missingGeometries, type Source, type SourceFormat } from '../files/source.ts'
import type { Columns } from '../files/table.ts'
import type { Geometry } from 'geojson'
import { mapFields } from './fields.ts'
import { implausibleOffset } from './offsets.ts'
import { toWkbBase64 } from './wkb.ts'
import { findCycle, ImportError, parseFeatureCollection, validateFeatures, type Feature, type Problem } from './validate.ts'

export { namedSystems as coordinateSystems } from '../files/crs.ts'

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

export interface Noding {
  /** Lines repeating another, forward or backward, left out. */
  duplicates: number
  /** Crossings and touches cut (with --node), by kind, and shared vertices (always cut). */
  cut: Record<JunctionKind, number>
  /** Lines cut into pieces, and the pieces they became. */
  split: number
  pieces: number
  /** Crossings of a bridge, a tunnel or different layers, left unjoined. */
  levelled: number
}

const sqlTypes: Record<PropertySpec['type'], string> = {
  text: 'text',
  integer: 'integer',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  'text[]': 'text[]',
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
    if (layer !== 'walk_edge')
      throw new ImportError(file, [
        {
          index: -1,
          reason: `this is an ${formatNames[format]} file, a walking network: it can only be imported into walk_edge; the ${layer} layer takes GeoJSON`,
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

/** A one-part MultiPoint or MultiLineString (as Shapefiles write them) for a layer of points or lines. */
function singlePart(feature: Feature, geometry: LayerSpec['geometry']): Feature {
  const { type, coordinates } = feature.geometry
  const parts = coordinates as unknown[]
  if (geometry === 'point' && type === 'MultiPoint' && Array.isArray(parts) && parts.length === 1)
    return { ...feature, geometry: { type: 'Point', coordinates: parts[0] } }
  if (geometry === 'line' && type === 'MultiLineString' && Array.isArray(parts) && parts.length === 1)
    return { ...feature, geometry: { type: 'LineString', coordinates: parts[0] } }
  return feature
}

/** A file read into features: its fields mapped, its coordinate system settled, then imported. */
async function importSourceBy(writer: Writer, layer: LayerName, file: string, source: Source, options: ImportOptions): Promise<ImportResult> {
  const missing = missingGeometries(source.features)
  if (missing.length) throw new ImportError(file, missing)
  const mapped = mapFields(layers[layer], source.features, options.map, source.truncated)
  if (Array.isArray(mapped)) throw new ImportError(file, mapped)
  const features = mapped.features.map((f) => singlePart(f, layers[layer].geometry))
  let crs: Crs
  if (source.crs) {
    const declared = coordinateSystem(source.crs.given)
    if (typeof declared === 'string') throw new ImportError(file, [{ index: -1, reason: `${source.crs.from} declares a coordinate system the atlas cannot use: ${declared}` }])
    if (options.crs !== undefined) {
      const stated = coordinateSystem(options.crs)
      if (typeof stated !== 'string' && stated.id !== declared.id && stated.name !== declared.name)
        throw new ImportError(file, [{ index: -1, reason: `${source.crs.from} declares ${declared.name} but --crs says ${stated.name}: leave --crs out, or correct the file` }])
    }
    crs = declared
  } else {
    const stated = coordinateSystem(options.crs ?? 'wgs84')
    if (typeof stated === 'string') throw new ImportError(file, [{ index: -1, reason: stated }])
    if (options.crs === undefined) {
      const reason = notLongitudeLatitude(features)
      if (reason) throw new ImportError(file, [{ index: -1, reason }])
    }
    crs = stated
  }
  const result = await importFeaturesBy(writer, layer, file, features, crs, { ...options, crsStated: source.crs !== undefined || options.crs !== undefined })
  return {
    ...result,
    ...(source.format !== 'geojson' ? { format: source.format } : {}),
    ...(source.encoding && source.encoding.how !== 'ascii' ? { encoding: describeEncoding(source.encoding, source.format) } : {}),
    ...(source.layer ? { source: source.layer } : {}),
    ...(Object.keys(mapped.mapping).length ? { fields: mapped.mapping } : {}),
    ...(crs.warning || source.warnings.length ? { warnings: [...(result.warnings ?? []), ...source.warnings, ...(crs.warning ? [crs.warning] : [])] } : {}),
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
  const spec = layers[layer]
  const crs = typeof given === 'string' ? coordinateSystem(given) : given
  if (typeof crs === 'string') throw new ImportError(file, [{ index: -1, reason: crs }])
  const degrees = degreesNotMetres(features, crs)
  if (degrees) throw new ImportError(file, [{ index: -1, reason: degrees }])
  // converted first, so that what is checked is what will be stored
  let converted = crs.toWgs84 ? featuresToWgs84(features, crs) : features
  const problems = validateFeatures(spec, converted)
  if (problems.length) throw new ImportError(file, problems)
  let noding: Noding | undefined
  if (layer === 'walk_edge' && !options.topology) ({ features: converted, noding } = nodeNetwork(file, converted, options.node ?? false))

  const counts = await writer(async (tx) => {
    // PostGIS's operators (=, &&) live in the extensions schema, as on Supabase.
    await tx.exec('set local search_path = atlas, extensions, public')
    // a file that says nothing of its coordinates, checked against the city the database holds
    if (options.crsStated === false && layer !== 'walk_edge') {
      const reason = await implausibleOffset(tx, spec, converted)
      if (reason) throw new ImportError(file, [{ index: -1, reason }])
    }
    await stage(tx, spec, converted)
    const found = await checkInDatabase(tx, spec, options)
    if (found.length) throw new ImportError(file, found)
    const written = await write(tx, spec, options)
    return layer === 'walk_edge' ? { ...written, parts: await networkParts(tx) } : written
  })
  return { layer, file, features: features.length, ...counts, crs: crs.id, ...(noding ? { noding } : {}) }
}

/** The stored walking network's connected parts (`atlas network check`, and after an import). */
export async function networkParts(q: Queryable): Promise<NetworkParts> {
  const { rows } = await q.query<{ source: number; target: number; length: number }>(
    'select source, target, length_m::float8 as length from atlas.walk_edge where source is not null and target is not null',
  )
  return connectedParts(rows)
}

/**
 * A line network as GIS files give it: repeated lines made one; shared vertices cut; crossings and
 * touches cut with `node`, else refused with where they are, since walked uncut they are overpasses.
 */
function nodeNetwork(file: string, features: Feature[], node: boolean): { features: Feature[]; noding: Noding } {
  const { report, kept } = findJunctions(features)
  const uncut = report.junctions.filter((j) => j.kind !== 'vertex')
  if (uncut.length && !node)
    throw new ImportError(file, [
      {
        index: -1,
        reason:
          `the network's lines meet ${uncut.length} ${uncut.length === 1 ? 'time' : 'times'} where neither is cut (${describeKinds(countKinds(uncut))}), ` +
          `so a walk could not turn there: first at ${someJunctions(uncut)}. ` +
          `Import with --node to cut the lines where they meet (bridges, tunnels and lines on other layers are never joined: give them a bridge, tunnel or layer property), or cut them in the GIS first`,
      },
    ])
  const cutting = node ? report.junctions : report.junctions.filter((j) => j.kind === 'vertex')
  const cut = cutLines(kept, cutsAt(cutting))
  return { features: cut.features, noding: { duplicates: report.duplicates.length, cut: countKinds(cutting), split: cut.split, pieces: cut.pieces, levelled: report.levelled } }
}

async function stage(tx: Queryable, spec: LayerSpec, features: Feature[]): Promise<void> {
  // geometries as WKB: PostGIS reads it many times faster than it parses GeoJSON
  const parsed = `extensions.st_geomfromwkb(decode(e.value ->> 'g', 'base64'), 4326)`
  const geometry = spec.geometry === 'polygon' ? `extensions.st_multi(${parsed})` : parsed
  await tx.exec('drop table if exists pg_temp.import_staged')
  await tx.query(
    `create temp table import_staged on commit drop as
     select (e.ordinality - 1)::integer as idx,
            e.value -> 'p' as p,
            e.value -> 'p' ->> 'code' as code,
            nullif(e.value -> 'p' ->> 'parent_code', '') as parent_code,
            ${geometry} as geom
     from jsonb_array_elements($1::jsonb) with ordinality e`,
    [JSON.stringify(features.map((f) => ({ p: f.properties, g: toWkbBase64(f.geometry as Geometry) })))],
  )
}

async function checkInDatabase(tx: Queryable, spec: LayerSpec, options: ImportOptions): Promise<Problem[]> {
  const problems: Problem[] = []
  const add = (rows: { idx: number; code: string; reason: string }[]) =>
    rows.forEach((row) => problems.push({ index: Number(row.idx), code: row.code, reason: row.reason }))

  add(
    (
      await tx.query<{ idx: number; code: string; reason: string }>(
        `select idx, code, 'geometry is not valid: ' || extensions.st_isvalidreason(geom) as reason
         from import_staged where not extensions.st_isvalid(geom) order by idx`,
      )
    ).rows,
  )
  if (!options.upsert) {
    add(
      (
        await tx.query<{ idx: number; code: string; reason: string }>(
          `select s.idx, s.code, 'code already exists in the ${spec.name} layer (import with --upsert to replace it)' as reason
           from import_staged s join atlas.${spec.table} t on t.code = s.code order by s.idx`,
        )
      ).rows,
    )
  }
  if (spec.parent) {
    const parent = layers[spec.parent.layer]
    add(
      (
        await tx.query<{ idx: number; code: string; reason: string }>(
          `select s.idx, s.code, 'unknown parent_code ' || s.parent_code || ': no such ${parent.name}' as reason
           from import_staged s where s.parent_code is not null
             and not exists (select 1 from atlas.${parent.table} p where p.code = s.parent_code) order by s.idx`,
        )
      ).rows,
    )
    if (spec.parent.nested) {
      add(
        (
          await tx.query<{ idx: number; code: string; reason: string }>(
            `select s.idx, s.code,
                    'lies outside its parent ${parent.name} ' || p.code || ': '
                      || round(extensions.st_area(extensions.st_difference(s.geom, p.geom)::extensions.geography)::numeric, 1)
                      || ' m² lie more than ' || atlas.nesting_tolerance_m() || ' m outside' as reason
             from import_staged s join atlas.${parent.table} p on p.code = s.parent_code
             where extensions.st_isvalid(s.geom)
               and not extensions.st_coveredby(s.geom,
                 extensions.st_buffer(p.geom::extensions.geography, atlas.nesting_tolerance_m())::extensions.geometry)
             order by s.idx`,
          )
        ).rows,
      )
    }
  }
  for (const property of spec.properties) if (property.links) problems.push(...(await checkLinks(tx, spec, property, property.links)))
  if (spec.name === 'backlog' && options.upsert) {
    // the status of an item already there moves as the workflow allows, as it does in the app
    add(
      (
        await tx.query<{ idx: number; code: string; reason: string }>(
          `select s.idx, s.code, 'status ' || atlas.backlog_step_problem(t.status, s.p ->> 'status') as reason
           from import_staged s join atlas.backlog_item t on t.code = s.code
           where nullif(s.p ->> 'status', '') is not null and atlas.backlog_step_problem(t.status, s.p ->> 'status') is not null
           order by s.idx`,
        )
      ).rows,
    )
  }
  return problems.sort((a, b) => a.index - b.index)
}

/** A list of codes of the layer: each names a feature of the file or of the table, and they close no cycle. */
async function checkLinks(tx: Queryable, spec: LayerSpec, property: PropertySpec, links: NonNullable<PropertySpec['links']>): Promise<Problem[]> {
  const problems: Problem[] = []
  const { rows: unknown } = await tx.query<{ idx: number; code: string; missing: string }>(
    `select s.idx, s.code, string_agg(l, ', ' order by l) as missing
     from import_staged s cross join lateral jsonb_array_elements_text(
       case when jsonb_typeof(s.p -> '${property.name}') = 'array' then s.p -> '${property.name}' else '[]'::jsonb end) l
     where not exists (select 1 from import_staged o where o.code = l)
       and not exists (select 1 from atlas.${spec.table} t where t.code = l)
     group by s.idx, s.code order by s.idx`,
  )
  for (const row of unknown)
    problems.push({ index: Number(row.idx), code: row.code, reason: `"${property.name}" names ${row.missing}: no such ${spec.name} item in this file or in the database` })
  // The links as they will stand: the file's own, and those in the database of items the file
  // does not touch (an upsert replaces the links of the items it brings).
  const { rows: staged } = await tx.query<{ idx: number; code: string; linked: string[] | null }>(
    `select s.idx, s.code, array(select jsonb_array_elements_text(s.p -> '${property.name}')) as linked
     from import_staged s where jsonb_typeof(s.p -> '${property.name}') = 'array' order by s.idx`,
  )
  const graph = new Map<string, string[]>()
  for (const row of staged) graph.set(row.code, row.linked ?? [])
  const { rows: stored } = await tx.query<{ source: string; target: string }>(
    `select l.${links.from} as source, l.${links.to} as target from atlas.${links.table} l
     where not exists (select 1 from import_staged s where s.code = l.${links.from})`,
  )
  for (const row of stored) graph.set(row.source, [...(graph.get(row.source) ?? []), row.target])
  const reported = new Set<string>()
  for (const row of staged) {
    if (reported.has(row.code)) continue
    const cycle = findCycle(graph, [row.code])
    if (!cycle) continue
    cycle.forEach((code) => reported.add(code))
    problems.push({ index: Number(row.idx), code: row.code, reason: `"${property.name}" closes a cycle: ${cycle.join(' → ')}` })
  }
  return problems
}

async function write(tx: Queryable, spec: LayerSpec, options: ImportOptions): Promise<{ inserted: number; updated: number }> {
  const columns = ['code']
  const values = ['s.code']
  for (const property of spec.properties) {
    if (property.links) continue
    columns.push(property.column ?? property.name)
    if (spec.name === 'walk_edge' && property.name === 'length_m')
      values.push(`coalesce((s.p ->> 'length_m')::numeric, extensions.st_length(s.geom::extensions.geography)::numeric)`)
    else if (spec.name === 'walk_edge' && property.name === 'steps')
      values.push(`coalesce((s.p ->> 'steps')::boolean, s.p ->> 'highway' = 'steps')`)
    else if (property.default !== undefined)
      values.push(`coalesce(nullif(s.p ->> '${property.name}', '')::${sqlTypes[property.type]}, ${JSON.stringify(property.default)})`)
    else values.push(`nullif(s.p ->> '${property.name}', '')::${sqlTypes[property.type]}`)
  }
  if (spec.parent) {
    columns.push(spec.parent.column)
    values.push('s.parent_code')
  }
  columns.push('geom')
  values.push('s.geom')
  const updates = columns.filter((c) => c !== 'code').map((c) => `${c} = excluded.${c}`)
  const { rows } = await tx.query<{ inserted: number; written: number }>(
    `with written as (
       insert into atlas.${spec.table} (${columns.join(', ')})
       select ${values.join(', ')} from import_staged s order by s.idx
       on conflict (code) do ${options.upsert ? `update set ${updates.join(', ')}` : 'nothing'}
       returning (xmax = 0) as inserted)
     select (count(*) filter (where inserted))::int as inserted, count(*)::int as written from written`,
  )
  if (spec.name === 'walk_edge') await linkWalkNodes(tx)
  for (const property of spec.properties) if (property.links) await writeLinks(tx, property.name, property.links, options)
  return { inserted: rows[0].inserted, updated: rows[0].written - rows[0].inserted }
}

/** The lists of codes, one row each; an upsert replaces the lists of the features it brings. */
async function writeLinks(tx: Queryable, name: string, links: NonNullable<PropertySpec['links']>, options: ImportOptions): Promise<void> {
  if (options.upsert) await tx.exec(`delete from atlas.${links.table} where ${links.from} in (select code from import_staged)`)
  await tx.exec(
    `insert into atlas.${links.table} (${links.from}, ${links.to})
     select distinct s.code, l from import_staged s cross join lateral jsonb_array_elements_text(s.p -> '${name}') l
     where jsonb_typeof(s.p -> '${name}') = 'array'`,
  )
}

/** Derives the network's nodes from the edges' end points and links every edge to them. */
async function linkWalkNodes(tx: Queryable): Promise<void> {
  await tx.exec(`
    insert into atlas.walk_node (geom)
    select distinct p from (
      select extensions.st_startpoint(geom) p from atlas.walk_edge where source is null
      union select extensions.st_endpoint(geom) from atlas.walk_edge where target is null) ends
    on conflict (geom) do nothing;
    update atlas.walk_edge e set source = n.id from atlas.walk_node n
      where e.source is null and n.geom = extensions.st_startpoint(e.geom);
    update atlas.walk_edge e set target = n.id from atlas.walk_node n
      where e.target is null and n.geom = extensions.st_endpoint(e.geom);`)
}
