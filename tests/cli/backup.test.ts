// `atlas backup` and `atlas restore` as an administrator runs them: a backup of the folder a
// running server holds (the server makes the copy), restored into a new folder, gives the same
// `atlas stats`; bad input (no file, a file that exists, a folder that does not, a PostgreSQL
// URL, a file that is not a backup, a folder in use or not empty) is refused in words with exit
// 1 or 2 and nothing written. The server runs in this process, as `npm start` does (connect,
// createAtlasServer, the lock's url); the commands that must find it run as real child processes,
// since a folder's lock does not count against the process that holds it.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { connect, type Connection } from '../../src/db/connect.ts'
import { projectRoot, readMeta, updateLockUrl } from '../../src/db/embedded.ts'
import { createAtlasServer, listen } from '../../src/server/app.ts'
import { Auth } from '../../src/server/auth.ts'
import { runAtlas } from '../helpers/cli.ts'
import { copySampleDatabase, tempDir } from '../helpers/databases.ts'

const run = promisify(execFile)

/** The real `atlas` command, in a child process. */
async function atlasChild(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(projectRoot, 'src/cli/atlas.mjs'), ...args], { cwd: projectRoot, timeout: 180_000 })
    return { code: 0, out: stdout, err: stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    if (typeof failed.code !== 'number') throw error
    return { code: failed.code, out: failed.stdout ?? '', err: failed.stderr ?? '' }
  }
}

let served: string
let connection: Connection
let server: http.Server
const scratch = tempDir('cli-backup')
const backupFile = path.join(scratch, 'city.atlas-backup')

beforeAll(async () => {
  served = copySampleDatabase()
  connection = await connect(served, 'npm start')
  server = await createAtlasServer({ db: connection.db, auth: new Auth(readMeta(served).jwtSecret) })
  const url = `http://localhost:${await listen(server, 0, '127.0.0.1')}`
  updateLockUrl(served, url)
})

