// `npm start`'s first run killed with SIGKILL while it loads the sample city: the next start finds
// the folder opening cleanly with no layer of the city at all, or all of it (with its circles) —
// never half a city that the next load would trip over.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { connect } from '../../src/db/connect.ts'
import { readMeta } from '../../src/db/embedded.ts'
import { sampleFiles } from '../../src/db/sample.ts'
import { layers } from '../../src/shared/layers.ts'
import { copyEmptyDatabase, copySampleDatabase, tempDir } from '../helpers/databases.ts'
import { copyFolder, killAll, scriptChild, seeded, sleep, type Child } from './processes.ts'

const seed = 2026_1128
const work = tempDir('faults-sample')
const children: Child[] = []
// every table the sample's load writes: its layers, the network's nodes, the lists of codes, the circles
const tables = [...new Set([...Object.values(layers).map((spec) => spec.table), 'walk_node', 'backlog_dependency', 'backlog_change', 'service_circle', 'access_time'])].sort()

afterAll(async () => {
  await killAll(children)
  fs.rmSync(work, { recursive: true, force: true })
})

async function contents(dir: string): Promise<Record<string, number>> {
  const connection = await connect(dir, 'fault test')
  try {
    const { rows } = await connection.db.query<{ counts: Record<string, number> }>(
      `select json_build_object(${tables.map((t) => `'${t}', (select count(*) from atlas.${t})`).join(', ')}) as counts`,
    )
    return rows[0].counts
  } finally {
    await connection.close()
  }
}

test(`SIGKILL at 3 seeded moments of the sample city's first load (seed ${seed}): no layer at all, or all of them`, async () => {
  const random = seeded(seed)
  const layerCount = sampleFiles().length
  // after a layer among the first few, after one among the last, and at the end of the circles (just before or after the commit)
  const moments = [
    { after: /^layer /m, count: 1 + Math.floor(random() * 4), delay: Math.round(random() * 300) },
    { after: /^layer /m, count: 5 + Math.floor(random() * (layerCount - 5)), delay: Math.round(random() * 300) },
    { after: /^circles /m, count: 1, delay: Math.round(random() * 100) },
  ]
  const empty = copyEmptyDatabase()
  let whole: Record<string, number> | undefined
  const outcomes: string[] = []
  for (const [k, moment] of moments.entries()) {
    const dir = copyFolder(empty, path.join(work, `db-${k}`))
    const loading = scriptChild('load-sample.ts', dir)
    children.push(loading)
    await loading.waitFor(moment.after, moment.count)
    await sleep(moment.delay)
    const exit = await loading.kill()
    const said = loading.output().trim().split('\n').at(-1)
    const found = await contents(dir)
    const what = `killed ${moment.delay} ms after "${moment.after.source.slice(1)}" #${moment.count} (last said: ${said}, ${exit.signal ?? `exit ${exit.code}`})`
    if (Object.values(found).every((n) => Number(n) === 0)) {
      outcomes.push(`${what}: no layer`)
      // so the next start loads it, on an empty database, as the first one should have
      expect(readMeta(dir).sampleLoadedAt, what).toBeUndefined()
    } else {
      // (the next start sees the street offices and does not load it again, noted in the side file or not)
      outcomes.push(`${what}: the whole city`)
      whole ??= await contents(copySampleDatabase())
      expect(found, what).toEqual(whole)
    }
  }
  console.log(outcomes.join('\n'))
}, 300_000)
