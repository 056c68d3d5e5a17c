// The one way the server, the CLI, the tests and the benchmarks reach a database: the embedded
// PGlite + PostGIS in a folder, or a PostgreSQL URL (Debian's server, or a Supabase project).
import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import pg from 'pg'

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>
  exec(sql: string): Promise<void>
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres'
  /** The folder or the URL (password hidden), for messages. */
  readonly target: string
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//.test(target)
}

export function hidePassword(url: string): string {
  return url.replace(/(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, '$1***@')
}

export async function openDatabase(target: string): Promise<Database> {
  return isPostgresUrl(target) ? openPostgres(target) : openEmbedded(target)
}

// ── embedded ─────────────────────────────────────────────────────────────────────────────
export async function openEmbedded(dataDir: string): Promise<Database> {
  const dir = path.resolve(dataDir)
  fs.mkdirSync(path.dirname(dir), { recursive: true })
  const db = await PGlite.create({ dataDir: dir, extensions: { postgis } })
  return {
    kind: 'embedded',
    target: dir,
    query: (sql, params) => db.query(sql, params) as never,
    exec: async (sql) => {
      await db.exec(sql)
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: (sql, params) => tx.query(sql, params) as never,
          exec: async (sql) => {
            await tx.exec(sql)
          },
        }),
      ),
    close: () => db.close(),
  }
}

// ── PostgreSQL ───────────────────────────────────────────────────────────────────────────
export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  // A pooled client that errors while idle must not bring the process down.
  pool.on('error', () => {})
  await pool.query('select 1')
  const wrap = (client: pg.PoolClient | pg.Pool): Queryable => ({
    query: async (sql, params) => {
      const result = await client.query(sql, params as unknown[])
      return { rows: result.rows }
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
