// The databases tests run against: copies of a prepared embedded database (PGlite + PostGIS),
// and throwaway databases on the Debian PostgreSQL (+ PostGIS + pgRouting), dropped after.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'

/** The server integration tests use; CI's .ci/run points it at a throwaway cluster. */
export const postgresAdminUrl = process.env.ATLAS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `atlas-${prefix}-`))
}

/** A private copy of the embedded database that global setup loaded with the sample city. */
export function copySampleDatabase(): string {
  const template = inject('sampleDatabase')
  const dir = path.join(tempDir('sample'), 'db')
  fs.cpSync(template, dir, { recursive: true })
  fs.copyFileSync(`${template}.meta.json`, `${dir}.meta.json`)
  return dir
}

/** A copy of the migrated, empty embedded database. */
export function copyEmptyDatabase(): string {
  const template = inject('emptyDatabase')
  const dir = path.join(tempDir('empty'), 'db')
  fs.cpSync(template, dir, { recursive: true })
  return dir
}

export interface ThrowawayPostgres {
  url: string
  drop(): Promise<void>
}

/** Creates a database of its own on the PostgreSQL server; drop() removes it. */
export async function createPostgresDatabase(): Promise<ThrowawayPostgres> {
  const name = `atlas_test_${crypto.randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: postgresAdminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(postgresAdminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresAdminUrl })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}
