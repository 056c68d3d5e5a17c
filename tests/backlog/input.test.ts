// Bad plan input is refused in words before anything is solved.
import { describe, expect, test } from 'vitest'
import { candidates, loadHighs, PlanInputError, rankAndCut, solvePlan, validatePlanInput } from '../../src/backlog/plan/index.ts'
import type { PlanInput, PlanItem } from '../../src/backlog/types.ts'
import { item, scoredItem } from './instances.ts'

const items = [item('BL-001', 50, 1000), item('BL-002', 40, 500, { category: '排污' }), item('BL-003', 30, 800, { status: 'done' })]
const refused = (input: PlanInput) => {
  try {
    validatePlanInput(input)
  } catch (e) {
    expect(e).toBeInstanceOf(PlanInputError)
    return (e as Error).message
  }
  throw new Error('accepted')
}
const withItems = (patch: (xs: PlanItem[]) => PlanItem[]): PlanInput => ({ items: patch(items.map((i) => ({ ...i, depends_on: [...i.depends_on] }))), budgets: [1000] })

describe('plan input is checked', () => {
  test('a good input passes', () => {
    expect(() => validatePlanInput({ items, budgets: [1000, 0], constraints: { must: ['BL-001'], categoryShare: [{ category: '排污', min: 0.25, max: 0.5 }] } })).not.toThrow()
  })

  test('items: negative cost, unknown category, bad score, twice the same code, unknown status', () => {
    expect(refused(withItems((xs) => [{ ...xs[0], cost_yuan: -5 }]))).toContain('BL-001: cost ¥-5 is negative')
    expect(refused(withItems((xs) => [{ ...xs[0], cost_yuan: 1.234 }]))).toContain('finer than a fen')
    // @ts-expect-error: 修路 is no category; the input may come from a file or a worker's message, which no type vouches for
    expect(refused(withItems((xs) => [{ ...xs[0], category: '修路' }]))).toContain("BL-001: unknown category '修路' (one of 硬化, 亮化, 绿化, 洁化, 供水, 排污)")
    expect(refused(withItems((xs) => [{ ...xs[0], score: 120 }]))).toContain('BL-001: score 120 is outside 0–100')
    expect(refused(withItems((xs) => [{ ...xs[0], score: 12.345 }]))).toContain('more than 2 decimals')
    expect(refused(withItems((xs) => [xs[0], xs[0]]))).toContain('BL-001 appears twice')
    // @ts-expect-error: planned is no status
    expect(refused(withItems((xs) => [{ ...xs[0], status: 'planned' }]))).toContain("unknown status 'planned'")
  })

  test('dependencies: unknown, on itself, in a cycle (named)', () => {
    expect(refused(withItems((xs) => ((xs[0].depends_on = ['BL-999']), xs)))).toContain('BL-001 depends on BL-999, which is not in the backlog')
    expect(refused(withItems((xs) => ((xs[0].depends_on = ['BL-001']), xs)))).toContain('BL-001 depends on itself')
    const cycle = refused(withItems((xs) => ((xs[0].depends_on = ['BL-002']), (xs[1].depends_on = ['BL-003']), (xs[2].depends_on = ['BL-001']), xs)))
    expect(cycle).toContain('the dependencies make a cycle: BL-001 → BL-002 → BL-003 → BL-001')
  })

  test('budgets: 1 to 5 years, each finite and not negative', () => {
    expect(refused({ items, budgets: [] })).toContain('budgets must give 1 to 5 years, one budget each (got 0)')
    expect(refused({ items, budgets: [1, 2, 3, 4, 5, 6] })).toContain('(got 6)')
    expect(refused({ items, budgets: [1000, -1] })).toContain('the budget of year 2 (-1) must be a finite number of yuan, 0 or more')
    expect(refused({ items, budgets: [Number.NaN] })).toContain('the budget of year 1 (NaN)')
    expect(refused({ items, budgets: [Infinity] })).toContain('(Infinity)')
  })

  test('constraints: unknown codes, non-candidates, shares, floors, groups', () => {
    expect(refused({ items, budgets: [1], constraints: { must: ['BL-404'] } })).toContain("must-do: 'BL-404' is not in the backlog")
    expect(refused({ items, budgets: [1], constraints: { exclude: ['BL-404'] } })).toContain("excluded: 'BL-404' is not in the backlog")
    expect(refused({ items, budgets: [1], constraints: { must: ['BL-003'] } })).toContain('must-do: BL-003 is done, not a candidate of the plan')
    expect(refused({ items, budgets: [1], constraints: { categoryShare: [{ category: '排污', min: 1.2 }] } })).toContain('the minimum share of 排污 (1.2) must lie between 0 and 1')
    expect(refused({ items, budgets: [1], constraints: { categoryShare: [{ category: '排污', min: 0.6, max: 0.4 }] } })).toContain(
      'the minimum share of 排污 (0.6) is above its maximum (0.4)',
    )
    expect(refused({ items, budgets: [1], constraints: { categoryShare: [{ category: '排污', min: 0.123456 }] } })).toContain('finer than 0.01 %')
    expect(refused({ items, budgets: [1], constraints: { categoryShare: [{ category: '排污', min: 0.6 }, { category: '硬化', min: 0.6 }] } })).toContain(
      'the minimums add up to 120 %',
    )
    // @ts-expect-error: 修路 is no category
    expect(refused({ items, budgets: [1], constraints: { categoryShare: [{ category: '修路', min: 0.1 }] } })).toContain("unknown category '修路'")
    expect(refused({ items, budgets: [1], constraints: { streetFloor: [{ street_code: '999', min_yuan: 10 }] } })).toContain("street office '999' has no item")
    expect(refused({ items, budgets: [1], constraints: { streetFloor: [{ street_code: '331181001', min_yuan: -10 }] } })).toContain('must be a finite number of yuan')
    expect(refused({ items, budgets: [1], constraints: { exclusive: [['BL-001']] } })).toContain('needs at least two items')
    expect(refused({ items, budgets: [1], constraints: { exclusive: [['BL-001', 'BL-404']] } })).toContain("'BL-404' is not in the backlog")
  })

  test('every problem at once, and nothing solved', async () => {
    const message = refused({ items: [{ ...items[0], cost_yuan: -1 }], budgets: [-1], constraints: { must: ['X'] } })
    expect(message.split('; ')).toHaveLength(3)
    const highs = await loadHighs()
    expect(() => solvePlan(highs, { items, budgets: [] })).toThrow(PlanInputError)
    expect(() => rankAndCut({ items, budgets: [-5] }, 'score')).toThrow(PlanInputError)
  })

  test('candidates(): every scored item as the plan sees it', () => {
    const scored = scoredItem('BL-009', { name: '路', status: 'approved', version: 3, cost_yuan: 100, households_served: 5, complaints: 1, severity: 2, village: true, depends_on: ['BL-001'], score: 12.5 })
    expect(candidates([scored])).toEqual([{ code: 'BL-009', name: '路', category: '硬化', cost_yuan: 100, score: 12.5, street_code: '331181001', community_code: '331181001001', status: 'approved', depends_on: ['BL-001'] }])
  })
})
