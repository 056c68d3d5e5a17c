// Backups of the embedded database (src/db/backup.ts): a backup taken while the server serves a
// stream of writes restores to exactly a prefix of them, every write whole, and to the same
// features, rows and migrations as the source; files that are not backups (or no longer whole)
// are refused in words with nothing written; restore refuses a folder that holds anything or is
// in use; connect() backs an existing folder up before migrating it, and that backup restores
// and then migrates.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { backupsFolder, createBackup, parseBackupHeader, type Backup, restoreBackup, saveBackupFile, verifyBackupFile, type BackupManifest } from '../../src/db/backup.ts'
import { connect } from '../../src/db/connect.ts'
import { openDatabase, type Database, type Queryable } from '../../src/db/database.ts'
import { readMeta, writeMeta } from '../../src/db/embedded.ts'
import { listMigrations, migrationsDir } from '../../src/db/migrate.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { createAtlasServer, listen } from '../../src/server/app.ts'
import { Auth } from '../../src/server/auth.ts'
import { copySampleDatabase, tempDir } from '../helpers/databases.ts'

/** What a database holds, to compare a restored copy with its source. */
interface Fingerprint {
  stats: Record<string, unknown>
  rows: Record<string, number>
  migrations: string[]
}

async function fingerprint(db: Database): Promise<Fingerprint> {
  const stats = await asCaller(db, userClaims('leader', 'test'), async (tx) => (await tx.query<{ s: Record<string, unknown> }>('select public.layer_stats() as s')).rows[0].s, true)
  const tables = (
    await db.query<{ name: string }>(
      `select format('%I.%I', table_schema, table_name) as name from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema in ('atlas', 'public', 'atlas_auth', 'supabase_migrations') order by 1`,
    )
  ).rows.map((r) => r.name)
  const rows: Record<string, number> = {}
  for (const table of tables) rows[table] = (await db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0].n
  const migrations = (await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations order by version')).rows.map((r) => r.version)
  return { stats, rows, migrations }
}

/** Nothing of a refused restore is left: no folder (or the same empty one), no side file, no temporary sibling. */
function expectNothingWritten(dir: string, existedEmpty = false): void {
  if (existedEmpty) expect(fs.readdirSync(dir)).toEqual([])
  else expect(fs.existsSync(dir)).toBe(false)
  expect(fs.existsSync(`${dir}.meta.json`)).toBe(false)
  expect(fs.readdirSync(path.dirname(dir)).filter((name) => name.includes('restoring'))).toEqual([])
}

async function refusal(work: Promise<unknown>): Promise<string> {
  const outcome = await work.then(
    () => undefined,
    (error: unknown) => error as Error,
  )
  if (!outcome) throw new Error('it was accepted')
  expect(outcome.name).toBe('BackupError')
  return outcome.message
}

let source: string
let db: Database
let server: http.Server
let url: string
let auth: Auth
let backupFile: string
const scratch = tempDir('backup')

beforeAll(async () => {
  source = copySampleDatabase()
  // as after `npm start` loaded the sample: the restore must carry it, or npm start loads it again
  writeMeta(source, { ...readMeta(source), sampleLoadedAt: '2026-11-20T08:00:00.000Z' })
  db = await openDatabase(source)
  auth = new Auth(readMeta(source).jwtSecret)
  server = await createAtlasServer({ db, auth })
  url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
})

afterAll(async () => {
  server?.closeAllConnections()
  server?.close()
  await db?.close()
  // the copies and backups weigh hundreds of megabytes
  for (const dir of [scratch, source && path.dirname(source)]) if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('a backup while the server serves writes', () => {
  test('restores to a prefix of the writes, each whole, and otherwise to the same features, rows and migrations', async () => {
    // Three proposed items, toggled proposed ⇄ rejected in turn through the API: write i moves item
    // i mod 3, adding one version and one history row. A copy holding writes 0..k-1 whole has item j
    // moved ⌈(k − j) / 3⌉ times, its status, version and history agreeing.
    const items = (await db.query<{ code: string; version: number; history: number }>(
      `select i.code, i.version, (select count(*)::int from atlas.backlog_change c where c.item_code = i.code) as history
       from atlas.backlog_item i where i.status = 'proposed' order by i.code limit 3`,
    )).rows
    expect(items).toHaveLength(3)
    const token = await auth.sign(userClaims('works', 'backup-test'), 600)
    let written = 0
    let stopAt = Infinity
    const writer = (async () => {
      for (let i = 0; i < stopAt; i++) {
        const item = items[i % 3]
        const status = Math.floor(i / 3) % 2 === 0 ? 'rejected' : 'proposed'
        // each of its writes so far added one version
        const version = item.version + Math.floor(i / 3)
        const response = await fetch(`${url}/rest/v1/rpc/set_backlog_status`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ code: item.code, status, version }),
        })
        if (!response.ok) throw new Error(`write ${i} refused: ${await response.text()}`)
        written = i + 1
        // a steady stream, not a flood: the backup's gzip shares the machine with it
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    let backup: Backup
    let writtenBefore: number
    let writtenAfter: number
    try {
      while (written < 6) await Promise.race([writer, new Promise((resolve) => setTimeout(resolve, 10))])
      writtenBefore = written
      backup = await createBackup(db)
      writtenAfter = written + 1 // one write may have committed with its answer still on its way
    } finally {
      stopAt = written + 3
      await writer
    }
    const total = written
    expect(writtenBefore).toBeGreaterThanOrEqual(6)

    backupFile = path.join(scratch, 'sample.atlas-backup')
    const manifest = await saveBackupFile(backupFile, backup.parts)
    expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600)
    expect(manifest.sampleLoadedAt).toBe('2026-11-20T08:00:00.000Z')

    const target = path.join(scratch, 'restored', 'db')
    const restored = await restoreBackup(backupFile, target)
    expect(restored.pending).toEqual([])
    const meta = readMeta(target)
    expect(meta.sampleLoadedAt).toBe('2026-11-20T08:00:00.000Z')
    expect(meta.jwtSecret).not.toBe(readMeta(source).jwtSecret)

    const copy = await openDatabase(target)
    try {
      const moved: number[] = []
      for (const [j, item] of items.entries()) {
        const { rows } = await copy.query<{ status: string; version: number; history: number }>(
          `select status::text, version, (select count(*)::int from atlas.backlog_change c where c.item_code = i.code) as history
           from atlas.backlog_item i where code = $1`,
          [item.code],
        )
        const times = rows[0].version - item.version
        expect(rows[0].history - item.history, `${item.code}: one history row per version`).toBe(times)
        expect(rows[0].status, `${item.code}: moved ${times} times`).toBe(times % 2 === 0 ? 'proposed' : 'rejected')
        moved[j] = times
      }
      const k = moved.reduce((a, b) => a + b, 0)
      expect(moved, `the first ${k} writes, in order`).toEqual([0, 1, 2].map((j) => Math.max(0, Math.ceil((k - j) / 3))))
      expect(k).toBeGreaterThanOrEqual(writtenBefore)
      expect(k).toBeLessThanOrEqual(writtenAfter)
      expect(total).toBeGreaterThan(k)

      // Everything else as the source holds it now, but for the history rows of the writes after the copy.
      const [now, then] = [await fingerprint(db), await fingerprint(copy)]
      expect(then.migrations).toEqual(now.migrations)
      expect(then.migrations).toEqual(listMigrations().map((m) => m.version))
      expect(then.stats).toEqual(now.stats)
      expect(then.rows).toEqual({ ...now.rows, 'atlas.backlog_change': now.rows['atlas.backlog_change'] - (total - k) })
      expect(Object.keys(then.rows).length).toBeGreaterThan(15)
      expect(Object.fromEntries(Object.keys(manifest.layers!).map((layer) => [layer, (then.stats[layer] as { count: number }).count]))).toEqual(manifest.layers)
    } finally {
      await copy.close()
    }
  }, 240_000)
})

describe('files that are not backups', () => {
  const bad = (name: string, bytes: Uint8Array | string) => {
    const file = path.join(scratch, name)
    fs.writeFileSync(file, bytes)
    return file
  }
  const attempt = async (file: string) => {
    const target = path.join(tempDir('restore-refused'), 'db')
    const message = await refusal(restoreBackup(file, target))
    expectNothingWritten(target)
    return message
  }

  test('a text file and an empty file: not a backup, in words', async () => {
    const text = bad('notes.txt', 'minutes of the street office meeting\n')
    expect(await attempt(text)).toBe(`${text} is not an atlas backup: it does not start with GRASSROOTS-ATLAS-BACKUP`)
    const empty = bad('empty.atlas-backup', '')
    expect(await attempt(empty)).toBe(`${empty} is not an atlas backup: it is empty (an atlas backup starts with GRASSROOTS-ATLAS-BACKUP)`)
    expect(await attempt(path.join(scratch, 'absent.atlas-backup'))).toBe(`${path.join(scratch, 'absent.atlas-backup')} does not exist`)
  })

  test('a backup cut short, in its data or in its manifest: damaged, in words', async () => {
    const whole = fs.readFileSync(backupFile)
    const half = bad('half.atlas-backup', whole.subarray(0, Math.floor(whole.length / 2)))
    expect(await attempt(half)).toMatch(new RegExp(`^${half} is damaged: it ends after [\\d,]+ of its [\\d,]+ bytes of data \\(a copy cut short\\?\\)$`))
    const head = bad('head.atlas-backup', whole.subarray(0, 200))
    expect(await attempt(head)).toBe(`${head} is damaged: it ends inside its manifest (the second line)`)
  })

  test('a backup with one byte changed, in its data or in its manifest: damaged, in words', async () => {
    const whole = fs.readFileSync(backupFile)
    const { payloadStart } = parseBackupHeader(whole, 'the backup')
    const flipped = Buffer.from(whole)
    flipped[payloadStart + Math.floor((whole.length - payloadStart) / 2)] ^= 0x01
    const file = bad('flipped.atlas-backup', flipped)
    expect(await attempt(file)).toMatch(new RegExp(`^${file} is damaged: its data does not match its checksum \\(sha-256 [0-9a-f]{12}…, the manifest says [0-9a-f]{12}…\\): it changed after it was written$`))
    const manifestByte = Buffer.from(whole)
    manifestByte[whole.indexOf('"payload"')] = 0x7b // a brace where a quote was
    const file2 = bad('manifest.atlas-backup', manifestByte)
    expect(await attempt(file2)).toBe(`${file2} is damaged: its manifest (the second line) is not readable JSON`)
  })

  test('a backup of a newer format, or from a newer atlas: refused, in words', async () => {
    const whole = fs.readFileSync(backupFile)
    const newer = bad('newer.atlas-backup', Buffer.concat([Buffer.from('GRASSROOTS-ATLAS-BACKUP 2'), whole.subarray(whole.indexOf(10))]))
    expect(await attempt(newer)).toBe(`${newer} is an atlas backup of format 2, newer than this atlas reads (format 1): restore it with a newer atlas`)
    // a manifest listing a migration this atlas lacks, with its data intact
    const { manifest, payloadStart } = parseBackupHeader(whole, 'the backup')
    const future: BackupManifest = { ...manifest, migrations: [...manifest.migrations, { version: '29991231000000', name: 'from_the_future' }] }
    const later = bad('later.atlas-backup', Buffer.concat([Buffer.from(`GRASSROOTS-ATLAS-BACKUP 1\n${JSON.stringify(future)}\n`), whole.subarray(payloadStart)]))
    expect(verifyBackupFile(later).migrations.at(-1)?.name).toBe('from_the_future')
    expect(await attempt(later)).toBe(`${later} holds migrations this atlas does not have (29991231000000_from_the_future): it was made by a newer atlas; restore it with that one`)
  })
})

describe('folders restore refuses', () => {
  test('a folder that holds anything, and a file: refused, left as they were', async () => {
    const target = path.join(tempDir('restore-full'), 'db')
    fs.mkdirSync(target)
    fs.writeFileSync(path.join(target, 'notes.txt'), 'keep me')
    expect(await refusal(restoreBackup(backupFile, target))).toBe(
      `${target} is not empty: restore writes only into a new or empty folder (choose another --db, or move this one away first)`,
    )
    expect(fs.readdirSync(target)).toEqual(['notes.txt'])
    expect(fs.existsSync(`${target}.meta.json`)).toBe(false)
    const file = path.join(tempDir('restore-file'), 'db')
    fs.writeFileSync(file, 'a file')
    expect(await refusal(restoreBackup(backupFile, file))).toBe(`${file} is a file, not a folder: restore into a new or empty folder`)
    expect(fs.readFileSync(file, 'utf8')).toBe('a file')
  })

  test('an empty folder in use by another process: refused, left empty', async () => {
    const target = path.join(tempDir('restore-busy'), 'db')
    fs.mkdirSync(target)
    // another process holding the folder, as `npm start` does: its lock names it
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' })
    try {
      fs.writeFileSync(`${target}.lock`, JSON.stringify({ pid: holder.pid, command: 'npm start', url: 'http://localhost:5173', startedAt: new Date().toISOString() }))
      expect(await refusal(restoreBackup(backupFile, target))).toBe(
        `${target} is in use by npm start (pid ${holder.pid}, http://localhost:5173): restore never writes into a database in use; stop it, or restore into another folder with --db`,
      )
      expectNothingWritten(target, true)
    } finally {
      holder.kill()
    }
  })
})

describe('connect() before migrating', () => {
  test('a brand-new folder gets no backup, nor one without pending migrations (the templates of this run)', () => {
    for (const template of [inject('emptyDatabase'), inject('sampleDatabase')]) expect(fs.existsSync(backupsFolder(template))).toBe(false)
  })

  test('an existing folder with a migration pending is backed up first; that backup restores, then migrates when opened', async () => {
    // A database of the atlas before the newest migration: every migration but the newest, applied as migrate() does.
    const migrations = listMigrations()
    const newest = migrations.at(-1)!
    const dir = path.join(scratch, 'premigration', 'db')
    const old = await openDatabase(dir)
    try {
      await old.exec(fs.readFileSync(path.join(migrationsDir, '../bootstrap/roles.sql'), 'utf8'))
      await old.exec('create schema supabase_migrations; create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text)')
      for (const migration of migrations.slice(0, -1)) {
        const sql = fs.readFileSync(migration.file, 'utf8')
        await old.transaction(async (tx: Queryable) => {
          await tx.exec(sql)
          await tx.exec('reset search_path')
          await tx.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [migration.version, migration.name, [sql]])
        })
      }
      await old.exec(`insert into atlas.street (code, name, kind, geom) values ('331181001', '测试街道', '街道', extensions.st_multi(extensions.st_geomfromtext('POLYGON((119 28, 119.01 28, 119.01 28.01, 119 28))', 4326)))`)
    } finally {
      await old.close()
    }

    const opened = await connect(dir, 'test')
    try {
      expect(opened.created).toBe(false)
      expect(opened.migrations).toEqual([newest.version])
      expect(opened.backup).toMatch(new RegExp(`^${backupsFolder(dir)}/before-${newest.version}_${newest.name}-\\d{8}T\\d{6}\\.\\d{3}Z\\.atlas-backup$`))
    } finally {
      await opened.close()
    }
    expect(fs.readdirSync(backupsFolder(dir))).toEqual([path.basename(opened.backup!)])
    const manifest = verifyBackupFile(opened.backup!)
    expect(manifest.migrations.map((m) => m.version)).toEqual(migrations.slice(0, -1).map((m) => m.version))
    expect(manifest.layers?.street).toBe(1)

    const target = path.join(scratch, 'premigration-restored', 'db')
    const restored = await restoreBackup(opened.backup!, target)
    expect(restored.pending.map((m) => m.version)).toEqual([newest.version])
    const reopened = await connect(target, 'test')
    try {
      expect(reopened.migrations).toEqual([newest.version])
      expect((await reopened.db.query<{ n: number }>('select count(*)::int as n from atlas.street')).rows[0].n).toBe(1)
      expect((await reopened.db.query<{ n: number }>('select count(*)::int as n from supabase_migrations.schema_migrations')).rows[0].n).toBe(migrations.length)
    } finally {
      await reopened.close()
    }
  }, 240_000)
})
