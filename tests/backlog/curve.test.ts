// The greedy baselines on hand-made backlogs, and the budget curve: 100 points from ¥0 to the whole
// backlog's money, never decreasing, each point the optimum the dynamic programme finds.
import type { Highs } from 'highs'
import { beforeAll, describe, expect, test } from 'vitest'
import { budgetCurve, loadHighs, rankAndCut } from '../../src/backlog/plan/index.ts'
import { knapsackOptimum } from './dp.ts'
import { item, randomKnapsack } from './instances.ts'

let highs: Highs
beforeAll(async () => {
  highs = await loadHighs()
})

describe('rank and cut at the budget line', () => {
  // by score: A, B, C, D; by score per yuan: B (.233), D (.2), A (.15), C (.08)
  const items = [item('A', 90, 600), item('B', 70, 300), item('C', 40, 500), item('D', 20, 100)]

  test('by score: down the list, stopping at the first item that does not fit', () => {
    // A 600 + B 300; C does not fit: stop there, though D would
    expect(rankAndCut({ items, budgets: [1000] }, 'score')).toEqual({ total_score: 160, total_cost_yuan: 900, codes: ['A', 'B'] })
  })

  test('by score per yuan', () => {
    expect(rankAndCut({ items, budgets: [1000] }, 'score_per_yuan')).toEqual({ total_score: 180, total_cost_yuan: 1000, codes: ['B', 'D', 'A'] })
  })

  test('must-do items first; excluded items and non-candidates skipped', () => {
    const more = [...items, item('E', 99, 100, { status: 'done' })]
    expect(rankAndCut({ items: more, budgets: [1000], constraints: { must: ['D'], exclude: ['B'] } }, 'score').codes).toEqual(['D', 'A'])
  })

  test('several years: year 1 filled first, then year 2', () => {
    // A fills year 1; B goes to year 2; C (500) fits neither what is left: stop
    expect(rankAndCut({ items, budgets: [600, 700] }, 'score')).toEqual({ total_score: 160, total_cost_yuan: 900, codes: ['A', 'B'] })
  })

  test('a dependant waits for its prerequisite; one alternative of a group', () => {
    const dep = [item('ROAD', 90, 100, { depends_on: ['PIPE'] }), item('PIPE', 10, 100), item('X', 50, 100), item('Y', 40, 100)]
    expect(rankAndCut({ items: dep, budgets: [1000], constraints: { exclusive: [['X', 'Y']] } }, 'score').codes).toEqual(['X', 'PIPE'])
  })
})

describe('the budget curve', () => {
  test('100 points from ¥0 to the total, never decreasing, each the optimum', () => {
    for (const seed of [7001, 7002, 7003]) {
      const { items } = randomKnapsack(seed * 4 + 1, 18)
      const total = items.reduce((s, i) => s + i.cost_yuan, 0)
      const curve = budgetCurve(highs, { items, budgets: [1] })
      expect(curve).toHaveLength(100)
      expect(curve[0]).toMatchObject({ budget_yuan: 0, total_score: 0, total_cost_yuan: 0 })
      expect(curve[99].budget_yuan).toBe(total)
      expect(Math.round(curve[99].total_score * 100)).toBe(items.reduce((s, i) => s + Math.round(i.score * 100), 0))
      const dp = items.map((i) => ({ score: i.score, cost: i.cost_yuan }))
      for (const [k, p] of curve.entries()) {
        if (k) {
          expect(p.total_score).toBeGreaterThanOrEqual(curve[k - 1].total_score)
          expect(p.budget_yuan).toBeGreaterThan(curve[k - 1].budget_yuan)
        }
        expect(Math.round(p.total_score * 100), `seed ${seed} point ${k}`).toBe(knapsackOptimum(dp, p.budget_yuan))
        expect(p.total_cost_yuan).toBeLessThanOrEqual(p.budget_yuan)
        expect(p.greedy_score).toBeLessThanOrEqual(p.total_score)
        expect(p.greedy_per_yuan_score).toBeLessThanOrEqual(p.total_score)
        expect(p.infeasible).toBeUndefined()
      }
    }
  })

  test('where the must-do items do not fit, the point says it is infeasible', () => {
    const items = [item('A', 50, 600), item('B', 40, 400, { status: 'approved' })]
    const curve = budgetCurve(highs, { items, budgets: [1000] }, 11)
    expect(curve.map((p) => p.budget_yuan)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
    expect(curve.slice(0, 4).every((p) => p.infeasible && p.total_score === 0)).toBe(true)
    expect(curve.slice(4).map((p) => p.total_score)).toEqual([40, 40, 40, 40, 40, 40, 90])
  })

  test('several years keep the shape of the yearly budgets', () => {
    const items = [item('A', 50, 600), item('B', 45, 600), item('C', 40, 600)]
    // years of 1 : 2 at the last point: ¥600 and ¥1200 fund all three
    const curve = budgetCurve(highs, { items, budgets: [100, 200] }, 4)
    expect(curve.map((p) => p.budget_yuan)).toEqual([0, 600, 1200, 1800])
    // at ¥600 (200 + 400) nothing fits a year; at ¥1200 (400 + 800) one item
    expect(curve.map((p) => p.total_score)).toEqual([0, 0, 50, 135])
  })
})
