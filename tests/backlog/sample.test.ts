// The sample city as the bureau sees it: its 56 items scored by backlog_scores() on a copy of the
// sample database, planned at several budgets. As a plain knapsack (no kept items, no
// precedences) the plan matches the dynamic programme, and so does every reason; with the city's
// own rules (approved items kept, drains before roads) every rule holds.
import type { Highs } from 'highs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { budgetCurve, candidates, loadHighs, solvePlan } from '../../src/backlog/plan/index.ts'
import type { BacklogScores, PlanInput, PlanItem } from '../../src/backlog/types.ts'
import { openEmbedded, type Database } from '../../src/db/database.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { copySampleDatabase } from '../helpers/databases.ts'
import { atomKey, atomsOf, keeps } from './brute.ts'
import { entersAtByTables, knapsackOptimum, optimumWithout } from './dp.ts'

let db: Database
let highs: Highs
let items: PlanItem[]
beforeAll(async () => {
  db = await openEmbedded(copySampleDatabase())
  highs = await loadHighs()
  const scores = await asCaller(db, userClaims('works', 'plan-test'), async (tx) => (await tx.query<{ s: BacklogScores }>('select public.backlog_scores() as s')).rows[0].s, true)
  items = candidates(scores.items)
})
afterAll(async () => {
  await db?.close()
})

const plain = () => items.map((i) => ({ ...i, depends_on: [] }))
const dpOf = (xs: PlanItem[]) => xs.filter((i) => i.status === 'proposed' || i.status === 'approved').map((i) => ({ score: i.score, cost: i.cost_yuan }))

describe('the sample city', () => {
  test('56 items, about ¥67 M', () => {
    expect(items).toHaveLength(56)
    expect(items.reduce((s, i) => s + i.cost_yuan, 0)).toBeGreaterThan(60_000_000)
  })

  test('as a plain knapsack, the optimum of the dynamic programme at every budget', () => {
    const xs = plain()
    const total = dpOf(xs).reduce((s, i) => s + i.cost, 0)
    for (const budget of [0, 5_000_000, 12_345_678, 20_000_000, 40_000_000, total, total + 1]) {
      const r = solvePlan(highs, { items: xs, budgets: [budget], constraints: { keepApproved: false } })
      expect(Math.round(r.total_score * 100), `¥${budget}`).toBe(knapsackOptimum(dpOf(xs), budget))
      expect(r.total_cost_yuan).toBeLessThanOrEqual(budget)
    }
  })

  test('as a plain knapsack at the example ¥20M, every reason matches the dynamic programme', () => {
    const xs = plain()
    const budget = 20_000_000
    const r = solvePlan(highs, { items: xs, budgets: [budget], constraints: { keepApproved: false } }, { reasons: true })
    const open = xs.filter((i) => i.status === 'proposed' || i.status === 'approved')
    const dp = dpOf(xs)
    const opt = knapsackOptimum(dp, budget)
    let exact = 0
    for (const [k, it] of open.entries()) {
      const got = r.items.find((i) => i.code === it.code)!
      if (got.funded) expect(Math.round(got.why.loss! * 100), it.code).toBe(opt - optimumWithout(dp, k, budget))
      else {
        const at = entersAtByTables(dp, k, budget)
        if (got.why.kind === 'enters_above') expect(at!, it.code).toBeGreaterThanOrEqual(got.why.enters_at_yuan!)
        else {
          exact++
          expect(got.why, it.code).toMatchObject({ kind: 'enters_at', enters_at_yuan: at })
        }
      }
    }
    expect(exact).toBeGreaterThan(10)
  })

  test('with the city\'s rules at ¥20M: approved items kept, drains before roads, a reason for everyone', () => {
    const input: PlanInput = { items, budgets: [20_000_000] }
    const r = solvePlan(highs, input, { reasons: true })
    expect(r.status).toBe('optimal')
    const year = new Map(r.items.filter((i) => i.funded).map((i) => [i.code, i.year! - 1]))
    for (const atom of atomsOf(input)) expect(keeps(atom, items, year), atomKey(atom)).toBe(true)
    expect(r.total_score).toBeGreaterThan(r.greedy.total_score)
    for (const i of r.items) {
      expect(i.reason.length).toBeGreaterThan(3)
      expect(i.reason_zh.length).toBeGreaterThan(1)
    }
    for (const i of items.filter((x) => x.status === 'approved')) expect(r.items.find((x) => x.code === i.code)!.why.kind).toBe('required')
    expect(r.items.filter((i) => i.why.kind === 'not_candidate')).toHaveLength(items.filter((i) => i.status !== 'proposed' && i.status !== 'approved').length)
  })

  test('the budget curve: 100 points from ¥0 to the whole backlog, infeasible until the approved items fit', () => {
    const curve = budgetCurve(highs, { items, budgets: [20_000_000] })
    expect(curve).toHaveLength(100)
    const approved = items.filter((i) => i.status === 'approved').reduce((s, i) => s + i.cost_yuan, 0)
    for (const p of curve) expect(Boolean(p.infeasible), `¥${p.budget_yuan}`).toBe(p.budget_yuan < approved)
    const feasible = curve.filter((p) => !p.infeasible)
    for (let k = 1; k < feasible.length; k++) expect(feasible[k].total_score).toBeGreaterThanOrEqual(feasible[k - 1].total_score)
    expect(Math.round(curve[99].total_score * 100)).toBe(dpOf(items).reduce((s, i) => s + Math.round(i.score * 100), 0))
  })
})
