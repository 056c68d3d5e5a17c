// `atlas backup` and `atlas restore`: the embedded database as one file, and back into a folder.
// A backup file is a line that says what it is (`GRASSROOTS-ATLAS-BACKUP 1`), one JSON line that
// says what it holds (the manifest: when, which PGlite, which migrations, how many features, the
// payload's size and sha-256), then the payload: the data folder as PGlite's dumpDataDir writes it
// (a tar, less the WAL segments PostgreSQL keeps only for reuse), gzipped. The copy is taken inside
// one transaction after a checkpoint (Database.snapshot), so it holds every write committed before
// it whole and nothing of any other.
// A file is checked whole (its checksum) before anything is written from it, and a restore writes
// into a temporary sibling folder that is renamed into place only once it has opened: whole or nothing.
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from './postgis.ts'
import { layers } from '../shared/layers.ts'
import type { Database, Queryable } from './database.ts'
import { acquireLock, lockHolder, writeMeta, type EmbeddedMeta } from './embedded.ts'
import { listMigrations, type Migration } from './migrate.ts'

export const backupMagic = 'GRASSROOTS-ATLAS-BACKUP'
/** The format this atlas writes and the newest it reads. */
export const backupFormat = 1
/** How the backups connect() makes before migrating end (a good ending for `atlas backup`'s too). */
export const backupExtension = '.atlas-backup'

/**
 * gzip level of the payload. The sample city's tar is 91 MB (recycled WAL left out), mostly
 * half-empty pages: level 1 makes it 24 MB in 0.9 s (unpacked in 0.35 s), level 6 23 MB in 2.0 s.
 */
const gzipLevel = 1
/** The manifest is a few kilobytes; a "manifest" longer than this is not one. */
const maxManifestBytes = 1024 * 1024

const gzip = promisify(zlib.gzip)
const gunzip = promisify(zlib.gunzip)

export interface BackupManifest {
  format: number
  createdAt: string
  /** The PGlite (and so the PostgreSQL) that wrote the data folder: another version may not open it. */
  pglite: string
  /** The migrations applied, as supabase_migrations.schema_migrations lists them, oldest first. */
  migrations: { version: string; name: string }[]
  /** Features per layer (as `atlas import` names them), when the schema has the layers' tables. */
  layers?: Record<string, number>
  /** From the folder's side file: when the sample city was loaded into it, so `npm start` does not load it again. */
  sampleLoadedAt?: string
  payload: { encoding: 'gzip'; bytes: number; sha256: string; tarBytes: number }
}

export interface Backup {
  manifest: BackupManifest
  /** The file's bytes: the two header lines, then the payload. */
  parts: Uint8Array[]
  bytes: number
}

/** A backup that cannot be made, read or restored, in words; nothing was written. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackupError'
  }
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url)
  let dir = path.dirname(require.resolve('@electric-sql/pglite'))
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

/** The side file of a folder, if it has one (readMeta would create it). */
function metaOf(dataDir: string): Partial<EmbeddedMeta> {
  try {
    return JSON.parse(fs.readFileSync(`${path.resolve(dataDir)}.meta.json`, 'utf8')) as EmbeddedMeta
  } catch {
    return {}
  }
}

interface Contents {
  migrations: { version: string; name: string }[]
  layers?: Record<string, number>
}

