// A city's file, whatever its format, read into features with what it says of itself: its
// coordinate system, its text encoding, the layer or sheet it came from. Pure (bytes in, features
// out), so the page can read a dropped file with the same code the command line uses.
import { iter } from 'but-unzip'
import type { SqlJsStatic } from 'sql.js'
import { ImportError, parseFeatureCollection, type Feature, type Problem } from '../db/validate.ts'
import { readGeoPackage } from './geopackage.ts'
import { wholeStep, type Progress } from './progress.ts'
import { readShapefile, type ShapefileParts } from './shapefile.ts'
import { readCsv, readXlsx, type Columns } from './table.ts'
import type { Encoding } from './text.ts'

/** A problem with the file as a whole, in words. */
export class FileError extends ImportError {
  constructor(file: string, reason: string) {
    super(file, [{ index: -1, reason }])
  }
}

export interface SourceFile {
  /** The file's name (a path's last part, or a zip entry's path). */
  name: string
  bytes: Uint8Array
}

export type SourceFormat = 'geojson' | 'shapefile' | 'csv' | 'xlsx' | 'geopackage'

export const sourceFormatNames: Record<SourceFormat, string> = {
  geojson: 'GeoJSON',
  shapefile: 'Shapefile',
  csv: 'CSV',
  xlsx: 'Excel workbook',
  geopackage: 'GeoPackage',
}

export interface ReadOptions {
  /** The sheet of a workbook, or the layer of a GeoPackage, a zip or a folder of Shapefiles. */
  layer?: string
  /** A table's columns holding the geometry, beyond the usual names. */
  columns?: Columns
}

export interface Source {
  format: SourceFormat
  features: Feature[]
  /** The coordinate system the file declares, and where it says so. */
  crs?: { given: string; from: string }
  /** The text encoding of a .dbf or a CSV, and how it was found. */
  encoding?: Encoding
  /** The sheet or layer read, where the file holds several. */
  layer?: string
  /** What the reading noticed and did not refuse. */
  warnings: string[]
  /** Field names perhaps cut short by the format (a .dbf's 10 bytes): read as the start of a longer name. */
  truncated?: string[]
}

export interface ReadEnvironment {
  /** SQLite for GeoPackages, loaded on first need (its WebAssembly is 600 kB). */
  sqlJs: () => Promise<SqlJsStatic>
  /** Told how far the reading has got (the page's progress bar). */
  progress?: Progress
}

const extension = (name: string) => /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase() ?? ''
const baseName = (name: string) => name.replace(/^.*[/\\]/, '').replace(/\.[^.]+$/, '')

/** Whether a file's name says it is one readSource reads beyond GeoJSON and the network formats. */
export function isTabularOrGisFile(name: string): boolean {
  return ['shp', 'dbf', 'zip', 'csv', 'tsv', 'txt', 'xlsx', 'xlsm', 'xls', 'gpkg'].includes(extension(name))
}

/** The files of a zip, without the Mac's resource forks and folders. */
function unzip(file: string, bytes: Uint8Array): Promise<SourceFile[]> {
  let entries
  try {
    entries = [...iter(bytes)]
  } catch (error) {
    throw new FileError(file, `the zip cannot be opened (${(error as Error).message}): is it whole?`)
  }
  return Promise.all(
    entries
      .filter((e) => !e.filename.includes('__MACOSX') && !e.filename.endsWith('/'))
      .map(async (e) => {
        try {
          return { name: e.filename, bytes: await e.read() }
        } catch (error) {
          throw new FileError(file, `${e.filename} in the zip cannot be read (${(error as Error).message}): is the zip whole?`)
        }
      }),
  )
}

/**
 * Reads a file (or the files of one Shapefile, or a folder's, or a zip's) into features. Refuses, in
 * words, a file it cannot read whole: nothing is guessed past a damaged byte.
 */
