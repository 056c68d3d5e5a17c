// Opens the database a command names (`--db <folder | postgres://url>`), takes the embedded
// folder's lock, and brings the schema up to date: an embedded folder that already holds data is
// backed up first (`<folder>.backups/`), so an upgrade that goes wrong can be undone with `atlas restore`.
import { backupBeforeMigrating } from './backup.ts'
import { openDatabase, isPostgresUrl, type Database, type OpenOptions } from './database.ts'
import { acquireLock, defaultDataDir, isInitialised } from './embedded.ts'
import { migrate, pendingMigrations } from './migrate.ts'

export interface Connection {
  db: Database
  /** True when this call created the embedded database. */
  created: boolean
  migrations: string[]
  /** The backup written before the migrations applied (an existing embedded folder with migrations pending), for the caller to log. */
  backup?: string
  close(): Promise<void>
}

export async function connect(target: string = defaultDataDir, command = 'atlas', url?: string, options: OpenOptions = {}): Promise<Connection> {
  let release = () => {}
  let created = false
  if (!isPostgresUrl(target)) {
    release = acquireLock(target, command, url)
    created = !isInitialised(target)
  }
  let db: Database
  try {
    db = await openDatabase(target, options)
  } catch (error) {
    release()
    throw error
  }
  try {
    // A new folder has nothing to lose; a PostgreSQL server is backed up by its own tools.
    let backup: string | undefined
    if (db.kind === 'embedded' && !created) {
      const pending = await pendingMigrations(db)
      if (pending.length) {
        try {
          backup = await backupBeforeMigrating(db, target, pending[0])
        } catch (error) {
          throw new Error(`the database was not migrated: the backup before migrating failed: ${(error as Error).message}`, { cause: error })
        }
      }
    }
    const migrations = await migrate(db)
    return {
      db,
      created,
      migrations,
      ...(backup ? { backup } : {}),
      close: async () => {
        await db.close()
        release()
      },
    }
  } catch (error) {
    await db.close().catch(() => {})
    release()
    throw error
  }
}
