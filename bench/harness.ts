// Benchmarks are measured against a rival in the same run (these machines are noisy):
// ratio = the rival's time ÷ ours, so above 1 means ours is faster.
import path from 'node:path'
import pg from 'pg'
import { connect } from '../src/db/connect.ts'
import type { Database } from '../src/db/database.ts'
import { readMeta } from '../src/db/embedded.ts'
import { loadSample } from '../src/db/sample.ts'
export interface BenchResult {
  name: string
  value: number
  unit: string
  /** The rival measured in the same run, or null where there is none (sizes). */
  baseline: string | null
  ratio: number | null
  n: number
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Median wall time of n runs in milliseconds (after `warmup` unmeasured runs). */
export async function time(n: number, run: (i: number) => Promise<unknown>, warmup = 0): Promise<number> {
  for (let i = 0; i < warmup; i++) await run(-1 - i)
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await run(i)
    times.push(performance.now() - t0)
  }
  return median(times)
}

export function compare(name: string, ours: number, rival: number, baseline: string, n: number, unit = 'ms'): BenchResult {
  return { name, value: round(ours), unit, baseline, ratio: round(rival / ours, 3), n }
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits

/** The Debian PostgreSQL the rivals run on (trust auth), as the integration tests use it. */
export const postgresAdminUrl = process.env.ATLAS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** Runs work on a database of its own on that server, created for it and dropped after. */
export async function withThrowawayPostgres<T>(prefix: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${process.pid}`
  const admin = new pg.Client({ connectionString: postgresAdminUrl })
  await admin.connect()
  try {
    await admin.query(`drop database if exists ${name}`)
    await admin.query(`create database ${name}`)
    const url = new URL(postgresAdminUrl)
    url.pathname = `/${name}`
    return await work(url.toString())
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

/**
 * A new embedded folder `<root>/sample` with the sample city loaded through the importer (and
 * whatever `prepare` adds), closed, its secret made: for a benchmark to serve or copy.
 */
export async function sampleCityFolder(root: string, log: (message: string) => void, prepare?: (db: Database) => Promise<void>): Promise<string> {
  log('loading the sample city into a fresh database …')
  const folder = path.join(root, 'sample')
  const loading = await connect(folder, 'bench')
  await loadSample(loading.db)
  await prepare?.(loading.db)
  await loading.close()
  readMeta(folder)
  return folder
}
