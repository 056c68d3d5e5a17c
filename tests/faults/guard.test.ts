// The guard's reading of errors, on errors a real database throws: the ordinary ones (a constraint,
// row level security, bad input) pass through untouched and leave the database in use; the ones
// that say the ground is gone are told in words, and kept.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { DatabaseUnavailableError, EngineAbortedError, guardDatabase, problemOf, type GuardedDatabase } from '../../src/db/guard.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { fromDatabaseError } from '../../src/server/rpc.ts'
import { copyEmptyDatabase } from '../helpers/databases.ts'

let dir: string
let db: GuardedDatabase

beforeAll(async () => {
  dir = copyEmptyDatabase()
  db = guardDatabase(await openDatabase(dir), dir)
})

afterAll(async () => {
  await db.close()
})

describe('ordinary errors pass through unchanged and set no problem', () => {
  const cases: [string, string, (db: Database) => Promise<unknown>][] = [
    ['a unique constraint', '23505', (db) => db.query('insert into atlas.facility_type select * from atlas.facility_type limit 1')],
    ['bad input', '22P02', (db) => db.query(`select 'eight'::integer`)],
    // judged by its code, whatever its words quote
    ['a raised exception', 'P0001', (db) => db.exec(`do $$ begin raise exception 'could not open file "base/5/1": No space left on device'; end $$`)],
    ['a check in words', '22023', (db) => asCaller(db, userClaims('planner'), (tx) => tx.query(`select public.save_proposal('站', 'elderly_care', 119.1, 28.1, -8, 66.7)`))],
    [
      'row level security',
      '42501',
      (db) => asCaller(db, userClaims('leader'), (tx) => tx.query(`select public.save_proposal('站', 'elderly_care', 119.1, 28.1, 8, 66.7)`)),
    ],
  ]
  test.each(cases)('%s (%s)', async (_, code, call) => {
    const error = (await call(db).catch((e: unknown) => e)) as Error & { code: string }
    expect(error).not.toBeInstanceOf(DatabaseUnavailableError)
    expect(error.code).toBe(code)
    expect(problemOf(error, dir, dir)).toBeUndefined()
    expect(db.problem()).toBeUndefined()
    expect((await db.query<{ n: number }>('select 1 as n')).rows).toEqual([{ n: 1 }])
  })
})

test("the app's own error thrown inside a transaction comes out as it went in, whatever it says", async () => {
  const own = new Error('could not open file "report.pdf": No space left on device')
  await expect(db.transaction(async () => Promise.reject(own))).rejects.toBe(own)
  expect(db.problem()).toBeUndefined()
})

test('an aborted engine, a RuntimeError, a file gone: a storage error in words, or the folder gone when it is', () => {
  const aborted = problemOf(new EngineAbortedError(''), dir, dir)
  expect(aborted?.reason).toBe('storage_error')
  expect(aborted?.message).toContain(`the database ${dir} failed reading or writing its files`)
  expect(aborted?.message).toContain(`npx atlas --db ${dir} restore <file>`)
  expect(problemOf(new WebAssembly.RuntimeError('Aborted()'), dir, dir)?.reason).toBe('storage_error')
  const missing = (() => {
    try {
      fs.readFileSync(path.join(dir, 'base', 'no-such-relation'))
    } catch (error) {
      return error
    }
  })()
  expect(problemOf(missing, dir, dir)?.reason).toBe('storage_error')
  expect(problemOf(missing, dir, path.join(dir, 'not-a-folder'))?.reason).toBe('folder_missing')
  // a PostgreSQL server: named by its URL, nothing to look at on disk
  expect(problemOf(Object.assign(new Error('could not extend file "base/16384/1259": No space left on device'), { code: '53100' }), 'postgres://db.example/atlas')).toEqual({
    reason: 'disk_full',
    message: 'the disk holding postgres://db.example/atlas is full — free space, then restart the server',
  })
})

test('the folder removed inside a transaction: its next statement is refused, and so is every call after, snapshots included', async () => {
  const other = copyEmptyDatabase()
  const guarded = guardDatabase(await openDatabase(other), other)
  const error = await guarded
    .transaction(async (tx) => {
      await tx.query('select count(*) from atlas.street')
      fs.rmSync(other, { recursive: true, force: true })
      await tx.query('select count(*) from atlas.walk_edge')
    })
    .catch((e: unknown) => e)
  expect(error).toBeInstanceOf(DatabaseUnavailableError)
  expect(guarded.problem()?.reason).toBe('folder_missing')
  await expect(guarded.query('select 1')).rejects.toThrow(/is gone \(removed or moved\)/)
  if (guarded.snapshot) await expect(guarded.snapshot(() => Promise.resolve(1))).rejects.toBeInstanceOf(DatabaseUnavailableError)
  await guarded.close()
})

test('the API answers a lost database with 503 PGRST000, and an ordinary engine failure still with its own status', () => {
  const lost = new DatabaseUnavailableError({ reason: 'disk_full', message: 'the disk holding /srv/atlas is full — free space, then restart the server' })
  expect(fromDatabaseError(lost, false)).toEqual({
    status: 503,
    body: { code: 'PGRST000', message: 'the disk holding /srv/atlas is full — free space, then restart the server', details: 'disk_full', hint: null },
  })
  expect(fromDatabaseError(Object.assign(new Error('GEOSIntersects: TopologyException'), { code: 'XX000' }), false).status).toBe(500)
})
