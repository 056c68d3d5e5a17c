// Opens the database a command names (`--db <folder | postgres://url>`), takes the embedded
// folder's lock, and brings the schema up to date.
import { openDatabase, isPostgresUrl, type Database } from './database.ts'
import { acquireLock, defaultDataDir, isInitialised } from './embedded.ts'
import { migrate } from './migrate.ts'

export interface Connection {
  db: Database
  /** True when this call created the embedded database. */
  created: boolean
  migrations: string[]
  close(): Promise<void>
}

export async function connect(target: string = defaultDataDir, command = 'atlas', url?: string): Promise<Connection> {
  let release = () => {}
  let created = false
  if (!isPostgresUrl(target)) {
    release = acquireLock(target, command, url)
    created = !isInitialised(target)
  }
  let db: Database
  try {
    db = await openDatabase(target)
  } catch (error) {
    release()
    throw error
  }
  try {
    const migrations = await migrate(db)
    return {
      db,
      created,
      migrations,
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
