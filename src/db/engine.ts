// The embedded database's own thread (started by ./thread.ts): PGlite + PostGIS on the folder, and
// every call of the main thread answered by message. A long query holds this thread, never the
// server's event loop; a query past its deadline is ended by ending this thread.
import { parentPort, workerData } from 'node:worker_threads'
import type { Transaction } from '@electric-sql/pglite'
import { createPGlite, dumpInTransaction, type Queryable } from './database.ts'

export type EngineRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'dump'; tx: number }
  | { id: number; op: 'close' }

export type EngineReply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: EngineError }

/** An error as it crosses the threads: its class's name, its words, and PostgreSQL's fields. */
export interface EngineError {
  name: string
  message: string
  fields: Record<string, unknown>
}

export function describeError(error: unknown): EngineError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} }
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(error)) if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value
  return { name: error instanceof WebAssembly.RuntimeError ? 'RuntimeError' : error.name, message: error.message, fields }
}

/** Leaves PGlite's transaction callback: the transaction rolls back. */
class RollBack extends Error {}

async function serve(): Promise<void> {
  const port = parentPort!
  const { dir } = workerData as { dir: string }
  const db = await createPGlite(dir)
  const plain: Queryable = { query: (sql, params) => db.query(sql, params), exec: async (sql) => void (await db.exec(sql)) }
  const open = new Map<number, { tx: Queryable; end: (commit: boolean) => void; done: Promise<void> }>()
  let nextTx = 1
  const where = (tx: number | undefined): Queryable => {
    if (tx === undefined) return plain
    const found = open.get(tx)
    if (!found) throw new Error(`transaction ${tx} is not open`)
    return found.tx
  }

  const run = async (request: EngineRequest): Promise<unknown> => {
    switch (request.op) {
      case 'query':
        return (await where(request.tx).query(request.sql, request.params)).rows
      case 'exec':
        return where(request.tx).exec(request.sql)
      case 'begin': {
        const id = nextTx++
        return new Promise<number>((started, failed) => {
          let end: (commit: boolean) => void = () => {}
          const ended = new Promise<boolean>((resolve) => (end = resolve))
          const done = db
            .transaction(async (raw: Transaction) => {
              open.set(id, { tx: { query: (sql, params) => raw.query(sql, params), exec: async (sql) => void (await raw.exec(sql)) }, end, done })
              started(id)
              if (!(await ended)) throw new RollBack()
            })
            .catch((error: unknown) => {
              if (!(error instanceof RollBack)) throw error
            })
            .finally(() => open.delete(id))
          // a failure to begin at all (the engine aborted) fails the begin
          done.catch(failed)
        })
      }
      case 'commit':
      case 'rollback': {
        const found = open.get(request.tx)
        if (!found) throw new Error(`transaction ${request.tx} is not open`)
        found.end(request.op === 'commit')
        return found.done
      }
      case 'dump':
        // inside the snapshot's transaction (see Database.snapshot)
        return dumpInTransaction(db, where(request.tx))
      case 'close':
        await db.close()
        return undefined
    }
  }

  port.on('message', (request: EngineRequest) => {
    run(request).then(
      (value) => {
        const reply: EngineReply = { id: request.id, ok: true, value }
        if (value instanceof Uint8Array) port.postMessage(reply, [value.buffer as ArrayBuffer])
        else port.postMessage(reply)
        if (request.op === 'close') port.close()
      },
      (error: unknown) => port.postMessage({ id: request.id, ok: false, error: describeError(error) } satisfies EngineReply),
    )
  })
  port.postMessage({ id: 0, ok: true, value: 'ready' } satisfies EngineReply)
}

serve().catch((error: unknown) => parentPort!.postMessage({ id: 0, ok: false, error: describeError(error) } satisfies EngineReply))
