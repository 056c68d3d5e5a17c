// The backlog API (backlog_scores, backlog_history, set_backlog_status, edit_backlog_item,
// set_backlog_weights, backlog_weight_history) as the app calls it: supabase-js signed in as each
// role, against the embedded server on a private copy of the sample city. The scores are checked
// against the sample files by a computation of their own; the status workflow, the roles, the
// version check of concurrent edits and bad input are checked against what is really stored.
import fs from 'node:fs'
import path from 'node:path'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  backlogStatuses,
  factorKeys,
  statusTransitions,
  type BacklogChange,
  type BacklogScores,
  type FactorKey,
  type ScoredItem,
  type Status,
  type WeightRecord,
  type Weights,
} from '../../src/backlog/types.ts'
import { sampleDir } from '../../src/db/sample.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { startSampleServer, type SampleServer } from '../helpers/server.ts'

type Role = 'leader' | 'planner' | 'works'
interface Feature { properties: Record<string, unknown>; geometry: { type: string } }
interface Refusal { status: number; code: string; message: string; hint: string | null }

const featuresIn = (layer: string) =>
  (JSON.parse(fs.readFileSync(path.join(sampleDir, `${layer}.geojson`), 'utf8')) as { features: Feature[] }).features

const defaults: Weights = { households: 0.25, complaints: 0.15, severity: 0.25, cost_per_household: 0.15, village: 0.1, waiting: 0.1 }

let sample: SampleServer
const clients = new Map<Role, SupabaseClient>()
const as = async (role: Role) => {
  if (!clients.has(role)) clients.set(role, await sample.signedIn(role))
  return clients.get(role)!
}

beforeAll(async () => {
  sample = await startSampleServer()
})
afterAll(async () => {
  await sample?.close()
})

async function call<T>(who: Role | SupabaseClient, fn: string, args: Record<string, unknown> = {}): Promise<T> {
  const client = typeof who === 'string' ? await as(who) : who
  const answer = await client.rpc(fn, args)
  if (answer.error) throw new Error(`${fn} refused: ${answer.error.code} ${answer.error.message}`)
  return answer.data as T
}

async function refusal(who: Role | SupabaseClient, fn: string, args: Record<string, unknown> = {}): Promise<Refusal> {
  const client = typeof who === 'string' ? await as(who) : who
  const answer = await client.rpc(fn, args)
  if (!answer.error) throw new Error(`${fn} was accepted: ${JSON.stringify(answer.data).slice(0, 200)}`)
  return { status: answer.status, code: answer.error.code, message: answer.error.message, hint: answer.error.hint }
}

const scores = (who: Role = 'leader', args: Record<string, unknown> = {}) => call<BacklogScores>(who, 'backlog_scores', args)
/** An item's version now, as the page reads it before a step. */
const versionOf = async (code: string) => (await scores('works')).items.find((i) => i.code === code)!.version
const itemOf = async (code: string, who: Role = 'works') => (await scores(who)).items.find((i) => i.code === code)!
const historyOf = (code: string, who: Role = 'leader') => call<BacklogChange[]>(who, 'backlog_history', { code })

/** Reads as the database owner, past row level security: what is really stored. */
async function scalar<T>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await sample.db.query<{ v: T }>(sql, params)
  return rows[0].v
}

/** Everything a refused call must leave as it was: the items, their history, dependencies and the weights. */
const fingerprint = () =>
  scalar<string>(`select md5(concat_ws('|',
    (select string_agg(concat_ws(',', code, name, category, cost_yuan, households_served, complaints, severity, status, requested_on,
       version, updated_at, updated_by), ';' order by code) from atlas.backlog_item),
    (select string_agg(concat_ws(',', id, item_code, version, changes::text, remark, changed_by), ';' order by id) from atlas.backlog_change),
    (select string_agg(item_code || '>' || depends_on, ';' order by item_code, depends_on) from atlas.backlog_dependency),
    (select string_agg(concat_ws(',', id, weights::text, set_by), ';' order by id) from atlas.backlog_weight))) as v`)

const hundredths = (x: number) => Math.round(x * 100)

