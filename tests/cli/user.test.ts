// `atlas user` with the password on standard input: through the server that holds the folder, and
// on the folder itself once it is free; `atlas` run in this process (its main(), with a stream for
// its standard input), and as the real command, a child process, where standard input is a pipe. Each role's
// row level security through a real account it added gives the demonstration accounts' answers.
// Bad input (a weak or empty password, an unknown role, a duplicate, a bad email, a password as an
// argument) is refused in words and writes nothing.
import { spawn } from 'node:child_process'
import { PassThrough, Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { passwordRule } from '../../src/accounts/password.ts'
import type { Account } from '../../src/accounts/store.ts'
import { main } from '../../src/cli/main.ts'
import { readNewPassword } from '../../src/cli/password.ts'
import { projectRoot, readMeta } from '../../src/db/embedded.ts'
import { Auth, localAccounts, sessionEndedMessage } from '../../src/server/auth.ts'
import type { AppRole } from '../../src/shared/roles.ts'
import { killAll, scriptChild, type Child } from '../faults/processes.ts'
import { copySampleDatabase } from '../helpers/databases.ts'
import { apiClient, dataOf, type AtlasSupabase } from '../helpers/supabase.ts'

interface Run {
  code: number | null
  out: string
  err: string
}

/** `atlas --db <dir> …` in this process, with `stdin` as what it reads: what the command printed, line by line. */
async function atlas(dir: string, args: string[], stdin = ''): Promise<Run> {
  let out = ''
  let err = ''
  const code = await main(['--db', dir, ...args], (line) => (out += `${line}\n`), (line) => (err += `${line}\n`), undefined, Readable.from([stdin]))
  return { code, out, err }
}

/** `node src/cli/atlas.mjs --db <dir> …`, the real command, with `stdin` piped to its standard input. */
function atlasProcess(dir: string, args: string[], stdin = ''): Promise<Run> {
  const child = spawn(process.execPath, ['src/cli/atlas.mjs', '--db', dir, ...args], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  child.stdin.end(stdin)
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })))
}

const people: Record<AppRole, { email: string; password: string }> = {
  leader: { email: 'zhang.wei@longquan.gov.cn', password: 'Jianchi-leader-2026' },
  planner: { email: 'li.na@longquan.gov.cn', password: 'Longyuan-planner-2026' },
  works: { email: 'wang.fang@longquan.gov.cn', password: 'Xijie-works-2026' },
}

let dir: string
let server: Child | undefined
let url: string
let anonKey: string

async function signIn(email: string, password: string): Promise<AtlasSupabase> {
  const supabase = apiClient(url, anonKey)
  const { error } = await supabase.auth.signInWithPassword({ email, password })
  if (error) throw error
  return supabase
}

const listed = async (): Promise<Account[]> => {
  const run = await atlas(dir, ['user', 'list', '--json'])
  expect(run.err).toBe('')
  return JSON.parse(run.out) as Account[]
}

/** One write a role may do or not for each of two roles' workspaces: the statuses the API answers, undone after. */
async function probe(supabase: AtlasSupabase): Promise<{ proposal: number; backlog: number }> {
  const saved = await supabase.rpc('save_proposal', { name: '探针', facility_type: 'canteen', lon: 119.142, lat: 28.071, minutes: 8, speed: 66.7 })
  if (!saved.error) await supabase.rpc('remove_proposal', { id: saved.data.id })
  const version = (await supabase.rpc('backlog_scores')).data?.items.find((item) => item.code === 'BL-021')?.version ?? 1
  const status = await supabase.rpc('set_backlog_status', { code: 'BL-021', status: 'rejected', version })
  if (!status.error) await supabase.rpc('set_backlog_status', { code: 'BL-021', status: 'proposed', version: version + 1 })
  return { proposal: saved.status, backlog: status.status }
}

/** Stops the server as Ctrl-C stops npm start, and waits until the folder is free. */
async function stopServer(): Promise<void> {
  if (!server) return
  server.process.kill('SIGTERM')
  const exit = await server.exited
  server = undefined
  expect(exit.code, 'the server stopped cleanly').toBe(0)
}

beforeAll(async () => {
  dir = copySampleDatabase()
  // the server as npm start runs it, in a process of its own: holding the folder, its address in
  // the lock for the command line
  server = scriptChild('serve.ts', dir)
  url = (await server.waitFor(/^ready: (\S+)$/m))[1]
  anonKey = await new Auth(readMeta(dir).jwtSecret).anonKey()
})
afterAll(async () => {
  if (server) await killAll([server])
})

