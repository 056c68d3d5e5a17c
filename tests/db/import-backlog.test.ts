// What the importer brings to the backlog: depends_on, the codes of the items an item waits for
// (in the same file or already imported), written to atlas.backlog_dependency in the import's
// transaction; unknown codes and cycles refused in words with nothing written; an upsert replaces
// an item's dependencies, and moves its status only as the workflow allows.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BacklogScores } from '../../src/backlog/types.ts'
import type { Database } from '../../src/db/database.ts'
import { importFile } from '../../src/db/import.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { ImportError } from '../../src/db/validate.ts'
import { baseCity, type AtlasSession } from '../helpers/cli.ts'
import { tempDir } from '../helpers/databases.ts'

const files = tempDir('import-backlog')

// base-community.geojson's 大洋社区 covers 119.13–119.145 E, 28.07–28.09 N
const item = (code: string, category: string, extra: Record<string, unknown> = {}) => ({
  properties: { code, name: `大洋路${category}`, parent_code: '331181001001', category, cost_yuan: 1_000_000, status: 'proposed', ...extra },
  geometry: { type: 'LineString', coordinates: [[119.135, 28.075], [119.14, 28.08]] },
})

function collection(name: string, features: ReturnType<typeof item>[]): string {
  const file = path.join(files, name)
  fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', ...f })) }))
  return file
}

let city: AtlasSession
let db: Database

beforeAll(async () => {
  city = await baseCity()
  db = city.db
})

afterAll(async () => {
  await city?.close()
  fs.rmSync(files, { recursive: true, force: true })
})

const dependencies = async () =>
  (await db.query<{ item_code: string; depends_on: string }>('select item_code, depends_on from atlas.backlog_dependency order by 1, 2')).rows.map(
    (r) => `${r.item_code} → ${r.depends_on}`,
  )

/** The backlog as stored: items with their status and version, dependencies, history. */
const stored = async () =>
  (await db.query<{ v: string }>(`select concat_ws('|',
      (select string_agg(concat_ws(',', code, status, version, cost_yuan), ';' order by code) from atlas.backlog_item),
      (select string_agg(item_code || '>' || depends_on, ';' order by 1) from atlas.backlog_dependency),
      (select count(*) from atlas.backlog_change)) as v`)).rows[0].v

async function refused(file: string, upsert = false): Promise<string> {
  const before = await stored()
  const error = await importFile(db, 'backlog', file, { upsert }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ImportError)
  expect(await stored()).toBe(before)
  return (error as Error).message
}

