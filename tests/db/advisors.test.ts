// Supabase's own security and performance lints (the CLI's `db advisors`), run against the
// migrated schema on PostgreSQL: no finding at WARN level or above.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { projectRoot } from '../../src/db/embedded.ts'
import { migrate } from '../../src/db/migrate.ts'
import { createPostgresDatabase, type ThrowawayPostgres } from '../helpers/databases.ts'

let throwaway: ThrowawayPostgres

beforeAll(async () => {
  throwaway = await createPostgresDatabase()
  const db = await openDatabase(throwaway.url)
  await migrate(db)
  await db.close()
})
afterAll(async () => {
  await throwaway?.drop()
})

test('supabase db advisors finds nothing at WARN or above', async () => {
  const run = promisify(execFile)
  const result = await run(
    'npx',
    ['supabase', 'db', 'advisors', '--db-url', throwaway.url, '--level', 'warn', '--fail-on', 'warn', '--output-format', 'json'],
    { cwd: projectRoot, env: { ...process.env, PGSSLMODE: 'disable', SUPABASE_TELEMETRY_DISABLED: '1' } },
  ).catch((error: { stdout: string; stderr: string; code: number }) => error)
  const report = JSON.parse(result.stdout) as { results: { name: string; level: string; detail: string }[] }
  expect(report.results.map((f) => `${f.level} ${f.name}: ${f.detail}`)).toEqual([])
  expect((result as { code?: number }).code ?? 0).toBe(0)
}, 120_000)
