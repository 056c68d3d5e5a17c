// Signing in on the built app in Debian's Chromium, against the embedded server: outside the
// demonstration (an account added before the server starts) the page asks for a password, keeps the
// session over a reload and ends it on sign-out; a session the server ends brings the form back
// with the reason; the demonstration keeps its role switch; and a server that loses its database
// says so across the page.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hashPassword } from '../../src/accounts/password.ts'
import { addAccount } from '../../src/accounts/store.ts'
import { adminToken } from '../../src/server/admin.ts'
import { copySampleDatabase } from '../helpers/databases.ts'
import { pictureWindow, saveArtifact, startServer, type AtlasPage, type AtlasServer } from './harness.ts'
import { browserSuite } from './suite.ts'

const email = 'zhang.san@longquan.gov.cn'
const password = 'Longquan-works-2026'
/** The city with the unit layers only (drawn sooner). */
const cityHash = 'map=11.50/28.0790/119.0790&layers=street,community'

const suite = browserSuite({ server: false })
/** An account added before the start: no demonstration. */
let accounts: AtlasServer
/** A plain copy (no account: the demonstration), watched as `npm start` watches its folder. */
let demo: AtlasServer
let demoDir: string

beforeAll(async () => {
  const passwordHash = await hashPassword(password)
  demoDir = copySampleDatabase()
  ;[accounts, demo] = await Promise.all([
    startServer(copySampleDatabase(), suite.staticDir, { before: async (db) => void (await db.transaction((tx) => addAccount(tx, { email, role: 'works', passwordHash }))) }),
    startServer(demoDir, suite.staticDir, { guard: true }),
  ])
}, 120_000)

afterAll(async () => {
  await accounts?.close()
  // its folder is gone: closing may fail, the test's word is already said
  await demo?.close().catch(() => {})
})

const open = (server: AtlasServer, hash = cityHash): Promise<AtlasPage> => suite.open(hash, server)

const testId = (atlas: AtlasPage, id: string) => atlas.page.locator(`[data-testid="${id}"]`)

async function signIn(atlas: AtlasPage, typed: string) {
  await testId(atlas, 'signin').waitFor({ timeout: 20_000 })
  await testId(atlas, 'signin-email').fill(email)
  await testId(atlas, 'signin-password').fill(typed)
  await testId(atlas, 'signin-submit').click()
}

/** The access token supabase-js keeps for the page (outside the demonstration it is stored). */
const storedAccessToken = (atlas: AtlasPage) =>
  atlas.page.evaluate(() => (JSON.parse(localStorage.getItem('atlas-auth') ?? 'null') as { access_token?: string } | null)?.access_token ?? null)

