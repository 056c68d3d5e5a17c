// Every kind of constraint kept, on hand-made backlogs and on seeded random ones checked against
// enumeration of every assignment (./brute.ts); infeasible combinations reported with a conflict
// that is infeasible on its own and feasible without any one of its members.
import type { Highs } from 'highs'
import { beforeAll, describe, expect, test } from 'vitest'
import { loadHighs, solvePlan } from '../../src/backlog/plan/index.ts'
import { random } from '../../src/circles/engine/testing.ts'
import { backlogCategories, type Category, type PlanInput, type PlanItem, type PlanResult } from '../../src/backlog/types.ts'
import { atomKey, atomsOf, bruteForce, keeps } from './brute.ts'
import { item } from './instances.ts'

let highs: Highs
beforeAll(async () => {
  highs = await loadHighs()
})

const funded = (r: PlanResult) => r.items.filter((i) => i.funded).map((i) => i.code).sort()
const yearOf = (r: PlanResult) => new Map(r.items.filter((i) => i.funded).map((i) => [i.code, i.year! - 1]))
const conflictKeys = (r: PlanResult) => (r.conflict ?? []).map(atomKey).sort()

/** The plan keeps every constraint of its input (checked by the oracle's own rules). */
function expectKept(input: PlanInput, r: PlanResult) {
  const year = yearOf(r)
  for (const atom of atomsOf(input)) expect(keeps(atom, input.items, year), `${atomKey(atom)} in ${JSON.stringify([...year])}`).toBe(true)
}

describe('each kind of constraint', () => {
  const base = [item('A', 90, 600), item('B', 70, 500), item('C', 40, 300), item('D', 20, 200, { category: '排污' }), item('E', 10, 100, { category: '排污' })]

  test('must-do and excluded items', () => {
    expect(funded(solvePlan(highs, { items: base, budgets: [1100] }))).toEqual(['A', 'B'])
    const must = { items: base, budgets: [1100], constraints: { must: ['E'] } }
    const r = solvePlan(highs, must)
    expect(r.items.find((i) => i.code === 'E')!.funded).toBe(true)
    expect(r.total_score).toBe(bruteForce(base, 1, atomsOf(must))! / 100)
    expectKept(must, r)
    const exclude = { items: base, budgets: [1100], constraints: { exclude: ['A'] } }
    const x = solvePlan(highs, exclude)
    expect(funded(x)).toEqual(['B', 'C', 'D', 'E'])
    expect(x.items.find((i) => i.code === 'A')!.why.kind).toBe('excluded')
  })

  test('minimum and maximum share per category', () => {
    const min = { items: base, budgets: [1100], constraints: { categoryShare: [{ category: '排污' as Category, min: 0.25 }] } }
    const r = solvePlan(highs, min)
    expectKept(min, r)
    expect(r.total_score * 100).toBe(bruteForce(base, 1, atomsOf(min)))
    expect(funded(r)).toContain('D')
    const max = { items: base, budgets: [2000], constraints: { categoryShare: [{ category: '硬化' as Category, max: 0.8 }] } }
    const m = solvePlan(highs, max)
    expectKept(max, m)
    expect(m.total_score * 100).toBe(bruteForce(base, 1, atomsOf(max)))
  })

  test('a floor per street office', () => {
    const items = [...base, item('F', 5, 400, { street_code: '331181002' })]
    const input = { items, budgets: [1100], constraints: { streetFloor: [{ street_code: '331181002', min_yuan: 400 }] } }
    const r = solvePlan(highs, input)
    expect(funded(r)).toContain('F')
    expectKept(input, r)
    expect(r.total_score * 100).toBe(bruteForce(items, 1, atomsOf(input)))
  })

  test('precedence: the road waits for the drain, in the same year or later', () => {
    const items = [item('ROAD', 90, 500), item('DRAIN', 5, 400, { category: '排污' }), item('LAMP', 60, 450, { category: '亮化' })]
    items[0].depends_on = ['DRAIN']
    const one = { items, budgets: [950] }
    const r = solvePlan(highs, one)
    expect(funded(r)).toEqual(['DRAIN', 'ROAD'])
    expectKept(one, r)
    // over two years the drain may not come after the road
    const two = { items, budgets: [450, 500] }
    const t = solvePlan(highs, two)
    expectKept(two, t)
    expect(t.total_score * 100).toBe(bruteForce(items, 2, atomsOf(two)))
    const y = yearOf(t)
    if (y.has('ROAD')) expect(y.get('DRAIN')!).toBeLessThanOrEqual(y.get('ROAD')!)
  })

  test('a rejected prerequisite blocks its dependants; one under way lets them go ahead', () => {
    const items = [item('ROAD', 90, 500, { depends_on: ['DRAIN'] }), item('DRAIN', 5, 400, { status: 'rejected' }), item('ROAD2', 80, 500, { depends_on: ['PIPE'] }), item('PIPE', 5, 400, { status: 'done' })]
    const r = solvePlan(highs, { items, budgets: [5000] }, { reasons: true })
    expect(funded(r)).toEqual(['ROAD2'])
    const road = r.items.find((i) => i.code === 'ROAD')!
    expect(road.why.kind).toBe('blocked')
    expect(road.why.by!.map(atomKey)).toEqual(['precedence:DRAIN→ROAD'])
    expect(road.reason).toMatch(/DRAIN.*rejected/)
    for (const code of ['DRAIN', 'PIPE']) expect(r.items.find((i) => i.code === code)!.why.kind).toBe('not_candidate')
  })

  test('mutually exclusive alternatives', () => {
    const input = { items: base, budgets: [2000], constraints: { exclusive: [['A', 'B'], ['C', 'D', 'E']] } }
    const r = solvePlan(highs, input)
    expect(funded(r)).toEqual(['A', 'C'])
    expectKept(input, r)
  })

  test('approved items are kept unless keepApproved is false', () => {
    const items = base.map((i) => (i.code === 'E' ? { ...i, status: 'approved' as const } : i))
    expect(funded(solvePlan(highs, { items, budgets: [1100] }))).toContain('E')
    expect(funded(solvePlan(highs, { items, budgets: [1100], constraints: { keepApproved: false } }))).not.toContain('E')
    // an explicit exclusion overrides the standing rule
    expect(funded(solvePlan(highs, { items, budgets: [1100], constraints: { exclude: ['E'] } }))).not.toContain('E')
  })

  test('several years, a budget each: every year within its own', () => {
    const items = [item('A', 50, 600), item('B', 50, 600), item('C', 50, 600), item('D', 30, 350), item('E', 30, 350)]
    // pooled, ¥2000 would fund A, B, C (1800); spread over two years of ¥1000 only one 600 fits a year
    const input = { items, budgets: [1000, 1000] }
    const r = solvePlan(highs, input)
    expectKept(input, r)
    expect(r.total_score * 100).toBe(bruteForce(items, 2, atomsOf(input)))
    expect(r.total_score).toBe(160)
    expect(r.budgets).toEqual([1000, 1000])
    expect(r.budget_yuan).toBe(2000)
    for (const i of r.items.filter((i) => i.funded)) expect([1, 2]).toContain(i.year)
  })

  test('items in progress, done or rejected are never funded', () => {
    const items = [item('A', 90, 100, { status: 'in_progress' }), item('B', 80, 100, { status: 'done' }), item('C', 70, 100, { status: 'rejected' }), item('D', 10, 100)]
    const r = solvePlan(highs, { items, budgets: [1000] })
    expect(funded(r)).toEqual(['D'])
    expect(r.items.filter((i) => i.why.kind === 'not_candidate').map((i) => i.code).sort()).toEqual(['A', 'B', 'C'])
  })
})

