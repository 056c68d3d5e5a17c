// `atlas …` run in-process on a database folder, its output and exit code captured.
import path from 'node:path'
import { main } from '../../src/cli/main.ts'
import { copyEmptyDatabase } from './databases.ts'

export async function runAtlas(dir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['--db', dir, ...args], (line) => out.push(line), (line) => err.push(line))
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** The import fixtures' folder (tests/fixtures/import). */
export const importFixtures = path.resolve(import.meta.dirname, '../fixtures/import')

/**
 * A new empty database with the fixtures' one street office and its communities imported through
 * `atlas import`: the ground the importer tests build on. Throws with atlas's words if either is refused.
 */
export async function baseCityDatabase(): Promise<string> {
  const dir = copyEmptyDatabase()
  for (const layer of ['street', 'community']) {
    const { code, err } = await runAtlas(dir, 'import', layer, path.join(importFixtures, `base-${layer}.geojson`))
    if (code !== 0) throw new Error(`importing base-${layer}.geojson failed: ${err}`)
  }
  return dir
}
