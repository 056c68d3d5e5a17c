// The leader's view in the URL's hash, each key left out while it holds the default, so a link
// reopens the same map and table:
//   ind=workers_per_10k                 the indicator the communities are coloured by
//   ind=coverage_households.canteen     …or one facility type's coverage
//   sort=workers_per_10k:desc           the table's order (name, street or a base indicator)
// Whatever does not have these shapes is dropped, never guessed.
import type { BaseIndicatorKey, IndicatorKey } from './types.ts'

export const baseIndicatorKeys: readonly BaseIndicatorKey[] = [
  'coverage_households',
  'coverage_residents',
  'grids_outside_band',
  'workers_per_10k',
  'service_area_per_100_households',
  'service_area',
  'zones_open',
  'backlog_funded',
  'household_separation',
]

export const defaultIndicator: IndicatorKey = 'coverage_households'

/** What the table can be sorted by. */
export type SortColumn = 'name' | 'street' | BaseIndicatorKey
export type SortDirection = 'asc' | 'desc'
export interface Sort {
  column: SortColumn
  direction: SortDirection
}

export interface LeaderUrl {
  indicator: IndicatorKey
  /** Null: the communities in code order, as the database gives them. */
  sort: Sort | null
}

export const defaultLeaderUrl: LeaderUrl = { indicator: defaultIndicator, sort: null }

const isBase = (value: string): value is BaseIndicatorKey => (baseIndicatorKeys as readonly string[]).includes(value)
const perType = /^coverage_(households|residents)\.[a-z][a-z0-9_]{0,39}$/

export function isIndicatorKey(value: string): value is IndicatorKey {
  return isBase(value) || perType.test(value)
}

export function isSortColumn(value: string): value is SortColumn {
  return value === 'name' || value === 'street' || isBase(value)
}

export function parseSort(value: string | undefined): Sort | null {
  const m = value ? /^([a-z0-9_]+):(asc|desc)$/.exec(value) : null
  return m && isSortColumn(m[1]) ? { column: m[1], direction: m[2] as SortDirection } : null
}

export function parseLeaderUrl(values: Readonly<Record<string, string | undefined>>): LeaderUrl {
  const ind = values.ind
  return { indicator: ind && isIndicatorKey(ind) ? ind : defaultIndicator, sort: parseSort(values.sort) }
}

export function formatLeaderUrl(state: LeaderUrl): Record<'ind' | 'sort', string | null> {
  return {
    ind: state.indicator === defaultIndicator ? null : state.indicator,
    sort: state.sort ? `${state.sort.column}:${state.sort.direction}` : null,
  }
}

export const leaderUrl = { keys: ['ind', 'sort'] as const, parse: parseLeaderUrl, format: formatLeaderUrl }

/**
 * A click on a column's header: sorted by it, in the order that shows the first thing a reader
 * looks for (names A–Z; for an indicator the worst first); a second click reverses it.
 */
export function nextSort(current: Sort | null, column: SortColumn, firstDirection: SortDirection): Sort {
  if (current?.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' }
  return { column, direction: firstDirection }
}
