// The server stays responsive while the database works: the embedded database runs in a thread of
// its own (as npm start opens it), city-wide analyses are admitted a few at a time per role, a call
// past its deadline is stopped for real and leaves nothing half-written, and the arguments that
// say how much to send are bounded, as is the answer.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { userClaims } from '../../src/db/session.ts'
import { DeadlineExceeded } from '../../src/db/thread.ts'
import { expensiveGate } from '../../src/server/app.ts'
import { copySampleDatabase, tempDir } from '../helpers/databases.ts'
import { startSampleServer, type SampleServer } from '../helpers/server.ts'

let server: SampleServer
let site: string

beforeAll(async () => {
  site = tempDir('site')
  fs.mkdirSync(path.join(site, 'assets'))
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>atlas</title>')
  fs.writeFileSync(path.join(site, 'assets', 'app-1234.js'), 'console.log(1)'.repeat(10_000))
  server = await startSampleServer({ thread: true, staticDir: site, maxAnswerBytes: 512 * 1024 })
})
afterAll(async () => {
  await server?.close()
})

async function post(name: string, args: Record<string, unknown>, role: 'leader' | 'planner' | 'works' = 'leader') {
  const token = await server.auth.sign(userClaims(role), 600)
  const response = await fetch(`${server.url}/rest/v1/rpc/${name}`, {
    method: 'POST',
    headers: { apikey: server.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  })
  const text = await response.text()
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: JSON.parse(text || 'null') as { code?: string; message?: string; hint?: string } | null }
}

