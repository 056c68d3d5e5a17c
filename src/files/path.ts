// The Node side of reading a city's file: a path (a file, the .shp of a Shapefile, a folder) read
// into the bytes readSource takes, and SQLite's WebAssembly found in node_modules.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import initSqlJs, { type SqlJsStatic } from 'sql.js'
import { FileError, readSource, type ReadOptions, type Source, type SourceFile } from './source.ts'

const require = createRequire(import.meta.url)
let sqlJs: Promise<SqlJsStatic> | undefined
const loadSqlJs = () => (sqlJs ??= initSqlJs({ locateFile: (name: string) => require.resolve(`sql.js/dist/${name}`) }))

/** A Shapefile's companions, and the files a folder may hold a layer in. */
const shapefileParts = new Set(['shp', 'dbf', 'prj', 'cpg'])
const layerFiles = new Set([...shapefileParts, 'gpkg', 'csv', 'xlsx', 'geojson', 'json'])

const read = (file: string, name = path.basename(file)): SourceFile => ({ name, bytes: new Uint8Array(fs.readFileSync(file)) })

export async function readSourcePath(file: string, options: ReadOptions = {}): Promise<Source> {
  let files: SourceFile[]
  try {
    const stat = fs.statSync(file)
    const ext = (name: string) => path.extname(name).slice(1).toLowerCase()
    if (stat.isDirectory()) {
      files = fs
        .readdirSync(file)
        .filter((name) => layerFiles.has(ext(name)))
        .map((name) => read(path.join(file, name)))
      if (!files.length) throw new FileError(file, 'the folder holds no Shapefile, GeoPackage, CSV, Excel or GeoJSON file')
    } else if (shapefileParts.has(ext(file)) || ext(file) === 'shx') {
      // any of a Shapefile's files names it: its .shp and companions are read
      const stem = path.basename(file).slice(0, -ext(file).length - 1)
      const dir = path.dirname(file)
      files = fs
        .readdirSync(dir)
        .filter((name) => shapefileParts.has(ext(name)) && name.slice(0, -ext(name).length - 1) === stem)
        .map((name) => read(path.join(dir, name)))
    } else files = [read(file)]
  } catch (error) {
    if (error instanceof FileError) throw error
    throw new FileError(file, `cannot read the file: ${(error as Error).message}`)
  }
  return readSource(file, files, options, { sqlJs: loadSqlJs })
}
