// The embedded server's accounts as the app meets them through supabase-js: sign-in, refresh
// (rotation), sign-out and the other ends of a session (removal, a new role, a new password),
// demonstration mode on loopback only, the sign-in limit per address, and the log of every
// sign-in; no plaintext password in the log nor in any byte of the data folder.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type http from 'node:http'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { askServer, type RunningServer } from '../../src/cli/server.ts'
import { hashPassword } from '../../src/accounts/password.ts'
import type { DatabaseProblem } from '../../src/db/guard.ts'
import type { JwtClaims } from '../../src/db/session.ts'
import { adminToken } from '../../src/server/admin.ts'
import { createAtlasServer, listen } from '../../src/server/app.ts'
import { localAccounts, sessionEndedMessage, type TokenResponse } from '../../src/server/auth.ts'
import { startSampleServer, type SampleServer } from '../helpers/server.ts'
import { apiClient, dataOf, type AtlasSupabase } from '../helpers/supabase.ts'

const users = [
  { email: 'zhang.wei@longquan.gov.cn', role: 'leader' as const, password: 'Jianchi-leader-2026' },
  { email: 'li.na@longquan.gov.cn', role: 'planner' as const, password: 'Longyuan-planner-2026' },
  { email: 'wang.fang@longquan.gov.cn', role: 'works' as const, password: 'Xijie-works-2026' },
  // one each for the ends of a session
  { email: 'to.remove@longquan.gov.cn', role: 'works' as const, password: 'Removed-soon-2026' },
  { email: 'to.promote@longquan.gov.cn', role: 'works' as const, password: 'Promoted-soon-2026' },
  { email: 'to.rekey@longquan.gov.cn', role: 'planner' as const, password: 'Rekeyed-soon-2026' },
]
const wrongPassword = 'Not-the-password-77'
const newPassword = 'Brand-new-secret-88'

let office: SampleServer // accounts added, behind a reverse proxy it trusts
let demo: SampleServer // no account: demonstration mode
const logged: string[] = []
let officeClosed = false

const admin = (server: SampleServer): RunningServer => ({ url: server.url, adminToken: () => adminToken(server.auth), roleToken: (c) => server.auth.sign(c, 60) })
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as JwtClaims
const userOf = (email: string) => users.find((u) => u.email === email)!

