// Applies supabase/migrations in order, each in its own transaction, and records them where the
// Supabase CLI does (supabase_migrations.schema_migrations), so `supabase db push` agrees.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Database, Queryable } from './database.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const migrationsDir = path.join(root, 'supabase/migrations')
const bootstrapFile = path.join(root, 'supabase/bootstrap/roles.sql')

export interface Migration {
  version: string
  name: string
  file: string
}

export function listMigrations(): Migration[] {
  return fs
    .readdirSync(migrationsDir)
    .filter((file) => /^\d{14}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: file.slice(0, 14), name: file.slice(15, -4), file: path.join(migrationsDir, file) }))
}

/** The migrations this atlas has that the database has not applied, oldest first (all of them on a new database). */
export async function pendingMigrations(db: Queryable): Promise<Migration[]> {
  const { rows } = await db.query<{ exists: boolean }>(`select to_regclass('supabase_migrations.schema_migrations') is not null as exists`)
  const applied = rows[0].exists ? new Set((await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map((r) => r.version)) : new Set()
  return listMigrations().filter((m) => !applied.has(m.version))
}

/** Returns the versions it applied (none when the database is up to date). */
export async function migrate(db: Database): Promise<string[]> {
  await db.exec(fs.readFileSync(bootstrapFile, 'utf8'))
  await db.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key, statements text[], name text);`)
  const applied: string[] = []
  for (const migration of await pendingMigrations(db)) {
    const sql = fs.readFileSync(migration.file, 'utf8')
    try {
      await db.transaction(async (tx) => {
        await tx.exec(sql)
        await tx.exec('reset search_path')
        await tx.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
          migration.version,
          migration.name,
          [sql],
        ])
      })
    } catch (error) {
      throw new Error(`migration ${path.basename(migration.file)} failed: ${(error as Error).message}`, { cause: error })
    }
    applied.push(migration.version)
  }
  return applied
}
