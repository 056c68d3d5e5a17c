// `atlas backup <file>`: a consistent copy of the embedded database, while the server runs. When
// `npm start` holds the folder the server makes the copy and sends it; when nobody does, the
// command opens the folder itself, as it is (no migration: a backup is of what is there).
import fs from 'node:fs'
import path from 'node:path'
import { BackupError, checkNewBackupFile, createBackup, saveBackupFile, type BackupManifest } from '../../db/backup.ts'
import { isPostgresUrl, openDatabase } from '../../db/database.ts'
import { acquireLock, isInitialised } from '../../db/embedded.ts'
import { runningServer, type RunningServer } from '../server.ts'
import { CommandError, UsageError, type Command } from './command.ts'

export const backupCommand: Command = {
  name: 'backup',
  usage: ['backup <file>           a consistent copy of the embedded database, while the server runs'],
  async run(context) {
    const [file, ...rest] = context.args
    if (!file) throw new UsageError('backup <file>: name the file to write, e.g. atlas backup atlas-2026-11-24.atlas-backup')
    if (rest.length) throw new UsageError(`backup writes one file; got ${context.args.length}: ${context.args.join(' ')}`)
    if (isPostgresUrl(context.target)) throw new CommandError('atlas backup copies an embedded database folder: use pg_dump for a PostgreSQL server')
    const manifest = await inWords(async () => {
      checkNewBackupFile(file)
      const server = runningServer(context.target)
      return server ? backupThroughServer(server, file) : backupFolder(context.target, file)
    })
    const written = path.resolve(file)
    const bytes = fs.statSync(written).size
    context.print(describeBackup(written, bytes, manifest), { file: written, bytes, manifest })
  },
}

/** A refused backup or restore is input the command refuses: exit 1, in words (and as JSON with --json). */
export async function inWords<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof BackupError) throw new CommandError(error.message)
    throw error
  }
}

async function backupThroughServer(server: RunningServer, file: string): Promise<BackupManifest> {
  const response = await fetch(`${server.url}/atlas/admin/backup`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await server.adminToken()}`, 'content-type': 'application/json' },
    body: '{}',
  })
  if (!response.ok || !response.body) {
    const text = await response.text()
    let message: string
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? String(response.status)
    } catch {
      message = text || String(response.status)
    }
    throw new CommandError(`the running server (${server.url}) refused: ${message}`)
  }
  return saveBackupFile(file, response.body ?? [], `the backup the server (${server.url}) sent`)
}

async function backupFolder(target: string, file: string): Promise<BackupManifest> {
  if (!isInitialised(target)) throw new CommandError(`there is no embedded database in ${path.resolve(target)}: nothing to back up`)
  const release = acquireLock(target, 'atlas backup')
  try {
    const db = await openDatabase(target)
    let backup
    try {
      backup = await createBackup(db)
    } finally {
      await db.close()
    }
    return await saveBackupFile(file, backup.parts)
  } finally {
    release()
  }
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

/** What a backup holds, in a few lines: its migrations and its features per layer. */
export function describeContents(manifest: BackupManifest): string[] {
  const newest = manifest.migrations.at(-1)
  const lines = [`migrations: ${manifest.migrations.length}${newest ? ` (the newest ${newest.version}_${newest.name})` : ''}`]
  if (manifest.layers) lines.push(`features: ${Object.entries(manifest.layers).map(([layer, count]) => `${layer} ${count.toLocaleString('en-US')}`).join(', ')}`)
  return lines
}

function describeBackup(file: string, bytes: number, manifest: BackupManifest): string {
  return [`wrote ${file}: ${megabytes(bytes)}, taken ${manifest.createdAt} (PGlite ${manifest.pglite})`, ...describeContents(manifest)].join('\n')
}
