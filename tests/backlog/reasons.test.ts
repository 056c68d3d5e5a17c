// The reason of every item against the oracles: a funded item's loss is DP opt − DP opt without
// it; an unfunded one enters at the smallest budget at which it is in some optimal plan (brute force
// over every budget where anything can change); the other kinds on hand-made backlogs.
import type { Highs } from 'highs'
import { beforeAll, describe, expect, test } from 'vitest'
import { formatReason, loadHighs, solvePlan } from '../../src/backlog/plan/index.ts'
import { maxBudgetSteps } from '../../src/backlog/plan/reasons.ts'
import type { PlanResult } from '../../src/backlog/types.ts'
import { atomKey, atomsOf, bruteForce } from './brute.ts'
import { entersAt, entersAtByTables, knapsackOptimum, optimumWith, optimumWithout } from './dp.ts'
import { item, randomKnapsack } from './instances.ts'

let highs: Highs
beforeAll(async () => {
  highs = await loadHighs()
})

const why = (r: PlanResult, code: string) => r.items.find((i) => i.code === code)!

describe('reasons against the oracles', () => {
  test('40 seeded knapsacks: every loss and every entering budget exact', () => {
    let entering = 0
    let funded = 0
    let capped = 0
    for (let seed = 5001; seed <= 5040; seed++) {
      const { items, budget } = randomKnapsack(seed, 10)
      const dpItems = items.map((i) => ({ score: i.score, cost: i.cost_yuan }))
      const opt = knapsackOptimum(dpItems, budget)
      const r = solvePlan(highs, { items, budgets: [budget] }, { reasons: true })
      for (const [k, it] of items.entries()) {
        const got = why(r, it.code)
        if (got.funded) {
          funded++
          expect(got.why.kind, `seed ${seed} ${it.code}`).toBe('funded')
          expect(Math.round(got.why.loss! * 100), `seed ${seed} ${it.code}`).toBe(opt - optimumWithout(dpItems, k, budget))
        } else {
          const at = entersAt(dpItems, k, budget)
          expect(at, `seed ${seed} ${it.code}: with the whole backlog's money every item is in the plan`).not.toBeNull()
          // the oracle of the larger backlogs agrees with enumeration
          expect(entersAtByTables(dpItems, k, budget)).toBe(at)
          if (got.why.kind === 'enters_above') {
            capped++
            expect(at!, `seed ${seed} ${it.code}`).toBeGreaterThanOrEqual(got.why.enters_at_yuan!)
          } else {
            entering++
            expect(got.why.kind, `seed ${seed} ${it.code}`).toBe('enters_at')
            expect(got.why.enters_at_yuan, `seed ${seed} ${it.code}`).toBe(at)
          }
        }
      }
    }
    expect(funded).toBeGreaterThan(50)
    expect(entering).toBeGreaterThan(50)
    expect(capped).toBeLessThan(entering / 5)
  })

  test('an item tied with the plan enters at today\'s budget, at no loss', () => {
    const items = [item('A', 50, 500), item('B', 50, 500)]
    const r = solvePlan(highs, { items, budgets: [500] }, { reasons: true })
    expect(why(r, 'A').funded).toBe(true)
    expect(why(r, 'A').why).toEqual({ kind: 'funded', loss: 0 })
    expect(why(r, 'B').why).toEqual({ kind: 'enters_at', enters_at_yuan: 500, forced_loss: 0 })
    expect(why(r, 'B').reason).toMatch(/equal score/)
  })

  test('the search stops where it is told to, and says so', () => {
    // a large item just below the small ones' rate: each jump of the budget buys one more small one
    const items = [item('BIG', 95, 1000)]
    for (let k = 0; k < maxBudgetSteps + 8; k++) items.push(item(`S${String(k).padStart(2, '0')}`, 10, 100))
    const r = solvePlan(highs, { items, budgets: [100] }, { reasons: true })
    const big = why(r, 'BIG').why
    expect(big.kind).toBe('enters_above')
    // it is indeed in no optimal plan below the budget where the search stopped
    const dpItems = items.map((i) => ({ score: i.score, cost: i.cost_yuan }))
    for (let b = 100; b < big.enters_at_yuan!; b += 50) expect(optimumWith(dpItems, 0, b), `at ¥${b}`).toBeLessThan(knapsackOptimum(dpItems, b))
    expect(big.enters_at_yuan!).toBeGreaterThan(100 + 100 * (maxBudgetSteps - 2))
    expect(formatReason(big, 'en')).toContain('the search stopped there')
  })
})