async function timed(url: string): Promise<number> {
  const t0 = performance.now()
  const response = await fetch(url)
  await response.arrayBuffer()
  expect(response.status).toBe(200)
  return performance.now() - t0
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

describe('while the database works', () => {
  test('20 zones calls at once: a few run, some wait, the rest are refused 503 with Retry-After; health and the app’s files answer meanwhile', async () => {
    const calls = Array.from({ length: 20 }, () => post('zones', { min_width_m: 0.5 }))
    // the calls are in the database's hands now
    await new Promise((resolve) => setTimeout(resolve, 300))
    const health: number[] = []
    const files: number[] = []
    for (let i = 0; i < 5; i++) {
      health.push(await timed(`${server.url}/atlas/health`))
      files.push(await timed(`${server.url}/assets/app-1234.js`))
    }
    const answers = await Promise.all(calls)
    const admitted = expensiveGate.concurrency + expensiveGate.maxWaiting
    expect(answers.filter((a) => a.status === 200)).toHaveLength(admitted)
    const refused = answers.filter((a) => a.status === 503)
    expect(refused).toHaveLength(20 - admitted)
    expect(refused[0].retryAfter).toBe(String(expensiveGate.retryAfter))
    expect(refused[0].body?.message).toMatch(/at most 2 city-wide analyses at a time for one role/)
    // another role's analyses are not held by this one's
    expect((await post('zones', { min_width_m: 0.5 }, 'works')).status).toBe(200)
    // not a query's wait: the event loop is free while the database thread computes
    expect(median(health), health.map(Math.round).join(', ')).toBeLessThan(200)
    expect(median(files), files.map(Math.round).join(', ')).toBeLessThan(200)
    expect(Math.max(...health, ...files)).toBeLessThan(1000)
  })

  test('a call past its deadline ends in words with 503, keeps nothing it wrote, and the next call works', async () => {
    const before = (await post('proposals', {}, 'planner')).body as unknown as unknown[]
    server.db.limits!.deadlineMs = 1
    try {
      const stopped = await post('save_proposal', { name: '超时', facility_type: 'canteen', lon: 119.142, lat: 28.071, minutes: 8, speed: 66.7 }, 'planner')
      expect(stopped.status).toBe(503)
      expect(stopped.body).toMatchObject({ code: '57014' })
      expect(stopped.body?.message).toMatch(/took longer than 0.001 s, the server's limit for one call, and was stopped; nothing it wrote was kept/)
      expect(stopped.retryAfter).toBe('5')
    } finally {
      server.db.limits!.deadlineMs = undefined
    }
    const after = await post('proposals', {}, 'planner')
    expect(after.status).toBe(200)
    expect(after.body).toEqual(before)
    expect((await post('layer_stats', {})).status).toBe(200)
  })

  test('an infinite zoom, a box off the world or turned inside out, a page of a million and an answer over the limit are refused in words before or instead of being sent', async () => {
    const zoom = await post('service_circles', { zoom: 'Infinity' })
    expect(zoom.status).toBe(400)
    expect(zoom.body?.message).toBe('zoom is "Infinity": it must be a map zoom, a finite number from 0 to 24')
    const box = await post('map_layer', { layer: 'community', west: 120, south: 28, east: 119, north: 29, zoom: 12 })
    const world = await post('map_layer', { layer: 'community', west: -500, south: 28, east: 119, north: 29, zoom: 12 })
    expect(world.status).toBe(400)
    expect(world.body?.message).toBe('west is -500: it must be a longitude, a finite number from -180 to 180')
    expect(box.status).toBe(400)
    expect(box.body?.message).toMatch(/is not west, south, east, north/)
    const page = await post('search_units', { query: '社区', max_results: 1_000_000 })
    expect(page.status).toBe(400)
    expect(page.body?.message).toMatch(/max_results is 1000000: it must be a number of results, a finite whole number from 1 to 100/)
    // this server sends at most 512 kB: the whole city's circles are more
    const big = await post('service_circles', {})
    expect(big.status).toBe(400)
    expect(big.body).toMatchObject({ code: '54000', hint: 'Ask for a smaller box (the one on screen) or a lower zoom.' })
    expect(big.body?.message).toMatch(/^the answer of public\.service_circles would be \d+\.\d MB, over the 0\.5 MB one answer may be$/)
    // a box elsewhere asks for (and gets) little
    const small = await post('service_circles', { west: 110, south: 20, east: 110.01, north: 20.01, zoom: 12 })
    expect(small.status).toBe(200)
  })
})

describe('the database thread', () => {
  let db: Database
  beforeAll(async () => {
    db = await openDatabase(copySampleDatabase(), { thread: true })
  })
  afterAll(async () => {
    await db?.close()
  })

  test('a transaction past its deadline is ended while the event loop runs on; its write is not kept, no file is left open, and the next transaction works', async () => {
    const openFiles = () => fs.readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${db.target}/`)
      } catch {
        return false
      }
    }).length
    const [{ households }] = (await db.query<{ households: number }>('select households from atlas.community order by code limit 1')).rows
    const filesBefore = openFiles()
    db.limits!.deadlineMs = 1000
    let ticks = 0
    const ticker = setInterval(() => ticks++, 50)
    const t0 = performance.now()
    const stopped = await db
      .transaction(async (tx) => {
        await tx.query('update atlas.community set households = 1 where code = (select min(code) from atlas.community)')
        await tx.query('select pg_sleep(10)')
      })
      .then(() => undefined, (error: unknown) => error)
    clearInterval(ticker)
    db.limits!.deadlineMs = undefined
    expect(stopped).toBeInstanceOf(DeadlineExceeded)
    expect(performance.now() - t0).toBeLessThan(5000)
    // the loop ticked through the whole second (20 ticks of 50 ms), give or take a busy machine
    expect(ticks).toBeGreaterThan(10)
    const after = await db.transaction((tx) => tx.query<{ households: number }>('select households from atlas.community order by code limit 1'))
    expect(after.rows).toEqual([{ households }])
    expect(openFiles()).toBeLessThanOrEqual(filesBefore + 2)
    // an error of the SQL itself still carries PostgreSQL's code
    await expect(db.transaction((tx) => tx.query('select 1/0'))).rejects.toMatchObject({ code: '22012' })
  })

  test('a transaction given a longer deadline (a city\'s import) runs past the usual one; a shorter one asked for changes nothing', async () => {
    db.limits!.deadlineMs = 300
    try {
      await expect(db.transaction((tx) => tx.query('select pg_sleep(0.8)'), { deadlineMs: 5000 })).resolves.toBeDefined()
      await expect(db.transaction((tx) => tx.query('select pg_sleep(0.8)'), { deadlineMs: 10 })).rejects.toBeInstanceOf(DeadlineExceeded)
    } finally {
      db.limits!.deadlineMs = undefined
    }
    expect((await db.transaction((tx) => tx.query<{ n: number }>('select 1 as n'))).rows).toEqual([{ n: 1 }])
  })
})
