// Run as a child process by the fault tests: the embedded database meets a full disk or loses its
// folder, for real, and what it answered is printed as JSON lines. A child, because PGlite's
// PostgreSQL may abort on it, and an abort not caught holds the process in a loop forever: the
// test kills a child that does not finish, where it could not stop its own worker.
//
//   node --import tsx tests/faults/storage.ts extend <folder> <fill file>   a table grows on a full disk
//   node --import tsx tests/faults/storage.ts panic <folder> <fill file>    the write-ahead log grows on a full disk
//   node --import tsx tests/faults/storage.ts removed <folder>              the folder removed under an open database
import fs from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '../../src/db/postgis.ts'
import { openDatabase } from '../../src/db/database.ts'
import { failOnAbort, guardDatabase, problemOf } from '../../src/db/guard.ts'

const [scenario, dir, fillFile] = process.argv.slice(2)
const say = (what: string, value: Record<string, unknown> = {}) => console.log(JSON.stringify({ what, ...value }))
const described = (error: unknown) => {
  const e = error as { name?: string; code?: string; message?: string }
  return { name: e.name, code: e.code, message: e.message, runtimeError: error instanceof WebAssembly.RuntimeError }
}

/** Writes zeros until the disk refuses: the last write's own error is the real ENOSPC of Node. */
function fillDisk(): unknown {
  const chunk = Buffer.alloc(1024 * 1024)
  const fd = fs.openSync(fillFile, 'w')
  try {
    for (;;) fs.writeSync(fd, chunk)
  } catch (error) {
    // the last bytes, in smaller pieces, so that not a page is left
    const small = Buffer.alloc(4096)
    try {
      for (;;) fs.writeSync(fd, small)
    } catch {
      // full
    }
    return error
  } finally {
    fs.closeSync(fd)
  }
}

async function attempt(call: () => Promise<unknown>): Promise<{ ok: boolean; error?: ReturnType<typeof described>; raw?: unknown }> {
  try {
    await call()
    return { ok: true }
  } catch (error) {
    return { ok: false, error: described(error), raw: error }
  }
}

if (scenario === 'extend') {
  // a table that grows asks the disk for pages first: PostgreSQL's clean ERROR 53100
  const db = await openDatabase(dir)
  const guarded = guardDatabase(db, dir, { reserveBytes: 0 })
  const enospc = fillDisk()
  say('fs', { error: described(enospc), problem: problemOf(enospc, dir) })
  const raw = await attempt(() => db.exec(`create table public.fault_fill as select g, repeat('x', 500) as x from generate_series(1, 20000) g`))
  say('raw write', { ok: raw.ok, error: raw.error, problem: problemOf(raw.raw, dir, dir, 0) })
  const write = await attempt(() => guarded.transaction((tx) => tx.exec(`create table public.fault_fill as select g, repeat('x', 500) as x from generate_series(1, 20000) g`)))
  say('guarded write', { ok: write.ok, error: write.error, problem: guarded.problem() })
  const read = await attempt(() => guarded.query('select count(*) from atlas.street'))
  say('guarded read', { ok: read.ok, error: read.error })
  fs.rmSync(fillFile)
  await guarded.close()
  say('closed')
} else if (scenario === 'panic') {
  // rows updated in place need no new pages, only log: when a new log segment gets no room,
  // PostgreSQL PANICs and the WebAssembly instance aborts
  const pglite = await PGlite.create({ dataDir: dir, extensions: { postgis } })
  failOnAbort(pglite)
  await pglite.exec(
    `create table public.fault_log (id integer primary key, n integer) with (fillfactor = 40);
     insert into public.fault_log select g, 0 from generate_series(1, 100000) g;
     checkpoint`,
  )
  fillDisk()
  let failed: Awaited<ReturnType<typeof attempt>> | undefined
  let committed = 0
  while (committed < 20 && !failed) {
    const update = await attempt(() => pglite.transaction(async (tx) => void (await tx.query('update public.fault_log set n = n + 1'))))
    if (update.ok) committed++
    else failed = update
  }
  say('update', { committed, error: failed?.error, problem: failed ? problemOf(failed.raw, dir, dir) : undefined })
  const after = await attempt(() => pglite.query('select 1'))
  say('after', { ok: after.ok, error: after.error })
  fs.rmSync(fillFile)
  await pglite.close().catch(() => {})
  say('closed')
  // with room again, the folder opens (PostgreSQL recovers from its log) and holds the updates that committed
  const again = await PGlite.create({ dataDir: dir, extensions: { postgis } })
  const { rows } = await again.query<{ rows: number; n: number }>('select count(*)::int as rows, min(n) as n from public.fault_log')
  say('reopened', rows[0])
  await again.close()
} else if (scenario === 'removed') {
  const pglite = await PGlite.create({ dataDir: dir, extensions: { postgis } })
  failOnAbort(pglite)
  await pglite.query('select count(*) from atlas.street')
  fs.rmSync(dir, { recursive: true, force: true })
  // relations this connection has not read yet: their files are gone
  for (const sql of ['select count(*) from atlas.walk_edge', 'select count(*) from atlas.residence', `insert into atlas.grid select * from atlas.grid where false`]) {
    const result = await attempt(() => pglite.query(sql))
    say('query', { sql, ok: result.ok, error: result.error, problem: result.ok ? undefined : problemOf(result.raw, dir, dir) })
  }
  await pglite.close().catch(() => {})
  say('closed')
} else {
  console.error(`unknown scenario ${scenario}`)
  process.exit(2)
}
