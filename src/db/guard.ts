// The server's database, watched: a database that loses its folder or its disk answers every
// later call with one clear error instead of half-working.
//
// What PGlite 0.5 does when the ground goes (found by trying it):
// - Its folder removed while open: no crash, but nonsense — "could not open file base/5/…",
//   "could not create directory", ERRORDATA_STACK_SIZE, and even empty answers to reads and
//   "success" for writes into nothing. So the folder is looked at before every call and after
//   every answer (a stat of PG_VERSION costs microseconds), not only after an error.
// - A full disk while a table grows: a clean ERROR 53100 "could not extend file …: No space left
//   on device". While the write-ahead log grows (a new 16 MB segment): a PANIC, which aborts the
//   WebAssembly instance, and PGlite's loop that feeds it the message then retries forever,
//   holding the event loop. So the guard keeps a reserve (it stops before the disk has less than
//   a few log segments free), and failOnAbort turns an abort into an error all later calls throw.
// Either way the problem is kept: the server never writes to a damaged database again.
import fs from 'node:fs'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import type { Database, Queryable } from './database.ts'

export interface DatabaseProblem {
  reason: 'folder_missing' | 'disk_full' | 'storage_error'
  /** In words, for the page and the log. */
  message: string
}

export interface GuardedDatabase extends Database {
  /** Why the database is unavailable, once it is; undefined while it is fine. */
  problem(): DatabaseProblem | undefined
}

/** Thrown by every call once the database is unavailable: PostgREST's 503 PGRST000. */
export class DatabaseUnavailableError extends Error {
  readonly status = 503
  readonly code = 'PGRST000'
  constructor(readonly problem: DatabaseProblem) {
    super(problem.message)
    this.name = 'DatabaseUnavailableError'
  }
}

/** Thrown by PGlite's calls once its PostgreSQL has aborted (a PANIC): see failOnAbort. */
export class EngineAbortedError extends Error {
  constructor(readonly reason: string) {
    super(`the embedded PostgreSQL stopped (a PANIC aborted it${reason ? `: ${reason}` : ''})`)
    this.name = 'EngineAbortedError'
  }
}

/**
 * Below this much free space on the folder's disk the database is treated as full: PostgreSQL
 * needs a new 16 MB log segment now and then, and cannot fail cleanly when it does not get one.
 */
export const diskReserveBytes = 64 * 1024 * 1024

export function folderMissing(dataDir: string): DatabaseProblem {
  return {
    reason: 'folder_missing',
    message:
      `the database folder ${dataDir} is gone (removed or moved) — the server stopped using it. ` +
      `Restore the latest backup with \`npx atlas --db ${dataDir} restore <file>\`, then restart`,
  }
}

export function diskFull(where: string): DatabaseProblem {
  return { reason: 'disk_full', message: `the disk holding ${where} is full — free space, then restart the server` }
}

export function storageError(where: string, detail: string, dataDir?: string): DatabaseProblem {
  const restore = dataDir ? `; if it fails again, restore the latest backup with \`npx atlas --db ${dataDir} restore <file>\`` : ''
  return {
    reason: 'storage_error',
    message: `the database ${where} failed reading or writing its files (${detail}) — the server stopped using it. Restart the server${restore}`,
  }
}

/** Free bytes on the disk holding the folder; undefined when it cannot be asked (the folder gone). */
export function freeBytes(dataDir: string): number | undefined {
  try {
    const stats = fs.statfsSync(dataDir)
    return Number(stats.bavail) * Number(stats.bsize)
  } catch {
    return undefined
  }
}

/** What is wrong with the folder itself, before any call: gone, or on a disk with no room left. */
export function folderProblem(dataDir: string, reserve = diskReserveBytes): DatabaseProblem | undefined {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return folderMissing(dataDir)
  const free = freeBytes(dataDir)
  if (free !== undefined && free < reserve) return diskFull(dataDir)
  return undefined
}

const diskFullWords = /No space left on device|ENOSPC/i
const storageWords = /No such file or directory|i\/o error|could not open file|could not create directory|could not (read|write|extend|fsync|stat|seek)|ERRORDATA_STACK_SIZE/i

/**
 * The problem an error reveals, or undefined for an ordinary error (a constraint, RLS, bad input),
 * which passes through unchanged. `where` names the database in the message (the folder, or the URL).
 * An error is judged by its code or its kind, not by its words (a message may quote anything the
 * user typed); only PostgreSQL's internal errors (XX000, GEOS's among them) and the system's (Node's
 * ENOENT, EIO, …) are read.
 */