export async function readSource(file: string, given: SourceFile[], options: ReadOptions, env: ReadEnvironment): Promise<Source> {
  let files = given
  if (files.length === 1 && extension(files[0].name) === 'zip') {
    env.progress?.({ step: 'unzip', done: 0, total: 1 })
    files = await unzip(file, files[0].bytes)
    env.progress?.({ step: 'unzip', done: 1, total: 1 })
    if (!files.length) throw new FileError(file, 'the zip is empty')
  }
  const byExtension = (ext: string) => files.filter((f) => extension(f.name) === ext)
  const shps = byExtension('shp')
  if (shps.length) return readShapefiles(file, files, shps, options, env.progress)
  if (files.some((f) => extension(f.name) === 'dbf'))
    throw new FileError(file, `there is a .dbf but no .shp: a Shapefile's shapes are in its .shp, which must come with the .dbf`)
  const [first] = files
  if (files.length > 1) {
    const readable = files.filter((f) => ['gpkg', 'csv', 'xlsx', 'geojson', 'json'].includes(extension(f.name)))
    if (readable.length !== 1)
      throw new FileError(
        file,
        `${files.length > 20 ? `${files.length} files` : files.map((f) => f.name).join(', ')}: ${readable.length ? 'several files that could be a layer; import them one at a time' : 'no .shp, GeoPackage, CSV, Excel or GeoJSON file among them'}`,
      )
    return readSource(file, readable, options, env)
  }
  switch (extension(first.name)) {
    case 'gpkg':
      return readGeoPackage(file, first.bytes, await env.sqlJs(), options.layer)
    case 'csv':
    case 'tsv':
    case 'txt':
      return wholeStep('rows', env.progress, () => readCsv(file, first.bytes, options.columns))
    case 'xlsx':
    case 'xlsm': {
      env.progress?.({ step: 'rows', done: 0, total: 1 })
      const read = await readXlsx(file, first.bytes, options.layer, options.columns)
      env.progress?.({ step: 'rows', done: 1, total: 1 })
      return read
    }
    case 'xls':
      throw new FileError(file, 'this is an Excel 97–2003 workbook (.xls): save it as .xlsx (Excel: File › Save As › Excel Workbook) and import that')
    case 'geojson':
    case 'json': {
      const { features, crs } = wholeStep('rows', env.progress, () => parseFeatureCollection(file, new TextDecoder().decode(first.bytes)))
      return { format: 'geojson', features, ...(crs ? { crs: { given: crs, from: 'its crs member' } } : {}), warnings: [] }
    }
    default:
      throw new FileError(
        file,
        `the atlas does not read .${extension(first.name) || '(no extension)'} files: it reads Shapefiles (.shp with its .dbf, .prj, .cpg; a folder or a .zip), GeoPackage (.gpkg), CSV, Excel (.xlsx) and GeoJSON`,
      )
  }
}

function readShapefiles(file: string, files: SourceFile[], shps: SourceFile[], options: ReadOptions, progress?: Progress): Source {
  const names = shps.map((f) => baseName(f.name))
  let chosen: SourceFile
  if (options.layer !== undefined) {
    const found = shps.find((f) => baseName(f.name) === options.layer) ?? shps.find((f) => baseName(f.name).toLowerCase() === options.layer!.toLowerCase())
    if (!found) throw new FileError(file, `there is no Shapefile "${options.layer}" here; there are: ${names.join(', ')}`)
    chosen = found
  } else if (shps.length > 1) throw new FileError(file, `${shps.length} Shapefiles are here (${names.join(', ')}): name the one to import with --layer <name>`)
  else chosen = shps[0]
  const stem = chosen.name.slice(0, -4)
  const sibling = (ext: string) => files.find((f) => f.name.slice(0, -ext.length - 1) === stem && extension(f.name) === ext)?.bytes
  const parts: ShapefileParts = { name: baseName(chosen.name), shp: chosen.bytes, dbf: sibling('dbf'), prj: sibling('prj'), cpg: sibling('cpg') }
  const shapefile = readShapefile(file, parts, progress)
  const warnings: string[] = []
  return {
    format: 'shapefile',
    features: shapefile.features,
    ...(shapefile.prj ? { crs: { given: shapefile.prj, from: `${parts.name}.prj` } } : {}),
    encoding: shapefile.encoding,
    ...(shapefile.truncated.length ? { truncated: shapefile.truncated } : {}),
    ...(shps.length > 1 ? { layer: parts.name } : {}),
    warnings,
  }
}

/** Features with no geometry (a Shapefile's null shapes, a table's empty cells), one problem each. */
export function missingGeometries(features: Feature[]): Problem[] {
  const problems: Problem[] = []
  features.forEach((f, index) => {
    if (!f.geometry) {
      const code = f.properties?.code
      problems.push({ index, ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}), reason: 'has no geometry' })
    }
  })
  return problems
}

/** How the encoding was found, in words. */
export function describeEncoding(encoding: Encoding, format: SourceFormat): string {
  const name = encoding.name === 'gbk' ? 'GBK' : encoding.name === 'utf-8' ? 'UTF-8' : encoding.name
  const detected = format === 'shapefile' ? `${name} (detected: no .cpg)` : `${name} (detected)`
  return { cpg: `${name} (from the .cpg)`, ldid: `${name} (from the .dbf's language byte)`, detected, ascii: 'ASCII' }[encoding.how]
}