describe('while npm start holds the folder', () => {
  test('accounts added by the command line get, role by role, the demonstration accounts’ answers from row level security', async () => {
    const demo: Record<string, unknown> = {}
    for (const account of localAccounts) demo[account.role] = await probe(await signIn(account.email, account.password))
    expect(demo).toMatchObject({ leader: { proposal: 403, backlog: 403 }, planner: { proposal: 200, backlog: 403 }, works: { proposal: 403, backlog: 200 } })

    const added = await Promise.all(
      // the leader's by the real command, which finds the server in the folder's lock
      (Object.entries(people) as [AppRole, { email: string; password: string }][]).map(([role, { email, password }]) =>
        (role === 'leader' ? atlasProcess : atlas)(dir, ['user', 'add', email.toUpperCase(), '--role', role], `${password}\n`),
      ),
    )
    for (const run of added) expect(run).toMatchObject({ code: 0, err: '' })
    expect(added.map((run) => run.out).join('\n')).toMatch(/added zhang\.wei@longquan\.gov\.cn as leader/)

    const real: Record<string, unknown> = {}
    for (const [role, { email, password }] of Object.entries(people)) real[role] = await probe(await signIn(email, password))
    expect(real).toEqual(demo)
    // the demonstration is over on this server
    await expect(signIn(localAccounts[0].email, localAccounts[0].password)).rejects.toThrow('Invalid login credentials')
  })

  test('list, set-role, password and remove go through the server, and end the account’s sessions', async () => {
    const accounts = await listed()
    expect(accounts.map((a) => [a.email, a.role])).toEqual([
      [people.planner.email, 'planner'],
      [people.works.email, 'works'],
      [people.leader.email, 'leader'],
    ])
    expect(accounts.every((a) => a.lastSignInAt !== null)).toBe(true)
    const table = await atlas(dir, ['user', 'list'])
    expect(table.out).toMatch(/^email\s+role\s+created\s+last sign-in$/m)
    expect(table.out).toMatch(/li\.na@longquan\.gov\.cn\s+planner\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+\d{4}-/)

    const works = await signIn(people.works.email, people.works.password)
    const promoted = await atlas(dir, ['user', 'set-role', people.works.email, 'planner'])
    expect(promoted.code).toBe(0)
    expect(promoted.out).toMatch(/is now planner/)
    expect((await works.rpc('my_access')).error?.message).toBe(sessionEndedMessage)
    expect(dataOf(await (await signIn(people.works.email, people.works.password)).rpc('my_access')).role).toBe('planner')
    expect((await atlas(dir, ['user', 'set-role', people.works.email, '--role', 'works'])).code).toBe(0)

    const planner = await signIn(people.planner.email, people.planner.password)
    const rekeyed = await atlas(dir, ['user', 'password', people.planner.email], 'Another-planner-pass-9\n')
    expect(rekeyed.code).toBe(0)
    expect(rekeyed.out).toMatch(/new password for li\.na/)
    expect((await planner.rpc('my_access')).status).toBe(401)
    await expect(signIn(people.planner.email, people.planner.password)).rejects.toThrow('Invalid login credentials')
    await signIn(people.planner.email, 'Another-planner-pass-9')

    const leader = await signIn(people.leader.email, people.leader.password)
    expect(await atlas(dir, ['user', 'remove', people.leader.email])).toMatchObject({ code: 0, out: `removed ${people.leader.email}; its sessions have ended\n` })
    expect((await leader.rpc('my_access')).status).toBe(401)
    expect((await listed()).map((a) => [a.email, a.role])).toEqual([
      [people.planner.email, 'planner'],
      [people.works.email, 'works'],
    ])
  })

  test('bad input through the server is refused in words, and nothing is written', async () => {
    const before = await listed()
    const runs = await Promise.all([
      atlas(dir, ['user', 'add', people.works.email, '--role', 'leader'], 'Some-good-password-1\n'),
      atlas(dir, ['user', 'set-role', 'nobody@longquan.gov.cn', 'leader']),
      atlas(dir, ['user', 'add', 'new@longquan.gov.cn', '--role', 'works'], 'qwertyuiop\n'),
    ])
    expect(runs.map((r) => r.code)).toEqual([1, 1, 1])
    expect(runs[0].err).toContain(`an account for ${people.works.email} already exists`)
    expect(runs[1].err).toContain('there is no account for nobody@longquan.gov.cn')
    expect(runs[2].err).toContain(`the password is a straight run of the keyboard, the alphabet or the digits. A password needs ${passwordRule}`)
    expect(await listed()).toEqual(before)
  })
})