/** What a database holds, for the manifest and for checking a restored copy against it. */
async function readContents(tx: Queryable): Promise<Contents> {
  const { rows } = await tx.query<{ exists: boolean }>(`select to_regclass('supabase_migrations.schema_migrations') is not null as exists`)
  const migrations = rows[0].exists
    ? (await tx.query<{ version: string; name: string | null }>('select version, name from supabase_migrations.schema_migrations order by version')).rows.map(
        (row) => ({ version: row.version, name: row.name ?? '' }),
      )
    : []
  // Counted table by table (milliseconds), not by layer_stats(), which measures every area (a second).
  const tables = Object.values(layers).map((layer) => ({ layer: layer.name, table: `atlas.${layer.table}` }))
  const present = new Set(
    (await tx.query<{ name: string }>('select name from unnest($1::text[]) as name where to_regclass(name) is not null', [tables.map((t) => t.table)])).rows.map((r) => r.name),
  )
  const counted = tables.filter((t) => present.has(t.table))
  if (!counted.length) return { migrations }
  const counts = await tx.query<{ layer: string; count: number }>(counted.map((t) => `select '${t.layer}' as layer, count(*)::int as count from ${t.table}`).join(' union all '))
  return { migrations, layers: Object.fromEntries(counts.rows.map((row) => [row.layer, row.count])) }
}

/** A backup of the embedded database `db`, in memory, while it serves; PostgreSQL is refused in words. */
export async function createBackup(db: Database): Promise<Backup> {
  if (!db.snapshot) throw new BackupError(`${db.target} is a PostgreSQL server, not an embedded database folder: use pg_dump for a PostgreSQL server`)
  const createdAt = new Date().toISOString()
  const snapshot = await db.snapshot(readContents)
  const { read } = snapshot
  const tar = withoutRecycledWal(snapshot.tar)
  // compressed after the transaction, on libuv's threads: the server serves meanwhile
  const payload = await gzip(tar, { level: gzipLevel })
  const sampleLoadedAt = metaOf(db.target).sampleLoadedAt
  const manifest: BackupManifest = {
    format: backupFormat,
    createdAt,
    pglite: pgliteVersion(),
    migrations: read.migrations,
    ...(read.layers ? { layers: read.layers } : {}),
    ...(sampleLoadedAt ? { sampleLoadedAt } : {}),
    payload: { encoding: 'gzip', bytes: payload.length, sha256: crypto.createHash('sha256').update(payload).digest('hex'), tarBytes: tar.length },
  }
  const header = Buffer.from(`${backupMagic} ${backupFormat}\n${JSON.stringify(manifest)}\n`, 'utf8')
  return { manifest, parts: [header, payload], bytes: header.length + payload.length }
}

/**
 * The data folder's tar without the WAL segments PostgreSQL keeps for reuse: a checkpoint renames
 * the segments it no longer needs to future names, their pages still addressed where they were
 * written. A segment whose first page does not carry its own address holds nothing the database
 * needs (PostgreSQL reads the log by the same rule), and PostgreSQL makes new ones as it goes. In
 * the sample city's folder they are 64 of the tar's 158 MB. Anything unexpected in the tar: it is
 * kept whole.
 */
export function withoutRecycledWal(tar: Uint8Array): Uint8Array {
  const view = new DataView(tar.buffer, tar.byteOffset, tar.byteLength)
  const text = (from: number, length: number) => {
    const field = tar.subarray(from, from + length)
    const end = field.indexOf(0)
    return Buffer.from(field.subarray(0, end === -1 ? length : end)).toString('utf8')
  }
  const kept: Uint8Array[] = []
  let omitted = 0
  let offset = 0
  while (offset + 512 <= tar.length) {
    if (tar.subarray(offset, offset + 512).every((byte) => byte === 0)) break
    const name = text(offset, 100)
    const prefix = text(offset + 257, 5) === 'ustar' ? text(offset + 345, 155) : ''
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8)
    if (!Number.isSafeInteger(size) || size < 0) return tar
    const length = 512 + Math.ceil(size / 512) * 512
    if (offset + length > tar.length) return tar
    const segment = /(?:^|\/)pg_wal\/([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})$/.exec(prefix ? `${prefix}/${name}` : name)
    let recycled = false
    if (segment && size >= 16 && String.fromCharCode(tar[offset + 156]) === '0' && (size & (size - 1)) === 0) {
      const number = BigInt(parseInt(segment[2], 16)) * (2n ** 32n / BigInt(size)) + BigInt(parseInt(segment[3], 16))
      recycled = view.getBigUint64(offset + 512 + 8, true) !== number * BigInt(size)
    }
    if (recycled) omitted++
    else kept.push(tar.subarray(offset, offset + length))
    offset += length
  }
  if (!omitted) return tar
  return Buffer.concat([...kept, new Uint8Array(1024)])
}