describe('infeasible combinations name the constraints that conflict', () => {
  const items = [item('A', 50, 600), item('B', 40, 600), item('C', 30, 100, { category: '排污' }), item('D', 20, 200, { street_code: '331181009' })]

  test('must A + must B over the budget', () => {
    const r = solvePlan(highs, { items, budgets: [1000], constraints: { must: ['A', 'B'] } })
    expect(r.status).toBe('infeasible')
    expect(r.optimal).toBe(false)
    expect(r.items.some((i) => i.funded)).toBe(false)
    expect(conflictKeys(r)).toEqual(['budget:1', 'must:A', 'must:B'])
    expect(r.conflict!.map((c) => c.text_en).sort()).toEqual(['A must be funded', 'B must be funded', 'the budget (¥1,000)'])
    expect(r.conflict!.map((c) => c.text_zh).join('；')).toContain('预算（1,000 元）')
  })

  test('must A + exclusive {A, B} + must B', () => {
    const r = solvePlan(highs, { items, budgets: [5000], constraints: { must: ['A', 'B'], exclusive: [['A', 'B']] } })
    expect(conflictKeys(r)).toEqual(['exclusive:A,B', 'must:A', 'must:B'])
  })

  test('a minimum share no plan can reach', () => {
    // 排污 has ¥100 of ¥1500; with A a must, 排污 can be at most 100/700 of the plan
    const r = solvePlan(highs, { items, budgets: [5000], constraints: { must: ['A'], categoryShare: [{ category: '排污', min: 0.5 }] } })
    expect(conflictKeys(r)).toEqual(['category_min:排污', 'must:A'])
  })

  test('a street floor above the budget', () => {
    const r = solvePlan(highs, { items, budgets: [150], constraints: { streetFloor: [{ street_code: '331181009', min_yuan: 200 }] } })
    expect(conflictKeys(r)).toEqual(['budget:1', 'street_floor:331181009'])
    expect(r.conflict!.find((c) => c.kind === 'street_floor')!.text_zh).toContain('331181009')
  })

  test('a must-do item whose prerequisite is excluded', () => {
    const dep = [...items.slice(0, 3), item('ROAD', 10, 100, { depends_on: ['C'] })]
    const r = solvePlan(highs, { items: dep, budgets: [5000], constraints: { must: ['ROAD'], exclude: ['C'] } })
    expect(conflictKeys(r)).toEqual(['exclude:C', 'must:ROAD', 'precedence:C→ROAD'])
  })

  test('must and exclude of the same item', () => {
    const r = solvePlan(highs, { items, budgets: [5000], constraints: { must: ['A'], exclude: ['A'] } })
    expect(conflictKeys(r)).toEqual(['exclude:A', 'must:A'])
  })
})

