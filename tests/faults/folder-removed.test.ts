// The data folder removed (or moved) under a running server: PGlite would go on answering
// nonsense — errors about missing files, empty reads, writes into nothing. The guard stops at
// the first sign: every call answers 503 in words saying what happened and how to restore, the
// server keeps running, and nothing is thrown past it.
import fs from 'node:fs'
import type http from 'node:http'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { readMeta } from '../../src/db/embedded.ts'
import { guardDatabase, type GuardedDatabase } from '../../src/db/guard.ts'
import { createAtlasServer, listen } from '../../src/server/app.ts'
import { Auth } from '../../src/server/auth.ts'
import { copyEmptyDatabase, copySampleDatabase } from '../helpers/databases.ts'
import { killAll, scriptChild, sleep, type Child } from './processes.ts'

const uncaught: unknown[] = []
const keep = (error: unknown) => void uncaught.push(error)
const children: Child[] = []
let dir: string
let db: GuardedDatabase
let server: http.Server
let url: string
let anonKey: string

beforeAll(async () => {
  process.on('uncaughtException', keep)
  process.on('unhandledRejection', keep)
  dir = copySampleDatabase()
  db = guardDatabase(await openDatabase(dir), dir)
  server = await createAtlasServer({ db, auth: new Auth(readMeta(dir).jwtSecret), log: () => {} })
  url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
})

afterAll(async () => {
  process.off('uncaughtException', keep)
  process.off('unhandledRejection', keep)
  await killAll(children)
  server.closeAllConnections()
  server.close()
  await db.close()
})

async function signIn(role: string): Promise<Response> {
  const config = (await (await fetch(`${url}/atlas/config.json`)).json()) as { anonKey: string; accounts: { email: string; password: string; role: string }[] }
  anonKey = config.anonKey
  const account = config.accounts.find((a) => a.role === role)!
  return fetch(`${url}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password }),
  })
}

test('a read and a write answer 503 PGRST000 in words once the folder is gone; /atlas/health says so; the server keeps running', async () => {
  const errors = vi.spyOn(console, 'error')
  const signedIn = await signIn('planner')
  expect(signedIn.status).toBe(200)
  const token = ((await signedIn.json()) as { access_token: string }).access_token
  const rpc = (fn: string, args: Record<string, unknown> = {}) =>
    fetch(`${url}/rest/v1/rpc/${fn}`, {
      method: 'POST',
      headers: { apikey: anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    })
  const proposal = { name: '试点养老站', facility_type: 'elderly_care', lon: 119.14, lat: 28.08, minutes: 8, speed: 66.7 }
  expect((await rpc('layer_stats')).status).toBe(200)
  expect((await fetch(`${url}/atlas/health`)).status).toBe(200)

  fs.rmSync(dir, { recursive: true, force: true })
  const words = `the database folder ${dir} is gone (removed or moved) — the server stopped using it. Restore the latest backup with \`npx atlas --db ${dir} restore <file>\`, then restart`
  const answer = { code: 'PGRST000', message: words, details: 'folder_missing', hint: null }
  const read = await rpc('layer_stats')
  expect(read.status).toBe(503)
  expect(await read.json()).toEqual(answer)
  const write = await rpc('save_proposal', proposal)
  expect(write.status).toBe(503)
  expect(await write.json()).toEqual(answer)

  const health = await fetch(`${url}/atlas/health`)
  expect(health.status).toBe(503)
  expect(await health.json()).toMatchObject({ ok: false, problem: { reason: 'folder_missing', message: words } })
  expect(db.problem()).toEqual({ reason: 'folder_missing', message: words })

  // every call after, sign-in included, answers the same; the server is still there to say it
  const again = await signIn('works')
  expect(again.status).toBe(503)
  expect(await again.json()).toMatchObject({ code: 'PGRST000', message: words })
  expect((await rpc('search_units', { query: '大洋' })).status).toBe(503)
  expect((await fetch(`${url}/atlas/health`)).status).toBe(503)
  // said once on the server's log, and nothing thrown past the server
  expect(errors.mock.calls.filter((call) => String(call[0]).includes('is gone'))).toHaveLength(1)
  errors.mockRestore()
  await sleep(100)
  expect(uncaught).toEqual([])
})

test('PGlite itself, its folder removed: it answers "could not open file" (58P01), which the guard reads as the folder gone', async () => {
  const removed = copyEmptyDatabase()
  const child = scriptChild('storage.ts', 'removed', removed)
  children.push(child)
  const exit = await Promise.race([child.exited, sleep(120_000).then(() => undefined)])
  expect(exit?.code, child.output()).toBe(0)
  const answers = child
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{"what":"query"'))
    .map((line) => JSON.parse(line) as { ok: boolean; error?: { code: string; message: string }; problem?: { reason: string } })
  expect(answers).toHaveLength(3)
  for (const answer of answers) {
    expect(answer.ok).toBe(false)
    expect(answer.error?.code).toBe('58P01')
    expect(answer.error?.message).toMatch(/could not open file .*No such file or directory/)
    expect(answer.problem?.reason).toBe('folder_missing')
  }
})
