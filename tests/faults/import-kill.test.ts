// `atlas import` killed with SIGKILL at seeded moments of a walking network's import: the folder
// opens cleanly after, and the layer holds none of the file or all of it — never a part.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connect } from '../../src/db/connect.ts'
import { openDatabase } from '../../src/db/database.ts'
import { importFile } from '../../src/db/import.ts'
import { copyEmptyDatabase, tempDir } from '../helpers/databases.ts'
import { importFixtures } from '../helpers/cli.ts'
import { atlasChild, copyFolder, killAll, opened, seeded, type Child } from './processes.ts'

const seed = 1128_2026
const moments = 3
const side = 50 // a lattice of 50 × 50 crossings: 4,900 edges, 2,500 nodes
const edges = 2 * side * (side - 1)
const nodes = side * side

const work = tempDir('faults-import')
const networkFile = path.join(work, 'lattice.geojson')
const children: Child[] = []
let base: string

/** Footways and residential streets on a lattice inside the fixtures' community, 33 m apart. */
function writeLattice(): void {
  const features = []
  // each crossing's coordinates computed once, so that the edges meeting there share its node
  const x = (i: number) => Number((119.131 + i * 0.0003).toFixed(6))
  const y = (j: number) => Number((28.071 + j * 0.0003).toFixed(6))
  let n = 0
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      if (i + 1 < side) features.push({ type: 'Feature', properties: { code: `L${n++}`, highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[x(i), y(j)], [x(i + 1), y(j)]] } })
      if (j + 1 < side) features.push({ type: 'Feature', properties: { code: `L${n++}`, highway: 'footway' }, geometry: { type: 'LineString', coordinates: [[x(i), y(j)], [x(i), y(j + 1)]] } })
    }
  fs.writeFileSync(networkFile, JSON.stringify({ type: 'FeatureCollection', features }))
}

/** The fixtures' street office and community, the ground the network lies in. */
async function baseCity(): Promise<string> {
  const dir = copyEmptyDatabase()
  const db = await openDatabase(dir)
  try {
    for (const layer of ['street', 'community'] as const) await importFile(db, layer, path.join(importFixtures, `base-${layer}.geojson`))
  } finally {
    await db.close()
  }
  return dir
}

async function network(dir: string): Promise<{ edges: number; nodes: number; unlinked: number }> {
  const connection = await connect(dir, 'fault test')
  try {
    const { rows } = await connection.db.query<{ edges: number; nodes: number; unlinked: number }>(
      `select (select count(*)::int from atlas.walk_edge) as edges, (select count(*)::int from atlas.walk_node) as nodes,
              (select count(*)::int from atlas.walk_edge where source is null or target is null) as unlinked`,
    )
    return rows[0]
  } finally {
    await connection.close()
  }
}

beforeAll(async () => {
  writeLattice()
  base = await baseCity()
})

afterAll(async () => {
  await killAll(children)
  fs.rmSync(work, { recursive: true, force: true })
})

test(`SIGKILL at ${moments} seeded moments of \`atlas import walk_edge\` (${edges} edges, seed ${seed}): it reopens with none of them or all`, async () => {
  /** The command on a fresh copy of the base city; `open` resolves when its database is open, in ms since it started. */
  const run = () => {
    const dir = copyFolder(base, path.join(work, `db-${children.length}`))
    const started = Date.now()
    const command = atlasChild('--db', dir, 'import', 'walk_edge', networkFile)
    children.push(command)
    return { dir, command, open: opened(dir, command, started) }
  }
  // the import's duration, measured: from its database open to its exit (reading, checking, writing, closing)
  const full = run()
  const openedAt = await full.open
  const done = await full.command.exited
  expect(done.code, full.command.output()).toBe(0)
  expect(await network(full.dir)).toEqual({ edges, nodes, unlinked: 0 })
  const duration = done.ms - openedAt

  // one moment in each of as many equal parts of that duration
  const random = seeded(seed)
  const outcomes: string[] = []
  for (let k = 0; k < moments; k++) {
    const at = Math.round((duration * (k + random())) / moments)
    const { dir, command, open } = run()
    await open
    const timer = setTimeout(() => void command.kill(), at)
    const exit = await command.exited
    clearTimeout(timer)
    const found = await network(dir)
    outcomes.push(`${at} ms: ${exit.signal ?? `exit ${exit.code}`}, ${found.edges} edges`)
    // whole or absent, and the folder opened cleanly to say so
    if (found.edges === 0) expect(found, `killed ${at} ms after opening`).toEqual({ edges: 0, nodes: 0, unlinked: 0 })
    else expect(found, `killed ${at} ms after opening`).toEqual({ edges, nodes, unlinked: 0 })
  }
  console.log(`the import ran ${duration} ms after its database opened (${openedAt} ms); killed after: ${outcomes.join('; ')}`)
}, 300_000)
