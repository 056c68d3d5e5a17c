// Runs every SQL test file of supabase/tests on the embedded database and on PostgreSQL.
// A file fails by raising; each ends in ROLLBACK.
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../../src/db/database.ts'
import { emptyDatabaseOn } from '../../tests/helpers/databases.ts'

const files = fs.readdirSync(import.meta.dirname).filter((f) => f.endsWith('.sql')).sort()

describe.each(['embedded', 'postgres'] as const)('SQL tests on the %s database', (target) => {
  const opened = emptyDatabaseOn(target)
  let db: Database
  beforeAll(() => {
    db = opened.db
  })

  test.each(files)('%s', async (file) => {
    const sql = fs.readFileSync(path.join(import.meta.dirname, file), 'utf8')
    expect(sql.trim().endsWith('rollback;')).toBe(true)
    // Inside a transaction of our own, so a failure is rolled back on the same connection.
    await db.transaction((tx) => tx.exec(sql))
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from atlas.street')
    expect(rows[0].n).toBe(0)
  })
})
