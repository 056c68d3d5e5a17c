// A newcomer's first minutes: clone the repository, `npm start`, open the page, ask the API.
// Then stop it and start again from the saved database. The clone's dependencies are this
// checkout's, hard-linked: installing them on a fresh clone is what every CI run does itself
// (`npm test` runs the same install step on its own clean clone), at tens of seconds of the two cores. And an office's first mistake: serving a
// public address before adding an account is refused, with the command that adds one.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { projectRoot } from '../../src/db/embedded.ts'
import { copyEmptyDatabase, tempDir } from '../helpers/databases.ts'

const clone = path.join(tempDir('clone'), 'atlas')
const running: ChildProcess[] = []

interface Started {
  child: ChildProcess
  url: string
  output: () => string
}

function npmStart(): Promise<Started> {
  const child = spawn('npm', ['start', '--', '--port', '0'], {
    cwd: clone,
    detached: true, // its own process group, so a signal reaches npm, tsx and node alike
    env: { ...process.env, PORT: '', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.push(child)
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const ready = output.match(/^ready: (http:\/\/localhost:\d+)$/m)
      if (ready) resolve({ child, url: ready[1], output: () => output })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`)))
  })
}

/**
 * Ctrl-C: SIGINT to the whole process group, as a terminal sends it. npm itself then dies of the
 * signal, so what says the server stopped cleanly is its own exit and the released lock.
 */
function stop(child: ChildProcess): Promise<boolean> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit')
    // npm may exit before the server under it has closed its database: wait for the whole group
    child.once('exit', (code, signal) => void groupGone(child.pid!).then((gone) => resolve(gone && (code === 0 || signal === 'SIGINT'))))
    process.kill(-child.pid!, 'SIGINT')
  })
}

async function groupGone(pgid: number, timeoutMs = 60_000): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    try {
      process.kill(-pgid, 0)
    } catch {
      return true
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return false
}

async function askTheApi(url: string) {
  const page = await (await fetch(url)).text()
  expect(page).toContain('基层治理一张图')
  const config = (await (await fetch(`${url}/atlas/config.json`)).json()) as { anonKey: string; accounts: { email: string; password: string }[] }
  const account = config.accounts.find((a) => a.email.startsWith('leader'))!
  const session = (await (
    await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: config.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    })
  ).json()) as { access_token: string }
  const response = await fetch(`${url}/rest/v1/rpc/layer_stats`, {
    method: 'POST',
    headers: { apikey: config.anonKey, authorization: `Bearer ${session.access_token}`, 'content-type': 'application/json' },
    body: '{}',
  })
  expect(response.status).toBe(200)
  return (await response.json()) as { community: { count: number }; street: { count: number } }
}

test(
  'npm start on a fresh clone serves the page and answers an RPC; a second start reuses the saved database',
  { timeout: 420_000 },
  async () => {
    execFileSync('git', ['clone', '--quiet', projectRoot, clone])
    execFileSync('cp', ['-al', path.join(projectRoot, 'node_modules'), path.join(clone, 'node_modules')])
    const first = await npmStart()
    expect(first.output()).toMatch(/loading the sample city/)
    const stats = await askTheApi(first.url)
    expect(stats.street.count).toBe(4)
    expect(stats.community.count).toBe(28)
    expect(await stop(first.child)).toBe(true)
    expect(fs.existsSync(path.join(clone, '.atlas/db.lock'))).toBe(false)

    const second = await npmStart()
    expect(second.output()).not.toMatch(/loading the sample city|installing dependencies|building the app/)
    expect((await askTheApi(second.url)).community.count).toBe(28)
    expect(await stop(second.child)).toBe(true)
  },
)

test('npm start on a public address with no account refuses to start, before building or serving, and says how to add one', { timeout: 120_000 }, async () => {
  const dir = copyEmptyDatabase()
  const child = spawn(path.join(projectRoot, 'node_modules/.bin/tsx'), ['src/server/main.ts', '--db', dir, '--host', '0.0.0.0', '--port', '0', '--dev'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '', HOST: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.push(child)
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
  expect(code).toBe(1)
  expect(output).toContain('refusing to listen on 0.0.0.0 with no account added')
  expect(output).toContain(`npx atlas --db ${dir} user add <email> --role leader`)
  expect(output).not.toMatch(/ready:|building the app|demonstration mode/)
  // the folder is free again for that command
  expect(fs.existsSync(`${dir}.lock`)).toBe(false)
})

afterAll(() => {
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  fs.rmSync(path.dirname(clone), { recursive: true, force: true })
})
