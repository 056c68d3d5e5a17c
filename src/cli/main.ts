// `atlas`: how an administrator loads a city's files and reads its figures, over the same
// database and SQL functions as the app.
import { parseArgs } from 'node:util'
import { connect } from '../db/connect.ts'
import { isPostgresUrl, type Database } from '../db/database.ts'
import { DatabaseInUseError, defaultDataDir, lockHolder, readMeta, writeMeta } from '../db/embedded.ts'
import { coordinateSystems, importFile, type CoordinateSystem, type ImportResult } from '../db/import.ts'
import { loadSample } from '../db/sample.ts'
import { asCaller, userClaims } from '../db/session.ts'
import { ImportError } from '../db/validate.ts'
import { isLayerName, layerNames } from '../shared/layers.ts'
import { Auth } from '../server/auth.ts'
import { CommandError, coverage, describeCoverage, describeIsochrone, describeIsochrones, isochrone, isochrones, parsePoint, walkParams } from './commands/circles.ts'

const usage = `atlas — Grassroots Atlas (基层治理一张图) command line

usage: atlas [--db <folder | postgres://url>] <command> [options]

commands:
  import <layer> <file>   load a GeoJSON file into a layer, all or nothing
      --crs <system>      the file's coordinate system when it does not say: ${Object.keys(coordinateSystems).join(', ')}
      --upsert            replace features whose code already exists
  stats                   feature counts and totals per layer
  isochrones              compute and store every facility's service circle (and the 5/10/15-minute
                          bands) and every residence's walking time to each facility type
      --minutes <n>       time budget, 1–60 (default 8)
      --speed <m/min>     walking speed (default 66.7, i.e. 4 km/h)
  isochrone --at <lon>,<lat>   one circle from a point, not stored (--minutes, --speed)
  coverage                households and residents inside and outside the circles, per
                          community and facility type, and city totals (--minutes, --speed)
  load-sample             load the sample city (Longquan) into this database
  migrate                 create or update the schema (every command does this first)
  help                    this text

options:
  --db <target>           a folder for an embedded database (created if new, empty), or a
                          PostgreSQL URL; default: npm start's database, ${defaultDataDir}
  --json                  print the result as JSON

layers: ${layerNames.join(', ')}`

class UsageError extends Error {}

export async function main(argv: string[], out = console.log, err = console.error): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        crs: { type: 'string' },
        upsert: { type: 'boolean', default: false },
        minutes: { type: 'string' },
        speed: { type: 'string' },
        at: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    err(`atlas: ${(error as Error).message}\n\n${usage}`)
    return 2
  }
  const { values, positionals } = parsed
  const [command, ...rest] = positionals
  if (values.help || !command || command === 'help') {
    out(usage)
    return command || values.help ? 0 : 2
  }
  const target = values.db ?? defaultDataDir
  const print = (text: string, json: unknown) => out(values.json ? JSON.stringify(json, null, 2) : text)
  try {
    switch (command) {
      case 'import': {
        const [layer, file, ...extra] = rest
        if (!layer || !file || extra.length) throw new UsageError('import takes a layer and a file: atlas import <layer> <file>')
        if (!isLayerName(layer)) throw new UsageError(`unknown layer "${layer}"; layers: ${layerNames.join(', ')}`)
        const crs = values.crs
        if (crs !== undefined && !(crs in coordinateSystems))
          throw new UsageError(`unknown coordinate system "${crs}"; one of: ${Object.keys(coordinateSystems).join(', ')}`)
        const result = await withDatabase(target, (db) => importFile(db, layer, file, { crs: crs as CoordinateSystem | undefined, upsert: values.upsert }))
        print(describeImport(result), result)
        return 0
      }
      case 'stats': {
        if (rest.length) throw new UsageError('stats takes no arguments')
        const stats = await readStats(target)
        print(formatStats(stats), stats)
        return 0
      }
      case 'load-sample': {
        const results = await withDatabase(target, async (db) => {
          const loaded = await loadSample(db)
          if (!isPostgresUrl(target)) writeMeta(target, { ...readMeta(target), sampleLoadedAt: new Date().toISOString() })
          return loaded
        })
        print(results.map(describeImport).join('\n'), results)
        return 0
      }
      case 'isochrones': {
        if (rest.length) throw new UsageError('isochrones takes no arguments: atlas isochrones [--minutes 8] [--speed 66.7]')
        const params = walkParams(values)
        const progress = values.json || !process.stderr.isTTY ? undefined : (done: number, total: number) => process.stderr.write(`\r  circles ${done}/${total}`)
        const summary = await withDatabase(target, (db) => isochrones(db, params, progress))
        if (progress) process.stderr.write('\n')
        print(describeIsochrones(summary), summary)
        return 0
      }
      case 'isochrone': {
        if (rest.length) throw new UsageError('isochrone takes no arguments: atlas isochrone --at <lon>,<lat> [--minutes 8] [--speed 66.7]')
        const at = parsePoint(values.at)
        const params = walkParams(values)
        const result = await withDatabase(target, (db) => isochrone(db, at, params))
        print(describeIsochrone(result), result)
        return 0
      }
      case 'coverage': {
        if (rest.length) throw new UsageError('coverage takes no arguments: atlas coverage [--minutes 8] [--speed 66.7]')
        const params = walkParams(values)
        const report = await withDatabase(target, (db) => coverage(db, params))
        print(describeCoverage(report), report)
        return 0
      }
      case 'migrate': {
        const applied = await withDatabase(target, async () => [], true)
        print(applied.length ? `applied ${applied.join(', ')}` : 'the schema is up to date', { applied })
        return 0
      }
      default:
        throw new UsageError(`unknown command "${command}"`)
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof CommandError) {
      err(`atlas: ${error.message}\n\nrun "atlas help" for the commands`)
      return 2
    }
    if (values.json && error instanceof ImportError) err(JSON.stringify({ error: 'refused', file: error.file, problems: error.problems }, null, 2))
    else err(`atlas: ${(error as Error).message}`)
    return 1
  }
}

