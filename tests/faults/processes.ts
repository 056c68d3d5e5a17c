// What the fault tests share: seeded moments, and child processes that are killed with SIGKILL
// at them, as a power cut or the OOM killer would stop the server or a command.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../../src/db/embedded.ts'

/** The seeded generator the other randomised tests use (mulberry32), so that a failing moment can be run again. */
export { random as seeded } from '../../src/circles/engine/testing.ts'

export interface Child {
  process: ChildProcess
  /** Everything it wrote, stdout and stderr. */
  output(): string
  /** Resolves when the pattern (global) has matched its output `count` times; rejects if it exits first. */
  waitFor(pattern: RegExp, count?: number): Promise<RegExpMatchArray>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>
  /** SIGKILL, then its exit. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>
}

/** `atlas …` as a user runs it: the command's own entry point, in a process of its own. */
export function atlasChild(...args: string[]): Child {
  return child(path.join(projectRoot, 'src/cli/atlas.mjs'), args)
}

/** A script of tests/faults run by Node with tsx's loader, in one process (no wrapper to kill instead). */
export function scriptChild(script: string, ...args: string[]): Child {
  return child(path.join(import.meta.dirname, script), args, ['--import', 'tsx'])
}

function child(file: string, args: string[], nodeOptions: string[] = []): Child {
  const started = Date.now()
  const proc = spawn(process.execPath, [...nodeOptions, file, ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const listeners = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    output += chunk.toString()
    for (const listener of listeners) listener()
  }
  proc.stdout.on('data', onData)
  proc.stderr.on('data', onData)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - started })),
  )
  return {
    process: proc,
    output: () => output,
    exited,
    waitFor(pattern, count = 1) {
      const every = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`)
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = [...output.matchAll(every)][count - 1]
          if (!found) return
          listeners.delete(look)
          resolve(found)
        }
        listeners.add(look)
        look()
        void exited.then(({ code, signal }) => {
          if (listeners.delete(look)) reject(new Error(`${path.basename(file)} exited (${code ?? signal}) before printing ${pattern}:\n${output}`))
        })
      })
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
      return exited
    },
  }
}

/** Kills every child still running: for afterAll, whatever a failing test left. */
export function killAll(children: Child[]): Promise<unknown> {
  return Promise.all(children.map((c) => c.kill()))
}

/** A copy of a database folder with its side file (if any): a fresh ground for each moment. */
export function copyFolder(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true })
  if (fs.existsSync(`${from}.meta.json`)) fs.copyFileSync(`${from}.meta.json`, `${to}.meta.json`)
  return to
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * When PGlite has opened the folder: it writes postmaster.pid there as it starts (and removes it
 * as it closes). What comes after is the command's own work, whatever the machine's load made of
 * the start. Resolves with the time since `since`; rejects if the child exits first.
 */
export async function opened(dir: string, child: Child, since: number): Promise<number> {
  let gone = false
  void child.exited.then(() => (gone = true))
  for (;;) {
    if (fs.existsSync(path.join(dir, 'postmaster.pid'))) return Date.now() - since
    if (gone) throw new Error(`the child exited before PGlite opened ${dir}:\n${child.output()}`)
    await sleep(10)
  }
}
