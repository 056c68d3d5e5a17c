// The plan against the independent dynamic programme (./dp.ts) on hundreds of seeded knapsacks:
// the same optimum to the hundredth of a point, never over the budget, the tie among equal plans
// broken by rank (checked by enumeration on the small ones), and the same plan whatever the order
// the items come in.
import type { Highs } from 'highs'
import { beforeAll, describe, expect, test } from 'vitest'
import { loadHighs, solvePlan } from '../../src/backlog/plan/index.ts'
import type { PlanItem, PlanResult } from '../../src/backlog/types.ts'
import { knapsackOptimum } from './dp.ts'
import { item, randomKnapsack, shuffled } from './instances.ts'

let highs: Highs
beforeAll(async () => {
  highs = await loadHighs()
})

const hundredths = (x: number) => Math.round(x * 100)
const fundedCodes = (r: PlanResult) => r.items.filter((i) => i.funded).map((i) => i.code).sort()

/** The funded items add up to the totals, fit the budget, and only candidates are funded. */
function checkPlan(r: PlanResult, items: PlanItem[], budget: number) {
  const byCode = new Map(items.map((i) => [i.code, i]))
  const funded = r.items.filter((i) => i.funded)
  const cost = funded.reduce((s, i) => s + byCode.get(i.code)!.cost_yuan, 0)
  const points = funded.reduce((s, i) => s + hundredths(byCode.get(i.code)!.score), 0)
  expect(cost).toBeLessThanOrEqual(budget)
  expect(r.total_cost_yuan).toBe(cost)
  expect(hundredths(r.total_score)).toBe(points)
  expect(r.items).toHaveLength(items.length)
  for (const i of funded) expect(['proposed', 'approved']).toContain(byCode.get(i.code)!.status)
}

/** Among all subsets scoring the optimum within the budget, the greatest in rank order (by enumeration). */
function preferredByEnumeration(items: PlanItem[], budget: number): string[] {
  const ranked = [...items].sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1))
  const n = ranked.length
  let best = -1
  let bestKey = ''
  let bestMask = 0
  for (let mask = 0; mask < 1 << n; mask++) {
    let cost = 0
    let points = 0
    let key = ''
    for (let i = 0; i < n; i++) {
      const on = (mask >> i) & 1
      key += on ? '1' : '0'
      if (on) {
        cost += ranked[i].cost_yuan
        points += hundredths(ranked[i].score)
      }
    }
    if (cost > budget) continue
    if (points > best || (points === best && key > bestKey)) [best, bestKey, bestMask] = [points, key, mask]
  }
  return ranked.filter((_, i) => (bestMask >> i) & 1).map((i) => i.code).sort()
}

describe('the plan against the dynamic programme', () => {
  test('300 seeded knapsacks: the same optimum, never over the budget', () => {
    const cases = new Map<string, number>()
    for (let seed = 1; seed <= 300; seed++) {
      const { items, budget, case: kind } = randomKnapsack(seed)
      cases.set(kind, (cases.get(kind) ?? 0) + 1)
      const r = solvePlan(highs, { items, budgets: [budget] })
      expect(r.status, `seed ${seed}`).toBe('optimal')
      expect(r.optimal).toBe(true)
      const dp = knapsackOptimum(items.map((i) => ({ score: i.score, cost: i.cost_yuan })), budget)
      expect(hundredths(r.total_score), `seed ${seed} (${kind}, ${items.length} items)`).toBe(dp)
      checkPlan(r, items, budget)
      // the baselines are plans too: never above the optimum, never over the budget
      expect(hundredths(r.greedy.total_score)).toBeLessThanOrEqual(dp)
      expect(hundredths(r.greedy_per_yuan.total_score)).toBeLessThanOrEqual(dp)
      expect(r.greedy.total_cost_yuan).toBeLessThanOrEqual(budget)
      expect(r.greedy_per_yuan.total_cost_yuan).toBeLessThanOrEqual(budget)
    }
    expect(cases.size).toBe(4)
  })

  test('larger knapsacks (40–60 items) agree too', () => {
    for (let seed = 1001; seed <= 1012; seed++) {
      const { items, budget } = randomKnapsack(seed, 60)
      const r = solvePlan(highs, { items, budgets: [budget] })
      expect(hundredths(r.total_score), `seed ${seed}`).toBe(knapsackOptimum(items.map((i) => ({ score: i.score, cost: i.cost_yuan })), budget))
      checkPlan(r, items, budget)
    }
  })

  test('ties go to the higher score, then the code (checked by enumeration)', () => {
    let tied = 0
    for (let seed = 2001; seed <= 2120; seed++) {
      const { items, budget } = randomKnapsack(seed, 12)
      const r = solvePlan(highs, { items, budgets: [budget] })
      const preferred = preferredByEnumeration(items, budget)
      expect(fundedCodes(r), `seed ${seed}`).toEqual(preferred)
      if (seed % 4 === 1 || seed % 4 === 3) tied++
    }
    expect(tied).toBeGreaterThan(0)
  })

  test('a hand-made tie: one item of 80 beats two of 50 and 30, and equal scores go by code', () => {
    const items = [item('A', 50, 500), item('B', 30, 500), item('C', 80, 1000)]
    expect(fundedCodes(solvePlan(highs, { items, budgets: [1000] }))).toEqual(['C'])
    const equal = [item('X2', 40, 100), item('X1', 40, 100), item('X3', 40, 100)]
    expect(fundedCodes(solvePlan(highs, { items: equal, budgets: [200] }))).toEqual(['X1', 'X2'])
  })

  test('shuffling the input gives the same plan', () => {
    for (let seed = 3001; seed <= 3040; seed++) {
      const { items, budget } = randomKnapsack(seed, 20)
      const a = solvePlan(highs, { items, budgets: [budget] })
      const b = solvePlan(highs, { items: shuffled(items, seed), budgets: [budget] })
      expect(fundedCodes(b), `seed ${seed}`).toEqual(fundedCodes(a))
      expect(b.items.map((i) => i.code)).toEqual(a.items.map((i) => i.code))
    }
  })

  test('shuffling a constrained several-year input gives the same plan, year by year', () => {
    for (let seed = 3101; seed <= 3110; seed++) {
      const { items } = randomKnapsack(seed, 16)
      const total = items.reduce((s, i) => s + i.cost_yuan, 0)
      const input = {
        items: items.map((i, k) => ({ ...i, depends_on: k > 2 && k % 3 === 0 ? [items[k - 1].code] : [] })),
        budgets: [Math.floor(total / 4), Math.floor(total / 5), Math.floor(total / 6)],
        constraints: { categoryShare: [{ category: '亮化' as const, max: 0.5 }] },
      }
      const a = solvePlan(highs, input)
      const b = solvePlan(highs, { ...input, items: shuffled(input.items, seed) })
      const years = (r: PlanResult) => r.items.filter((i) => i.funded).map((i) => `${i.code}@${i.year}`).sort()
      expect(years(b), `seed ${seed}`).toEqual(years(a))
    }
  })
})