// ── an independent computation of the normalised factors, from the sample files ────────────
function expectedNormalised(): Map<string, Record<FactorKey, number>> {
  const items = featuresIn('backlog').map((f) => f.properties)
  const villages = new Set(featuresIn('community').filter((c) => c.properties.type === '村改居型').map((c) => String(c.properties.code)))
  const num = (v: unknown) => (typeof v === 'number' ? v : null)
  const minMax = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null)
    const [min, max] = [Math.min(...known), Math.max(...known)]
    return values.map((v) => (v === null || max === min ? 0 : (v - min) / (max - min)))
  }
  // the share of the other scored items below (ascending) or above (descending) the value
  const rank = (values: (number | null)[], descending: boolean) => {
    const known = values.filter((v): v is number => v !== null)
    return values.map((v) =>
      v === null || known.length < 2 ? 0 : known.filter((o) => (descending ? o > v : o < v)).length / (known.length - 1),
    )
  }
  const day = (d: unknown) => (typeof d === 'string' ? Date.parse(`${d}T00:00:00Z`) / 86_400_000 : null)
  // days waited = today − requested; min–max does not depend on today, so the request day, negated, serves
  const columns: Record<FactorKey, number[]> = {
    households: minMax(items.map((i) => num(i.households_served))),
    complaints: rank(items.map((i) => num(i.complaints)), false),
    severity: items.map((i) => (typeof i.severity === 'number' ? (i.severity - 1) / 4 : 0)),
    cost_per_household: rank(
      items.map((i) => (typeof i.households_served === 'number' && i.households_served > 0 ? (i.cost_yuan as number) / i.households_served : null)),
      true,
    ),
    village: items.map((i) => (villages.has(String(i.parent_code)) ? 1 : 0)),
    waiting: minMax(items.map((i) => { const d = day(i.requested_on); return d === null ? null : -d })),
  }
  return new Map(items.map((item, k) => [String(item.code), Object.fromEntries(factorKeys.map((f) => [f, columns[f][k]])) as Record<FactorKey, number>]))
}

function expectScoredWith(items: ScoredItem[], weights: Weights) {
  const expected = expectedNormalised()
  const total = factorKeys.reduce((s, f) => s + weights[f], 0)
  expect(items.map((i) => i.code).sort()).toEqual([...expected.keys()].sort())
  for (const item of items) {
    for (const f of factorKeys) {
      const n = expected.get(item.code)![f]
      // stored to 4 decimals; the part is rounded to 2 from the unrounded value
      expect(Math.abs(item.factors[f].normalised - n), `${item.code} ${f} normalised`).toBeLessThanOrEqual(0.00005 + 1e-9)
      expect(Math.abs(item.factors[f].part - (100 * weights[f] * n) / total), `${item.code} ${f} part`).toBeLessThanOrEqual(0.005 + 1e-9)
    }
    expect(hundredths(item.score), `${item.code}: the parts add up to the score`).toBe(factorKeys.reduce((s, f) => s + hundredths(item.factors[f].part), 0))
    expect(item.score).toBeGreaterThanOrEqual(0)
    expect(item.score).toBeLessThanOrEqual(100)
  }
}

