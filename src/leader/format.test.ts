import { describe, expect, it } from 'vitest'
import { fileDate } from './format.ts'
import { formatValue } from './report/words.ts'

describe('figures in words', () => {
  it('gives a value with its unit, one decimal at most, in either language', () => {
    expect(formatValue(92.34, '%', 'zh')).toBe('92.3%')
    expect(formatValue(17.64, '人/万人', 'zh')).toBe('17.6 人/万人')
    expect(formatValue(17.64, '人/万人', 'en')).toBe('17.6 per 10,000')
    expect(formatValue(8, '个', 'zh')).toBe('8 个')
    expect(formatValue(8, '个', 'en')).toBe('8')
    expect(formatValue(8277, 'm²', 'en')).toBe('8,277 m²')
    expect(formatValue(15.6, 'm²/百户', 'en')).toBe('15.6 m² per 100 hh')
  })
  it('gives a dash for no data', () => {
    expect(formatValue(null, '%', 'zh')).toBe('—')
    expect(formatValue(undefined, 'm²', 'en')).toBe('—')
  })
  it('dates the saved files in local time', () => {
    expect(fileDate(new Date(2026, 10, 7, 23, 59))).toBe('2026-11-07')
  })
})
