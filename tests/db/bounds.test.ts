// Every number a user writes has a stated bound, the same for the importer and the database, and
// no single row (one stored before the bounds, say) can make a view fail for everyone; and a step
// that does not say which version it was read at is refused rather than overwriting blindly.
import { describe, expect, test } from 'vitest'
import { callApi } from '../../src/db/api.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { statusForSqlState } from '../../src/server/rpc.ts'
import { validateFeatures } from '../../src/db/validate.ts'
import { factorKeys, type FactorKey } from '../../src/backlog/types.ts'
import { layers } from '../../src/shared/layers.ts'
import { sampleCityRolledBack } from '../helpers/databases.ts'

const sample = sampleCityRolledBack()

/** The bounded properties of the layers, with the table and column each is stored in. */
const bounded = Object.values(layers).flatMap((spec) =>
  spec.properties.filter((p) => p.max !== undefined && (p.type === 'number' || p.type === 'integer')).map((p) => ({ table: spec.table, column: p.column ?? p.name, max: p.max! })),
)

async function refusal(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work
  } catch (error) {
    return error as { code: string; message: string }
  }
  throw new Error('the call was not refused')
}

describe('bounds', () => {
  test('each bound of the importer is a constraint of the database with the same maximum, and nothing else is bounded only on one side', async () => {
    const { rows } = await sample.db.query<{ name: string; def: string }>(
      `select conname as name, pg_get_constraintdef(c.oid) as def from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where n.nspname = 'atlas' and conname like '%\\_bound'`,
    )
    const inDatabase = new Map(rows.map((r) => [r.name, r.def]))
    // the severity's 1–5 and the year of conversion are older checks of their own
    const expected = bounded.filter((b) => !['severity', 'converted_year'].includes(b.column))
    expect(expected.length).toBeGreaterThanOrEqual(12)
    for (const { table, column, max } of expected) {
      const def = inDatabase.get(`${table}_${column}_bound`)
      expect(def, `${table}.${column}`).toBeDefined()
      expect(Number(/<= \(?'?([\d.e+]+)/.exec(def!)?.[1]), `${table}.${column}: ${def}`).toBe(max)
    }
    expect([...inDatabase.keys()].sort()).toEqual(expected.map((b) => `${b.table}_${b.column}_bound`).sort())
  })

  test('the importer refuses a cost of 2e11 in words, before anything is written', () => {
    const feature = {
      type: 'Feature' as const,
      properties: { code: 'BL-X1', name: '路面硬化', category: '硬化', cost_yuan: 2e11, parent_code: '331181001001' },
      geometry: { type: 'Point' as const, coordinates: [119.14, 28.07] },
    }
    const problems = validateFeatures(layers.backlog, [feature])
    expect(problems.map((p) => p.reason)).toEqual([expect.stringMatching(/"cost_yuan" is 200000000000, above 100000000000/)])
  })

  test('an edit to a cost of 1e308 is refused in words and writes nothing; 1e11 is the most', async () => {
    const [item] = (await sample.db.query<{ code: string; version: number; cost: string }>('select code, version, cost_yuan::text as cost from atlas.backlog_item order by code limit 1')).rows
    const edit = (cost: number, version: number) => asCaller(sample.db, userClaims('works'), (tx) => callApi(tx, 'edit_backlog_item', { code: item.code, version, changes: { cost_yuan: cost } }))
    const refused = await refusal(edit(1e308, item.version))
    expect(refused.code).toBe('22023')
    expect(refused.message).toMatch(/cost_yuan 1\d* is above ¥100,000,000,000/)
    const after = (await sample.db.query<{ version: number; cost: string }>('select version, cost_yuan::text as cost from atlas.backlog_item where code = $1', [item.code])).rows[0]
    expect(after).toEqual({ version: item.version, cost: item.cost })
    const edited = await edit(1e11, item.version)
    expect(edited).toMatchObject({ code: item.code, cost_yuan: 1e11 })
  })

  test('weights above 1,000 are refused in words; the weights in force stay', async () => {
    const weights = Object.fromEntries(factorKeys.map((k) => [k, 1e300])) as Record<FactorKey, number>
    const before = (await sample.db.query<{ n: number }>('select count(*)::int as n from atlas.backlog_weight')).rows[0].n
    const refused = await refusal(asCaller(sample.db, userClaims('works'), (tx) => callApi(tx, 'set_backlog_weights', { weights })))
    expect(refused.message).toBe(`a weight above 1,000: ${factorKeys.join(', ')}; weights are at most 1,000 (only their ratios count)`)
    expect((await sample.db.query<{ n: number }>('select count(*)::int as n from atlas.backlog_weight')).rows[0].n).toBe(before)
  })

  test('a row stored before the bounds (a cost of 1e308) leaves every view working for every role, and must be mended before it changes', async () => {
    const [item] = (await sample.db.query<{ code: string }>('select code from atlas.backlog_item order by code limit 1')).rows
    // an old folder: the row written while nothing bounded it
    await sample.db.exec('alter table atlas.backlog_item drop constraint backlog_item_cost_yuan_bound; alter table atlas.backlog_item disable trigger backlog_item_bounds')
    await sample.db.query('update atlas.backlog_item set cost_yuan = 1e308 where code = $1', [item.code])
    await sample.db.exec('alter table atlas.backlog_item enable trigger backlog_item_bounds; alter table atlas.backlog_item add constraint backlog_item_cost_yuan_bound check (cost_yuan <= 100000000000) not valid')
    for (const role of ['leader', 'planner', 'works'] as const) {
      const answers = await asCaller(sample.db, userClaims(role), async (tx) => ({
        indicators: await callApi(tx, 'indicators', {}),
        scores: await callApi(tx, 'backlog_scores', {}),
        stats: await callApi(tx, 'layer_stats', {}),
      }))
      expect(answers.indicators.city, role).toBeDefined()
      expect(answers.scores.items.find((i) => i.code === item.code)?.cost_yuan, role).toBe(1e308)
      expect(answers.stats.bbox, role).not.toBeNull()
    }
    const { version } = (await sample.db.query<{ version: number }>('select version from atlas.backlog_item where code = $1', [item.code])).rows[0]
    const refused = await refusal(asCaller(sample.db, userClaims('works'), (tx) => callApi(tx, 'set_backlog_status', { code: item.code, status: 'approved', version })))
    expect(refused.message).toMatch(/cost_yuan 1\d* is above ¥100,000,000,000/)
  })

  test('a status step without the version it was read at is refused (428), and nothing moves', async () => {
    const [item] = (await sample.db.query<{ code: string; version: number; status: string }>(`select code, version, status from atlas.backlog_item where status = 'proposed' order by code limit 1`)).rows
    const refused = await refusal(asCaller(sample.db, userClaims('works'), (tx) => callApi(tx, 'set_backlog_status', { code: item.code, status: 'approved' })))
    expect(refused.code).toBe('PT428')
    expect(statusForSqlState(refused.code, false)).toBe(428)
    expect(refused.message).toBe(`give the version of ${item.code} you read (it is at version ${item.version}): a change without it could overwrite one made since`)
    expect((await sample.db.query('select version, status from atlas.backlog_item where code = $1', [item.code])).rows).toEqual([{ version: item.version, status: item.status }])
  })
})
