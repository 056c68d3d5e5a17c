// `atlas …` run in-process on a database folder, its output and exit code captured.
import path from 'node:path'
import { connect, type Connection } from '../../src/db/connect.ts'
import type { Database } from '../../src/db/database.ts'
import type { Opener } from '../../src/cli/commands/command.ts'
import { main } from '../../src/cli/main.ts'
import { copyEmptyDatabase } from './databases.ts'

export interface AtlasRun {
  code: number
  out: string
  err: string
}

async function run(dir: string, args: string[], open?: Opener): Promise<AtlasRun> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['--db', dir, ...args], (line: string) => out.push(line), (line: string) => err.push(line), open)
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** One command, which opens the folder as `atlas` does: the lock, the migrations, a start of the database. */
export function runAtlas(dir: string, ...args: string[]): Promise<AtlasRun> {
  return run(dir, args)
}

export interface AtlasSession {
  /** The folder's database, open: what the commands wrote, for the test to read. */
  db: Database
  run(...args: string[]): Promise<AtlasRun>
  close(): Promise<void>
}

/**
 * Commands on one folder kept open across them: opened once as `atlas` opens it (the lock, the
 * migrations), then handed to each command, which would otherwise spend seconds starting the
 * embedded database for milliseconds of work. For the tests of what the commands do; the tests
 * of how a command opens a folder (the lock, the backup before migrating) use runAtlas.
 */
export async function openAtlas(dir: string): Promise<AtlasSession> {
  const connection = await connect(dir, 'atlas')
  const kept: Connection = { ...connection, migrations: [], close: async () => {} }
  const open: Opener = (target) => (path.resolve(target) === path.resolve(dir) ? Promise.resolve(kept) : connect(target, 'atlas'))
  return {
    db: connection.db,
    run: (...args) => run(dir, args, open),
    close: () => connection.close(),
  }
}

/** The import fixtures' folder (tests/fixtures/import). */
export const importFixtures = path.resolve(import.meta.dirname, '../fixtures/import')

/**
 * A new empty database with the fixtures' one street office and its communities imported through
 * `atlas import`, kept open for the commands and checks that follow: the ground the importer tests
 * build on. Throws with atlas's words if either is refused.
 */
export async function baseCity(): Promise<AtlasSession> {
  const atlas = await openAtlas(copyEmptyDatabase())
  for (const layer of ['street', 'community']) {
    const { code, err } = await atlas.run('import', layer, path.join(importFixtures, `base-${layer}.geojson`))
    if (code !== 0) {
      await atlas.close()
      throw new Error(`importing base-${layer}.geojson failed: ${err}`)
    }
  }
  return atlas
}
