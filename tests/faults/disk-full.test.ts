// A full disk, for real: a tmpfs just larger than the database, filled to the last page. The
// server answers 503 in words and keeps running; PostgreSQL's clean error (53100) and its PANIC
// (an aborted WebAssembly instance) are each turned into that, never a crash or a hung process.
// Mounting needs root, as CI runs; without it these tests fail and say so.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { readMeta } from '../../src/db/embedded.ts'
import { diskReserveBytes, guardDatabase, type GuardedDatabase } from '../../src/db/guard.ts'
import { createAtlasServer, listen } from '../../src/server/app.ts'
import { Auth } from '../../src/server/auth.ts'
import { copyEmptyDatabase, tempDir } from '../helpers/databases.ts'
import { killAll, scriptChild, sleep, type Child } from './processes.ts'

const work = tempDir('faults-disk')
const mounts: string[] = []
const children: Child[] = []
let empty: string
let server: http.Server | undefined
let guarded: GuardedDatabase | undefined

function folderBytes(dir: string): number {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).reduce((sum, entry) => (entry.isFile() ? sum + fs.statSync(path.join(entry.parentPath, entry.name)).size : sum), 0)
}

/** A tmpfs of `extra` MB beyond a copy of the empty database, with the copy in it as `db`. */
function smallDisk(name: string, extra: number): { dir: string; fill: string } {
  const mount = path.join(work, name)
  fs.mkdirSync(mount)
  const size = Math.ceil(folderBytes(empty) / 2 ** 20) + extra
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}m`, 'tmpfs', mount], { stdio: 'pipe' })
  } catch (error) {
    throw new Error(
      `the disk-full tests fill a real disk: they mount a tmpfs (mount -t tmpfs), which needs root — run them as root, as CI does. mount said: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`,
      { cause: error },
    )
  }
  mounts.push(mount)
  const dir = path.join(mount, 'db')
  fs.cpSync(empty, dir, { recursive: true })
  return { dir, fill: path.join(mount, 'fill') }
}

/** Writes zeros until the disk refuses, to the last page. */
function fillDisk(file: string): void {
  const fd = fs.openSync(file, 'w')
  try {
    for (const size of [2 ** 20, 4096]) {
      const chunk = Buffer.alloc(size)
      try {
        for (;;) fs.writeSync(fd, chunk)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
      }
    }
  } finally {
    fs.closeSync(fd)
  }
}

/** A child of storage.ts, its JSON lines by what they say; killed (and failed) if it hangs. */
async function storageChild(...args: string[]): Promise<Record<string, Record<string, unknown>>> {
  const child = scriptChild('storage.ts', ...args)
  children.push(child)
  const exit = await Promise.race([child.exited, sleep(120_000).then(() => undefined)])
  if (!exit) {
    await child.kill()
    throw new Error(`storage.ts ${args[0]} hung (an abort not caught holds PGlite in a loop):\n${child.output()}`)
  }
  expect(exit.code, child.output()).toBe(0)
  const lines = child
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  return Object.fromEntries(lines.map((line) => [line.what as string, line]))
}

beforeAll(() => {
  empty = copyEmptyDatabase()
})

afterAll(async () => {
  await killAll(children)
  server?.closeAllConnections()
  server?.close()
  for (const mount of mounts) fs.rmSync(path.join(mount, 'fill'), { force: true })
  await guarded?.close()
  for (const mount of mounts) {
    try {
      execFileSync('umount', [mount], { stdio: 'pipe' })
    } catch {
      execFileSync('umount', ['-l', mount], { stdio: 'pipe' })
    }
  }
  fs.rmSync(work, { recursive: true, force: true })
})

test('a write on a full disk: 503 PGRST000 in words, /atlas/health says disk_full, and the server keeps answering', async () => {
  // room for the guard's reserve and a little more, until the disk is filled
  const { dir, fill } = smallDisk('server', diskReserveBytes / 2 ** 20 + 16)
  guarded = guardDatabase(await openDatabase(dir), dir)
  server = await createAtlasServer({ db: guarded, auth: new Auth(readMeta(dir).jwtSecret), log: () => {} })
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
  const config = (await (await fetch(`${url}/atlas/config.json`)).json()) as { anonKey: string; accounts: { email: string; password: string; role: string }[] }
  const planner = config.accounts.find((a) => a.role === 'planner')!
  const signIn = await fetch(`${url}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: config.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email: planner.email, password: planner.password }),
  })
  expect(signIn.status).toBe(200)
  const token = ((await signIn.json()) as { access_token: string }).access_token
  const rpc = (fn: string, args: Record<string, unknown>) =>
    fetch(`${url}/rest/v1/rpc/${fn}`, {
      method: 'POST',
      headers: { apikey: config.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    })
  const proposal = { name: '试点养老站', facility_type: 'elderly_care', lon: 119.14, lat: 28.08, minutes: 8, speed: 66.7 }
  expect((await rpc('save_proposal', proposal)).status).toBe(200)

  fillDisk(fill)
  const words = `the disk holding ${dir} is full — free space, then restart the server`
  const write = await rpc('save_proposal', { ...proposal, name: '满盘' })
  expect(write.status).toBe(503)
  expect(await write.json()).toEqual({ code: 'PGRST000', message: words, details: 'disk_full', hint: null })
  // for good: a read is refused the same way, and the guard said so once on the log
  const read = await rpc('proposals', {})
  expect(read.status).toBe(503)
  expect(((await read.json()) as { message: string }).message).toBe(words)
  expect(guarded.problem()).toEqual({ reason: 'disk_full', message: words })

  const health = await fetch(`${url}/atlas/health`)
  expect(health.status).toBe(503)
  expect(await health.json()).toMatchObject({ ok: false, problem: { reason: 'disk_full', message: words } })
  // still running: it answers again, the same way
  expect((await fetch(`${url}/atlas/health`)).status).toBe(503)
  expect((await rpc('save_proposal', proposal)).status).toBe(503)
})

