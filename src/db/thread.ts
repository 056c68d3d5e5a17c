// The embedded database in a thread of its own, as the server runs it: the event loop that answers
// health, the app's files and the sign-in form never waits on a query, and a transaction past its
// deadline is ended for real. PGlite has no way to cancel a statement (statement_timeout needs
// signals it does not have), so the thread is ended instead and the folder opened again in a new
// one: the transaction it was in never committed, so nothing of it is kept — the same as a killed
// process, which the fault tests hold PGlite to.
import fs from 'node:fs'
import { Worker } from 'node:worker_threads'
import type { Database, Queryable, Snapshot } from './database.ts'
import { prepareFolder } from './database.ts'
import type { EngineError, EngineReply, EngineRequest } from './engine.ts'
import { EngineAbortedError } from './guard.ts'

/** A transaction that ran past the database's deadline: it was ended, and nothing it wrote was kept. */
export class DeadlineExceeded extends Error {
  readonly status = 503
  readonly code = '57014'
  constructor(readonly deadlineMs: number) {
    super(`the call took longer than ${deadlineMs / 1000} s, the server's limit for one call, and was stopped; nothing it wrote was kept`)
    this.name = 'DeadlineExceeded'
  }
}

/** Every call in flight when the thread was ended for another's deadline: it may be tried again. */
export class EngineRestarted extends Error {
  readonly status = 503
  readonly code = '57P01'
  constructor() {
    super('the database was restarting after a call that took too long; try again')
    this.name = 'EngineRestarted'
  }
}

type Payload<R> = R extends { id: number } ? Omit<R, 'id'> : never

/** An error from the thread as its class: PostgreSQL's fields kept, an abort still an abort. */
function revive(error: EngineError): Error {
  let revived: Error
  if (error.name === 'EngineAbortedError') revived = new EngineAbortedError('')
  else if (error.name === 'RuntimeError') revived = new WebAssembly.RuntimeError(error.message)
  else revived = new Error(error.message)
  Object.assign(revived, error.fields)
  revived.message = error.message
  if (error.name !== 'RuntimeError') revived.name = error.name
  return revived
}

/** The files of the folder this process holds open (Linux): a thread ended mid-call leaves its own open. */
function openFilesIn(dir: string): number[] {
  const fds = '/proc/self/fd'
  if (!fs.existsSync(fds)) return []
  return fs.readdirSync(fds).flatMap((name) => {
    try {
      return fs.readlinkSync(`${fds}/${name}`).startsWith(`${dir}/`) ? [Number(name)] : []
    } catch {
      return []
    }
  })
}

class Engine {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  private nextId = 1
  private stopped: Error | undefined

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: EngineReply) => {
      const waiting = this.pending.get(reply.id)
      if (!waiting) return
      this.pending.delete(reply.id)
      if (reply.ok) waiting.resolve(reply.value)
      else waiting.reject(revive(reply.error))
    })
    const fail = (error: Error) => {
      this.stopped ??= error
      for (const waiting of this.pending.values()) waiting.reject(this.stopped)
      this.pending.clear()
    }
    worker.on('error', (error) => fail(error))
    worker.on('exit', (code) => fail(new Error(`the embedded database's thread stopped (exit code ${code})`)))
  }

  static start(dir: string): Promise<Engine> {
    const worker = new Worker(new URL('./engine.mjs', import.meta.url), { workerData: { dir } })
    const engine = new Engine(worker)
    return new Promise((resolve, reject) => {
      engine.pending.set(0, { resolve: () => resolve(engine), reject })
    })
  }

  get alive(): boolean {
    return this.stopped === undefined
  }

  call<T>(request: Payload<EngineRequest>): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped)
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.worker.postMessage({ ...request, id })
    })
  }

  /** Settled once the thread has ended (after kill). */
  ended: Promise<unknown> = Promise.resolve()

  /** Ends the thread at once, whatever it is doing; the other calls in flight may be tried again. */
  kill(): Promise<unknown> {
    this.stopped ??= new EngineRestarted()
    for (const waiting of this.pending.values()) waiting.reject(this.stopped)
    this.pending.clear()
    this.ended = this.worker.terminate()
    return this.ended
  }

  async close(): Promise<void> {
    if (this.alive) await this.call({ op: 'close' }).catch(() => {})
    await this.worker.terminate()
  }
}

/**
 * Opens the embedded folder in a thread of its own. Transactions run one after another (PGlite
 * runs one at a time anyway), each under the deadline in `limits` when one is set; a statement
 * outside a transaction passes straight to the thread, as it would to PGlite.
 */
export async function openEmbeddedInThread(dataDir: string): Promise<Database> {
  const dir = prepareFolder(dataDir)
  let engine = await Engine.start(dir)
  let restarting: Promise<Engine> | undefined
  /** The live engine: after a deadline, a new one on the same folder (its old thread's files closed first). */
  const current = async (): Promise<Engine> => {
    if (engine.alive) return engine
    restarting ??= (async () => {
      // once the old thread is gone: closing its files under it would pull them from a running PGlite
      await engine.ended
      for (const fd of openFilesIn(dir)) fs.closeSync(fd)
      engine = await Engine.start(dir)
      return engine
    })().finally(() => (restarting = undefined))
    return restarting
  }
  const limits: { deadlineMs?: number } = {}
  let queue: Promise<unknown> = Promise.resolve()

  /** A transaction on the engine, committed when `work` succeeds; its deadline counts from its start. */
  function inTransaction<T>(work: (tx: Queryable, engine: Engine, id: number) => Promise<T>, deadlineMs: number | undefined): Promise<T> {
    const run = async (): Promise<T> => {
      const live = await current()
      const body = async () => {
        const id = await live.call<number>({ op: 'begin' })
        const tx: Queryable = {
          query: async <R>(sql: string, params?: unknown[]) => ({ rows: await live.call<R[]>({ op: 'query', sql, params, tx: id }) }),
          exec: (sql) => live.call({ op: 'exec', sql, tx: id }),
        }
        let result: T
        try {
          result = await work(tx, live, id)
        } catch (error) {
          await live.call({ op: 'rollback', tx: id }).catch(() => {})
          throw error
        }
        await live.call({ op: 'commit', tx: id })
        return result
      }
      if (deadlineMs === undefined) return body()
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new DeadlineExceeded(deadlineMs))
          void live.kill()
        }, deadlineMs)
      })
      try {
        return await Promise.race([body(), deadline])
      } finally {
        clearTimeout(timer)
      }
    }
    const result = queue.then(run, run)
    queue = result.catch(() => {})
    return result
  }

  return {
    kind: 'embedded',
    target: dir,
    limits,
    query: async <R>(sql: string, params?: unknown[]) => ({ rows: await (await current()).call<R[]>({ op: 'query', sql, params }) }),
    exec: async (sql) => {
      await (await current()).call({ op: 'exec', sql })
    },
    transaction: (fn, options) =>
      inTransaction((tx) => fn(tx), limits.deadlineMs === undefined ? undefined : Math.max(limits.deadlineMs, options?.deadlineMs ?? 0)),
    // a copy of the folder: no deadline (a large city's takes as long as it takes), one transaction as in ./database.ts
    snapshot: <R>(read: (tx: Queryable) => Promise<R>): Promise<Snapshot<R>> =>
      inTransaction(async (tx, live, id) => {
        const value = await read(tx)
        return { read: value, tar: await live.call<Uint8Array>({ op: 'dump', tx: id }) }
      }, undefined),
    close: async () => {
      await queue
      await engine.close()
    },
  }
}
