// The choropleth's classes on hand-made values: the standard is a break, the classes take every
// value, the colours diverge at the standard, nulls are grey, both directions, the odd cases.
import { describe, expect, test } from 'vitest'
import { choropleth, lightColors, lightLabel, niceStep, type Choropleth } from '../../src/leader/choropleth.ts'
import type { IndicatorInfo } from '../../src/leader/types.ts'

function info(over: Partial<IndicatorInfo>): IndicatorInfo {
  return {
    key: 'workers_per_10k',
    group: 'workers',
    label_zh: '每万人专职社区工作者',
    label_en: 'Community workers per 10,000 residents',
    unit: '人/万人',
    direction: 'min',
    green: 18,
    amber: 15,
    standard_zh: '≥ 18 人/万人',
    standard_en: '≥ 18 per 10,000',
    source: '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》',
    standard_keys: [],
    applied: true,
    needs_zh: null,
    needs_en: null,
    rule_zh: '',
    rule_en: '',
    ...over,
  }
}

const greens = new Set(['#74c476', '#a8dca0', '#2f8f4a', '#c2e6b8', '#6bbd72', '#1e7336'])
const isGreen = (color: string) => greens.has(color)

/** The class a value falls in, by the classes' own bounds (not by colorOf). */
function classIndex(map: Choropleth, value: number, upperInclusive: boolean): number {
  return map.classes.findIndex((c) => {
    const aboveFrom = c.from === null || (upperInclusive ? value > c.from : value >= c.from)
    const belowTo = c.to === null || (upperInclusive ? value <= c.to : value < c.to)
    return aboveFrom && belowTo
  })
}

function lightness(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16)
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

describe('a floor (higher is better): workers per 10,000 against 18', () => {
  const values = [4.2, 7.9, 9.5, 11, 12.4, 14.8, 16, 17.9, 18, 19.5, 22, 25, 31.7, 40, null, null]
  const map = choropleth(info({}), values, 'zh')

  test('the standard is a break, marked in words', () => {
    expect(map.classes.some((c) => c.from === 18)).toBe(true)
    expect(map.standard).toEqual({ value: 18, label: '≥ 18 人/万人' })
  })

  test('the classes are contiguous, open at both ends, and each holds a value', () => {
    expect(map.classes[0].from).toBeNull()
    expect(map.classes.at(-1)!.to).toBeNull()
    for (let i = 1; i < map.classes.length; i++) expect(map.classes[i].from).toBe(map.classes[i - 1].to)
    const counts = map.classes.map(() => 0)
    for (const v of values) if (v !== null) counts[classIndex(map, v, false)]++
    expect(counts.every((n) => n > 0)).toBe(true)
    expect(map.classes.length).toBeGreaterThanOrEqual(4)
    expect(map.classes.length).toBeLessThanOrEqual(6)
  })

  test('colorOf agrees with the classes; values at and above 18 are green, below are not', () => {
    for (const v of values) {
      if (v === null) continue
      expect(map.colorOf(v)).toBe(map.classes[classIndex(map, v, false)].color)
      expect(isGreen(map.colorOf(v))).toBe(v >= 18)
    }
  })

  test('the catalogue amber threshold is a break on the missing side', () => {
    expect(map.classes.some((c) => c.to === 15)).toBe(true)
  })

  test('darker the further from the standard, on both sides', () => {
    const below = map.classes.filter((c) => c.to !== null && c.to <= 18).map((c) => lightness(c.color))
    const above = map.classes.filter((c) => c.from !== null && c.from >= 18).map((c) => lightness(c.color))
    // below: low to high gets lighter towards 18; above: darker away from it
    expect([...below].sort((a, b) => a - b)).toEqual(below)
    expect([...above].sort((a, b) => b - a)).toEqual(above)
  })

  test('breaks are readable numbers', () => {
    for (const c of map.classes) if (c.from !== null) expect(Number.isInteger(c.from * 2) || Number.isInteger(c.from)).toBe(true)
    expect(map.classes.map((c) => c.label)).toEqual(['< 10', '10–15', '15–18', '18–20', '20–25', '≥ 25'])
  })

  test('no data is grey, and not a class colour', () => {
    expect(map.colorOf(null)).toBe(map.noData)
    expect(map.colorOf(Number.NaN)).toBe(map.noData)
    expect(map.classes.map((c) => c.color)).not.toContain(map.noData)
  })
})

describe('a ceiling (lower is better): open 三不管 zones against 0', () => {
  const zones = info({ key: 'zones_open', direction: 'max', green: 0, amber: null, unit: '处', standard_zh: '0 处', standard_en: 'none' })
  const values = [0, 0, 0, 1, 1, 2, 3, 5, 8]
  const map = choropleth(zones, values, 'en')

  test('the standard is a break; the value at it meets it, above it misses', () => {
    expect(map.classes[0]).toMatchObject({ from: null, to: 0, label: '≤ 0' })
    expect(isGreen(map.colorOf(0))).toBe(true)
    for (const v of [1, 2, 3, 5, 8]) expect(isGreen(map.colorOf(v))).toBe(false)
  })

  test('each class holds a value; the missing side runs darker upwards', () => {
    const counts = map.classes.map(() => 0)
    for (const v of values) counts[classIndex(map, v, true)]++
    expect(counts.every((n) => n > 0)).toBe(true)
    const missing = map.classes.slice(1).map((c) => lightness(c.color))
    expect(missing.length).toBeGreaterThan(1)
    expect([...missing].sort((a, b) => b - a)).toEqual(missing)
  })
})

