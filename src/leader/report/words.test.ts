import { describe, expect, it } from 'vitest'
import { formatValue, partOrder, partWord, zoneLevelWord } from './words.ts'

describe('figures in words', () => {
  it('gives a value with its unit, one decimal at most, in either language', () => {
    expect(formatValue(92.34, '%', 'zh')).toBe('92.3%')
    expect(formatValue(17.64, '人/万人', 'zh')).toBe('17.6 人/万人')
    expect(formatValue(17.64, '人/万人', 'en')).toBe('17.6 per 10,000 residents')
    expect(formatValue(8, '个', 'zh')).toBe('8 个')
    expect(formatValue(8, '个', 'en')).toBe('8')
    expect(formatValue(8277, 'm²', 'en')).toBe('8,277 m²')
    expect(formatValue(15.6, 'm²/百户', 'en')).toBe('15.6 m² per 100 households')
  })
  it('gives a dash for no data', () => {
    expect(formatValue(null, '%', 'zh')).toBe('—')
    expect(formatValue(undefined, 'm²', 'en')).toBe('—')
  })
  it('names the parts in reading order, and an unknown part or level by its own name', () => {
    expect(['total', 'resident', 'covered', 'mystery', 'registered'].sort(partOrder)).toEqual(['covered', 'total', 'registered', 'resident', 'mystery'])
    expect(partWord('done_cost', 'zh')).toBe('已完成费用（元）')
    expect(partWord('mystery', 'en')).toBe('mystery')
    expect(zoneLevelWord('grid', 'en')).toBe('between grids')
    expect(zoneLevelWord('parish', 'zh')).toBe('parish')
  })
})
