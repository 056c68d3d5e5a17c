// Figures in words with their units, in the language of the page.
import { formatNumber, translateValue, type Lang, type Translate } from '../i18n/index.tsx'

const unitOf: Record<string, 'households' | 'people' | 'm2' | 'm' | 'yuan' | 'year'> = {
  households: 'households',
  households_served: 'households',
  micro_grid_households: 'households',
  registered_population: 'people',
  resident_population: 'people',
  full_time_workers: 'people',
  residents: 'people',
  service_area_m2: 'm2',
  floor_area_m2: 'm2',
  length_m: 'm',
  cost_yuan: 'yuan',
  converted_year: 'year',
}

const enumPrefix: Record<string, string> = {
  community_type: 'communityType',
  type: 'facility',
  facility_type: 'facility',
  status: 'backlogStatus',
  band: 'band',
  highway: 'highway',
}

export function formatValue(t: Translate, lang: Lang, key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('inspector.empty')
  if (typeof value === 'boolean') return t(value ? 'inspector.yes' : 'inspector.no')
  if (typeof value === 'number') {
    const unit = unitOf[key]
    if (unit === 'year') return String(value)
    if (unit) return t(`unit.${unit}` as never, { n: formatNumber(lang, value, unit === 'm' ? 1 : 0) })
    return formatNumber(lang, value, 2)
  }
  const text = String(value)
  const prefix = enumPrefix[key]
  return prefix ? translateValue(t, prefix, text) : text
}

export function formatArea(t: Translate, lang: Lang, m2: number): string {
  return m2 >= 1e6 ? t('unit.km2', { n: formatNumber(lang, m2 / 1e6, 2) }) : t('unit.m2', { n: formatNumber(lang, m2) })
}

export function formatLength(t: Translate, lang: Lang, m: number): string {
  return m >= 1000 ? t('unit.km', { n: formatNumber(lang, m / 1000, 2) }) : t('unit.m', { n: formatNumber(lang, m, 1) })
}

/** A unit's or a facility's tooltip: its name, what it is, its households. */
export function pickTooltip(t: Translate, layer: string, props: Record<string, unknown>): string {
  const name = (props.name as string) || String(props.code)
  const households = typeof props.households === 'number' ? ` · ${t('tooltip.households', { n: props.households })}` : ''
  const kind = layer === 'facility' ? t(`facility.${props.type}` as never) : t(`layer.${layer}` as never)
  return `${name}\n${kind}${households}`
}