// ── scores: first, while the sample is as the files say ────────────────────────────────────
describe('backlog_scores', () => {
  test('every item of the sample, each factor normalised by its stated rule; the parts add up to the score exactly', async () => {
    const result = await scores('leader')
    expect(result.preview).toBe(false)
    expect(result.weights).toEqual(defaults)
    expect(result.weights_set_by).toBe('default')
    expect(result.factors.map((f) => [f.key, f.rule, f.weight])).toEqual([
      ['households', 'min-max', 0.25], ['complaints', 'rank', 0.15], ['severity', 'scale', 0.25],
      ['cost_per_household', 'rank', 0.15], ['village', 'flag', 0.1], ['waiting', 'min-max', 0.1],
    ])
    for (const f of result.factors) {
      expect(f.rule_en.length, f.key).toBeGreaterThan(20)
      expect(f.rule_zh.length, f.key).toBeGreaterThan(8)
      expect(f.label_zh && f.label_en, f.key).toBeTruthy()
    }
    expectScoredWith(result.items, defaults)
    const files = featuresIn('backlog')
    expect(result.total_cost_yuan).toBe(files.reduce((s, f) => s + (f.properties.cost_yuan as number), 0))
    // highest first, ties by code
    const order = [...result.items].sort((a, b) => b.score - a.score || a.code.localeCompare(b.code)).map((i) => i.code)
    expect(result.items.map((i) => i.code)).toEqual(order)
    // the fields of each item, as the file has them
    for (const file of files) {
      const p = file.properties
      const item = result.items.find((i) => i.code === p.code)!
      expect(item).toMatchObject({
        name: p.name, category: p.category, status: p.status, version: 1, cost_yuan: p.cost_yuan, households_served: p.households_served,
        complaints: p.complaints, severity: p.severity, requested_on: p.requested_on, community_code: p.parent_code,
        depends_on: (p.depends_on as string[] | undefined) ?? [],
      })
      expect(item.geometry).toBeUndefined()
      expect(item.street_code).toBe(String(p.parent_code).slice(0, 9))
    }
    // the statuses are the new ones: 'planned' became 'approved'
    expect(new Set(result.items.map((i) => i.status))).toEqual(new Set(['proposed', 'approved', 'in_progress', 'done']))
    expect(result.items.find((i) => i.code === 'BL-001')!.depends_on).toEqual(['BL-002'])
  })

  test('BL-001, checked by hand on the sample', async () => {
    const item = (await scores('planner')).items.find((i) => i.code === 'BL-001')!
    // 240 households; the fewest any item serves is 53 (BL-021), the most 620 (BL-003): 187/567
    // 27 complaints: 48 of the 55 other items have fewer: 48/55
    // severity 5: (5 − 1)/4 = 1
    // ¥2,199,000 / 240 = ¥9,162.50 per household: 12 of the 55 others cost more: 12/55
    // 江南社区 is 村改居型: 1
    // requested 2023-01-12; the earliest request is 2023-01-01, the latest 2023-04-26: 104/115
    const hand: Record<FactorKey, number> = { households: 187 / 567, complaints: 48 / 55, severity: 1, cost_per_household: 12 / 55, village: 1, waiting: 104 / 115 }
    for (const f of factorKeys) expect(item.factors[f].normalised, f).toBeCloseTo(hand[f], 4)
    expect(item.factors.cost_per_household.raw).toBe(9162.5)
    expect(item.factors.households.raw).toBe(240)
    expect(item.village).toBe(true)
    // parts: 25·0.3298 = 8.25, 15·0.8727 = 13.09, 25, 15·0.2182 = 3.27, 10, 10·0.9043 = 9.04
    expect(factorKeys.map((f) => item.factors[f].part)).toEqual([8.25, 13.09, 25, 3.27, 10, 9.04])
    expect(item.score).toBe(68.65)
  })

  test('with_geometry gives each item its geometry, as the file has it', async () => {
    const result = await scores('works', { with_geometry: true })
    const types = new Map(featuresIn('backlog').map((f) => [String(f.properties.code), f.geometry.type]))
    for (const item of result.items) expect(item.geometry?.type, item.code).toBe(types.get(item.code))
  })

  test('weights passed in are a preview: the items scored with them, nothing written, the stored weights unchanged', async () => {
    const before = await fingerprint()
    const only: Weights = { households: 2, complaints: 0, severity: 0, cost_per_household: 0, village: 0, waiting: 0 }
    const preview = await scores('works', { weights: only })
    expect(preview).toMatchObject({ preview: true, weights: only, weights_set_by: null, weights_set_at: null })
    expect(preview.factors.map((f) => f.weight)).toEqual([2, 0, 0, 0, 0, 0])
    expectScoredWith(preview.items, only)
    for (const item of preview.items) expect(item.score, item.code).toBe(item.factors.households.part)
    const uneven: Weights = { households: 3, complaints: 1, severity: 0.5, cost_per_household: 7, village: 0, waiting: 1.25 }
    expectScoredWith((await scores('leader', { weights: uneven })).items, uneven)
    expect(await fingerprint()).toBe(before)
    expect((await scores('planner')).weights).toEqual(defaults)
  })

  test('an anonymous caller is told to sign in', async () => {
    const anonymous = createClient(sample.url, sample.anonKey, { auth: { persistSession: false } })
    const refused = await refusal(anonymous, 'backlog_scores')
    expect(refused).toMatchObject({ status: 401, code: '42501' })
    expect(refused.message).toMatch(/^sign in first/)
  })
})