/** GoTrue's token endpoint: its status and body (a TokenResponse when it answers 200, its refusal otherwise). */
async function tokenRequest<Answer = unknown>(server: SampleServer, grant: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/auth/v1/token?grant_type=${grant}`, {
    method: 'POST',
    headers: { apikey: server.anonKey, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer }
}

/** An RPC with a raw access token: its status and PostgREST body. */
async function rpcWith(server: SampleServer, token: string, name = 'my_access') {
  const response = await fetch(`${server.url}/rest/v1/rpc/${name}`, {
    method: 'POST',
    headers: { apikey: server.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  })
  const answer: unknown = await response.json()
  return { status: response.status, body: answer }
}

async function accessToken(client: AtlasSupabase): Promise<{ access: string; refresh: string }> {
  const { data } = await client.auth.getSession()
  return { access: data.session!.access_token, refresh: data.session!.refresh_token }
}

beforeAll(async () => {
  ;[office, demo] = await Promise.all([startSampleServer({ users, trustProxy: true, log: (line) => logged.push(line) }), startSampleServer()])
})
afterAll(async () => {
  if (!officeClosed) await office?.close()
  await demo?.close()
})

describe('an office with accounts', () => {
  test('an account signs in with GoTrue’s answer; the token carries its role, its session and its id', async () => {
    const { email, password } = users[1]
    const { status, body } = await tokenRequest<TokenResponse>(office, 'password', { email: 'Li.Na@Longquan.gov.cn ', password })
    expect(status).toBe(200)
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600, user: { email, app_metadata: { app_role: 'planner' } } })
    const claims = claimsOf(body.access_token)
    expect(claims).toMatchObject({ role: 'authenticated', sub: body.user.id, email, app_metadata: { app_role: 'planner' } })
    expect(claims.session_id).toMatch(/^[0-9a-f-]{36}$/)
    // the refresh token is opaque, and the database keeps only its sha-256
    expect(body.refresh_token).not.toContain('.')
    const { rows } = await office.db.query<{ refresh_hash: string }>('select refresh_hash from atlas_auth.session where id = $1', [claims.session_id])
    expect(rows).toEqual([{ refresh_hash: crypto.createHash('sha256').update(body.refresh_token).digest('hex') }])
    const supabase = await office.signInAs(email, password)
    expect(dataOf(await supabase.rpc('my_access')).role).toBe('planner')
    const { data: user } = await supabase.auth.getUser()
    expect(user.user?.email).toBe(email)
  })

  test('a wrong password, an unknown email and a demonstration account are refused alike', async () => {
    for (const [email, password] of [
      [users[0].email, wrongPassword],
      ['nobody@longquan.gov.cn', users[0].password],
      [localAccounts[0].email, localAccounts[0].password],
    ]) {
      const { status, body } = await tokenRequest(office, 'password', { email, password }, { 'x-forwarded-for': '198.51.100.1' })
      expect(status).toBe(400)
      expect(body).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' })
    }
    await expect(office.signedIn('leader')).rejects.toThrow('Invalid login credentials')
  })

  test('config.json says sign-in is required and carries no password at all', async () => {
    const text = await (await fetch(`${office.url}/atlas/config.json`)).text()
    const { anonKey, ...config } = JSON.parse(text) as Record<string, unknown>
    expect(anonKey).toEqual(expect.any(String))
    expect(config).toEqual({ embedded: true, database: 'embedded', demo: false, accounts: [] })
    for (const secret of ['password', ...localAccounts.map((a) => a.password), ...users.map((u) => u.password)]) expect(text).not.toContain(secret)
  })

  test('a refresh rotates the token: the new one works, and the spent one presented again ends the session, as GoTrue does', async () => {
    const supabase = await office.signInAs(users[2].email, users[2].password)
    const before = await accessToken(supabase)
    const { data, error } = await supabase.auth.refreshSession()
    expect(error).toBeNull()
    expect(data.session!.refresh_token).not.toBe(before.refresh)
    expect(claimsOf(data.session!.access_token).session_id).toBe(claimsOf(before.access).session_id)
    expect(dataOf(await supabase.rpc('my_access')).role).toBe('works')
    expect((await rpcWith(office, before.access)).status).toBe(200)
    // someone copied the spent token: it is refused, and the session it belonged to is over for everyone
    const reused = await tokenRequest(office, 'refresh_token', { refresh_token: before.refresh })
    expect(reused).toMatchObject({ status: 400, body: { error_code: 'refresh_token_not_found' } })
    expect(await rpcWith(office, data.session!.access_token)).toMatchObject({ status: 401, body: { message: sessionEndedMessage } })
    expect(await tokenRequest(office, 'refresh_token', { refresh_token: data.session!.refresh_token })).toMatchObject({ status: 400 })
    const { rows } = await office.db.query<{ why: string }>('select ended_why as why from atlas_auth.session where id = $1', [claimsOf(before.access).session_id])
    expect(rows).toEqual([{ why: 'refresh_reused' }])
  })

  test('sign-out ends the session: its access token is refused by the API, its refresh token too', async () => {
    const supabase = await office.signInAs(users[0].email, users[0].password)
    const other = await office.signInAs(users[0].email, users[0].password)
    const [mine, theirs] = [await accessToken(supabase), await accessToken(other)]
    // local: this browser only
    expect((await supabase.auth.signOut({ scope: 'local' })).error).toBeNull()
    const refused = await rpcWith(office, mine.access)
    expect(refused).toMatchObject({ status: 401, body: { code: 'PGRST301', message: sessionEndedMessage } })
    expect((await tokenRequest(office, 'refresh_token', { refresh_token: mine.refresh })).status).toBe(400)
    const user = await fetch(`${office.url}/auth/v1/user`, { headers: { apikey: office.anonKey, authorization: `Bearer ${mine.access}` } })
    expect(user.status).toBe(401)
    expect((await rpcWith(office, theirs.access)).status).toBe(200)
    // global, supabase-js's default: every session of the account
    expect((await other.auth.signOut()).error).toBeNull()
    expect((await rpcWith(office, theirs.access)).status).toBe(401)
  })

  test.each([
    ['removal', 'to.remove@longquan.gov.cn', 'users/remove', {}],
    ['a role change', 'to.promote@longquan.gov.cn', 'users/set-role', { role: 'planner' }],
    ['a new password', 'to.rekey@longquan.gov.cn', 'users/password', {}],
  ] as const)('%s ends the account’s sessions: the API refuses its token, its refresh token is refused', async (_, email, route, extra) => {
    const supabase = await office.signInAs(email, userOf(email).password)
    const tokens = await accessToken(supabase)
    expect((await rpcWith(office, tokens.access)).status).toBe(200)
    const body = { email, ...extra, ...(route === 'users/password' ? { passwordHash: await hashPassword(newPassword) } : {}) }
    await askServer(admin(office), route, body)
    const refused = await supabase.rpc('my_access')
    expect(refused.status).toBe(401)
    expect(refused.error?.message).toBe(sessionEndedMessage)
    expect((await tokenRequest(office, 'refresh_token', { refresh_token: tokens.refresh })).body).toMatchObject({ error_code: 'refresh_token_not_found' })
    if (route === 'users/remove') await expect(office.signInAs(email, userOf(email).password)).rejects.toThrow('Invalid login credentials')
    if (route === 'users/password') {
      await expect(office.signInAs(email, userOf(email).password)).rejects.toThrow('Invalid login credentials')
      expect(dataOf(await (await office.signInAs(email, newPassword)).rpc('my_access')).role).toBe('planner')
    }
    if (route === 'users/set-role') {
      // a fresh sign-in carries the new role, in the token and for row level security
      const again = await office.signInAs(email, userOf(email).password)
      expect(claimsOf((await accessToken(again)).access)).toMatchObject({ app_metadata: { app_role: 'planner' } })
      expect(dataOf(await again.rpc('my_access')).role).toBe('planner')
    }
  })

  test('the administration routes refuse bad input with the words of the accounts', async () => {
    await expect(askServer(admin(office), 'users/add', { email: users[0].email, role: 'works', passwordHash: await hashPassword(newPassword) })).rejects.toThrow(
      `an account for ${users[0].email} already exists`,
    )
    await expect(askServer(admin(office), 'users/set-role', { email: users[0].email, role: 'mayor' })).rejects.toThrow('unknown role "mayor"')
    await expect(askServer(admin(office), 'users/add', { email: 'plain@longquan.gov.cn', role: 'works', passwordHash: newPassword })).rejects.toThrow('scrypt hash')
    const { accounts } = await askServer<{ accounts: { email: string }[] }>(admin(office), 'users/list')
    expect(accounts.map((a) => a.email)).not.toContain('plain@longquan.gov.cn')
    // the page cannot reach them: a user's token is not an administration token
    const supabase = await office.signInAs(users[0].email, users[0].password)
    const response = await fetch(`${office.url}/atlas/admin/users/list`, { method: 'POST', headers: { authorization: `Bearer ${(await accessToken(supabase)).access}` } })
    expect(response.status).toBe(403)
  })

  test('5 failed sign-ins from one address, then 429 with Retry-After, even with the right password; another address still gets in', async () => {
    const { email, password } = users[1]
    // nginx appends the address it saw: the right-most is the client's, whatever the client wrote before it
    const from = (address: string) => ({ 'x-forwarded-for': `198.51.100.${address.length}, ${address}` })
    for (let i = 0; i < 5; i++) expect((await tokenRequest(office, 'password', { email, password: wrongPassword }, from('203.0.113.7'))).status).toBe(400)
    const limited = await tokenRequest(office, 'password', { email, password }, from('203.0.113.7'))
    expect(limited.status).toBe(429)
    expect(limited.body).toMatchObject({ code: 429, error_code: 'over_request_rate_limit' })
    expect(limited.body).toHaveProperty('msg', expect.stringMatching(/at most 5 failed sign-ins per address and 10 per email in 15 minutes; try again in \d+ (minutes|seconds)/))
    const retryAfter = Number(limited.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    expect((await tokenRequest(office, 'password', { email, password }, from('203.0.113.8'))).status).toBe(200)
  })

  test('every sign-in is one line of the log and one row: time, address, email, outcome; never a password', async () => {
    logged.length = 0
    const before = Number((await office.db.query<{ n: number }>('select count(*)::int as n from atlas_auth.sign_in')).rows[0].n)
    await office.signInAs(users[2].email, users[2].password)
    await tokenRequest(office, 'password', { email: users[2].email, password: wrongPassword }, { 'x-forwarded-for': '192.0.2.44' })
    expect(logged).toHaveLength(2)
    expect(logged[0]).toMatch(new RegExp(`^sign-in \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z 127\\.0\\.0\\.1 ${users[2].email} ok$`))
    expect(logged[1]).toMatch(new RegExp(`^sign-in \\S+Z 192\\.0\\.2\\.44 ${users[2].email} failed$`))
    const { rows } = await office.db.query<{ address: string; email: string; outcome: string; known: boolean }>(
      'select address, email, outcome, account_id is not null as known from atlas_auth.sign_in order by id offset $1',
      [before],
    )
    expect(rows).toEqual([
      { address: '127.0.0.1', email: users[2].email, outcome: 'ok', known: true },
      { address: '192.0.2.44', email: users[2].email, outcome: 'failed', known: true },
    ])
    // the list shows the last sign-in
    const { accounts } = await askServer<{ accounts: { email: string; lastSignInAt: string | null }[] }>(admin(office), 'users/list')
    expect(accounts.find((a) => a.email === users[2].email)?.lastSignInAt).toMatch(/^\d{4}-/)
  })

  test('no plaintext password in the log, nor in any file of the data folder once the database is closed', async () => {
    const passwords = [...users.map((u) => u.password), wrongPassword, newPassword]
    const log = logged.join('\n')
    for (const password of passwords) expect(log).not.toContain(password)
    const { rows } = await office.db.query<{ n: number }>('select count(*)::int as n from atlas_auth.sign_in')
    expect(rows[0].n).toBeGreaterThan(10)
    await office.close()
    officeClosed = true
    const files = fs.readdirSync(office.dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
    expect(files.length).toBeGreaterThan(100)
    const found: string[] = []
    for (const entry of files) {
      const bytes = fs.readFileSync(path.join(entry.parentPath, entry.name))
      for (const password of passwords) if (bytes.includes(Buffer.from(password))) found.push(`${entry.name}: ${password}`)
    }
    // the emails are there (the scan would see a password the same way)
    const emails = files.some((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name)).includes(Buffer.from(users[0].email)))
    expect(emails).toBe(true)
    expect(found).toEqual([])
  })
})

describe('demonstration mode', () => {
  test('on loopback with no account, the demonstration accounts sign in and config.json lists them', async () => {
    const config: unknown = await (await fetch(`${demo.url}/atlas/config.json`)).json()
    expect(config).toMatchObject({ embedded: true, demo: true })
    expect(config).toHaveProperty('accounts', localAccounts.map(({ email, password, role }) => ({ email, password, role })))
    for (const role of ['leader', 'planner', 'works'] as const) {
      expect(dataOf(await (await demo.signedIn(role)).rpc('my_access')).role).toBe(role)
    }
  })

  test('the same folder served off loopback is not in demonstration mode: no passwords, no demonstration sign-in', async () => {
    const server: http.Server = await createAtlasServer({ db: demo.db, auth: demo.auth, loopback: false, log: () => {} })
    const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
    try {
      const config: unknown = await (await fetch(`${url}/atlas/config.json`)).json()
      expect(config).toMatchObject({ demo: false, accounts: [] })
      const client = apiClient(url, demo.anonKey)
      const { error } = await client.auth.signInWithPassword({ email: localAccounts[0].email, password: localAccounts[0].password })
      expect(error?.message).toBe('Invalid login credentials')
      // without --trust-proxy, X-Forwarded-For is not believed: the socket's address is limited
      const attempt = (n: number) =>
        fetch(`${url}/auth/v1/token?grant_type=password`, {
          method: 'POST',
          headers: { apikey: demo.anonKey, 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${n}` },
          body: JSON.stringify({ email: 'nobody@atlas.local', password: wrongPassword }),
        })
      const statuses = []
      for (let n = 1; n <= 6; n++) statuses.push((await attempt(n)).status)
      expect(statuses).toEqual([400, 400, 400, 400, 429, 429])
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })

  test('a database the guard reports lost: health and every API or auth call answer 503 in words, the server keeps running', async () => {
    let problem: DatabaseProblem | undefined
    const guarded = { ...demo.db, problem: () => problem }
    const server: http.Server = await createAtlasServer({ db: guarded, auth: demo.auth, log: () => {} })
    const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
    try {
      const supabase = apiClient(url, demo.anonKey)
      expect((await supabase.auth.signInWithPassword({ email: localAccounts[2].email, password: localAccounts[2].password })).error).toBeNull()
      problem = { reason: 'folder_missing', message: 'the database folder /srv/atlas/db is gone' }
      const health = await fetch(`${url}/atlas/health`)
      expect(health.status).toBe(503)
      expect(await health.json()).toEqual({ ok: false, database: 'embedded', problem })
      const rpc = await supabase.rpc('my_access')
      expect(rpc.status).toBe(503)
      expect(rpc.error).toMatchObject({ code: 'PGRST000', message: problem.message, details: 'folder_missing' })
      const signIn = await fetch(`${url}/auth/v1/token?grant_type=password`, { method: 'POST', body: JSON.stringify(localAccounts[0]) })
      expect(signIn.status).toBe(503)
      expect(await signIn.json()).toEqual({ code: 'PGRST000', message: problem.message, details: 'folder_missing', hint: null })
      // the page still gets its configuration, to say what is wrong
      expect((await fetch(`${url}/atlas/config.json`)).status).toBe(200)
      problem = undefined
      expect(dataOf(await supabase.rpc('my_access')).role).toBe('works')
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })

  test('adding the first account ends demonstration mode and its sessions', async () => {
    const supabase = await demo.signedIn('planner')
    expect((await supabase.rpc('my_access')).status).toBe(200)
    await askServer(admin(demo), 'users/add', { email: 'first@longquan.gov.cn', role: 'leader', passwordHash: await hashPassword(newPassword) })
    const refused = await supabase.rpc('my_access')
    expect(refused.status).toBe(401)
    expect(refused.error?.message).toBe(sessionEndedMessage)
    expect(await (await fetch(`${demo.url}/atlas/config.json`)).json()).toHaveProperty('demo', false)
    await expect(demo.signedIn('planner')).rejects.toThrow('Invalid login credentials')
    expect(dataOf(await (await demo.signInAs('first@longquan.gov.cn', newPassword)).rpc('my_access')).role).toBe('leader')
  })
})