describe('the odd cases', () => {
  test('all values equal: one class a side, the standard the break', () => {
    const map = choropleth(info({}), [20, 20, 20], 'zh')
    expect(map.classes).toHaveLength(2)
    expect(map.classes[1].from).toBe(18)
    expect(isGreen(map.colorOf(20))).toBe(true)
    expect(isGreen(map.colorOf(10))).toBe(false)
  })

  test('all null: two classes at the standard, every value grey', () => {
    const map = choropleth(info({}), [null, null], 'en')
    expect(map.classes.map((c) => c.label)).toEqual(['< 18', '≥ 18'])
    expect(map.colorOf(null)).toBe(map.noData)
  })

  test('no standard: a single-hue ramp over the values, each class used', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    const map = choropleth(info({ green: null, amber: null }), values, 'en')
    expect(map.standard).toBeNull()
    const counts = map.classes.map(() => 0)
    for (const v of values) counts[classIndex(map, v, false)]++
    expect(counts.every((n) => n > 0)).toBe(true)
    const l = map.classes.map((c) => lightness(c.color))
    expect([...l].sort((a, b) => b - a)).toEqual(l)
  })

  test('percentages: breaks rounded to readable steps', () => {
    const values = [23.4, 38.1, 51.7, 64.2, 71.9, 77.3, 83.8, 88.8, 91.2, 96.4]
    const map = choropleth(info({ key: 'coverage_households', unit: '%', green: 90, amber: 80 }), values, 'zh')
    const breaks = map.classes.map((c) => c.from).filter((b): b is number => b !== null)
    expect(breaks).toContain(90)
    expect(breaks).toContain(80)
    // the data spread 23–96: steps of 5 (or finer only where 5 would leave the side)
    expect(map.classes.map((c) => c.label)).toEqual(['< 60', '60–80', '80–90', '90–95', '≥ 95'])
  })

  test('many equal values (half the communities at 0 %) do not swallow the classes', () => {
    const values = [...Array<number>(14).fill(0), 1.2, 1.3, 1.8, 2.2, 3.4, 5.5, 6.2, 7.7, 15.2, 24.6, 24.8, 32.6]
    const map = choropleth(info({ key: 'coverage_households', unit: '%', green: 95, amber: 80 }), values, 'zh')
    const counts = map.classes.map(() => 0)
    for (const v of values) counts[classIndex(map, v, false)]++
    // three classes below the standard, all used; the one above it empty: nothing meets it
    expect(counts).toEqual([expect.any(Number), expect.any(Number), expect.any(Number), 0])
    expect(counts.slice(0, 3).every((n) => n > 0)).toBe(true)
  })

  test('niceStep', () => {
    expect([0.07, 0.3, 1, 1.5, 4, 7, 23].map(niceStep)).toEqual([0.1, 0.5, 1, 2, 5, 10, 50])
  })
})

describe('the lights', () => {
  test('words in both languages', () => {
    expect(['green', 'amber', 'red', 'none'].map((l) => lightLabel(l as 'green', 'zh'))).toEqual(['达标', '接近', '未达标', '缺少数据'])
    expect(lightLabel('red', 'en')).toBe('missed')
  })

  test('green and red differ in lightness, not by hue alone', () => {
    expect(Math.abs(lightness(lightColors.green) - lightness(lightColors.red))).toBeGreaterThan(40)
    expect(lightness(lightColors.amber)).toBeGreaterThan(lightness(lightColors.green))
  })
})

describe('an indicator judged by its size (人户分离, signed)', () => {
  const separation = info({ key: 'household_separation', direction: 'max', green: 20, amber: 50, unit: '%' })
  const values = [-60, -24.3, -22.4, -4.8, 0.6, 2.5, 14.4, 18.9, 29.6, 55]
  const map = choropleth(separation, values, 'zh')

  test('−22.4 misses the standard as 22.4 does; −4.8 meets it', () => {
    expect(isGreen(map.colorOf(-22.4))).toBe(false)
    expect(map.colorOf(-22.4)).toBe(map.colorOf(22.4))
    expect(isGreen(map.colorOf(-4.8))).toBe(true)
    expect(map.colorOf(-60)).toBe(map.colorOf(60))
  })

  test('the classes say ±', () => {
    expect(map.classes[0].label).toMatch(/^±.* 以内$/)
    expect(map.classes.some((c) => c.to === 20)).toBe(true)
    expect(map.classes.at(-1)!.label).toMatch(/^超出 ±/)
  })
})