// ── the status workflow ──────────────────────────────────────────────────────────────────
describe('the status workflow', () => {
  test('proposed → approved → in_progress → done, each step kept with who, when and the remark; no score moves', async () => {
    const before = await scores('works')
    const start = before.items.find((i) => i.code === 'BL-007')!
    expect(start).toMatchObject({ status: 'proposed', version: 1 })
    const steps: [Status, string][] = [['approved', '列入年度计划'], ['in_progress', '已开工'], ['done', '竣工验收']]
    let version = start.version
    for (const [status, remark] of steps) {
      const item = await call<ScoredItem>('works', 'set_backlog_status', { code: 'BL-007', status, version, remark })
      expect(item).toMatchObject({ code: 'BL-007', status, version: version + 1, updated_by: 'works@atlas.local', score: start.score })
      expect(item.factors).toEqual(start.factors)
      version = item.version
    }
    const history = await historyOf('BL-007', 'planner')
    expect(history.map((h) => h.version)).toEqual([4, 3, 2, 1])
    expect(history.slice(0, 3).map((h) => [h.changes, h.remark, h.changed_by])).toEqual([
      [{ status: ['in_progress', 'done'] }, '竣工验收', 'works@atlas.local'],
      [{ status: ['approved', 'in_progress'] }, '已开工', 'works@atlas.local'],
      [{ status: ['proposed', 'approved'] }, '列入年度计划', 'works@atlas.local'],
    ])
    expect(history[3]).toMatchObject({ version: 1, changes: {}, remark: null })
    const now = Date.parse(await scalar<string>(`select now()::text as v`))
    for (const h of history.slice(0, 3)) expect(now - Date.parse(h.changed_at)).toBeLessThan(120_000)
    // a status is no factor: every other item keeps its score
    const after = await scores('works')
    expect(after.items.map((i) => [i.code, i.score])).toEqual(before.items.map((i) => [i.code, i.score]))
    expect(after.items.find((i) => i.code === 'BL-007')!.status).toBe('done')
  })

  test('an item rejected can be reopened, and approved after all, each step naming the version it read', async () => {
    for (const status of ['rejected', 'proposed', 'approved', 'rejected'] as const)
      expect(await call<ScoredItem>('works', 'set_backlog_status', { code: 'BL-021', status, version: await versionOf('BL-021') })).toMatchObject({ status })
    const history = await historyOf('BL-021')
    expect(history.map((h) => h.changes.status)).toEqual([
      ['approved', 'rejected'], ['proposed', 'approved'], ['rejected', 'proposed'], ['proposed', 'rejected'], undefined,
    ])
    expect(history.map((h) => h.remark)).toEqual([null, null, null, null, null])
  })

  test('every step the workflow does not have is refused in words naming the steps, and nothing is written', async () => {
    // an item in each status: the sample has all but rejected
    await call('works', 'set_backlog_status', { code: 'BL-026', status: 'rejected', version: await versionOf('BL-026') })
    const inStatus = new Map<Status, string>()
    for (const item of (await scores('works')).items) if (!inStatus.has(item.status) && item.code !== 'BL-021') inStatus.set(item.status, item.code)
    expect([...inStatus.keys()].sort()).toEqual([...backlogStatuses].sort())
    // the shortest way along the workflow, by the table the app and the plan use
    const way = (from: Status, to: Status): Status[] | undefined => {
      const paths: Status[][] = [[from]]
      for (const p of paths) {
        if (p[p.length - 1] === to && p.length > 1) return p
        for (const next of statusTransitions[p[p.length - 1]]) if (!p.includes(next)) paths.push([...p, next])
      }
      return undefined
    }
    const before = await fingerprint()
    let refused = 0
    for (const from of backlogStatuses) {
      for (const to of backlogStatuses) {
        if (from === to || statusTransitions[from].includes(to)) continue
        const code = inStatus.get(from)!
        const answer = await refusal('works', 'set_backlog_status', { code, status: to, version: await versionOf(code), remark: 'should not be kept' })
        expect(answer, `${from} → ${to}`).toMatchObject({ status: 400, code: '23514' })
        expect(answer.message.startsWith(`${code}: '${from} → ${to}'`), answer.message).toBe(true)
        const skipped = way(from, to)
        if (skipped) expect(answer.message).toContain(`skips steps: ${skipped.join(' → ')}`)
        else expect(answer.message).toContain('is not a step')
        const allowed = statusTransitions[from]
        expect(answer.message).toContain(allowed.length ? `from ${from} the next step is ${allowed.join(' or ')}` : `${from} is final`)
        refused++
      }
    }
    expect(refused).toBe(5 * 4 - 6)
    // the table itself refuses them too, whoever writes
    const direct = await asCaller(sample.db, userClaims('works'), (tx) =>
      tx.query(`update atlas.backlog_item set status = 'done' where code = $1`, [inStatus.get('proposed')])).catch((e: unknown) => e)
    expect(direct).toMatchObject({ code: '23514' })
    expect(direct).toHaveProperty('message', expect.stringContaining(`'proposed → done' skips steps: proposed → approved → in_progress → done`))
    expect(await fingerprint()).toBe(before)
  })

  test('a status it has already, an unknown status and an unknown item are refused', async () => {
    const before = await fingerprint()
    const version = await versionOf('BL-004')
    expect(await refusal('works', 'set_backlog_status', { code: 'BL-004', status: 'proposed', version })).toMatchObject({
      status: 400, code: '22023', message: 'BL-004 is proposed already',
    })
    expect(await refusal('works', 'set_backlog_status', { code: 'BL-004', status: 'planned', version })).toMatchObject({
      status: 400, code: '22023', message: 'planned is not a status: the statuses are proposed, approved, in_progress, done and rejected',
    })
    expect(await refusal('works', 'set_backlog_status', { code: 'BL-999', status: 'approved', version: 1 })).toMatchObject({
      code: 'P0002', message: 'there is no backlog item BL-999',
    })
    expect(await refusal('leader', 'backlog_history', { code: 'BL-999' })).toMatchObject({ code: 'P0002', message: 'there is no backlog item BL-999' })
    expect(await refusal('works', 'set_backlog_status', { code: 'BL-004', status: 'approved', version, remark: '说'.repeat(2001) })).toMatchObject({
      code: '22023', message: 'the remark has 2001 characters; at most 2,000',
    })
    expect(await fingerprint()).toBe(before)
  })
})

