import { describe, expect, it } from 'vitest'
import { beijingTime, fileDate, formatArea, formatLength, formatNumber, formatPercent, formatYuan, moneyScale, unitIn } from './core.ts'

describe('money, one rule everywhere', () => {
  it('counts 万元 in Chinese: whole yuan below 10,000, 万元 with two decimals at most from there', () => {
    expect(formatYuan('zh', 12_345)).toBe('1.23 万元')
    expect(formatYuan('zh', 20_000_000)).toBe('2,000 万元')
    expect(formatYuan('zh', 2_199_000)).toBe('219.9 万元')
    expect(formatYuan('zh', 66_880_000)).toBe('6,688 万元')
    expect(formatYuan('zh', 1_234_567)).toBe('123.46 万元')
    expect(formatYuan('zh', 5_000)).toBe('5,000 元')
    expect(formatYuan('zh', 0)).toBe('0 元')
  })
  it('counts millions in English: whole yuan below a million, ¥ M with two decimals at most from there', () => {
    expect(formatYuan('en', 12_345)).toBe('¥12,345')
    expect(formatYuan('en', 45_500)).toBe('¥45,500')
    expect(formatYuan('en', 1_234_567)).toBe('¥1.23 M')
    expect(formatYuan('en', 20_000_000)).toBe('¥20 M')
    expect(formatYuan('en', 66_880_000)).toBe('¥66.88 M')
  })
  it('rounds to the yuan before it picks the unit, and signs a negative sum', () => {
    expect(formatYuan('zh', 9_999.6)).toBe('1 万元')
    expect(formatYuan('en', 999_999.5)).toBe('¥1 M')
    expect(formatYuan('en', -2_000_000)).toBe('−¥2 M')
    expect(formatYuan('zh', -5_000)).toBe('−5,000 元')
    expect(formatYuan('zh', -0.2)).toBe('0 元')
  })
  it('takes budget fields in the same large unit', () => {
    expect(moneyScale).toEqual({ zh: 10_000, en: 1_000_000 })
  })
})

describe('numbers, areas, lengths, shares', () => {
  it('groups digits and keeps at most the decimals asked for', () => {
    expect(formatNumber('zh', 12_345.678, 1)).toBe('12,345.7')
    expect(formatNumber('en', 12_345.678)).toBe('12,346')
    expect(formatNumber('en', 1.5, 2, 2)).toBe('1.50')
  })
  it('writes an area in m², hectares or km² by its size', () => {
    expect(formatArea('zh', 9_999.4)).toBe('9,999 m²')
    expect(formatArea('en', 49.6)).toBe('50 m²')
    expect(formatArea('en', 9_999.6)).toBe('1 ha')
    expect(formatArea('zh', 166_917.2)).toBe('16.7 公顷')
    expect(formatArea('en', 166_917.2)).toBe('16.7 ha')
    expect(formatArea('zh', 2_345_678)).toBe('2.35 km²')
  })
  it('writes a length in metres or kilometres', () => {
    expect(formatLength('zh', 12.34)).toBe('12.3 m')
    expect(formatLength('en', 1_234)).toBe('1.23 km')
  })
  it('keeps a share’s decimal even when it is zero, unless told not to', () => {
    expect(formatPercent('zh', 5)).toBe('5.0%')
    expect(formatPercent('en', 92.345)).toBe('92.3%')
    expect(formatPercent('en', 30, 2, 0)).toBe('30%')
    expect(formatPercent('en', 12.5, 2, 0)).toBe('12.5%')
  })
  it('says the database’s units in the reader’s language, and an unknown one as it is', () => {
    expect(unitIn('en', '人/万人')).toBe('per 10,000 residents')
    expect(unitIn('zh', '人/万人')).toBe('人/万人')
    expect(unitIn('en', '个')).toBe('')
    expect(unitIn('en', 'furlongs')).toBe('furlongs')
  })
})

describe('moments', () => {
  it('dates the saved files in local time', () => {
    expect(fileDate(new Date(2026, 10, 7, 23, 59))).toBe('2026-11-07')
  })
  it('writes a document’s moments in Beijing time, whatever the machine’s clock', () => {
    expect(beijingTime('2026-11-24T09:56:30Z')).toBe('2026-11-24 17:56')
    expect(beijingTime('not a date')).toBe('not a date')
  })
})
