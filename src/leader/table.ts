// The community table's rows in order: pure, so the page and the tests sort the same way.
import type { Direction, UnitIndicators } from './types.ts'
import type { Sort, SortColumn, SortDirection } from './url.ts'

/** The value a column sorts by: a name, or an indicator's value (null: no data). */
export function sortValue(unit: UnitIndicators, column: SortColumn, streetNames: ReadonlyMap<string, string>): string | number | null {
  if (column === 'name') return unit.name
  if (column === 'street') return unit.street_code ? (streetNames.get(unit.street_code) ?? unit.street_code) : null
  const value = unit.indicators[column]?.value
  return value === null || value === undefined ? null : Number(value)
}

const collator = new Intl.Collator('zh-CN', { numeric: true })

/**
 * The communities sorted by a column; units without a value go last in either direction (they
 * are neither best nor worst), and equal values keep the code order, so the order never flickers.
 */
export function sortUnits<T extends UnitIndicators>(units: readonly T[], sort: Sort | null, streetNames: ReadonlyMap<string, string>): T[] {
  const byCode = (a: T, b: T) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  if (!sort) return [...units].sort(byCode)
  const sign = sort.direction === 'asc' ? 1 : -1
  const keyed = units.map((unit) => ({ unit, value: sortValue(unit, sort.column, streetNames) }))
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) return a.value === b.value ? byCode(a.unit, b.unit) : a.value === null ? 1 : -1
    const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : collator.compare(String(a.value), String(b.value))
    return order * sign || byCode(a.unit, b.unit)
  })
  return keyed.map((k) => k.unit)
}

/** The first order of a column: names A–Z; an indicator worst first (lowest where the standard is a floor). */
export function firstDirection(column: SortColumn, direction: Direction | undefined): SortDirection {
  if (column === 'name' || column === 'street') return 'asc'
  return direction === 'max' ? 'desc' : 'asc'
}