async function callAs(server: AtlasServer, token: string, fn: string) {
  const anonKey = await server.auth.anonKey()
  const response = await fetch(`${server.url}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: { apikey: anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  })
  return { status: response.status, body: (await response.json()) as { code?: string; message?: string } }
}

async function admin(server: AtlasServer, route: string, body: unknown) {
  const response = await fetch(`${server.url}/atlas/admin/${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminToken(server.auth)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(response.status, `POST /atlas/admin/${route}: ${await response.clone().text()}`).toBe(200)
}

describe('signing in on the embedded server in Chromium', { timeout: 120_000 }, () => {
  test('with an account: no passwords handed out, a form instead of the role switch; a wrong password is told, the right one opens the atlas as the account’s role; a reload stays signed in; signing out ends the session on the server', async () => {
    const config = await (await fetch(`${accounts.url}/atlas/config.json`)).text()
    expect(JSON.parse(config)).toMatchObject({ embedded: true, demo: false, accounts: [] })
    expect(config).not.toMatch(/password|atlas-leader|atlas-works/)

    // a role in the address counts for nothing here: the account decides, and the address drops it
    const atlas = await suite.open(`${cityHash}&role=leader`, accounts, pictureWindow)
    await testId(atlas, 'signin').waitFor({ timeout: 20_000 })
    expect(await testId(atlas, 'signin').textContent()).toContain('atlas user add')
    expect(await testId(atlas, 'role-switch').count()).toBe(0)
    await saveArtifact(atlas.page, 'signin.png', { readme: true })

    await signIn(atlas, 'not-the-password-1')
    expect(await atlas.waitForText('signin-error', '邮箱或密码不正确')).toBe('邮箱或密码不正确。')
    await saveArtifact(atlas.page, 'signin-refused.png')

    await signIn(atlas, password)
    await atlas.waitForIdle()
    expect(await testId(atlas, 'role-switch').count()).toBe(0)
    expect(await atlas.text('account-email')).toBe(email)
    expect(await testId(atlas, 'account-role').getAttribute('data-role')).toBe('works')
    expect(await atlas.text('account-role')).toBe('建设局')
    // row level security, asked as the account: the construction bureau writes the backlog
    expect(await atlas.waitForText('role-note', '可编辑：')).toContain('基础设施欠账')
    expect(await atlas.hash()).not.toContain('role=')
    await saveArtifact(atlas.page, 'signin-account.png')

    await atlas.page.reload({ waitUntil: 'domcontentloaded' })
    await atlas.waitForIdle()
    expect(await atlas.text('account-email')).toBe(email)
    expect(await testId(atlas, 'signin').count()).toBe(0)

    const token = await storedAccessToken(atlas)
    expect(token, 'the session kept in localStorage').toBeTruthy()
    expect((await callAs(accounts, token!, 'my_access')).status).toBe(200)
    await testId(atlas, 'sign-out').click()
    await testId(atlas, 'signin').waitFor({ timeout: 10_000 })
    expect(await testId(atlas, 'signin-ended').count(), 'a sign-out asked for is not an ended session').toBe(0)
    expect(await storedAccessToken(atlas)).toBeNull()
    const refused = await callAs(accounts, token!, 'my_access')
    expect(refused.status).toBe(401)
    expect(refused.body.code).toBe('PGRST301')
  })

  test('a session the server ends (the account’s role changed) brings the form back once, with the reason; signing in again carries the new role', async () => {
    const atlas = await open(accounts)
    await signIn(atlas, password)
    await atlas.waitForIdle()
    expect(await testId(atlas, 'account-role').getAttribute('data-role')).toBe('works')

    await admin(accounts, 'users/set-role', { email, role: 'leader' })
    // any request now meets the refusal: a search
    const requests: string[] = []
    atlas.page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`))
    await testId(atlas, 'search-input').fill('大洋')
    expect(await atlas.waitForText('signin-ended', '登录已结束')).toContain('请重新登录')
    await saveArtifact(atlas.page, 'signin-ended.png')

    // no loop: the form stays, and nothing more is asked of the server while it does
    const asked = requests.length
    await atlas.page.waitForTimeout(1500)
    expect(await testId(atlas, 'signin').isVisible()).toBe(true)
    expect(requests.slice(asked), 'requests after the form came back').toEqual([])
    expect(requests.filter((r) => r.includes('/auth/v1/token')), 'no sign-in of its own').toEqual([])

    await signIn(atlas, password)
    await atlas.waitForIdle()
    expect(await testId(atlas, 'account-role').getAttribute('data-role')).toBe('leader')
    expect(await atlas.waitForText('role-note', '可编辑：')).toContain('可编辑：无')
    await admin(accounts, 'users/set-role', { email, role: 'works' })
  })

  test('the demonstration (no account): config.json lists its accounts and the page has the role switch', async () => {
    const config = (await (await fetch(`${demo.url}/atlas/config.json`)).json()) as { demo: boolean; accounts: { email: string; role: string }[] }
    expect(config.demo).toBe(true)
    expect(config.accounts.map((a) => a.role).sort()).toEqual(['leader', 'planner', 'works'])

    const atlas = await open(demo, `${cityHash}&role=planner`)
    await atlas.waitForIdle()
    expect(await atlas.page.locator('[data-testid="role-switch"]').inputValue()).toBe('planner')
    expect(await testId(atlas, 'sign-out').count()).toBe(0)
    expect(await testId(atlas, 'signin').count()).toBe(0)
    expect(await atlas.hash()).toContain('role=planner')
  })

  test('a server that loses its database says so across the page, once, and the map stays; a reload gets the words on the error page', async () => {
    const atlas = await open(demo)
    await atlas.waitForIdle()
    const drawn = () => atlas.page.evaluate(() => window.__atlas!.map.queryRenderedFeatures().length)
    const before = await drawn()
    expect(before).toBeGreaterThan(0)

    fs.rmSync(demoDir, { recursive: true, force: true })
    // a request after the loss: a search, and a pan that uncovers tiles
    await testId(atlas, 'search-input').fill('大洋')
    await atlas.page.evaluate(() => window.__atlas!.map.panBy([500, 300], { duration: 0 }))
    const banner = await atlas.waitForText('database-lost', '数据库不可用')
    expect(banner).toContain('atlas restore')
    expect(banner, 'the reason in the page’s language').toContain('数据库文件夹已不存在')
    expect(await testId(atlas, 'database-lost').getAttribute('role')).toBe('alert')
    expect(await atlas.waitForIdle({ allowError: true })).toBe('error')
    // the other failures do not stack on it
    expect(await testId(atlas, 'error').count()).toBe(0)
    expect(await testId(atlas, 'database-lost').count()).toBe(1)
    expect(await testId(atlas, 'progress').count(), 'nothing is loading any more').toBe(0)
    expect(await drawn()).toBeGreaterThan(0)
    await saveArtifact(atlas.page, 'database-lost-search.png')
    await testId(atlas, 'search-input').fill('')
    await atlas.page.mouse.move(1, 1)
    const shot = await saveArtifact(atlas.page, 'database-lost.png')
    expect(fs.existsSync(shot)).toBe(true)

    const health = await fetch(`${demo.url}/atlas/health`)
    expect(health.status).toBe(503)

    await atlas.page.reload({ waitUntil: 'domcontentloaded' })
    expect(await atlas.waitForIdle({ allowError: true })).toBe('error')
    const words = await atlas.text('error')
    expect(words).toContain('数据库不可用')
    expect(words).toContain('HTTP 503')
    await saveArtifact(atlas.page, 'database-lost-boot.png')
  })
})