describe('depends_on', () => {
  test('names items of the same file: written to backlog_dependency with the items, each item with its first history row', async () => {
    const file = collection('first.geojson', [
      item('DY-ROAD', '硬化', { depends_on: ['DY-SEWER', 'DY-WATER'] }),
      item('DY-SEWER', '排污'),
      item('DY-WATER', '供水'),
    ])
    expect(await importFile(db, 'backlog', file)).toMatchObject({ inserted: 3, updated: 0 })
    expect(await dependencies()).toEqual(['DY-ROAD → DY-SEWER', 'DY-ROAD → DY-WATER'])
    const { rows } = await db.query<{ item_code: string; version: number; changes: object }>('select item_code, version, changes from atlas.backlog_change order by item_code')
    expect(rows).toEqual(['DY-ROAD', 'DY-SEWER', 'DY-WATER'].map((code) => ({ item_code: code, version: 1, changes: {} })))
    // the API gives them back with the item
    const scores = await asCaller(db, userClaims('leader'), async (tx) => (await tx.query<{ s: BacklogScores }>('select public.backlog_scores() as s')).rows[0].s)
    expect(scores.items.find((i) => i.code === 'DY-ROAD')!.depends_on).toEqual(['DY-SEWER', 'DY-WATER'])
    expect(scores.items.find((i) => i.code === 'DY-SEWER')!.depends_on).toEqual([])
  })

  test('names items already in the database', async () => {
    const file = collection('second.geojson', [item('DY-LIGHT', '亮化', { depends_on: ['DY-ROAD'] })])
    expect(await importFile(db, 'backlog', file)).toMatchObject({ inserted: 1 })
    expect(await dependencies()).toContain('DY-LIGHT → DY-ROAD')
  })

  test('an unknown code is refused in words, and nothing is written', async () => {
    const message = await refused(collection('unknown.geojson', [
      item('DY-GREEN', '绿化'),
      item('DY-CLEAN', '洁化', { depends_on: ['DY-GREEN', 'DY-NOPE', 'DY-GONE'] }),
    ]))
    expect(message).toMatch(/refused, nothing was written \(1 problem\)/)
    expect(message).toContain('feature 1 (code DY-CLEAN): "depends_on" names DY-GONE, DY-NOPE: no such backlog item in this file or in the database')
  })

  test('a cycle within the file is refused naming it once, and nothing is written', async () => {
    const message = await refused(collection('cycle.geojson', [
      item('DY-A', '硬化', { depends_on: ['DY-B'] }),
      item('DY-B', '排污', { depends_on: ['DY-C'] }),
      item('DY-C', '供水', { depends_on: ['DY-A'] }),
      item('DY-D', '亮化', { depends_on: ['DY-A'] }),
    ]))
    expect(message).toMatch(/\(1 problem\)/)
    expect(message).toContain('feature 0 (code DY-A): "depends_on" closes a cycle: DY-A → DY-B → DY-C → DY-A')
  })

  test('a cycle through items already in the database is refused, and nothing is written', async () => {
    // DY-LIGHT waits for DY-ROAD, which waits for DY-SEWER: the sewer waiting for the light closes it
    const message = await refused(collection('cycle-db.geojson', [item('DY-SEWER', '排污', { depends_on: ['DY-LIGHT'] })]), true)
    expect(message).toContain('feature 0 (code DY-SEWER): "depends_on" closes a cycle: DY-SEWER → DY-LIGHT → DY-ROAD → DY-SEWER')
  })

  test('the item itself, a repeated code, a code of the wrong shape and a value that is no list are refused (a list written as text, "a,b", is read)', async () => {
    const message = await refused(collection('bad.geojson', [
      item('DY-E', '硬化', { depends_on: ['DY-E'] }),
      item('DY-F', '硬化', { depends_on: ['DY-SEWER', 'DY-SEWER'] }),
      item('DY-G', '硬化', { depends_on: ['DY SEWER'] }),
      item('DY-H', '硬化', { depends_on: { first: 'DY-SEWER' } }),
    ]))
    expect(message).toMatch(/\(4 problems\)/)
    expect(message).toContain('feature 0 (code DY-E): "depends_on" names the item itself: DY-E cannot depend on itself')
    expect(message).toContain('feature 1 (code DY-F): "depends_on" names the same code twice')
    expect(message).toContain('feature 2 (code DY-G): "depends_on" holds "DY SEWER", not a code of 2–32 letters, digits, _ or -')
    expect(message).toContain('feature 3 (code DY-H): "depends_on" must be a list of text, not {"first":"DY-SEWER"}')
  })

  test('the command line refuses a cycle the same way', async () => {
    const file = collection('cycle-cli.geojson', [item('DY-P', '硬化', { depends_on: ['DY-Q'] }), item('DY-Q', '排污', { depends_on: ['DY-P'] })])
    const result = await city.run('import', 'backlog', file)
    expect(result.code).not.toBe(0)
    expect(result.err).toContain('"depends_on" closes a cycle: DY-P → DY-Q → DY-P')
    expect(await dependencies()).not.toContain('DY-P → DY-Q')
  })

  test('an upsert replaces the dependencies of the items it brings, and leaves the others', async () => {
    await importFile(db, 'backlog', collection('replace.geojson', [item('DY-ROAD', '硬化', { depends_on: ['DY-WATER'] })]), { upsert: true })
    expect(await dependencies()).toEqual(['DY-LIGHT → DY-ROAD', 'DY-ROAD → DY-WATER'])
    await importFile(db, 'backlog', collection('none.geojson', [item('DY-ROAD', '硬化')]), { upsert: true })
    expect(await dependencies()).toEqual(['DY-LIGHT → DY-ROAD'])
  })
})

describe('status on upsert', () => {
  test('a step the workflow has is taken and kept in the history; one that skips steps is refused in words', async () => {
    await importFile(db, 'backlog', collection('approve.geojson', [item('DY-WATER', '供水', { status: 'approved', cost_yuan: 1_200_000 })]), { upsert: true })
    const { rows } = await db.query<{ version: number; changes: Record<string, unknown> }>(
      `select version, changes from atlas.backlog_change where item_code = 'DY-WATER' order by version desc limit 1`)
    expect(rows).toEqual([{ version: 2, changes: { status: ['proposed', 'approved'], cost_yuan: [1_000_000, 1_200_000] } }])
    const message = await refused(collection('skip.geojson', [item('DY-SEWER', '排污', { status: 'done' })]), true)
    expect(message).toContain("feature 0 (code DY-SEWER): status 'proposed → done' skips steps: proposed → approved → in_progress → done")
  })
})
