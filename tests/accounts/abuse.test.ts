// The embedded server as a careful attacker meets it: a burst of parallel password guesses, a
// spread of guesses from many addresses, paths that try to leave the app's folder, routes named
// after what every object inherits, JSON built to be deep, and the defaults a deployment relies on
// (headers, the data folder's modes, the address behind a proxy).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { adminToken } from '../../src/server/admin.ts'
import { userClaims } from '../../src/db/session.ts'
import { contentSecurityPolicy } from '../../src/server/app.ts'
import { tempDir } from '../helpers/databases.ts'
import { startSampleServer, type SampleServer } from '../helpers/server.ts'

const account = { email: 'chen.jing@longquan.gov.cn', role: 'planner' as const, password: 'Longyuan-chen-2026' }
const wrong = 'Not-the-password-31'

let direct: SampleServer // clients reach it straight: the socket's address counts
let proxied: SampleServer // behind a reverse proxy it trusts
const logged: string[] = []
let site: string // the app's folder
let sibling: string // a folder beside it whose name starts alike

beforeAll(async () => {
  const root = tempDir('static')
  site = path.join(root, 'dist')
  sibling = path.join(root, 'dist-private')
  fs.mkdirSync(path.join(site, 'assets'), { recursive: true })
  fs.mkdirSync(sibling)
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>atlas</title>')
  fs.writeFileSync(path.join(site, 'assets', 'app-1234.js'), 'console.log(1)')
  fs.writeFileSync(path.join(sibling, 'secret.txt'), 'not for the web')
  ;[direct, proxied] = await Promise.all([
    startSampleServer({ users: [account], staticDir: site }),
    startSampleServer({ users: [account], trustProxy: true, log: (line) => logged.push(line) }),
  ])
})
afterAll(async () => {
  await direct?.close()
  await proxied?.close()
})