export function problemOf(error: unknown, where: string, dataDir?: string, reserve = diskReserveBytes): DatabaseProblem | undefined {
  if (error instanceof DatabaseUnavailableError) return error.problem
  const e = (error ?? {}) as { code?: unknown; message?: unknown }
  const code = typeof e.code === 'string' ? e.code : ''
  const message = typeof e.message === 'string' ? e.message : String(error)
  const sqlState = /^[0-9A-Z]{5}$/.test(code) ? code : undefined
  if (code === '53100' || code === 'ENOSPC') return diskFull(where)
  const readWords = sqlState === 'XX000' || /^E[A-Z]+$/.test(code)
  if (readWords && diskFullWords.test(message)) return diskFull(where)
  const storage =
    error instanceof EngineAbortedError ||
    error instanceof WebAssembly.RuntimeError ||
    (sqlState !== undefined && (sqlState.startsWith('58') || sqlState === 'XX001' || sqlState === 'XX002')) ||
    (readWords && storageWords.test(message))
  if (!storage) return undefined
  // what the folder says now decides between the three: an abort does not say why
  if (dataDir) {
    const found = folderProblem(dataDir, reserve)
    if (found) return found
  }
  return storageError(where, message.split('\n')[0].slice(0, 200), dataDir)
}

export interface GuardOptions {
  /** The free space below which the folder's disk counts as full (diskReserveBytes). */
  reserveBytes?: number
}

/**
 * Wraps a database so that every call (query, exec, transaction, snapshot, and any the interface
 * grows) first refuses if a problem is known or the folder shows one, and every error that reveals
 * one makes it known, for good. `dataDir` is the embedded database's folder; without it (a
 * PostgreSQL URL) only the errors are read.
 */
export function guardDatabase(db: Database, dataDir?: string, options: GuardOptions = {}): GuardedDatabase {
  const folder = dataDir ? path.resolve(dataDir) : undefined
  const reserve = options.reserveBytes ?? diskReserveBytes
  const where = folder ?? db.target
  let known: DatabaseProblem | undefined

  const stop = (problem: DatabaseProblem): DatabaseUnavailableError => {
    if (!known) {
      known = problem
      console.error(`atlas: ${problem.message}`)
    }
    return new DatabaseUnavailableError(known)
  }
  const check = () => {
    if (known) throw new DatabaseUnavailableError(known)
    const found = folder ? folderProblem(folder, reserve) : undefined
    if (found) throw stop(found)
  }
  /** After an answer: one read from a folder that is gone is not to be trusted (a write that took space is). */
  const recheck = () => {
    if (known) throw new DatabaseUnavailableError(known)
    if (folder && !fs.existsSync(path.join(folder, 'PG_VERSION'))) throw stop(folderMissing(folder))
  }
  const failed = (error: unknown): unknown => {
    if (known) return new DatabaseUnavailableError(known)
    const found = problemOf(error, where, folder, reserve)
    return found ? stop(found) : error
  }
  async function guarded<T>(call: () => Promise<T>): Promise<T> {
    check()
    let result: T
    try {
      result = await call()
    } catch (error) {
      throw failed(error)
    }
    recheck()
    return result
  }
  const watch = (tx: Queryable): Queryable => ({
    query: (sql, params) => guarded(() => tx.query(sql, params)),
    exec: (sql) => guarded(() => tx.exec(sql)),
  })

  // Every function member the database has (the interface may grow), then the ones that hand out a transaction.
  const wrapped: Record<string, unknown> = {}
  const members: [string, unknown][] = Object.entries(db)
  for (const [name, member] of members) {
    // every member of a Database is asynchronous; its arguments pass through unread
    if (typeof member === 'function' && name !== 'close') wrapped[name] = (...args: unknown[]) => guarded(() => (member as (...args: unknown[]) => Promise<unknown>).apply(db, args))
  }
  const snapshot = db.snapshot
  return {
    ...db,
    ...wrapped,
    query: (sql, params) => guarded(() => db.query(sql, params)),
    exec: (sql) => guarded(() => db.exec(sql)),
    transaction: (fn, options) => guarded(() => db.transaction((tx) => fn(watch(tx)), options)),
    ...(snapshot ? { snapshot: (read) => guarded(() => snapshot((tx) => read(watch(tx)))) } : {}),
    // a database already lost may fail to close: it is let go all the same
    close: async () => {
      try {
        await db.close()
      } catch (error) {
        if (!known && !problemOf(error, where, folder, reserve)) throw error
      }
    },
    problem: () => known,
  }
}

interface EngineModule {
  onAbort?: (what: unknown) => void
  [name: string]: unknown
}

/**
 * Makes an aborted PGlite throw instead of hang. PostgreSQL's PANIC aborts the WebAssembly
 * instance (Emscripten's `onAbort` is told first); PGlite 0.5 catches the abort inside the loop
 * that feeds the instance a message and calls it again, forever. From the abort on, the entry
 * points that loop calls throw EngineAbortedError, which leaves the loop and fails the call, and
 * every later one. Call it once, right after PGlite.create.
 */
export function failOnAbort(pglite: PGlite): void {
  // PGlite keeps its Emscripten module in a protected member, which no public API gives out.
  const mod = (pglite as unknown as { mod?: EngineModule }).mod
  if (!mod) return
  mod.onAbort = (what) => {
    const error = new EngineAbortedError(what === undefined || what === null ? '' : typeof what === 'string' || what instanceof Error ? String(what) : JSON.stringify(what))
    const fail = () => {
      throw error
    }
    for (const name of ['_PostgresMainLoopOnce', '_PostgresMainLongJmp', '_pgl_setPGliteExitStatus', '_PostgresSendReadyForQueryIfNecessary', '_pgl_pq_flush'])
      mod[name] = fail
  }
}