/** A random small backlog with random constraints of every kind. */
function randomConstrained(seed: number): PlanInput {
  const rand = random(seed)
  const years = 1 + (seed % 3)
  const n = years === 1 ? 5 + Math.floor(rand() * 7) : years === 2 ? 4 + Math.floor(rand() * 5) : 3 + Math.floor(rand() * 4)
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
  const items: PlanItem[] = []
  for (let k = 0; k < n; k++) {
    const u = rand()
    items.push(
      item(`K${k}`, rand() < 0.2 && k ? items[k - 1].score : Math.round(rand() * 10000) / 100, 100 * (1 + Math.floor(rand() * 20)), {
        category: pick(backlogCategories.slice(0, 3)),
        street_code: pick(['S1', 'S2']),
        status: u < 0.1 ? 'approved' : u < 0.15 ? 'rejected' : u < 0.2 ? 'done' : 'proposed',
        depends_on: k && rand() < 0.3 ? [`K${Math.floor(rand() * k)}`] : [],
      }),
    )
  }
  const total = items.reduce((s, i) => s + i.cost_yuan, 0)
  const budgets = Array.from({ length: years }, () => Math.floor((total / years) * (0.2 + 0.7 * rand())))
  const codes = items.filter((i) => i.status === 'proposed' || i.status === 'approved').map((i) => i.code)
  const constraints: PlanInput['constraints'] = { keepApproved: rand() < 0.8 }
  if (codes.length && rand() < 0.4) constraints.must = [pick(codes)]
  if (codes.length && rand() < 0.3) constraints.exclude = [pick(codes)]
  if (rand() < 0.5) {
    const min = Math.round(rand() * 5) / 10
    constraints.categoryShare = [{ category: pick(backlogCategories.slice(0, 3)), min, max: Math.min(1, min + Math.round(rand() * 6) / 10) }]
  }
  if (rand() < 0.3) constraints.streetFloor = [{ street_code: pick(items).street_code, min_yuan: 100 * Math.floor(rand() * 15) }]
  if (codes.length > 2 && rand() < 0.4) constraints.exclusive = [[...new Set([pick(codes), pick(codes), pick(codes)])]].filter((g) => g.length > 1)
  return { items, budgets, constraints }
}

describe('random constrained backlogs against enumeration', () => {
  test('150 seeded backlogs: the same optimum or the same infeasibility, every constraint kept', () => {
    let infeasible = 0
    let severalYears = 0
    for (let seed = 1; seed <= 150; seed++) {
      const input = randomConstrained(seed)
      const atoms = atomsOf(input)
      const best = bruteForce(input.items, input.budgets.length, atoms)
      const r = solvePlan(highs, input)
      if (best === null) {
        infeasible++
        expect(r.status, `seed ${seed}`).toBe('infeasible')
        // the conflict is infeasible on its own, and dropping any member makes it feasible
        const keys = conflictKeys(r)
        const chosen = atoms.filter((a) => keys.includes(atomKey(a)))
        expect(chosen.length, `seed ${seed}: ${keys.join(', ')}`).toBe(keys.length)
        expect(bruteForce(input.items, input.budgets.length, chosen), `seed ${seed}`).toBeNull()
        for (const a of chosen)
          expect(bruteForce(input.items, input.budgets.length, chosen.filter((b) => b !== a)), `seed ${seed} without ${atomKey(a)}`).not.toBeNull()
      } else {
        if (input.budgets.length > 1) severalYears++
        expect(r.status, `seed ${seed}`).toBe('optimal')
        expect(Math.round(r.total_score * 100), `seed ${seed}`).toBe(best)
        expectKept(input, r)
      }
    }
    expect(infeasible).toBeGreaterThan(5)
    expect(severalYears).toBeGreaterThan(30)
  })
})
