// The communities, one row each: name, street office and every base indicator with its light.
// A click on a header sorts by it (again: the other way), the order kept in the URL; a click on a
// row selects the community; the selected row is highlighted and scrolled into view.
import { useEffect, useMemo, useRef } from 'react'
import { useI18n } from '../i18n/react.tsx'
import { lightColors, lightLabel } from './choropleth.ts'
import { formatValue, labelOf, shortLabel, standardOf } from './report/words.ts'
import { firstDirection, sortUnits } from './table.ts'
import type { BaseIndicatorKey, IndicatorInfo, IndicatorKey, UnitIndicators } from './types.ts'
import { nextSort, type Sort, type SortColumn } from './url.ts'

export interface CommunityTableProps {
  communities: readonly UnitIndicators[]
  columns: readonly IndicatorInfo[]
  streetNames: ReadonlyMap<string, string>
  sort: Sort | null
  onSort: (sort: Sort) => void
  /** The indicator the map is coloured by: its column is marked. */
  indicator: IndicatorKey
  selected: string | null
  onChoose: (code: string) => void
}

export function CommunityTable({ communities, columns, streetNames, sort, onSort, indicator, selected, onChoose }: CommunityTableProps) {
  const { t, lang } = useI18n()
  const rows = useMemo(() => sortUnits(communities, sort, streetNames), [communities, sort, streetNames])
  const body = useRef<HTMLTableSectionElement>(null)

  // the selected row in view (the table's box scrolls, and the side column round it)
  useEffect(() => {
    if (!selected) return
    body.current?.querySelector<HTMLElement>(`tr[data-code="${CSS.escape(selected)}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [selected, rows])

  const header = (column: SortColumn, label: string, title: string, direction?: IndicatorInfo['direction']) => {
    const active = sort?.column === column
    return (
      <th
        key={column}
        scope="col"
        className={[column === 'name' ? 'name' : column === 'street' ? 'street' : 'n', column === indicator ? 'mapped' : ''].join(' ')}
        aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      >
        <button type="button" data-testid="leader-sort" data-column={column} title={title} onClick={() => onSort(nextSort(sort, column, firstDirection(column, direction)))}>
          {label}
          <span className="sort-mark" aria-hidden>
            {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
          </span>
        </button>
      </th>
    )
  }

  return (
    <div className="leader-table-box" data-testid="leader-table">
      <table className="leader-table">
        <thead>
          <tr>
            {header('name', t('leader.col.name'), t('leader.col.name'))}
            {header('street', t('leader.col.street'), t('leader.col.street'))}
            {columns.map((info) =>
              header(info.key as BaseIndicatorKey, shortLabel(info, lang), `${labelOf(info, lang)}\n${t('leader.standard', { standard: standardOf(info, lang) })}`, info.direction),
            )}
          </tr>
        </thead>
        <tbody ref={body}>
          {rows.map((unit) => (
            <tr
              key={unit.code}
              data-testid="leader-row"
              data-code={unit.code}
              aria-selected={unit.code === selected}
              className={unit.code === selected ? 'selected' : undefined}
              tabIndex={0}
              onClick={() => onChoose(unit.code)}
              onKeyDown={(event) => {
                if (event.key !== 'Enter' && event.key !== ' ') return
                event.preventDefault()
                onChoose(unit.code)
              }}
            >
              <th scope="row" className="name" title={unit.community_type ?? undefined}>
                {unit.name}
              </th>
              <td className="street">{unit.street_code ? (streetNames.get(unit.street_code) ?? unit.street_code) : '—'}</td>
              {columns.map((info) => {
                const figure = unit.indicators[info.key]
                const value = figure?.value ?? null
                const light = figure?.light ?? 'none'
                return (
                  <td
                    key={info.key}
                    className={info.key === indicator ? 'n mapped' : 'n'}
                    data-key={info.key}
                    data-value={value ?? ''}
                    data-light={light}
                    title={`${labelOf(info, lang)}: ${formatValue(value, info.unit, lang)} · ${lightLabel(light, lang)}`}
                  >
                    <span className="light-dot" style={{ background: lightColors[light] }} aria-label={lightLabel(light, lang)} />
                    {formatValue(value, info.unit === '%' ? '%' : '', lang)}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
