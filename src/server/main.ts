// `npm start`: the embedded database (created, migrated and loaded with the sample city the
// first time), the app, and the Supabase-compatible API, on one port. On loopback with no account
// added it runs in demonstration mode; on any other address it needs an account, and says how
// to add one rather than start with nobody able to sign in.
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { countAccounts } from '../accounts/store.ts'
import { connect } from '../db/connect.ts'
import { isPostgresUrl } from '../db/database.ts'
import { defaultDataDir, projectRoot, readMeta, updateLockUrl, writeMeta } from '../db/embedded.ts'
import { guardDatabase } from '../db/guard.ts'
import { loadSample } from '../db/sample.ts'
import { callDeadlineMs, createAtlasServer, listen } from './app.ts'
import { Auth } from './auth.ts'
import { ensureBuilt } from './build.ts'

/** Whether a host to listen on reaches this machine only: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[|\]$/g, '')
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true
  if (net.isIPv4(bare)) return bare.startsWith('127.')
  if (net.isIPv6(bare)) return bare === '::1' || /^(0{0,4}:){7}0{0,3}1$/.test(bare) || /^::ffff:127\./.test(bare)
  return false
}

/** Why the server will not listen on a public address with no account, and what to run. */
export function noAccountMessage(host: string, target: string): string {
  const folder = target === defaultDataDir ? '.atlas/db' : target
  return (
    `refusing to listen on ${host} with no account added: off loopback the demonstration accounts are off, so nobody could sign in. ` +
    `Add an account first, then start again:\n  npx atlas --db ${folder} user add <email> --role leader`
  )
}

export async function start(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      port: { type: 'string', default: process.env.PORT ?? '5173' },
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      dev: { type: 'boolean', default: false },
      sample: { type: 'boolean' },
      'trust-proxy': { type: 'boolean', default: false },
    },
    allowPositionals: false,
  })
  const t0 = Date.now()
  const target = values.db ?? defaultDataDir
  const embedded = !isPostgresUrl(target)
  const log = (message: string) => console.log(`[atlas ${((Date.now() - t0) / 1000).toFixed(1)} s] ${message}`)

  const loopback = isLoopback(values.host)

  // On loopback the app is built while the database opens; elsewhere only once it is known to have an account.
  let building = values.dev || !loopback ? undefined : ensureBuilt(log)
  // the embedded database in a thread of its own: no query holds the server's event loop
  const connection = await connect(target, 'npm start', undefined, { thread: true })
  const db = guardDatabase(connection.db, embedded ? target : undefined)
  log(`database ${db.target} open${connection.migrations.length ? `, ${connection.migrations.length} migrations applied` : ''}`)
  if (connection.backup) log(`backed up before migrating: ${connection.backup} (npx atlas restore brings it back)`)
  if (!loopback && (await countAccounts(connection.db)) === 0) {
    await connection.close()
    throw new Error(noAccountMessage(values.host, target))
  }
  if (!values.dev) building ??= ensureBuilt(log)

  // Only npm start's own database gets the sample city by itself; another folder on purpose (--sample).
  const meta = embedded ? readMeta(target) : undefined
  // Never on top of a city already there (a restored backup of a real city, say).
  const wantSample =
    values.sample ?? (embedded && path.resolve(target) === defaultDataDir && !meta?.sampleLoadedAt && (await db.query<{ n: number }>('select count(*)::int as n from atlas.street')).rows[0].n === 0)
  if (wantSample) {
    log('loading the sample city (Longquan) …')
    await loadSample(
      db,
      (r) => log(`  ${r.layer}: ${r.inserted} features`),
      (c) => log(`  service circles: ${c.circles} for ${c.facilities} facilities, ${c.access_times} access times`),
    )
    if (meta) writeMeta(target, { ...meta, sampleLoadedAt: new Date().toISOString() })
  }

  // from now on a call has a deadline (the start-up's migrations and sample city had none)
  if (db.limits) db.limits.deadlineMs = callDeadlineMs

  const secret = meta?.jwtSecret ?? process.env.ATLAS_JWT_SECRET ?? crypto.randomBytes(32).toString('base64url')
  const auth = new Auth(secret)
  let middleware
  let staticDir: string | undefined
  if (values.dev) {
    const { createServer } = await import('vite')
    const vite = await createServer({ root: projectRoot, server: { middlewareMode: true }, appType: 'spa' })
    middleware = vite.middlewares
  } else {
    staticDir = await building
  }
  const server = await createAtlasServer({ db, auth, staticDir, middleware, loopback, trustProxy: values['trust-proxy'] })
  const port = await listen(server, Number(values.port), values.host)
  const url = `http://localhost:${port}`
  if (embedded) updateLockUrl(target, url)
  const accounts = await countAccounts(db)
  log(
    accounts === 0
      ? 'demonstration mode: three demo accounts, loopback only'
      : `${accounts} ${accounts === 1 ? 'account' : 'accounts'}; sign-in required${values['trust-proxy'] ? ' (client addresses from X-Forwarded-For)' : ''}`,
  )
  log(`started in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  console.log(`ready: ${url}`)

  // Ctrl-C reaches this process twice (from the terminal, and relayed by tsx): the second must
  // not kill it half-way through closing the database and releasing its lock. tsx also waits
  // 30 ms for this process to say it got the signal, and kills it outright if it does not: so
  // let that message out before closing the database, which holds the event loop while it flushes.
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    server.close()
    server.closeAllConnections()
    await new Promise((resolve) => setTimeout(resolve, 100))
    await connection.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(new URL(import.meta.url).pathname)) {
  start().catch((error) => {
    console.error(`atlas: ${(error as Error).message}`)
    process.exit(1)
  })
}