// ── roles ────────────────────────────────────────────────────────────────────────────────
describe('leaders and planners read only', () => {
  test.each(['leader', 'planner'] as const)('%s: refused by the API and by row level security, and nothing is written', async (role) => {
    const before = await fingerprint()
    const item = await itemOf('BL-004', role)
    const weights = { ...defaults, households: 1 }
    for (const [fn, args, what] of [
      ['set_backlog_status', { code: 'BL-004', status: 'approved', version: item.version }, 'changes the status of backlog items'],
      ['edit_backlog_item', { code: 'BL-004', version: item.version, changes: { cost_yuan: 1 } }, 'edits backlog items'],
      ['set_backlog_weights', { weights }, 'sets the weights of the score'],
    ] as const) {
      expect(await refusal(role, fn, args), fn).toMatchObject({
        status: 403, code: '42501', message: `only the construction bureau (works) ${what}; you are signed in as ${role}`,
      })
    }
    // past the API, straight at the tables: the policies decide
    const direct = (sql: string) =>
      asCaller(sample.db, userClaims(role), async (tx) => (await tx.query(sql)).rows.length).catch((e: { code?: string }) => e.code)
    expect(await direct(`update atlas.backlog_item set status = 'approved' where code = 'BL-004' returning 1`)).toBe(0)
    expect(await direct(`delete from atlas.backlog_item where code = 'BL-004' returning 1`)).toBe(0)
    expect(await direct(`insert into atlas.backlog_dependency (item_code, depends_on) values ('BL-004', 'BL-003') returning 1`)).toBe('42501')
    expect(await direct(`insert into atlas.backlog_weight (weights, set_by) values ('${JSON.stringify(weights)}', 'x') returning 1`)).toBe('42501')
    expect(await direct(`insert into atlas.backlog_change (item_code, version, changed_by) values ('BL-004', 9, 'x') returning 1`)).toBe('42501')
    // and they read everything
    expect(await direct(`select 1 from atlas.backlog_change`)).toBeGreaterThan(56)
    expect((await historyOf('BL-004', role)).length).toBeGreaterThan(0)
    expect((await call<unknown[]>(role, 'backlog_weight_history')).length).toBeGreaterThan(0)
    expect(await fingerprint()).toBe(before)
  })

  test('an anonymous caller can change nothing', async () => {
    const anonymous = createClient(sample.url, sample.anonKey, { auth: { persistSession: false } })
    const before = await fingerprint()
    expect(await refusal(anonymous, 'set_backlog_status', { code: 'BL-004', status: 'approved' })).toMatchObject({ status: 401, code: '42501' })
    expect(await refusal(anonymous, 'set_backlog_weights', { weights: defaults })).toMatchObject({ status: 401, code: '42501' })
    expect(await fingerprint()).toBe(before)
  })
})

// ── two people editing one item ──────────────────────────────────────────────────────────
describe('two people editing the same item', () => {
  test('the second is refused and told what the first changed; nothing of the second is written', async () => {
    const first = await sample.signedIn('works')
    const second = await sample.signedIn('works')
    const loaded1 = (await scores('works')).items.find((i) => i.code === 'BL-010')!
    const loaded2 = (await call<BacklogScores>(second, 'backlog_scores')).items.find((i) => i.code === 'BL-010')!
    expect(loaded2.version).toBe(loaded1.version)

    const saved = await call<ScoredItem>(first, 'edit_backlog_item', {
      code: 'BL-010', version: loaded1.version, changes: { cost_yuan: 720000, households_served: 300 }, remark: '复核工程量',
    })
    expect(saved).toMatchObject({ version: loaded1.version + 1, cost_yuan: 720000, households_served: 300 })
    const [{ changed_at }] = await historyOf('BL-010')
    const at = await scalar<string>(`select to_char($1::timestamptz, 'YYYY-MM-DD HH24:MI') as v`, [changed_at])

    const before = await fingerprint()
    const stale = await refusal(second, 'edit_backlog_item', {
      code: 'BL-010', version: loaded2.version, changes: { name: '大沙社区临江区块垃圾收集点改造（调整）', severity: 5 }, remark: '第二位',
    })
    expect(stale).toMatchObject({
      status: 409, code: 'PT409',
      message: `BL-010 changed since you loaded it (version ${loaded2.version}, now ${saved.version}): ` +
        `works@atlas.local set cost_yuan ${loaded1.cost_yuan} → 720000, households_served ${loaded1.households_served} → 300 at ${at} (复核工程量); reload and try again`,
    })
    expect(stale.hint).toMatch(/^Reload/)
    // a status change from the stale version is refused the same way
    expect(await refusal(second, 'set_backlog_status', { code: 'BL-010', status: 'approved', version: loaded2.version })).toMatchObject({ status: 409, code: 'PT409' })
    expect(await fingerprint()).toBe(before)
    const stored = await itemOf('BL-010')
    expect(stored).toMatchObject({ name: loaded1.name, severity: loaded1.severity, cost_yuan: 720000, version: saved.version })
    expect((await historyOf('BL-010')).map((h) => h.remark)).toEqual(['复核工程量', null])

    // reloaded, the second's change goes through
    const again = await call<ScoredItem>(second, 'edit_backlog_item', { code: 'BL-010', version: stored.version, changes: { severity: 5 }, remark: '第二位' })
    expect(again).toMatchObject({ severity: 5, cost_yuan: 720000, version: saved.version + 1 })
  })

  test('two edits sent at once from the same version: exactly one is written', async () => {
    const [a, b] = [await sample.signedIn('works'), await sample.signedIn('works')]
    const { version } = await itemOf('BL-011')
    const answers = await Promise.all([
      a.rpc('edit_backlog_item', { code: 'BL-011', version, changes: { complaints: 40 } }),
      b.rpc('edit_backlog_item', { code: 'BL-011', version, changes: { complaints: 2 } }),
    ])
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409])
    const winner = answers.find((r) => r.status === 200)!.data as ScoredItem
    const stored = await itemOf('BL-011')
    expect(stored).toMatchObject({ version: version + 1, complaints: winner.complaints })
    expect((await historyOf('BL-011')).length).toBe(2)
  })
})

