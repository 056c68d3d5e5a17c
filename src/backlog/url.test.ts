import { describe, expect, it } from 'vitest'
import { backlogUrl, constraintCount, planConstraints } from './url.ts'
import { defaultBacklogUrl, type BacklogUrl } from './useBacklog.ts'

const asParams = (state: BacklogUrl) => Object.fromEntries(Object.entries(backlogUrl.format(state)).filter(([, v]) => v !== null)) as Record<string, string>

describe('the backlog in the URL', () => {
  it('leaves the defaults out, and reads them back when absent', () => {
    expect(Object.values(backlogUrl.format(defaultBacklogUrl)).every((v) => v === null)).toBe(true)
    expect(backlogUrl.parse({})).toEqual(defaultBacklogUrl)
  })

  it('writes budgets in millions of yuan, exact to the yuan, one per year', () => {
    const state = { ...defaultBacklogUrl, budgets: [8_000_000, 6_666_667, 5_333_333] }
    expect(backlogUrl.format(state).budget).toBe('8,6.666667,5.333333')
    expect(backlogUrl.parse(asParams(state)).budgets).toEqual(state.budgets)
    expect(backlogUrl.format({ ...defaultBacklogUrl, budgets: [20_000_000] }).budget).toBe('20')
  })

  it('round-trips the selection, the filters and every kind of constraint', () => {
    const state: BacklogUrl = {
      budgets: [25_500_000],
      item: 'BL-017',
      categories: ['硬化', '供水'],
      statuses: ['proposed'],
      street: '331181001',
      community: '331181001005',
      must: ['BL-001', 'BL-002'],
      exclude: ['BL-003'],
      shares: [
        { category: '硬化', min: 0.1, max: 0.5 },
        { category: '供水', min: 0.05 },
        { category: '排污', max: 0.3 },
      ],
      floors: [{ street_code: '331181003', min_yuan: 5_000_000 }],
      exclusive: [
        ['BL-001', 'BL-004'],
        ['BL-007', 'BL-009', 'BL-011'],
      ],
      keepApproved: false,
    }
    const params = asParams(state)
    expect(params['bl-share']).toBe('硬化:10-50,供水:5-,排污:-30')
    expect(params['bl-xor']).toBe('BL-001/BL-004,BL-007/BL-009/BL-011')
    expect(params['bl-keep']).toBe('0')
    expect(backlogUrl.parse(params)).toEqual(state)
    expect(constraintCount(state)).toBe(2 + 1 + 3 + 1 + 2 + 1)
    expect(planConstraints(state)).toEqual({
      must: state.must,
      exclude: state.exclude,
      categoryShare: state.shares,
      streetFloor: state.floors,
      exclusive: state.exclusive,
      keepApproved: false,
    })
  })

  it('drops what it cannot read rather than guess', () => {
    const parsed = backlogUrl.parse({
      budget: '20,-1',
      item: 'BL 001;',
      'bl-cat': '硬化,道路,供水,硬化',
      'bl-status': 'planned,done',
      'bl-share': '道路:10-20,硬化:abc-,供水:10-200',
      'bl-floor': '331181003:x,:5',
      'bl-xor': 'BL-001,BL-002/BL-002',
      'bl-keep': '1',
    })
    expect(parsed.budgets).toBeNull()
    expect(parsed.item).toBeNull()
    expect(parsed.categories).toEqual(['硬化', '供水'])
    expect(parsed.statuses).toEqual(['done'])
    expect(parsed.shares).toEqual([])
    expect(parsed.floors).toEqual([])
    expect(parsed.exclusive).toEqual([])
    expect(parsed.keepApproved).toBe(true)
    // six years are more than the plan takes
    expect(backlogUrl.parse({ budget: '1,1,1,1,1,1' }).budgets).toBeNull()
  })
})