test("a table that grows on a full disk: PostgreSQL's ERROR 53100 is read as disk_full, and the guard stops using the database", async () => {
  const { dir, fill } = smallDisk('extend', 16)
  const said = await storageChild('extend', dir, fill)
  const words = `the disk holding ${dir} is full — free space, then restart the server`
  // Node's own ENOSPC, and PostgreSQL's
  expect(said.fs).toMatchObject({ error: { code: 'ENOSPC' }, problem: { reason: 'disk_full', message: words } })
  expect(said['raw write']).toMatchObject({ ok: false, error: { code: '53100' }, problem: { reason: 'disk_full', message: words } })
  expect((said['raw write'].error as { message: string }).message).toMatch(/could not extend file .*No space left on device/)
  // through the guard: refused in words, then every call after, reads included
  expect(said['guarded write']).toMatchObject({ ok: false, error: { name: 'DatabaseUnavailableError', code: 'PGRST000', message: words }, problem: { reason: 'disk_full' } })
  expect(said['guarded read']).toMatchObject({ ok: false, error: { name: 'DatabaseUnavailableError', message: words } })
  expect(said.closed).toBeDefined()
})

test("the log that grows on a full disk: PostgreSQL's PANIC aborts PGlite, and every call then fails at once instead of hanging; with room again it opens", async () => {
  const { dir, fill } = smallDisk('panic', 48)
  const said = await storageChild('panic', dir, fill)
  const committed = said.update.committed as number
  expect(said.update).toMatchObject({ error: { name: 'EngineAbortedError' }, problem: { reason: 'disk_full', message: `the disk holding ${dir} is full — free space, then restart the server` } })
  expect(said.after).toMatchObject({ ok: false, error: { name: 'EngineAbortedError' } })
  expect(said.closed).toBeDefined()
  // recovered from its log: every update that committed, the one that PANICked not at all
  expect(said.reopened).toEqual({ what: 'reopened', rows: 100_000, n: committed })
}, 180_000)
