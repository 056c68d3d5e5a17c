// PostGIS for the embedded database, without the libraries the atlas never loads.
//
// PGlite's PostGIS bundle (a 20 MB tar.gz) holds three WebAssembly libraries of about 16 MB each:
// postgis, postgis_topology and postgis_raster, with the SQL of all three and of the TIGER geocoder.
// PGlite unpacks a bundle and compiles every library in it each time a database opens. The atlas
// creates the postgis extension alone, so this bundle keeps postgis, its upgrade scripts, its
// contrib files and PROJ's data, and drops the rest: an open then costs a third of the compiling.
// The smaller bundle is derived from the installed one, once per machine, into node_modules/.cache;
// where that cannot be written, the installed bundle serves as it is.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import zlib from 'node:zlib'
import type { Extension, ExtensionSetupResult } from '@electric-sql/pglite'
import { postgis as installed } from '@electric-sql/pglite-postgis'
import tar from 'tar-stream'

/** What the atlas does not use: the topology and raster libraries and the SQL of their extensions. */
export function unused(name: string): boolean {
  return /^lib\/postgresql\/postgis_(topology|raster)-\d+\.so$/.test(name) || /^share\/postgresql\/extension\/postgis_(topology|raster|tiger_geocoder)[-._]/.test(name)
}

const cacheDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/grassroots-atlas')

/** The bundle without the unused entries, written beside the others under a name of the installed one's size and time. */
async function coreBundle(source: string): Promise<string> {
  const stat = fs.statSync(source)
  const key = crypto.createHash('sha256').update(`${source}\n${stat.size}\n${stat.mtimeMs}`).digest('hex').slice(0, 16)
  const target = path.join(cacheDir, `postgis-core-${key}.tar.gz`)
  if (fs.existsSync(target)) return target
  fs.mkdirSync(cacheDir, { recursive: true })
  // written under a name of its own and renamed, so that processes starting together never read half a file
  const partial = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`
  try {
    const extract = tar.extract()
    const pack = tar.pack()
    extract.on('entry', (header, stream, next) => {
      if (unused(header.name)) {
        stream.on('end', next)
        stream.resume()
      } else stream.pipe(pack.entry(header, next))
    })
    extract.on('finish', () => pack.finalize())
    await Promise.all([
      pipeline(fs.createReadStream(source), zlib.createGunzip(), extract),
      pipeline(pack, zlib.createGzip({ level: 1 }), fs.createWriteStream(partial)),
    ])
    fs.renameSync(partial, target)
    return target
  } finally {
    fs.rmSync(partial, { force: true })
  }
}

/** The postgis extension for PGlite.create, as the installed package's but with the smaller bundle. */
export const postgis: Extension = {
  name: 'postgis',
  setup: async (pg, emscriptenOpts: unknown): Promise<ExtensionSetupResult> => {
    const result = await installed.setup(pg, emscriptenOpts)
    const bundle = result.bundlePath
    if (!bundle || bundle.protocol !== 'file:') return result
    try {
      return { ...result, bundlePath: pathToFileURL(await coreBundle(fileURLToPath(bundle))) }
    } catch {
      return result
    }
  },
}