// ── reading ──────────────────────────────────────────────────────────────────────────────

const notABackup = (label: string, why = `it does not start with ${backupMagic}`) => new BackupError(`${label} is not an atlas backup: ${why}`)
const damaged = (label: string, why: string) => new BackupError(`${label} is damaged: ${why}`)

function isManifest(value: unknown): value is BackupManifest {
  const m = value as BackupManifest
  const whole = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.format === 'number' &&
    typeof m.createdAt === 'string' &&
    typeof m.pglite === 'string' &&
    Array.isArray(m.migrations) &&
    m.migrations.every((x) => typeof x?.version === 'string' && typeof x?.name === 'string') &&
    (m.layers === undefined || (typeof m.layers === 'object' && m.layers !== null && Object.values(m.layers).every(whole))) &&
    (m.sampleLoadedAt === undefined || typeof m.sampleLoadedAt === 'string') &&
    typeof m.payload === 'object' &&
    m.payload !== null &&
    m.payload.encoding === 'gzip' &&
    whole(m.payload.bytes) &&
    whole(m.payload.tarBytes) &&
    typeof m.payload.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(m.payload.sha256)
  )
}

/** The manifest of a file's bytes and where its payload starts; refuses in words what is not a backup of a format this atlas reads. */
export function parseBackupHeader(bytes: Uint8Array, label: string): { manifest: BackupManifest; payloadStart: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buffer.length === 0) throw notABackup(label, `it is empty (an atlas backup starts with ${backupMagic})`)
  const prefix = Buffer.from(backupMagic, 'latin1')
  if (buffer.length < prefix.length || !buffer.subarray(0, prefix.length).equals(prefix)) throw notABackup(label)
  const firstEnd = buffer.indexOf(10)
  const first = buffer.subarray(0, firstEnd === -1 ? Math.min(buffer.length, prefix.length + 16) : firstEnd).toString('latin1')
  const format = /^GRASSROOTS-ATLAS-BACKUP (\d{1,6})$/.exec(first)
  if (firstEnd === -1 || !format) throw damaged(label, `its first line is not "${backupMagic} <format>"`)
  const version = Number(format[1])
  if (version > backupFormat)
    throw new BackupError(`${label} is an atlas backup of format ${version}, newer than this atlas reads (format ${backupFormat}): restore it with a newer atlas`)
  if (version < 1) throw damaged(label, `its format ${version} was never written`)
  const secondEnd = buffer.indexOf(10, firstEnd + 1)
  if (secondEnd === -1 || secondEnd - firstEnd > maxManifestBytes)
    throw damaged(label, secondEnd === -1 && buffer.length - firstEnd <= maxManifestBytes ? 'it ends inside its manifest (the second line)' : 'its manifest (the second line) has no end')
  let manifest: unknown
  try {
    manifest = JSON.parse(buffer.subarray(firstEnd + 1, secondEnd).toString('utf8'))
  } catch {
    throw damaged(label, 'its manifest (the second line) is not readable JSON')
  }
  if (!isManifest(manifest)) throw damaged(label, 'its manifest (the second line) lacks what a manifest holds')
  if (manifest.format !== version) throw damaged(label, `its first line says format ${version} and its manifest format ${manifest.format}`)
  return { manifest, payloadStart: secondEnd + 1 }
}

