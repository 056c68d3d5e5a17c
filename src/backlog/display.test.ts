import { describe, expect, it } from 'vitest'
import { candidatesTotal, curveShape, filterItems, fromField, partsAddUp, placesOf, scaleBudgets, sortByScore, splitBudget, toField, nextStatuses } from './display.ts'
import type { ScoredItem } from './types.ts'

function factors(parts: number[]): ScoredItem['factors'] {
  const factor = (i: number) => ({ raw: 1, normalised: 0.5, part: parts[i] ?? 0 })
  return { households: factor(0), complaints: factor(1), severity: factor(2), cost_per_household: factor(3), village: factor(4), waiting: factor(5) }
}

function item(code: string, extra: Partial<ScoredItem> = {}): ScoredItem {
  return {
    code,
    name: `${code} 道路硬化`,
    category: '硬化',
    status: 'proposed',
    version: 1,
    cost_yuan: 1_000_000,
    households_served: 100,
    complaints: 3,
    severity: 3,
    requested_on: '2024-01-01',
    waiting_days: 300,
    village: false,
    community_code: 'C1',
    community_name: '江南社区',
    street_code: 'S1',
    street_name: '剑池街道',
    depends_on: [],
    factors: factors([10, 5, 12.5, 0, 0, 2.5]),
    score: 30,
    updated_at: '2026-11-24T00:00:00Z',
    updated_by: null,
    ...extra,
  }
}

describe('the budget fields', () => {
  it('reads a budget field in the language’s unit, exactly to the yuan, and refuses what is not money', () => {
    expect(fromField('zh', '2000')).toBe(20_000_000)
    expect(fromField('zh', '2,199.9')).toBe(21_999_000)
    expect(fromField('en', '6.666667')).toBe(6_666_667)
    expect(fromField('en', ' 20 ')).toBe(20_000_000)
    for (const bad of ['', '-5', 'abc', '1e9', '2..0']) expect(fromField('zh', bad)).toBeNull()
    expect(toField('zh', 20_000_000)).toBe('2000')
    expect(toField('en', 6_666_667)).toBe('6.666667')
    expect(fromField('en', toField('en', 6_666_667))).toBe(6_666_667)
  })
})

describe('the budget over years', () => {
  it('splits a total into equal whole-yuan years, the remainder in year 1', () => {
    expect(splitBudget(20_000_000, 3)).toEqual([6_666_668, 6_666_666, 6_666_666])
    expect(splitBudget(20_000_000, 1)).toEqual([20_000_000])
    expect(splitBudget(10, 9)).toHaveLength(5)
    for (const n of [1, 2, 3, 4, 5]) expect(splitBudget(12_345_679, n).reduce((a, b) => a + b, 0)).toBe(12_345_679)
  })
  it('scales years to a new total, each keeping its share', () => {
    expect(scaleBudgets([8_000_000, 6_000_000, 6_000_000], 10_000_000)).toEqual([4_000_000, 3_000_000, 3_000_000])
    expect(scaleBudgets([0, 0], 3)).toEqual([2, 1])
    const scaled = scaleBudgets([1, 2, 3], 1_000_001)
    expect(scaled.reduce((a, b) => a + b, 0)).toBe(1_000_001)
  })
})

describe('the items shown', () => {
  const items = [
    item('BL-003', { score: 40, category: '供水', street_code: 'S2', street_name: '龙渊街道', community_code: 'C9', community_name: '宫头社区' }),
    item('BL-001', { score: 40 }),
    item('BL-002', { score: 55.5, status: 'done' }),
    item('BL-004', { score: 10, status: 'approved', cost_yuan: 500_000 }),
  ]
  it('sorts by score, ties by code as the plan breaks them', () => {
    expect(sortByScore(items).map((i) => i.code)).toEqual(['BL-002', 'BL-001', 'BL-003', 'BL-004'])
  })
  it('filters by category, status, street and community; empty lists mean all', () => {
    expect(filterItems(items, { categories: [], statuses: [], street: null, community: null })).toHaveLength(4)
    expect(filterItems(items, { categories: ['供水'], statuses: [], street: null, community: null }).map((i) => i.code)).toEqual(['BL-003'])
    expect(filterItems(items, { categories: [], statuses: ['proposed', 'approved'], street: 'S1', community: null }).map((i) => i.code)).toEqual(['BL-001', 'BL-004'])
    expect(filterItems(items, { categories: [], statuses: [], street: null, community: 'C9' }).map((i) => i.code)).toEqual(['BL-003'])
  })
  it('totals only what the plan weighs: proposed and approved items', () => {
    expect(candidatesTotal(items)).toBe(2_500_000)
  })
  it('lists the street offices and communities once each', () => {
    const places = placesOf(items)
    expect(places.streets.map((s) => s.code).sort()).toEqual(['S1', 'S2'])
    expect(places.communities.map((c) => c.code).sort()).toEqual(['C1', 'C9'])
  })
  it('checks that the parts add up to the score, to the cent', () => {
    expect(partsAddUp(item('BL-001'))).toBe(true)
    expect(partsAddUp(item('BL-001', { score: 30.01 }))).toBe(false)
  })
  it('offers only the steps the database allows', () => {
    expect(nextStatuses('proposed')).toEqual(['approved', 'rejected'])
    expect(nextStatuses('in_progress')).toEqual(['done'])
    expect(nextStatuses('done')).toEqual([])
  })
})

describe('the budget curve', () => {
  const points = Array.from({ length: 100 }, (_, k) => {
    const budget = (66_880_000 * k) / 99
    return { budget_yuan: budget, total_score: Math.sqrt(k) * 10, total_cost_yuan: budget, greedy_score: Math.sqrt(k) * 9, greedy_per_yuan_score: Math.sqrt(k) * 9.5 }
  })
  it('draws each line with one vertex per point, inside the box, ¥0 at the left and the highest score at the top', () => {
    const shape = curveShape(points, 300, 100, { left: 0, right: 0, top: 0, bottom: 0 })
    expect(shape.optimal.match(/[ML]/g)).toHaveLength(100)
    expect(shape.optimal.startsWith('M0.0,100.0')).toBe(true)
    expect(shape.optimal.endsWith('L300.0,0.0')).toBe(true)
    expect(shape.x(66_880_000 / 2)).toBeCloseTo(150)
    expect(shape.x(1e12)).toBe(300)
    for (const path of [shape.greedy, shape.perYuan])
      for (const [, x, y] of path.matchAll(/[ML]([\d.]+),([\d.]+)/g)) {
        expect(Number(x)).toBeGreaterThanOrEqual(0)
        expect(Number(x)).toBeLessThanOrEqual(300)
        expect(Number(y)).toBeGreaterThanOrEqual(0)
        expect(Number(y)).toBeLessThanOrEqual(100)
      }
  })
})