describe('on a free folder', () => {
  let accounts: Awaited<ReturnType<typeof listed>>
  test('add (the password from standard input) and list open the folder themselves', async () => {
    await stopServer()
    const added = await atlasProcess(dir, ['user', 'add', 'Chen.Jing@Longquan.gov.cn', '--role', 'works'], 'Chengnan-works-2026\r\nignored second line\n')
    expect(added).toMatchObject({ code: 0, err: '', out: 'added chen.jing@longquan.gov.cn as works\n' })
    accounts = await listed()
    expect(accounts.map((a) => [a.email, a.role, a.lastSignInAt])).toEqual([
      ['chen.jing@longquan.gov.cn', 'works', null],
      [people.planner.email, 'planner', expect.any(String)],
      [people.works.email, 'works', expect.any(String)],
    ])
  })

  test('bad input is refused with clear words and an exit code, and the accounts stay as they were', async () => {
    const add = (email: string, role: string, stdin: string, ...extra: string[]) => atlas(dir, ['user', 'add', email, '--role', role, ...extra], stdin)
    // all but the duplicate are refused before the folder is opened, so they may run at once; the
    // duplicate opens it, and would make any of them that asks who holds it meanwhile say it is in use
    const [weak, empty, mine, role, email, argument, positional, missing] = await Promise.all([
      add('new@longquan.gov.cn', 'works', 'abcdefghij\n'),
      add('new@longquan.gov.cn', 'works', ''),
      add('new.person@longquan.gov.cn', 'works', 'new.person-2026\n'),
      add('new@longquan.gov.cn', 'mayor', 'Some-good-password-1\n'),
      add('new.longquan.gov.cn', 'works', 'Some-good-password-1\n'),
      add('new@longquan.gov.cn', 'works', '', '--password', 'Some-good-password-1'),
      add('new@longquan.gov.cn', 'works', '', 'Some-good-password-1'),
      atlas(dir, ['user', 'add', 'new@longquan.gov.cn'], 'Some-good-password-1\n'),
    ])
    const duplicate = await add('CHEN.JING@longquan.gov.cn', 'works', 'Some-good-password-1\n')
    expect(weak.code).toBe(1)
    expect(weak.err).toContain(`straight run of the keyboard, the alphabet or the digits. A password needs ${passwordRule}`)
    expect(empty.code).toBe(1)
    expect(empty.err).toContain(`the password is empty. A password needs ${passwordRule}`)
    expect(mine.code).toBe(1)
    expect(mine.err).toContain('the password contains the name part of the email ("new.person")')
    expect(role).toMatchObject({ code: 1, err: 'atlas: unknown role "mayor": one of leader, planner, works\n' })
    expect(email.code).toBe(1)
    expect(email.err).toContain('"new.longquan.gov.cn" is not an email')
    expect(duplicate.code).toBe(1)
    expect(duplicate.err).toContain('an account for chen.jing@longquan.gov.cn already exists')
    // there is no way to give the password as an argument
    expect(argument.code).toBe(2)
    expect(argument.err).toContain("a password is never an argument")
    expect(positional.code).toBe(2)
    expect(positional.err).toContain('never from an argument')
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('the role is missing')
    for (const run of [weak, empty, mine, role, email, duplicate]) expect(run.err).toMatch(/^atlas: /)
    expect(await listed()).toEqual(accounts)
  })
})

describe('reading the password', () => {
  /** A terminal: typed characters arrive raw, nothing is echoed. */
  function terminal(keys: string) {
    const input = Object.assign(new PassThrough(), { isTTY: true, raw: false, setRawMode(raw: boolean) { input.raw = raw } })
    const output = new PassThrough()
    let shown = ''
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()))
    // typed a little later, as a person would, once the prompt is up
    setTimeout(() => input.write(keys), 10)
    return { io: { input, output }, shown: () => shown, input }
  }

  test('on a terminal it is asked twice, shown nowhere, and a backspace takes a character back', async () => {
    const tty = terminal('Correct-horse-99\u007f\rCorrect-horse-9\r')
    expect(await readNewPassword('li.na@longquan.gov.cn', tty.io)).toBe('Correct-horse-9')
    expect(tty.shown()).toBe('password for li.na@longquan.gov.cn: \nthe same password again: \n')
    expect(tty.input.raw).toBe(false)
  })

  test('two different passwords typed are refused; Ctrl-C stops', async () => {
    await expect(readNewPassword('x@y.cn', terminal('Correct-horse-9\rCorrect-horse-8\r').io)).rejects.toThrow('the two passwords typed differ; nothing was written')
    await expect(readNewPassword('x@y.cn', terminal('Correct-ho\u0003').io)).rejects.toThrow('stopped; nothing was written')
  })
})
