// The embedded server under abuse, on the sample city, as npm start runs it (the database in a
// thread of its own, each call under the deadline).
// - server_health_p95_under_load: GET /atlas/health, one after another, while 20 clients each keep
//   a zones() call running (7, 7 and 6 per role, all admitted); the rival is the same server with
//   no load. A ratio near 1 means the load does not reach health.
// - server_health_p95_under_load_vs_event_loop: the same load and measure; the rival is the same
//   server with the database on its event loop (PGlite in the server's thread, as before).
// - signin_burst_passed: of 100 parallel sign-ins with a wrong password from one address, how many
//   were checked (the rest answered 429 at once); the stated limit, 5, is the rival.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { hashPassword } from '../src/accounts/password.ts'
import { addAccount } from '../src/accounts/store.ts'
import { connect } from '../src/db/connect.ts'
import { readMeta } from '../src/db/embedded.ts'
import { userClaims } from '../src/db/session.ts'
import { callDeadlineMs, createAtlasServer, listen } from '../src/server/app.ts'
import { Auth } from '../src/server/auth.ts'
import { round, sampleCityFolder, type BenchResult } from './harness.ts'

const log = (message: string) => console.error(`[bench server] ${message}`)

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]
}

interface Served {
  url: string
  auth: Auth
  anonKey: string
  close(): Promise<void>
}

async function serve(folder: string, thread: boolean): Promise<Served> {
  const connection = await connect(folder, 'bench', undefined, { thread })
  if (connection.db.limits) connection.db.limits.deadlineMs = callDeadlineMs
  const auth = new Auth(readMeta(folder).jwtSecret)
  const server = await createAtlasServer({ db: connection.db, auth, log: () => {} })
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
  return {
    url,
    auth,
    anonKey: await auth.anonKey(),
    close: async () => {
      server.closeAllConnections()
      server.close()
      await connection.close()
    },
  }
}

/** Health's p95 over `n` requests one after another, while `load` keeps running (if any). */
async function healthP95(served: Served, n: number, load?: () => Promise<void>): Promise<number> {
  let running = true
  const loops = load ? Array.from({ length: 20 }, async () => {
    while (running) await load()
  }) : []
  // the load is under way before the first measure
  if (load) await new Promise((resolve) => setTimeout(resolve, 1000))
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    // a connection the server dropped meanwhile (a starved event loop misses its keep-alive) is asked again, the time counted
    for (let attempt = 0; ; attempt++) {
      try {
        await (await fetch(`${served.url}/atlas/health`)).arrayBuffer()
        break
      } catch (error) {
        if (attempt >= 3) throw error
      }
    }
    times.push(performance.now() - t0)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  running = false
  await Promise.all(loops)
  return p95(times)
}

/** 20 clients' zones() calls, spread over the three roles so that every one is admitted. */
function zonesLoad(served: Served): () => Promise<void> {
  const roles = ['leader', 'planner', 'works'] as const
  let next = 0
  return async () => {
    const role = roles[next++ % 3]
    const token = await served.auth.sign(userClaims(role), 600)
    try {
      const response = await fetch(`${served.url}/rest/v1/rpc/zones`, {
        method: 'POST',
        headers: { apikey: served.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      })
      await response.arrayBuffer()
    } catch {
      // the load only has to be there: a dropped connection is followed by the next call
    }
  }
}

export async function runServerBenchmarks(n = 100): Promise<BenchResult[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-server-'))
  try {
    const sample = await sampleCityFolder(root, log, async (db) => {
      await addAccount(db, { email: 'bench@atlas.local', role: 'planner', passwordHash: await hashPassword('Bench-planner-2026') })
    })
    const onEventLoop = path.join(root, 'event-loop')
    fs.cpSync(sample, onEventLoop, { recursive: true })
    fs.copyFileSync(`${sample}.meta.json`, `${onEventLoop}.meta.json`)

    const results: BenchResult[] = []
    const threaded = await serve(sample, true)
    let loaded: number
    let quiet: number
    let passed: number
    try {
      quiet = await healthP95(threaded, n)
      loaded = await healthP95(threaded, n, zonesLoad(threaded))
      log(`health p95: ${round(quiet)} ms with no load, ${round(loaded)} ms while 20 zones() calls run`)
      // the burst: one address (loopback), 100 wrong passwords at once
      const answers = await Promise.all(
        Array.from({ length: 100 }, () =>
          fetch(`${threaded.url}/auth/v1/token?grant_type=password`, {
            method: 'POST',
            headers: { apikey: threaded.anonKey, 'content-type': 'application/json' },
            body: JSON.stringify({ email: 'bench@atlas.local', password: 'Not-the-password-1' }),
          }).then((r) => r.status),
        ),
      )
      passed = answers.filter((status) => status !== 429).length
      log(`sign-in burst: ${passed} of 100 checked, ${answers.filter((s) => s === 429).length} answered 429`)
    } finally {
      await threaded.close()
    }
    results.push({ name: 'server_health_p95_under_load', value: round(loaded), unit: 'ms', baseline: 'the same server with no load', ratio: round(quiet / loaded, 3), n })

    const inline = await serve(onEventLoop, false)
    let inlineLoaded: number
    try {
      inlineLoaded = await healthP95(inline, n, zonesLoad(inline))
      log(`health p95 with the database on the event loop, under the same load: ${round(inlineLoaded)} ms`)
    } finally {
      await inline.close()
    }
    results.push({
      name: 'server_health_p95_under_load_vs_event_loop',
      value: round(loaded),
      unit: 'ms',
      baseline: 'the database on the server’s event loop, same load',
      ratio: round(inlineLoaded / loaded, 3),
      n,
    })
    results.push({ name: 'signin_burst_passed', value: passed, unit: 'attempts of 100', baseline: 'the stated limit, 5', ratio: round(5 / Math.max(passed, 1), 3), n: 100 })
    return results
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}
