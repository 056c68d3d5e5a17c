import { describe, expect, it } from 'vitest'
import { defaultLeaderUrl, isIndicatorKey, leaderUrl, nextSort, type LeaderUrl } from './url.ts'

const asParams = (state: LeaderUrl) => Object.fromEntries(Object.entries(leaderUrl.format(state)).filter(([, v]) => v !== null)) as Record<string, string>

describe('the leader’s view in the URL', () => {
  it('leaves the defaults out, and reads them back when absent', () => {
    expect(leaderUrl.format(defaultLeaderUrl)).toEqual({ ind: null, sort: null })
    expect(leaderUrl.parse({})).toEqual(defaultLeaderUrl)
  })

  it('round-trips an indicator, a facility type’s coverage and a sort', () => {
    const state: LeaderUrl = { indicator: 'workers_per_10k', sort: { column: 'service_area', direction: 'desc' } }
    expect(asParams(state)).toEqual({ ind: 'workers_per_10k', sort: 'service_area:desc' })
    expect(leaderUrl.parse(asParams(state))).toEqual(state)
    const perType: LeaderUrl = { indicator: 'coverage_residents.elderly_care', sort: { column: 'name', direction: 'asc' } }
    expect(leaderUrl.parse(asParams(perType))).toEqual(perType)
  })

  it('drops what has not the shape of an indicator or a sort', () => {
    for (const ind of ['workers', 'coverage_households.', 'coverage_households.Canteen', 'coverage_total.canteen', 'zones_open;drop', ''])
      expect(leaderUrl.parse({ ind }).indicator, ind).toBe('coverage_households')
    for (const sort of ['name', 'name:up', 'households:asc', 'workers_per_10k:DESC', ':asc', 'coverage_households.canteen:asc'])
      expect(leaderUrl.parse({ sort }).sort, sort).toBeNull()
    expect(isIndicatorKey('household_separation')).toBe(true)
    expect(isIndicatorKey('coverage_households.health_station')).toBe(true)
  })

  it('sorts by a new column in its first order, and reverses on a second click', () => {
    const first = nextSort(null, 'workers_per_10k', 'asc')
    expect(first).toEqual({ column: 'workers_per_10k', direction: 'asc' })
    expect(nextSort(first, 'workers_per_10k', 'asc')).toEqual({ column: 'workers_per_10k', direction: 'desc' })
    expect(nextSort(nextSort(first, 'workers_per_10k', 'asc'), 'workers_per_10k', 'asc')).toEqual(first)
    expect(nextSort(first, 'zones_open', 'desc')).toEqual({ column: 'zones_open', direction: 'desc' })
  })
})