// ── edits ────────────────────────────────────────────────────────────────────────────────
describe('edit_backlog_item', () => {
  test('changes the fields given, records exactly what changed, and the score follows', async () => {
    const item = await itemOf('BL-012')
    const edited = await call<ScoredItem>('works', 'edit_backlog_item', {
      code: 'BL-012', version: item.version, remark: '重新估算',
      changes: { cost_yuan: 500000, households_served: 200, complaints: item.complaints, requested_on: '2023-03-01', name: `  ${item.name}（二期）  ` },
    })
    expect(edited).toMatchObject({ version: item.version + 1, cost_yuan: 500000, households_served: 200, requested_on: '2023-03-01', name: `${item.name}（二期）` })
    expect(edited.factors.cost_per_household.raw).toBe(2500)
    const [last] = await historyOf('BL-012')
    expect(last).toMatchObject({ version: edited.version, changed_by: 'works@atlas.local', remark: '重新估算' })
    expect(last.changes).toEqual({
      cost_yuan: [item.cost_yuan, 500000], households_served: [item.households_served, 200],
      requested_on: [item.requested_on, '2023-03-01'], name: [item.name, `${item.name}（二期）`],
    })
    // scored again against all: the whole backlog reflects the new figures
    const result = await scores('leader')
    expect(result.items.find((i) => i.code === 'BL-012')).toMatchObject({ score: edited.score, cost_yuan: 500000 })
    for (const i of result.items) expect(hundredths(i.score)).toBe(factorKeys.reduce((s, f) => s + hundredths(i.factors[f].part), 0))
  })

  test('an edit that changes nothing writes nothing', async () => {
    const item = await itemOf('BL-016')
    const before = await fingerprint()
    const same = await call<ScoredItem>('works', 'edit_backlog_item', { code: 'BL-016', version: item.version, changes: { cost_yuan: item.cost_yuan, name: item.name } })
    expect(same).toMatchObject({ version: item.version, updated_at: item.updated_at })
    expect(await fingerprint()).toBe(before)
  })

  test('depends_on: set and cleared, each kept in the history; a cycle is refused naming it, and nothing is written', async () => {
    const item = await itemOf('BL-053')
    const set = await call<ScoredItem>('works', 'edit_backlog_item', { code: 'BL-053', version: item.version, changes: { depends_on: ['BL-051', 'BL-028', 'BL-051'] } })
    expect(set).toMatchObject({ depends_on: ['BL-028', 'BL-051'], version: item.version + 1 })
    expect((await historyOf('BL-053'))[0].changes).toEqual({ depends_on: [[], ['BL-028', 'BL-051']] })

    const before = await fingerprint()
    // BL-001 waits for BL-002 (the sample): BL-002 waiting for BL-001 closes a cycle
    const two = await itemOf('BL-002')
    expect(await refusal('works', 'edit_backlog_item', { code: 'BL-002', version: two.version, changes: { depends_on: ['BL-001'] } })).toMatchObject({
      status: 400, code: '22023', message: 'a dependency cycle: BL-002 → BL-001 → BL-002',
    })
    // a longer one: BL-028 → BL-001 → BL-002, then BL-002 → BL-053 → BL-028 would close it
    const t = await itemOf('BL-028')
    await call('works', 'edit_backlog_item', { code: 'BL-028', version: t.version, changes: { depends_on: ['BL-001'] } })
    const between = await fingerprint()
    expect(await refusal('works', 'edit_backlog_item', { code: 'BL-002', version: two.version, changes: { depends_on: ['BL-053'] } })).toMatchObject({
      code: '22023', message: 'a dependency cycle: BL-002 → BL-053 → BL-028 → BL-001 → BL-002',
    })
    expect(await refusal('works', 'edit_backlog_item', { code: 'BL-002', version: two.version, changes: { depends_on: ['BL-002'] } })).toMatchObject({
      code: '22023', message: 'BL-002 cannot depend on itself',
    })
    expect(await refusal('works', 'edit_backlog_item', { code: 'BL-002', version: two.version, changes: { depends_on: ['BL-998', 'BL-999'] } })).toMatchObject({
      code: '22023', message: 'depends_on names no item: BL-998, BL-999',
    })
    // straight at the table, the trigger refuses the same cycle
    const direct = await asCaller(sample.db, userClaims('works'), (tx) =>
      tx.query(`insert into atlas.backlog_dependency (item_code, depends_on) values ('BL-002', 'BL-053')`)).catch((e: unknown) => e)
    expect(direct).toMatchObject({ code: '23514', message: 'a dependency cycle: BL-002 → BL-053 → BL-028 → BL-001 → BL-002' })
    expect(await fingerprint()).toBe(between)
    expect(between).not.toBe(before)

    const cleared = await call<ScoredItem>('works', 'edit_backlog_item', { code: 'BL-053', version: set.version, changes: { depends_on: [] }, remark: '无需等待' })
    expect(cleared.depends_on).toEqual([])
    expect((await historyOf('BL-053'))[0]).toMatchObject({ changes: { depends_on: [['BL-028', 'BL-051'], []] }, remark: '无需等待' })
  })

  // the refusal's words, or a matcher of them
  const bad: [string, Record<string, unknown>, { message: unknown }][] = [
    ['a negative cost', { cost_yuan: -5 }, { message: 'cost_yuan -5 is negative: a cost is 0 or more' }],
    ['a cost that is not a number', { cost_yuan: '100万' }, { message: 'cost_yuan must be a number of yuan, not "100万"' }],
    ['an unknown category', { category: '道路' }, { message: 'unknown category 道路: the categories are 硬化, 亮化, 绿化, 洁化, 供水, 排污' }],
    ['an unknown field', { cost_yuan: 1, status: 'done' }, { message: 'unknown field status: the editable fields are name, category, cost_yuan, households_served, complaints, severity, requested_on, depends_on' }],
    ['an empty name', { name: '  ' }, { message: 'name must be text of 1 to 200 characters; "  " has 0' }],
    ['a severity of 6', { severity: 6 }, { message: 'severity 6 is not between 1 (minor) and 5 (urgent)' }],
    ['a fraction of a household', { households_served: 2.5 }, { message: 'households_served must be a whole number, not 2.5' }],
    ['negative complaints', { complaints: -1 }, { message: 'complaints -1 is negative: it is 0 or more' }],
    ['a request in the future', { requested_on: '2999-01-01' }, { message: 'requested_on 2999-01-01 is in the future' }],
    ['a date that does not exist', { requested_on: '2023-02-30' }, { message: 'requested_on 2023-02-30 is not a date' }],
    ['depends_on that is not a list', { depends_on: 'BL-001' }, { message: 'depends_on must be a list of item codes, not "BL-001"' }],
    ['no changes', {}, { message: expect.stringMatching(/^changes must be an object of the fields to change/) }],
  ]
  test.each(bad)('%s is refused in words, and nothing is written', async (_, changes, expected) => {
    const item = await itemOf('BL-013')
    const before = await fingerprint()
    expect(await refusal('works', 'edit_backlog_item', { code: 'BL-013', version: item.version, changes })).toMatchObject({ status: 400, code: '22023', ...expected })
    expect(await fingerprint()).toBe(before)
  })

  test('an unknown item, a version it never had and no version at all are refused', async () => {
    const before = await fingerprint()
    expect(await refusal('works', 'edit_backlog_item', { code: 'BL-999', version: 1, changes: { cost_yuan: 1 } })).toMatchObject({
      code: 'P0002', message: 'there is no backlog item BL-999',
    })
    expect(await refusal('works', 'edit_backlog_item', { code: 'BL-013', version: 99, changes: { cost_yuan: 1 } })).toMatchObject({
      status: 400, code: '22023', message: 'BL-013 has no version 99: it is at version 1',
    })
    const versionless = await refusal('works', 'edit_backlog_item', { code: 'BL-013', version: null, changes: { cost_yuan: 1 } })
    expect(versionless).toMatchObject({ status: 400, code: '22023' })
    expect(versionless.message).toMatch(/^give the version of the item you loaded/)
    expect(await fingerprint()).toBe(before)
  })
})

