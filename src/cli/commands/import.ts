// `atlas import <layer> <file>`: a GeoJSON file (or, for walk_edge, a street network) into a layer.
import { describeMapping } from '../../db/fields.ts'
import { coordinateSystem, coordinateSystems, importFile, type ImportResult } from '../../db/import.ts'
import { sourceFormatNames } from '../../files/source.ts'
import { isOsmImportRule, osmImportRules } from '../../circles/engine/rules.ts'
import { describeKinds } from '../../circles/network/noding.ts'
import { describeParts } from '../../circles/network/parts.ts'
import { isLayerName, layerNames } from '../../shared/layers.ts'
import { UsageError, withDatabase, type Command } from './command.ts'

export const importCommand: Command = {
  name: 'import',
  usage: [
    'import <layer> <file>   load a file into a layer, all or nothing: GeoJSON, a Shapefile (.shp with',
    '                        its .dbf/.prj/.cpg, a folder or a .zip), GeoPackage (.gpkg), CSV or Excel',
    '                        (.xlsx); walk_edge also takes OSM XML (.osm), OSM PBF (.osm.pbf) and OSMnx',
    '                        GraphML (.graphml); gate takes OSM files too: their entrance=* and',
    '                        barrier=gate nodes, each the gate of the compound whose outline it lies on',
    `    --crs <system>      the file's coordinate system when it does not say: ${Object.keys(coordinateSystems).join(', ')}`,
    '                        or EPSG:<code> (CGCS2000 Gauss–Krüger zones: EPSG:4491–4554)',
    '    --layer <name>      the sheet of a workbook, or the layer of a GeoPackage, zip or folder',
    '    --upsert            replace features whose code already exists',
    '    --node              walk_edge from GeoJSON: cut lines where they cross or touch (not bridges,',
    '                        tunnels or lines on other layers); without it such a network is refused',
    `    --walkable <rules>  OSM files: keep what a rule leaves out, of ${Object.keys(osmImportRules).join(', ')} (comma-separated)`,
    '    --map <field>=<源字段>,…  read a field of the layer from a field of the file (beyond the usual',
    '                        Chinese and English names, which are read without it); for a table,',
    '                        lon=, lat= or wkt= name the columns holding the geometry',
  ],
  async run({ target, values, args, print }) {
    const [layer, file, ...extra] = args
    if (!layer || !file || extra.length) throw new UsageError('import takes a layer and a file: atlas import <layer> <file>')
    if (!isLayerName(layer)) throw new UsageError(`unknown layer "${layer}"; layers: ${layerNames.join(', ')}`)
    const crs = values.crs
    if (crs !== undefined) {
      const known = coordinateSystem(crs)
      if (typeof known === 'string') throw new UsageError(known)
    }
    const walkable = (values.walkable ?? '').split(',').map((rule) => rule.trim()).filter(Boolean)
    const unknown = walkable.find((rule) => !isOsmImportRule(rule))
    if (unknown !== undefined) throw new UsageError(`unknown rule "${unknown}" for --walkable; one of: ${Object.keys(osmImportRules).join(', ')}`)
    const map: Record<string, string> = {}
    for (const pair of (values.map ?? []).flatMap((m) => m.split(/[,，]/)).map((m) => m.trim()).filter(Boolean)) {
      const [field, source] = pair.split('=').map((part) => part.trim())
      if (!field || !source || pair.split('=').length !== 2) throw new UsageError(`--map takes <field>=<file's field>, not "${pair}"`)
      map[field] = source
    }
    const options = { crs, layer: values.layer, upsert: values.upsert, node: values.node, walkable: walkable.filter(isOsmImportRule), map }
    const result = await withDatabase(target, (db) => importFile(db, layer, file, options))
    print(describeImport(result), result)
  },
}

export function describeImport(result: ImportResult): string {
  const updated = result.updated ? `, ${result.updated} replaced` : ''
  const crs = result.crs === 'wgs84' ? '' : ` (converted from ${result.crs} to WGS-84)`
  const formats = { osm: 'OSM XML', pbf: 'OSM PBF', graphml: 'OSMnx GraphML', ...sourceFormatNames }
  const format = result.format && result.format !== 'geojson' ? ` (${formats[result.format]}${result.source ? `, layer ${result.source}` : ''})` : ''
  const lines = [`${result.layer}: ${result.inserted} features imported${updated} from ${result.file}${format}${crs}`]
  if (result.encoding) lines.push(`text read as ${result.encoding}`)
  if (result.fields) lines.push(`fields read: ${describeMapping(result.fields)}`)
  const excluded = Object.entries(result.excluded ?? {}).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
  if (excluded.length) {
    const total = excluded.reduce((sum, [, n]) => sum + n, 0)
    const what =
      result.layer === 'gate' ? (total === 1 ? 'entrance or gate' : 'entrances and gates') : result.format === 'graphml' ? (total === 1 ? 'edge' : 'edges') : total === 1 ? 'way' : 'ways'
    lines.push(`left out ${total} ${what} a pedestrian cannot use: ${excluded.map(([reason, n]) => `${reason} ${n}`).join(', ')}`)
  }
  const noding = result.noding
  if (noding) {
    if (noding.duplicates) lines.push(`${noding.duplicates} ${noding.duplicates === 1 ? 'line repeated' : 'lines repeated'} another (forward or backward) and ${noding.duplicates === 1 ? 'was' : 'were'} left out`)
    const said = describeKinds(noding.cut)
    if (said) lines.push(`cut ${noding.split} ${noding.split === 1 ? 'line' : 'lines'} where lines met: ${said}`)
    if (noding.levelled) lines.push(`left ${noding.levelled} ${noding.levelled === 1 ? 'crossing' : 'crossings'} of a bridge, a tunnel or another layer unjoined`)
  }
  for (const warning of result.warnings ?? []) lines.push(`warning: ${warning}`)
  if (result.parts) lines.push(...describeParts(result.parts))
  return lines.join('\n')
}