async function withDatabase<T>(target: string, work: (db: Database) => Promise<T>, reportMigrations = false): Promise<T> {
  const connection = await connect(target, 'atlas')
  try {
    const result = await work(connection.db)
    return (reportMigrations ? connection.migrations : result) as T
  } finally {
    await connection.close()
  }
}

/** Stats as a leader sees them; through the running server when it holds the embedded folder. */
async function readStats(target: string): Promise<Record<string, unknown>> {
  const holder = isPostgresUrl(target) ? undefined : lockHolder(target)
  if (holder?.url) {
    const auth = new Auth(readMeta(target).jwtSecret)
    const token = await auth.sign(userClaims('leader', 'atlas-cli'), 300)
    const response = await fetch(`${holder.url}/rest/v1/rpc/layer_stats`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    })
    const body = (await response.json()) as Record<string, unknown>
    if (!response.ok) throw new Error(`the running server answered ${response.status}: ${String(body.message)}`)
    return body
  }
  if (holder) throw new DatabaseInUseError(target, holder)
  return withDatabase(target, (db) =>
    asCaller(db, userClaims('leader', 'atlas-cli'), async (tx) => (await tx.query<{ stats: Record<string, unknown> }>('select public.layer_stats() as stats')).rows[0].stats, true),
  )
}

function describeImport(result: ImportResult): string {
  const updated = result.updated ? `, ${result.updated} replaced` : ''
  const crs = result.crs === 'wgs84' ? '' : ` (converted from ${result.crs} to WGS-84)`
  const formats = { osm: 'OSM XML', pbf: 'OSM PBF', graphml: 'OSMnx GraphML', geojson: 'GeoJSON' }
  const format = result.format && result.format !== 'geojson' ? ` (${formats[result.format]})` : ''
  const lines = [`${result.layer}: ${result.inserted} features imported${updated} from ${result.file}${format}${crs}`]
  const excluded = Object.entries(result.excluded ?? {}).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
  if (excluded.length) {
    const total = excluded.reduce((sum, [, n]) => sum + n, 0)
    const what = result.format === 'graphml' ? (total === 1 ? 'edge' : 'edges') : total === 1 ? 'way' : 'ways'
    lines.push(`left out ${total} ${what} a pedestrian cannot use: ${excluded.map(([reason, n]) => `${reason} ${n}`).join(', ')}`)
  }
  for (const warning of result.warnings ?? []) lines.push(`warning: ${warning}`)
  return lines.join('\n')
}

const number = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en-US') : String(value))

function formatStats(stats: Record<string, unknown>): string {
  const lines = ['layer             count  totals']
  // the layers in the order of the hierarchy and of loading, then anything newer the API reports
  const order = (layer: string) => (layerNames as readonly string[]).indexOf(layer) >>> 0
  const entries = Object.entries(stats).sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
  for (const [layer, value] of entries) {
    if (layer === 'bbox' || value === null || typeof value !== 'object') continue
    const { count, ...totals } = value as Record<string, unknown>
    const rest = Object.entries(totals).map(([k, v]) => `${k} ${number(v)}`).join(', ')
    lines.push(`${layer.padEnd(16)} ${number(count).padStart(6)}  ${rest}`)
  }
  if (Array.isArray(stats.bbox)) lines.push(`extent: ${stats.bbox.join(', ')} (west, south, east, north)`)
  return lines.join('\n')
}