// ── weights: last, as they move every score ──────────────────────────────────────────────
describe('the weights', () => {
  const refusedWeights: [string, unknown, string][] = [
    ['a weight below 0', { ...defaults, waiting: -0.1 }, 'a weight below 0: waiting (-0.1); weights are 0 or more'],
    ['a missing factor', { households: 1, complaints: 1, severity: 1, cost_per_household: 1, village: 1 }, 'no weight for waiting: give a weight for each of the six factors (households, complaints, severity, cost_per_household, village, waiting)'],
    ['an unknown factor', { ...defaults, distance: 1 }, 'unknown factor distance: the factors are households, complaints, severity, cost_per_household, village, waiting'],
    ['every weight 0', { households: 0, complaints: 0, severity: 0, cost_per_household: 0, village: 0, waiting: 0 }, 'every weight is 0: at least one factor must count'],
    ['a weight that is not a number', { ...defaults, village: '0.1' }, 'a weight must be a number: village ("0.1")'],
    ['no object', [0.25, 0.15], 'the weights must be an object with a weight for each factor: households, complaints, severity, cost_per_household, village, waiting'],
  ]
  test.each(refusedWeights)('%s is refused when set and when previewed, and nothing is written', async (_, weights, message) => {
    const before = await fingerprint()
    expect(await refusal('works', 'set_backlog_weights', { weights })).toMatchObject({ status: 400, code: '22023', message })
    expect(await refusal('leader', 'backlog_scores', { weights })).toMatchObject({ status: 400, code: '22023', message })
    expect(await fingerprint()).toBe(before)
  })

  test('the construction bureau sets them, kept with who and when; the scores follow; the history lists every set, newest first', async () => {
    const chosen: Weights = { households: 0.3, complaints: 0.2, severity: 0.2, cost_per_household: 0.1, village: 0.15, waiting: 0.05 }
    const [inForce] = await call<WeightRecord[]>('works', 'backlog_weight_history')
    const stored = await call<WeightRecord>('works', 'set_backlog_weights', { weights: chosen, based_on: inForce.set_at })
    expect(stored).toMatchObject({ weights: chosen, set_by: 'works@atlas.local' })
    const result = await scores('leader')
    expect(result).toMatchObject({ weights: chosen, weights_set_by: 'works@atlas.local', weights_set_at: stored.set_at, preview: false })
    expect(result.factors.map((f) => f.weight)).toEqual(factorKeys.map((f) => chosen[f]))
    for (const item of result.items) {
      expect(hundredths(item.score), item.code).toBe(factorKeys.reduce((s, f) => s + hundredths(item.factors[f].part), 0))
      for (const f of factorKeys)
        expect(Math.abs(item.factors[f].part - 100 * chosen[f] * item.factors[f].normalised), `${item.code} ${f}`).toBeLessThanOrEqual(0.005 + 0.00005 * 100 * chosen[f] + 1e-9)
    }
    const second = await call<{ set_at: string }>('works', 'set_backlog_weights', { weights: defaults, based_on: stored.set_at })
    const history = await call<WeightRecord[]>('planner', 'backlog_weight_history')
    expect(history.map((h) => [h.weights, h.set_by])).toEqual([
      [defaults, 'works@atlas.local'], [chosen, 'works@atlas.local'], [defaults, 'default'],
    ])
    expect(history[0].set_at).toBe(second.set_at)
    expect((await scores('planner')).weights_set_at).toBe(second.set_at)
  })

  test('weights set without naming the ones read are refused (428); set from ones replaced since, refused naming who replaced them (409); nothing is written', async () => {
    const before = await fingerprint()
    const [inForce] = await call<WeightRecord[]>('works', 'backlog_weight_history')
    const chosen = { ...defaults, households: 0.5 }
    expect(await refusal('works', 'set_backlog_weights', { weights: chosen })).toMatchObject({
      status: 428, code: 'PT428', hint: 'Send based_on, the set_at of the weights you loaded.',
    })
    expect(await refusal('works', 'set_backlog_weights', { weights: chosen, based_on: '2020-01-01T00:00:00Z' })).toMatchObject({
      status: 409, code: 'PT409',
      message: expect.stringMatching(new RegExp(`^the weights were set by ${inForce.set_by} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, since the ones you read; reload and try again$`)) as string,
    })
    expect(await fingerprint()).toBe(before)
  })
})