function checkPayload(manifest: BackupManifest, payload: Uint8Array, label: string): void {
  const want = manifest.payload.bytes
  if (payload.length < want) throw damaged(label, `it ends after ${payload.length.toLocaleString('en-US')} of its ${want.toLocaleString('en-US')} bytes of data (a copy cut short?)`)
  if (payload.length > want) throw damaged(label, `it has ${(payload.length - want).toLocaleString('en-US')} bytes more than its manifest says`)
  const sha256 = crypto.createHash('sha256').update(payload).digest('hex')
  if (sha256 !== manifest.payload.sha256) throw damaged(label, `its data does not match its checksum (sha-256 ${sha256.slice(0, 12)}…, the manifest says ${manifest.payload.sha256.slice(0, 12)}…): it changed after it was written`)
}

function readWholeFile(file: string): Buffer {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch {
    throw new BackupError(`${file} does not exist`)
  }
  if (stat.isDirectory()) throw notABackup(file, 'it is a folder')
  return fs.readFileSync(file)
}

/** Checks a file whole (header, size, checksum) without unpacking it; returns its manifest. */
export function verifyBackupFile(file: string, label = file): BackupManifest {
  const bytes = readWholeFile(file)
  const { manifest, payloadStart } = parseBackupHeader(bytes, label)
  checkPayload(manifest, bytes.subarray(payloadStart), label)
  return manifest
}

/** A backup file's manifest and its data folder's tar, checked whole; refuses in words a file that is not one. */
export async function readBackup(file: string): Promise<{ manifest: BackupManifest; tar: Uint8Array }> {
  const bytes = readWholeFile(file)
  const { manifest, payloadStart } = parseBackupHeader(bytes, file)
  const payload = bytes.subarray(payloadStart)
  checkPayload(manifest, payload, file)
  let tar: Buffer
  try {
    tar = await gunzip(payload)
  } catch (error) {
    throw damaged(file, `its data does not unpack (${(error as Error).message})`)
  }
  if (tar.length !== manifest.payload.tarBytes) throw damaged(file, `its data unpacks to ${tar.length} bytes, not the ${manifest.payload.tarBytes} its manifest says`)
  return { manifest, tar }
}

// ── writing a file ───────────────────────────────────────────────────────────────────────

/** Refuses, before any work, a file name a backup cannot be written to; returns it resolved. */
export function checkNewBackupFile(file: string): string {
  const target = path.resolve(file)
  if (fs.existsSync(target)) throw new BackupError(`${file} exists already: a backup never replaces a file, choose a new name`)
  const dir = path.dirname(target)
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new BackupError(`the folder ${dir} does not exist: create it first, or write the backup elsewhere`)
  return target
}

/**
 * Writes the bytes of a backup (made here, or received from the running server) to `file`: into a
 * temporary file next to it (mode 0600: the database holds password hashes), checked whole, then
 * renamed. On any failure the temporary file is removed and `file` does not exist.
 */
