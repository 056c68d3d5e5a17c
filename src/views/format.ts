// Figures in words with their units, in the language of the page.
import { formatFloorArea, formatLength, formatNumber, formatYuan, type Lang } from '../i18n/core.ts'
import { translateValue, type Translate } from '../i18n/index.ts'

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

/** An attribute's enumerated value in words, where the dictionary has words for it. */
function enumerated(t: Translate, key: string, text: string): string {
  switch (key) {
    case 'community_type':
      return translateValue(t, 'communityType', text)
    case 'type':
    case 'facility_type':
      return translateValue(t, 'facility', text)
    case 'status':
      return translateValue(t, 'backlogStatus', text)
    case 'band':
      return translateValue(t, 'band', text)
    case 'highway':
      return translateValue(t, 'highway', text)
    // a management area's kind (street_office…); a street's kind (街道, 镇, 乡) is already words
    case 'kind':
      return translateValue(t, 'managementKind', text)
    default:
      return text
  }
}

export function formatValue(t: Translate, lang: Lang, key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('inspector.empty')
  if (typeof value === 'boolean') return t(value ? 'inspector.yes' : 'inspector.no')
  if (typeof value === 'number') {
    switch (unitOf[key]) {
      case 'year':
        return String(value)
      case 'households':
        return t('unit.households', { n: formatNumber(lang, value) })
      case 'people':
        return t('unit.people', { n: formatNumber(lang, value) })
      case 'm2':
        return formatFloorArea(lang, value)
      case 'm':
        return formatLength(lang, value)
      case 'yuan':
        return formatYuan(lang, value)
      default:
        return formatNumber(lang, value, 2)
    }
  }
  if (Array.isArray(value)) return value.join(', ')
  return typeof value === 'string' ? enumerated(t, key, value) : JSON.stringify(value)
}

/** A unit's or a facility's tooltip: its name, what it is, its households. */
export function pickTooltip(t: Translate, layer: string, props: Record<string, unknown>): string {
  const name = typeof props.name === 'string' && props.name ? props.name : String(props.code)
  const households = typeof props.households === 'number' ? ` · ${t('tooltip.households', { n: props.households })}` : ''
  const kind = layer === 'facility' ? translateValue(t, 'facility', String(props.type)) : translateValue(t, 'layer', layer)
  return `${name}\n${kind}${households}`
}
