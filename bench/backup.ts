// Backups of the embedded database, on the sample city, against copying its data folder.
// - backup_sample_city: `atlas backup <file>` as an administrator runs it, a child process (wall
//   time, Node and tsx's start included), while the embedded server holds a copy of the sample city
//   in this process and answers it (the server makes the copy between two requests and sends it).
//   The rival is what an office does without it: copying the data folder (fs.cpSync) with the server
//   stopped (stopping and starting the server not counted).
// - restore_sample_city: `atlas restore <file>` into a new folder, a child process too; the rival
//   copies the data folder back (fs.cpSync).
// - backup_sample_city_bytes: the backup file's size; the data folder's size beside it.
// Ours and the rival run in turn, n times each; medians.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { verifyBackupFile } from '../src/db/backup.ts'
import { connect } from '../src/db/connect.ts'
import { projectRoot, readMeta, updateLockUrl } from '../src/db/embedded.ts'
import { createAtlasServer, listen } from '../src/server/app.ts'
import { Auth } from '../src/server/auth.ts'
import { compare, median, round, sampleCityFolder, type BenchResult } from './harness.ts'

const log = (message: string) => console.error(`[bench backup] ${message}`)

/** `atlas …` in a child process; its wall time. */
function atlas(args: string[]): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, ['src/cli/atlas.mjs', ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, out }) : reject(new Error(`atlas ${args.join(' ')} exited ${code}:\n${out}`))))
  })
}

function copyFolder(from: string, to: string): number {
  const t0 = performance.now()
  fs.cpSync(from, to, { recursive: true })
  return performance.now() - t0
}

function folderBytes(dir: string): number {
  let bytes = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size
  return bytes
}

export async function runBackupBenchmarks(n = 5): Promise<BenchResult[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-backup-'))
  try {
    const sample = await sampleCityFolder(root, log)
    // one copy the server holds, one that stays stopped for the rival
    const served = path.join(root, 'served')
    fs.cpSync(sample, served, { recursive: true })
    fs.copyFileSync(`${sample}.meta.json`, `${served}.meta.json`)

    const connection = await connect(served, 'npm start')
    const server = await createAtlasServer({ db: connection.db, auth: new Auth(readMeta(served).jwtSecret) })
    updateLockUrl(served, `http://localhost:${await listen(server, 0, '127.0.0.1')}`)
    const files: string[] = []
    const backup = { ours: [] as number[], theirs: [] as number[] }
    try {
      for (let i = 0; i < n; i++) {
        const file = path.join(root, `city-${i}.atlas-backup`)
        backup.ours.push((await atlas(['--db', served, 'backup', file])).ms)
        files.push(file)
        const copy = path.join(root, `copy-${i}`)
        backup.theirs.push(copyFolder(sample, copy))
        fs.rmSync(copy, { recursive: true, force: true })
      }
    } finally {
      server.closeAllConnections()
      server.close()
      await connection.close()
    }
    const manifest = verifyBackupFile(files[0])
    if (manifest.layers?.grid !== 82) throw new Error(`the backup holds ${manifest.layers?.grid} grids, not the sample's 82`)
    const fileBytes = fs.statSync(files[0]).size
    const sampleBytes = folderBytes(sample)
    log(`atlas backup ${backup.ours.map((t) => round(t)).join(', ')} ms (${round(fileBytes / 1e6)} MB); cpSync ${backup.theirs.map((t) => round(t)).join(', ')} ms (${round(sampleBytes / 1e6)} MB)`)

    const restore = { ours: [] as number[], theirs: [] as number[] }
    for (let i = 0; i < n; i++) {
      const target = path.join(root, `restored-${i}`)
      const result = await atlas(['--db', target, 'restore', files[i]])
      if (!result.out.includes('grid 82')) throw new Error(`atlas restore said:\n${result.out}`)
      restore.ours.push(result.ms)
      fs.rmSync(target, { recursive: true, force: true })
      fs.rmSync(`${target}.meta.json`, { force: true })
      const copy = path.join(root, `back-${i}`)
      restore.theirs.push(copyFolder(sample, copy))
      fs.rmSync(copy, { recursive: true, force: true })
    }
    log(`atlas restore ${restore.ours.map((t) => round(t)).join(', ')} ms; cpSync ${restore.theirs.map((t) => round(t)).join(', ')} ms`)

    return [
      compare('backup_sample_city', median(backup.ours), median(backup.theirs),
        'copying the data folder (fs.cpSync) with the server stopped; ours: `atlas backup` as a child process (wall time, start included) while the embedded server holds the folder and makes the copy', n),
      compare('restore_sample_city', median(restore.ours), median(restore.theirs),
        'copying the data folder back (fs.cpSync); ours: `atlas restore` into a new folder as a child process (wall time: the file checked, unpacked, opened once and compared with its manifest)', n),
      { name: 'backup_sample_city_bytes', value: fileBytes, unit: 'bytes', baseline: `the data folder (${sampleBytes} bytes)`, ratio: round(sampleBytes / fileBytes, 3), n: 1 },
    ]
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}
