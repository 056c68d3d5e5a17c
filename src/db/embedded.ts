// The embedded database's folder, its side files, and the lock that keeps it one process's
// at a time: PGlite has no server, so two processes on one folder would corrupt it.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** The embedded database of `npm start`, the only one that holds the sample city by default. */
export const defaultDataDir = path.join(projectRoot, '.atlas/db')

export interface EmbeddedMeta {
  /** Signs the JWTs of the embedded server (HS256), as a Supabase project's JWT secret does. */
  jwtSecret: string
  createdAt: string
  sampleLoadedAt?: string
}

export interface LockHolder {
  pid: number
  command: string
  url?: string
  startedAt: string
}

const metaPath = (dataDir: string) => `${path.resolve(dataDir)}.meta.json`
const lockPath = (dataDir: string) => `${path.resolve(dataDir)}.lock`

export function isInitialised(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'))
}

export function readMeta(dataDir: string): EmbeddedMeta {
  const file = metaPath(dataDir)
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as EmbeddedMeta
  const meta: EmbeddedMeta = { jwtSecret: crypto.randomBytes(32).toString('base64url'), createdAt: new Date().toISOString() }
  writeMeta(dataDir, meta)
  return meta
}

export function writeMeta(dataDir: string, meta: EmbeddedMeta): void {
  fs.mkdirSync(path.dirname(metaPath(dataDir)), { recursive: true })
  fs.writeFileSync(metaPath(dataDir), JSON.stringify(meta, null, 2) + '\n', { mode: 0o600 })
}

/** Whether a process of that id is running (one of another user's counts). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Who holds the folder now, if anyone (a lock left by a dead process does not count). */
export function lockHolder(dataDir: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as LockHolder
    return holder.pid !== process.pid && alive(holder.pid) ? holder : undefined
  } catch {
    return undefined
  }
}

export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the embedded database ${dataDir} is in use by ${holder.command} (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}). ` +
        'Stop it first (Ctrl-C in its terminal), or pass --db postgres://… to use another database.',
    )
    this.name = 'DatabaseInUseError'
  }
}

/** Takes the folder for this process, or throws DatabaseInUseError. Returns the release. */
export function acquireLock(dataDir: string, command: string, url?: string): () => void {
  const file = lockPath(dataDir)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const mine: LockHolder = { pid: process.pid, command, url, startedAt: new Date().toISOString() }
  for (;;) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = lockHolder(dataDir)
      if (holder) throw new DatabaseInUseError(dataDir, holder)
      fs.rmSync(file, { force: true }) // left by a process that died
    }
  }
  const release = () => {
    // its exit listener goes with it, or a process that opens folder after folder gathers them
    process.off('exit', release)
    try {
      const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder
      if (current.pid === process.pid) fs.rmSync(file)
    } catch {
      // already gone
    }
  }
  process.once('exit', release)
  return release
}

export function updateLockUrl(dataDir: string, url: string): void {
  const file = lockPath(dataDir)
  const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder
  if (current.pid === process.pid) fs.writeFileSync(file, JSON.stringify({ ...current, url }))
}
