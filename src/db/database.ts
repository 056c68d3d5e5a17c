// The one way the server, the CLI, the tests and the benchmarks reach a database: the embedded
// PGlite + PostGIS in a folder, or a PostgreSQL URL (Debian's server, or a Supabase project).
import fs from 'node:fs'
import path from 'node:path'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { postgis } from './postgis.ts'
import pg from 'pg'
import { failOnAbort } from './guard.ts'

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>
  exec(sql: string): Promise<void>
}

/** A copy of the embedded data folder, and what was read in the same moment. */
export interface Snapshot<T> {
  /** The data folder as a tar, as PGlite's dumpDataDir writes it. */
  tar: Uint8Array
  read: T
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres'
  /** The folder or the URL (password hidden), for messages. */
  readonly target: string
  /** A transaction; `deadlineMs` lengthens the thread's deadline for this one (a city's import). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { deadlineMs?: number }): Promise<T>
  close(): Promise<void>
  /**
   * The embedded kind only (`atlas backup`): the data folder, copied inside one transaction after a
   * checkpoint, so the copy holds every transaction committed before it whole and nothing of any
   * other; `read` runs first in that transaction, to say what the copy holds. A plain function
   * property, so that a wrapper made by spreading the database keeps it.
   */
  snapshot?: <T>(read: (tx: Queryable) => Promise<T>) => Promise<Snapshot<T>>
  /**
   * The embedded database in its own thread only (src/db/thread.ts): the longest a transaction may
   * take before it is ended, and the thread with it (undefined: no limit). Read at every
   * transaction, so a server sets it once its start-up (migrations, the sample city) is done.
   */
  limits?: { deadlineMs?: number }
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//.test(target)
}

export function hidePassword(url: string): string {
  return url.replace(/(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, '$1***@')
}

export interface OpenOptions {
  /**
   * The embedded database in a thread of its own (src/db/thread.ts), so the process's event loop
   * never waits on a query, with a deadline per transaction: the server's choice.
   */
  thread?: boolean
}

// ── embedded ─────────────────────────────────────────────────────────────────────────────
/**
 * The embedded folder holds password hashes and every row: it is the user's alone, as PostgreSQL
 * insists of its own data directory. Files PGlite creates from now on are made 0600 (the process's
 * umask, since PGlite creates them as it goes), and a folder made before is closed up on opening.
 */
export function makePrivate(dir: string): void {
  // process.umask() without an argument is deprecated: set, then widen what was there
  const previous = process.umask(0o077)
  process.umask(previous | 0o077)
  if (!fs.existsSync(dir)) return
  for (const entry of [{ parentPath: path.dirname(dir), name: path.basename(dir), dir: true }, ...fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => ({ parentPath: e.parentPath, name: e.name, dir: e.isDirectory() }))]) {
    const file = path.join(entry.parentPath, entry.name)
    const mode = fs.lstatSync(file).mode & 0o777
    const wanted = mode & (entry.dir ? 0o700 : 0o600)
    if (mode !== wanted) fs.chmodSync(file, wanted)
  }
}

/** The folder made ready for PGlite: created if need be, and private (on the main thread: see makePrivate). */
export function prepareFolder(dataDir: string): string {
  const dir = path.resolve(dataDir)
  fs.mkdirSync(path.dirname(dir), { recursive: true })
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  makePrivate(dir)
  return dir
}

export async function openDatabase(target: string, options: OpenOptions = {}): Promise<Database> {
  if (isPostgresUrl(target)) return openPostgres(target)
  if (options.thread) {
    const { openEmbeddedInThread } = await import('./thread.ts')
    return openEmbeddedInThread(target)
  }
  return openEmbedded(target)
}

export async function openEmbedded(dataDir: string): Promise<Database> {
  return openPGlite(prepareFolder(dataDir))
}

/** PGlite + PostGIS on a folder already prepared; here, or in the database's own thread (./engine.ts). */
export async function createPGlite(dir: string): Promise<PGlite> {
  const db = await PGlite.create({ dataDir: dir, extensions: { postgis } })
  // a PANIC (the log's disk full) must fail the calls, not spin the event loop forever
  failOnAbort(db)
  return db
}

/**
 * The folder's data as a tar, as PGlite's dumpDataDir writes it, taken inside the caller's
 * transaction after a checkpoint. dumpDataDir reads the folder without taking PGlite's query lock:
 * hold it, so that no statement runs meanwhile.
 */
export async function dumpInTransaction(db: PGlite, tx: Queryable): Promise<Uint8Array> {
  await tx.exec('checkpoint')
  const dump = await db._runExclusiveQuery(() => db.dumpDataDir('none'))
  return new Uint8Array(await dump.arrayBuffer())
}

export async function openPGlite(dir: string): Promise<Database> {
  const db = await createPGlite(dir)
  const inTransaction = (tx: Transaction): Queryable => ({
    query: <T>(sql: string, params?: unknown[]) => tx.query<T>(sql, params),
    exec: async (sql) => {
      await tx.exec(sql)
    },
  })
  return {
    kind: 'embedded',
    target: dir,
    query: <T>(sql: string, params?: unknown[]) => db.query<T>(sql, params),
    exec: async (sql) => {
      await db.exec(sql)
    },
    transaction: (fn) => db.transaction((tx) => fn(inTransaction(tx))),
    close: () => db.close(),
    // PGlite runs one transaction at a time, and the server makes every request one transaction:
    // while this one is open no other request is half-done. The checkpoint writes every committed
    // page to the data files, so the copy opens without replaying the log.
    snapshot: (read) =>
      db.transaction(async (raw) => {
        const tx = inTransaction(raw)
        const value = await read(tx)
        return { tar: await dumpInTransaction(db, tx), read: value }
      }),
  }
}

// ── PostgreSQL ───────────────────────────────────────────────────────────────────────────
export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  // A pooled client that errors while idle must not bring the process down.
  pool.on('error', () => {})
  await pool.query('select 1')
  const wrap = (client: pg.PoolClient | pg.Pool): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) => {
      const result = await client.query<pg.QueryResultRow>(sql, params)
      // The caller names the columns' types: the driver knows only the values it parsed.
      return { rows: result.rows as T[] }
    },
    exec: async (sql) => {
      await client.query(sql)
    },
  })
  return {
    kind: 'postgres',
    target: hidePassword(url),
    ...wrap(pool),
    transaction: async (fn) => {
      const client = await pool.connect()
      try {
        await client.query('begin')
        const result = await fn(wrap(client))
        await client.query('commit')
        return result
      } catch (error) {
        await client.query('rollback').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    close: () => pool.end(),
  }
}