describe('each kind of reason', () => {
  test('required: by a must, by a street floor', () => {
    const items = [item('A', 50, 500), item('B', 10, 400), item('F', 5, 300, { street_code: '331181002' })]
    const r = solvePlan(highs, { items, budgets: [800], constraints: { must: ['B'], streetFloor: [{ street_code: '331181002', min_yuan: 300 }] } }, { reasons: true })
    expect(why(r, 'B').why).toMatchObject({ kind: 'required' })
    expect(why(r, 'B').why.by!.map(atomKey)).toEqual(['must:B'])
    expect(why(r, 'F').why.by!.map(atomKey)).toEqual(['street_floor:331181002'])
    expect(why(r, 'F').reason_zh).toContain('必须实施')
  })

  test('never: a dearer, lower-scored alternative', () => {
    const items = [item('A', 50, 500), item('B', 30, 1000)]
    const r = solvePlan(highs, { items, budgets: [400], constraints: { exclusive: [['A', 'B']] } }, { reasons: true })
    expect(why(r, 'A').why).toMatchObject({ kind: 'enters_at', enters_at_yuan: 500 })
    expect(why(r, 'B').why).toEqual({ kind: 'never', forced_loss: 20 })
    expect(why(r, 'B').reason).toMatch(/not even with the whole backlog's money \(funding it would lose 20\.00 points\)/)
  })

  test('blocked: named constraints keep it out whatever the budget', () => {
    const items = [item('A', 50, 500), item('B', 30, 1000)]
    const r = solvePlan(highs, { items, budgets: [2000], constraints: { must: ['A'], exclusive: [['A', 'B']] } }, { reasons: true })
    expect(why(r, 'B').why.kind).toBe('blocked')
    expect(why(r, 'B').why.by!.map(atomKey).sort()).toEqual(['exclusive:A,B', 'must:A'])
    expect(why(r, 'B').reason).toBe('not funded: kept out by A must be funded; at most one of A, B')
  })

  test('excluded, and not a candidate', () => {
    const items = [item('A', 50, 500), item('B', 30, 100, { status: 'done' })]
    const r = solvePlan(highs, { items, budgets: [2000], constraints: { exclude: ['A'] } }, { reasons: true })
    expect(why(r, 'A').why.kind).toBe('excluded')
    expect(why(r, 'A').reason_zh).toBe('已被排除')
    expect(why(r, 'B').why.kind).toBe('not_candidate')
  })

  test('several years: what forcing an unfunded item in would cost, by enumeration', () => {
    const items = [item('A', 50, 600), item('B', 45, 600), item('C', 40, 500), item('D', 12, 450), item('E', 11, 450)]
    const input = { items, budgets: [1000, 700] }
    const r = solvePlan(highs, input, { reasons: true })
    const atoms = atomsOf(input)
    const opt = bruteForce(items, 2, atoms)!
    expect(Math.round(r.total_score * 100)).toBe(opt)
    for (const it of r.items) {
      if (it.funded) {
        const without = bruteForce(items, 2, [...atoms, { kind: 'exclude', subject: it.code }])!
        expect(Math.round(it.why.loss! * 100), it.code).toBe(opt - without)
      } else {
        const forced = bruteForce(items, 2, [...atoms, { kind: 'must', subject: it.code }])!
        expect(it.why.kind).toBe('forced_loss')
        expect(Math.round(it.why.forced_loss! * 100), it.code).toBe(opt - forced)
      }
    }
  })

  test('the words: money as the core writes it, ¥23.45 M and 2,345 万元', () => {
    expect(formatReason({ kind: 'enters_at', enters_at_yuan: 23_450_000, forced_loss: 1.5 }, 'en')).toBe(
      'not funded: enters at a budget of ¥23.45 M (funding it now would lose 1.50 points)',
    )
    expect(formatReason({ kind: 'enters_at', enters_at_yuan: 23_450_000, forced_loss: 1.5 }, 'zh')).toBe('未入选：预算达到 2,345 万元 时入选（现在做则总分少 1.50 分）')
    expect(formatReason({ kind: 'enters_at', enters_at_yuan: 12_345 }, 'zh')).toBe('未入选：预算达到 1.23 万元 时入选')
    expect(formatReason({ kind: 'funded', loss: 3.2 }, 'zh')).toBe('入选；若不做，总分少 3.20 分')
    expect(formatReason({ kind: 'forced_loss', forced_loss: 2 }, 'en')).toBe('not funded: funding it would lose 2.00 points')
  })
})