afterAll(async () => {
  server?.closeAllConnections()
  server?.close()
  await connection?.close()
  // the copies and backups weigh hundreds of megabytes
  for (const dir of [scratch, served && path.dirname(served)]) if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('a backup of a running server, restored', () => {
  test('atlas backup while npm start holds the folder, atlas restore into a new folder: the same atlas stats', async () => {
    const backup = await atlasChild('--db', served, 'backup', backupFile)
    expect(backup.err).toBe('')
    expect(backup.code).toBe(0)
    expect(backup.out).toMatch(new RegExp(`^wrote ${backupFile}: [\\d.]+ MB, taken \\S+ \\(PGlite \\d+\\.\\d+\\.\\d+\\)\\nmigrations: \\d+ \\(the newest \\d{14}_\\w+\\)\\nfeatures: .*grid 82`))
    expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(scratch)).toEqual(['city.atlas-backup'])

    const target = path.join(scratch, 'restored', 'db')
    const restore = await runAtlas(target, 'restore', backupFile)
    expect(restore.err).toBe('')
    expect(restore.code).toBe(0)
    expect(restore.out).toContain(`restored ${backupFile} into ${target}`)
    expect(restore.out).toContain('the schema is up to date')

    const theirs = await atlasChild('--db', served, 'stats', '--json')
    expect(theirs.code).toBe(0)
    const ours = await runAtlas(target, 'stats', '--json')
    expect(ours.code).toBe(0)
    expect(JSON.parse(ours.out)).toEqual(JSON.parse(theirs.out))
    expect(JSON.parse(ours.out)).toHaveProperty(['grid', 'count'], 82)
    // the copy has a secret of its own: tokens of the served folder are not its tokens
    expect(readMeta(target).jwtSecret).not.toBe(readMeta(served).jwtSecret)
  }, 240_000)

  test('atlas backup --json of a folder nobody holds: the command opens it itself, and says what it wrote', async () => {
    const quiet = path.join(scratch, 'restored', 'db')
    const file = path.join(scratch, 'quiet.atlas-backup')
    const result = await runAtlas(quiet, 'backup', file, '--json')
    expect(result.code).toBe(0)
    const answer = JSON.parse(result.out) as { file: string; bytes: number; manifest: { format: number; layers: Record<string, number>; migrations: unknown[] } }
    expect(answer.file).toBe(file)
    expect(answer.bytes).toBe(fs.statSync(file).size)
    expect(answer.manifest.format).toBe(1)
    expect(answer.manifest.layers.grid).toBe(82)
    expect(fs.existsSync(`${quiet}.lock`)).toBe(false)
  }, 120_000)
})

describe('bad input, refused in words with nothing written', () => {
  test('atlas backup: no file, two files, a file that exists, a folder that does not exist, no database, a PostgreSQL URL', async () => {
    const none = await runAtlas(served, 'backup')
    expect(none.code).toBe(2)
    expect(none.err).toContain('backup <file>: name the file to write')
    expect((await runAtlas(served, 'backup', 'a', 'b')).err).toContain('backup writes one file; got 2: a b')

    const existing = path.join(scratch, 'exists.atlas-backup')
    fs.writeFileSync(existing, 'an older backup')
    const refused = await runAtlas(served, 'backup', existing)
    expect(refused).toMatchObject({ code: 1, err: `atlas: ${existing} exists already: a backup never replaces a file, choose a new name` })
    expect(fs.readFileSync(existing, 'utf8')).toBe('an older backup')

    const nowhere = path.join(scratch, 'no-such-folder', 'city.atlas-backup')
    const missing = await runAtlas(served, 'backup', nowhere, '--json')
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.err)).toEqual({ error: 'refused', message: `the folder ${path.dirname(nowhere)} does not exist: create it first, or write the backup elsewhere` })
    expect(fs.existsSync(path.dirname(nowhere))).toBe(false)

    const absent = path.join(scratch, 'no-database', 'db')
    expect(await runAtlas(absent, 'backup', path.join(scratch, 'absent.atlas-backup'))).toMatchObject({ code: 1, err: `atlas: there is no embedded database in ${absent}: nothing to back up` })
    expect(fs.existsSync(path.dirname(absent))).toBe(false)
    expect(fs.existsSync(path.join(scratch, 'absent.atlas-backup'))).toBe(false)

    const postgres = await runAtlas('postgres://postgres@127.0.0.1:5432/postgres', 'backup', path.join(scratch, 'pg.atlas-backup'))
    expect(postgres).toMatchObject({ code: 1, err: 'atlas: atlas backup copies an embedded database folder: use pg_dump for a PostgreSQL server' })
    expect(fs.existsSync(path.join(scratch, 'pg.atlas-backup'))).toBe(false)
  })

  test('atlas restore: no file, a file that is not a backup, a folder that is not empty, the folder the server holds', async () => {
    const target = path.join(scratch, 'never', 'db')
    expect(await runAtlas(target, 'restore')).toMatchObject({ code: 2 })

    const text = path.join(scratch, 'readme.txt')
    fs.writeFileSync(text, '这不是备份\n')
    expect(await runAtlas(target, 'restore', text)).toMatchObject({ code: 1, err: `atlas: ${text} is not an atlas backup: it does not start with GRASSROOTS-ATLAS-BACKUP` })
    const cut = path.join(scratch, 'cut.atlas-backup')
    fs.writeFileSync(cut, fs.readFileSync(backupFile).subarray(0, 100_000))
    const damaged = await runAtlas(target, 'restore', cut, '--json')
    expect(damaged.code).toBe(1)
    expect(JSON.parse(damaged.err)).toHaveProperty('message', expect.stringMatching(/^.* is damaged: it ends after 9\d,\d{3} of its [\d,]+ bytes of data \(a copy cut short\?\)$/))
    expect(fs.existsSync(path.dirname(target))).toBe(false)

    const full = path.join(scratch, 'full')
    fs.mkdirSync(full)
    fs.writeFileSync(path.join(full, 'PG_VERSION'), '17\n')
    const notEmpty = await runAtlas(full, 'restore', backupFile)
    expect(notEmpty.code).toBe(1)
    expect(notEmpty.err).toContain(`${full} is not empty: restore writes only into a new or empty folder`)
    expect(fs.readdirSync(full)).toEqual(['PG_VERSION'])

    const busy = await atlasChild('--db', served, 'restore', backupFile)
    expect(busy.code).toBe(1)
    expect(busy.err).toContain(`${served} is in use by npm start (pid ${process.pid}, http://localhost:`)
    expect(busy.err).toContain('restore never writes into a database in use')
    expect(fs.readdirSync(path.dirname(served)).sort()).toEqual(['db', 'db.lock', 'db.meta.json'])
  })
})
