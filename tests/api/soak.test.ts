// The soak of bench/soak.ts for a few seconds: clients reading and writing at once through the
// server (the database in its thread), every answer the expected one. `npm run soak` runs it for
// 10 minutes with the memory measured (README, Running on an intranet).
import { afterAll, beforeAll, expect, test } from 'vitest'
import { soak } from '../../bench/soak.ts'
import { startSampleServer, type SampleServer } from '../helpers/server.ts'

let server: SampleServer

beforeAll(async () => {
  server = await startSampleServer({ thread: true })
})
afterAll(async () => {
  await server?.close()
})

test('10 clients reading and writing for 8 seconds, 60 rounds at the least: every call answered as expected, the items left as found', async () => {
  const items = (await server.db.query<{ code: string; version: number; status: string }>(`select code, version, status from atlas.backlog_item where status = 'proposed' order by code limit 3`)).rows
  const report = await soak(server, { clients: 10, durationMs: 8000, minRounds: 60, items: items.map(({ code, version }) => ({ code, version })), seed: 3 })
  expect(report.errors).toEqual([])
  // a round is a call or two: a loaded machine makes the soak longer, not thinner
  expect(report.calls).toBeGreaterThanOrEqual(60)
  expect(Object.keys(report.byKind).sort()).toEqual(expect.arrayContaining(['write', 'tile', 'analysis']))
  const after = (await server.db.query<{ code: string; status: string }>('select code, status from atlas.backlog_item where code = any($1) order by code', [items.map((i) => i.code)])).rows
  expect(after).toEqual(items.map(({ code, status }) => ({ code, status })))
  expect((await server.db.query<{ n: number }>(`select count(*)::int as n from atlas.proposed_facility where name like '试算 %'`)).rows[0].n).toBe(0)
}, 120_000)