async function signIn(server: SampleServer, password: string, headers: Record<string, string> = {}, email = account.email) {
  const response = await fetch(`${server.url}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: server.anonKey, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  })
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { error_code?: string; msg?: string } }
}

async function timed(url: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now()
  const response = await fetch(url)
  await response.arrayBuffer()
  return { status: response.status, ms: performance.now() - t0 }
}

describe('the sign-in limit holds under concurrency', () => {
  test('100 parallel guesses from one address: 5 are checked and refused, 95 answered 429 at once; the right password then waits too', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, () => signIn(direct, wrong)))
    const count = (status: number) => answers.filter((a) => a.status === status).length
    expect(count(400)).toBe(5)
    expect(count(429)).toBe(95)
    const limited = answers.find((a) => a.status === 429)!
    expect(limited.body.error_code).toBe('over_request_rate_limit')
    expect(Number(limited.retryAfter)).toBeGreaterThan(0)
    const right = await signIn(direct, account.password)
    expect(right.status).toBe(429)
    expect(right.body.msg).toMatch(/at most 5 failed sign-ins per address and 10 per email in 15 minutes/)
  })

  test('guesses at one email from many addresses stop at 10; other emails and addresses still sign in', async () => {
    const from = (n: number) => ({ 'x-forwarded-for': `192.0.2.${n}` })
    const answers = []
    // in waves of five: the password checks' own queue (below) is not what this test is about
    for (let wave = 0; wave < 4; wave++) answers.push(...(await Promise.all(Array.from({ length: 5 }, (_, i) => signIn(proxied, wrong, from(10 + wave * 5 + i))))))
    expect(answers.filter((a) => a.status === 400)).toHaveLength(10)
    expect(answers.filter((a) => a.status === 429)).toHaveLength(10)
    expect((await signIn(proxied, account.password, from(99))).status).toBe(429)
    // another email from one of those addresses is its own count (and unknown emails are refused alike)
    expect((await signIn(proxied, wrong, from(10), 'nobody@longquan.gov.cn')).status).toBe(400)
  })

  test('a spread burst (40 addresses at once) is checked a few at a time, the rest answered 429 at once; the app’s files are served meanwhile', async () => {
    const burst = Promise.all(Array.from({ length: 40 }, (_, i) => signIn(proxied, wrong, { 'x-forwarded-for': `198.51.100.${i + 1}` }, `guess${i}@longquan.gov.cn`)))
    const during = await Promise.all([timed(`${proxied.url}/atlas/health`), timed(`${direct.url}/assets/app-1234.js`)])
    const answers = await burst
    const checked = answers.filter((a) => a.status === 400).length
    const busy = answers.filter((a) => a.status === 429)
    // two checks at a time and eight waiting: about the first ten are checked (a few more when the
    // first checks end before the last guesses arrive), the rest refused at once
    expect(checked).toBeGreaterThanOrEqual(10)
    expect(checked).toBeLessThanOrEqual(16)
    expect(busy).toHaveLength(40 - checked)
    expect(busy[0].body.msg).toMatch(/too many sign-ins at once/)
    expect(busy[0].retryAfter).toBe('1')
    for (const answer of during) expect(answer.status).toBe(200)
    // well under the 5 s a file waited while guesses filled Node's thread pool
    for (const answer of during) expect(answer.ms).toBeLessThan(1000)
  })
})

describe('tight defaults', () => {
  test('behind a trusted proxy the address is the one the proxy appended (the right-most), not one the client wrote', async () => {
    logged.length = 0
    await signIn(proxied, wrong, { 'x-forwarded-for': '10.9.9.9, 203.0.113.77' }, 'someone@longquan.gov.cn')
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/^sign-in \S+ 203\.0\.113\.77 someone@longquan\.gov\.cn failed$/)
  })

  test('the page carries its Content-Security-Policy and every answer the security headers; API answers are never cached', async () => {
    const page = await fetch(`${direct.url}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy)
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'")
    const api = await fetch(`${direct.url}/rest/v1/rpc/layer_stats`, { headers: { apikey: direct.anonKey } })
    const asset = await fetch(`${direct.url}/assets/app-1234.js`)
    for (const response of [page, api, asset]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    }
    expect(api.headers.get('cache-control')).toBe('no-store')
    expect(asset.headers.get('cache-control')).toContain('immutable')
  })

  test('a path out of the app’s folder, into a sibling whose name starts alike, is never served; bad percent-encoding is a 400', async () => {
    for (const attempt of ['/..%2fdist-private/secret.txt', '/%2e%2e/dist-private/secret.txt', '/assets/..%2f..%2fdist-private%2fsecret.txt']) {
      const response = await fetch(`${direct.url}${attempt}`)
      const text = await response.text()
      expect(text, attempt).not.toContain('not for the web')
    }
    const bad = await fetch(`${direct.url}/%`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { message: string }).message).toMatch(/percent-encoding/)
  })

  test('the data folder is the user’s alone: 0700, and every file in it 0600', () => {
    const modes = new Map<number, string>()
    for (const entry of fs.readdirSync(direct.dir, { recursive: true, withFileTypes: true })) {
      const mode = fs.statSync(path.join(entry.parentPath, entry.name)).mode & 0o777
      modes.set(mode, path.join(entry.parentPath, entry.name))
    }
    expect(fs.statSync(direct.dir).mode & 0o777).toBe(0o700)
    expect([...modes.keys()].every((mode) => (mode & 0o077) === 0), [...modes.entries()].map(([m, f]) => `${m.toString(8)} ${f}`).join('\n')).toBe(true)
    expect(modes.size).toBeGreaterThan(0)
  })

  test('administration routes named after what objects inherit are unknown routes, answered at once', async () => {
    const token = await adminToken(direct.auth)
    for (const route of ['__proto__', 'constructor', '__definegetter__']) {
      const response = await fetch(`${direct.url}/atlas/admin/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) })
      expect(response.status, route).toBe(404)
      expect(await response.json()).toMatchObject({ code: 'admin_route_unknown' })
    }
  })

  test('JSON nested thousands deep and a boolean that is not one are 400s in PostgREST’s shape, not 500s', async () => {
    const token = await direct.auth.sign(userClaims('planner'), 60)
    const post = (body: string) =>
      fetch(`${direct.url}/rest/v1/rpc/zones`, { method: 'POST', headers: { apikey: direct.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body })
    const nested = await post('{"min_width_m":' + '['.repeat(4400) + ']'.repeat(4400) + '}')
    expect(nested.status).toBe(400)
    const refusal = (await nested.json()) as { code: string; message: string; details: unknown; hint: unknown }
    expect(refusal).toMatchObject({ code: 'PGRST102', details: null, hint: null })
    expect(refusal.message).toMatch(/nests deeper than 64/)
    for (const value of ['{"a":1}', '"perhaps"', '[true]']) {
      const notBoolean = await post(`{"with_geometry":${value}}`)
      expect(notBoolean.status, value).toBe(400)
      const answer = (await notBoolean.json()) as { code: string; message: string; hint: string }
      expect(answer.code).toBe('22P02')
      expect(answer.message).toMatch(/invalid input syntax for type boolean/)
      expect(answer.hint).toMatch(/with_geometry of public\.zones is true or false/)
    }
  })
})
