import { describe, expect, it } from 'vitest'
import { firstDirection, sortUnits, sortValue } from './table.ts'
import type { IndicatorKey, IndicatorValue, UnitIndicators } from './types.ts'

function unit(code: string, name: string, street: string, values: Partial<Record<IndicatorKey, number | null>>): UnitIndicators {
  const indicators = Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, { value: value ?? null, light: value === null ? 'none' : 'green', parts: {} } satisfies IndicatorValue]),
  ) as Record<IndicatorKey, IndicatorValue>
  return { level: 'community', code, name, street_code: street, households: null, residents: null, registered: null, indicators }
}

const streets = new Map([
  ['S1', '剑池街道'],
  ['S2', '西街街道'],
])
const units = [
  unit('C3', '华楼社区', 'S2', { workers_per_10k: 12.5, zones_open: 0 }),
  unit('C1', '西街社区', 'S1', { workers_per_10k: null, zones_open: 2 }),
  unit('C4', '宫头社区', 'S1', { workers_per_10k: 20, zones_open: 1 }),
  unit('C2', '贤良社区', 'S2', { workers_per_10k: 12.5 }),
]
const codes = (list: UnitIndicators[]) => list.map((u) => u.code)

describe('the community table’s order', () => {
  it('is the code order without a sort', () => {
    expect(codes(sortUnits(units, null, streets))).toEqual(['C1', 'C2', 'C3', 'C4'])
  })

  it('sorts by an indicator either way, ties by code, no data last both ways', () => {
    expect(codes(sortUnits(units, { column: 'workers_per_10k', direction: 'asc' }, streets))).toEqual(['C2', 'C3', 'C4', 'C1'])
    expect(codes(sortUnits(units, { column: 'workers_per_10k', direction: 'desc' }, streets))).toEqual(['C4', 'C2', 'C3', 'C1'])
    // a missing indicator counts as no data
    expect(codes(sortUnits(units, { column: 'zones_open', direction: 'desc' }, streets))).toEqual(['C1', 'C4', 'C3', 'C2'])
  })

  it('sorts names and street offices the Chinese way, by the street’s name not its code', () => {
    const byName = codes(sortUnits(units, { column: 'name', direction: 'asc' }, streets))
    const expected = [...units].sort((a, b) => new Intl.Collator('zh-CN').compare(a.name, b.name)).map((u) => u.code)
    expect(byName).toEqual(expected)
    expect(codes(sortUnits(units, { column: 'name', direction: 'desc' }, streets))).toEqual([...expected].reverse())
    const renamed = new Map([
      ['S1', '乙'],
      ['S2', '甲'],
    ])
    expect(sortValue(units[0], 'street', renamed)).toBe('甲')
    const byStreet = codes(sortUnits(units, { column: 'street', direction: 'asc' }, new Map([['S1', 'B'], ['S2', 'A']])))
    expect(byStreet).toEqual(['C2', 'C3', 'C1', 'C4'])
  })

  it('puts the worst first on a first click: lowest for a floor, highest for a ceiling', () => {
    expect(firstDirection('workers_per_10k', 'min')).toBe('asc')
    expect(firstDirection('zones_open', 'max')).toBe('desc')
    expect(firstDirection('name', undefined)).toBe('asc')
  })
})