export async function saveBackupFile(file: string, source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, label = 'the backup'): Promise<BackupManifest> {
  const target = checkNewBackupFile(file)
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.partial`)
  try {
    await pipeline(Readable.from(source), fs.createWriteStream(temporary, { flags: 'wx', mode: 0o600 }))
    const manifest = verifyBackupFile(temporary, label)
    if (fs.existsSync(target)) throw new BackupError(`${file} appeared while the backup was written: it is left as it is`)
    fs.renameSync(temporary, target)
    return manifest
  } catch (error) {
    fs.rmSync(temporary, { force: true })
    throw error
  }
}

// ── restoring ────────────────────────────────────────────────────────────────────────────

export interface Restored {
  manifest: BackupManifest
  dataDir: string
  /** Migrations this atlas has and the backup does not: they apply the next time the folder is opened. */
  pending: Migration[]
}

/** Refuses a folder restore may not write into: in use, a file, or not empty. */
function checkRestoreTarget(dir: string): void {
  const holder = lockHolder(dir)
  if (holder)
    throw new BackupError(`${dir} is in use by ${holder.command} (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}): restore never writes into a database in use; stop it, or restore into another folder with --db`)
  if (!fs.existsSync(dir)) return
  if (!fs.statSync(dir).isDirectory()) throw new BackupError(`${dir} is a file, not a folder: restore into a new or empty folder`)
  if (fs.readdirSync(dir).length) throw new BackupError(`${dir} is not empty: restore writes only into a new or empty folder (choose another --db, or move this one away first)`)
}

/**
 * Brings a backup back into `dataDir`, which must be new or empty and not in use. The file is
 * checked whole first; the data folder is unpacked into a temporary sibling, opened once and
 * compared with the manifest, closed, and renamed into place; the side file gets a new JWT
 * secret (sessions from before do not carry over). On any failure nothing is left behind.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<Restored> {
  const dir = path.resolve(dataDir)
  checkRestoreTarget(dir)
  const { manifest, tar } = await readBackup(file)
  const known = new Set(listMigrations().map((m) => m.version))
  const unknown = manifest.migrations.filter((m) => !known.has(m.version))
  if (unknown.length)
    throw new BackupError(
      `${file} holds migrations this atlas does not have (${unknown.map((m) => `${m.version}_${m.name}`).join(', ')}): it was made by a newer atlas; restore it with that one`,
    )
  fs.mkdirSync(path.dirname(dir), { recursive: true })
  const release = acquireLock(dir, 'atlas restore')
  const temporary = `${dir}.restoring-${process.pid}-${crypto.randomBytes(4).toString('hex')}`
  let placed = false
  try {
    checkRestoreTarget(dir)
    const pg = await PGlite.create({ dataDir: temporary, loadDataDir: new Blob([tar as Uint8Array<ArrayBuffer>]), extensions: { postgis } })
    let contents: Contents
    try {
      contents = await pg.transaction((tx) =>
        readContents({
          query: <T>(sql: string, params?: unknown[]) => tx.query<T>(sql, params),
          exec: async (sql) => {
            await tx.exec(sql)
          },
        }),
      )
    } finally {
      await pg.close()
    }
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
    if (!same(contents.migrations, manifest.migrations))
      throw damaged(file, `the restored database has ${contents.migrations.length} migrations, its manifest lists ${manifest.migrations.length}`)
    if (manifest.layers && !same(contents.layers, manifest.layers)) throw damaged(file, 'the restored database does not hold the features its manifest counts')
    if (fs.existsSync(dir)) fs.rmdirSync(dir)
    fs.renameSync(temporary, dir)
    placed = true
    writeMeta(dir, {
      jwtSecret: crypto.randomBytes(32).toString('base64url'),
      createdAt: new Date().toISOString(),
      ...(manifest.sampleLoadedAt ? { sampleLoadedAt: manifest.sampleLoadedAt } : {}),
    })
  } catch (error) {
    fs.rmSync(temporary, { recursive: true, force: true })
    if (placed) {
      fs.rmSync(dir, { recursive: true, force: true })
      fs.rmSync(`${dir}.meta.json`, { force: true })
    }
    throw error
  } finally {
    release()
  }
  const applied = new Set(manifest.migrations.map((m) => m.version))
  return { manifest, dataDir: dir, pending: listMigrations().filter((m) => !applied.has(m.version)) }
}

// ── before migrating ─────────────────────────────────────────────────────────────────────

/** Where connect() keeps the backups it makes before migrating an embedded folder: `<folder>.backups`. */
export const backupsFolder = (dataDir: string) => `${path.resolve(dataDir)}.backups`

/** Backs up an embedded database before `first` and the migrations after it apply; returns the file. */
export async function backupBeforeMigrating(db: Database, dataDir: string, first: Migration): Promise<string> {
  const folder = backupsFolder(dataDir)
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 })
  const stamp = new Date().toISOString().replace(/[-:]/g, '')
  const file = path.join(folder, `before-${first.version}_${first.name}-${stamp}${backupExtension}`)
  await saveBackupFile(file, (await createBackup(db)).parts)
  return file
}
