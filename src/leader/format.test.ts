import { describe, expect, it } from 'vitest'
import { fileDate, formatValue } from './format.ts'

describe('figures in words', () => {
  it('gives a value with its unit, one decimal at most, in either language', () => {
    expect(formatValue('zh', 92.34, '%')).toBe('92.3%')
    expect(formatValue('zh', 17.64, '人/万人')).toBe('17.6 人/万人')
    expect(formatValue('en', 17.64, '人/万人')).toBe('17.6 per 10,000')
    expect(formatValue('zh', 8, '个')).toBe('8 个')
    expect(formatValue('en', 8, '个')).toBe('8')
    expect(formatValue('en', 8277, 'm²')).toBe('8,277 m²')
    expect(formatValue('en', 15.6, 'm²/百户')).toBe('15.6 m² per 100 hh')
  })
  it('gives a dash for no data', () => {
    expect(formatValue('zh', null, '%')).toBe('—')
    expect(formatValue('en', undefined, 'm²')).toBe('—')
  })
  it('dates the saved files in local time', () => {
    expect(fileDate(new Date(2026, 10, 7, 23, 59))).toBe('2026-11-07')
  })
})
