// npm run soak [-- --minutes 10 --clients 20]: the soak (./soak.ts) against npm start's server on a
// fresh copy of the sample city; one JSON line with the calls, errors, latencies and memory, and a
// non-zero exit when any call went wrong or the memory did not come back within 20 % of its start.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { connect } from '../src/db/connect.ts'
import { readMeta } from '../src/db/embedded.ts'
import { loadSample } from '../src/db/sample.ts'
import { callDeadlineMs, createAtlasServer, listen } from '../src/server/app.ts'
import { Auth } from '../src/server/auth.ts'
import { soak } from './soak.ts'

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, clients: { type: 'string', default: '20' } } })
const log = (message: string) => console.error(`[soak] ${message}`)
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-soak-'))
const folder = path.join(root, 'db')
const mb = () => Math.round(process.memoryUsage().rss / 1048576)
try {
  log('loading the sample city …')
  const loading = await connect(folder, 'soak')
  await loadSample(loading.db)
  await loading.close()
  const connection = await connect(folder, 'soak', undefined, { thread: true })
  if (connection.db.limits) connection.db.limits.deadlineMs = callDeadlineMs
  const items = (await connection.db.query<{ code: string; version: number }>(`select code, version from atlas.backlog_item where status = 'proposed' order by code limit 5`)).rows
  const auth = new Auth(readMeta(folder).jwtSecret)
  const server = await createAtlasServer({ db: connection.db, auth, log: () => {} })
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
  const target = { url, auth, anonKey: await auth.anonKey() }
  const clients = Number(values.clients)
  // a first minute warms every cache and the database's memory; the soak's memory counts from after it
  log('warming up for a minute …')
  await soak(target, { clients, durationMs: 60_000, items, seed: 7 })
  const before = mb()
  log(`soaking: ${clients} clients for ${values.minutes} minutes from ${before} MB …`)
  const report = await soak(target, { clients, durationMs: Number(values.minutes) * 60_000, items, seed: 11 })
  const after = mb()
  await new Promise((resolve) => setTimeout(resolve, 10_000))
  const settled = mb()
  server.closeAllConnections()
  server.close()
  await connection.close()
  const grew = settled / before - 1
  console.log(JSON.stringify({ ...report, errors: report.errors.slice(0, 20), errorCount: report.errors.length, rssBeforeMb: before, rssAfterMb: after, rssSettledMb: settled, grewPercent: Math.round(grew * 1000) / 10 }))
  if (report.errors.length || grew > 0.2) process.exitCode = 1
} finally {
  fs.rmSync(root, { recursive: true, force: true })
}
