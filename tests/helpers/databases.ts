// The databases tests run against: copies of a prepared embedded database (PGlite + PostGIS),
// and throwaway databases on the Debian PostgreSQL (+ PostGIS + pgRouting), dropped after.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest'
import { openDatabase, openEmbedded, type Database, type Queryable } from '../../src/db/database.ts'
import { migrate } from '../../src/db/migrate.ts'
import { tempDir } from './temp.ts'
import { waitForTemplates } from './templates.ts'

/** The server integration tests use; CI's .ci/run points it at a throwaway cluster. */
export const postgresAdminUrl = process.env.ATLAS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export { tempDir }

/** A template's folder, once it is built: the build runs beside the first files of the run. */
function templateFolder(name: 'emptyDatabase' | 'sampleDatabase'): string {
  const folder = inject(name)
  waitForTemplates(path.dirname(folder))
  return folder
}

/** A private copy of the embedded database that global setup loaded with the sample city. */
export function copySampleDatabase(): string {
  const template = templateFolder('sampleDatabase')
  const dir = path.join(tempDir('sample'), 'db')
  fs.cpSync(template, dir, { recursive: true })
  fs.copyFileSync(`${template}.meta.json`, `${dir}.meta.json`)
  return dir
}

/** A copy of the migrated, empty embedded database. */
export function copyEmptyDatabase(): string {
  const template = templateFolder('emptyDatabase')
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

/**
 * An empty migrated database on either back end for the tests of a describe block: a copy of the
 * embedded template, or a database of its own on the PostgreSQL server, migrated, and dropped
 * after. Call it at the top of the block.
 */
export function emptyDatabaseOn(target: 'embedded' | 'postgres'): { readonly db: Database } {
  let db: Database | undefined
  let throwaway: ThrowawayPostgres | undefined
  beforeAll(async () => {
    if (target === 'embedded') db = await openEmbedded(copyEmptyDatabase())
    else {
      throwaway = await createPostgresDatabase()
      db = await openDatabase(throwaway.url)
      await migrate(db)
    }
  })
  afterAll(async () => {
    await db?.close()
    await throwaway?.drop()
  })
  return {
    get db() {
      if (!db) throw new Error('the database opens in beforeAll: read db inside a hook or a test')
      return db
    },
  }
}

/**
 * One open copy of the sample city for all the tests of a file, each test inside a transaction
 * rolled back after it: every test starts from the city as loaded, and the file opens the
 * database once (seconds) instead of once per group of tests. Call it at the top of the file.
 */
export function sampleCityRolledBack(): { readonly db: Database } {
  let raw: Database | undefined
  let db: Database | undefined
  let open = false
  beforeAll(async () => {
    raw = await openEmbedded(copySampleDatabase())
    db = withinTestTransaction(raw, () => open)
  })
  beforeEach(async () => {
    await raw!.exec('begin')
    open = true
  })
  afterEach(async () => {
    open = false
    await raw!.exec('rollback')
  })
  afterAll(async () => {
    await raw?.close()
  })
  return {
    get db() {
      if (!db) throw new Error('the sample city opens in beforeAll: read db inside a hook or a test')
      return db
    },
  }
}

/**
 * The database as the code under test sees it while a test's transaction is open: its
 * transactions are savepoints of the test's, so what they write is seen by the test and rolled
 * back with it; a statement that fails undoes only itself, as it would on its own. The settings a
 * caller's transaction takes locally (role, claims, timeout) end with it; a read-only one, which
 * wrote nothing, is rolled back to its savepoint, which also ends its read-only mode. Calls wait
 * their turn, as PGlite's own transactions do. Outside a test (in beforeAll) it is the database
 * itself.
 */
function withinTestTransaction(raw: Database, open: () => boolean): Database {
  let turn: Promise<unknown> = Promise.resolve()
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work)
    turn = result.catch(() => {})
    return result
  }
  const savepoint = async <T>(work: () => Promise<T>, keep: () => Promise<string>): Promise<T> => {
    await raw.exec('savepoint work')
    let result: T
    try {
      result = await work()
    } catch (error) {
      await raw.exec('rollback to savepoint work; release savepoint work')
      throw error
    }
    await raw.exec(await keep())
    return result
  }
  const statement = <T>(work: () => Promise<T>) => (open() ? inTurn(() => savepoint(work, () => Promise.resolve('release savepoint work'))) : work())
  const direct: Queryable = { query: (sql, params) => raw.query(sql, params), exec: (sql) => raw.exec(sql) }
  const readOnly = async () => (await raw.query<{ on: boolean }>(`select current_setting('transaction_read_only') = 'on' as on`)).rows[0].on
  return {
    kind: raw.kind,
    target: raw.target,
    query: (sql, params) => statement(() => raw.query(sql, params)),
    exec: (sql) => statement(() => raw.exec(sql)),
    transaction: (fn) =>
      open()
        ? inTurn(() =>
            savepoint(
              () => fn(direct),
              async () =>
                (await readOnly())
                  ? 'rollback to savepoint work; release savepoint work'
                  : `release savepoint work; reset role; reset statement_timeout; select set_config('request.jwt.claims', '', true)`,
            ),
          )
        : raw.transaction(fn),
    close: () => raw.close(),
  }
}
