// The city's standards (atlas.standard, …_standards.sql): what the page, the reports and the
// command line read of them instead of any one city's numbers and documents.

/** ≥ (at_least: value_min), ≤ (at_most: value_max), a band (between), a setting the atlas measures by (equals), a size given as about. */
export type Comparison = 'at_least' | 'at_most' | 'between' | 'equals' | 'about'
export const comparisons: readonly Comparison[] = ['at_least', 'at_most', 'between', 'equals', 'about']

/** The units a standard may be stated in: atlas.standard_units(), which tests/cli/standards.test.ts holds this to. */
export const standardUnits: readonly string[] = ['分钟', 'm/min', 'm', 'km', 'm²', 'km²', '户', '人', '套', '人/万人', 'm²/百户', '%']

/** What of the atlas reads a standard. */
export type StandardUse = 'circles' | 'grids' | 'indicators' | 'inspector'
export const standardUses: readonly StandardUse[] = ['circles', 'grids', 'indicators', 'inspector']

/** The headings the standards are listed under (atlas.standard's group). */
export type StandardGroup = 'walk' | 'grids' | 'workers' | 'service_area' | 'life_circle' | 'rural' | 'estates' | 'other'
export const standardGroups: readonly StandardGroup[] = ['walk', 'grids', 'workers', 'service_area', 'life_circle', 'rural', 'estates', 'other']

/** What a change of a standard is about (atlas.standard_fields): its value and its source. */
export interface StandardFields {
  comparison: Comparison
  value_min: number | null
  value_max: number | null
  unit: string
  source_code: string | null
  source_title: string | null
  source_issuer: string | null
  source_year: number | null
  source_clause: string | null
  /** No document backs it: the city set it itself (本市设定). */
  city_rule: boolean
  applied: boolean
  /** The value as a reader says it: '≥ 18 人/万人', '500–800 户', '约 800–1,000 m'. */
  text_zh: string
  /** The source as a reader says it: 'GB 50180-2018《城市居住区规划设计标准》（住房和城乡建设部，2018）：…' or 本市设定. */
  citation_zh: string
}

/** One standard as public.standards() and public.set_standard() answer. */
export interface Standard extends StandardFields {
  key: string
  group: StandardGroup
  label_zh: string
  label_en: string
  text_en: string
  citation_en: string
  used_by: StandardUse[]
  updated_by: string | null
  updated_at: string | null
  /** How many changes its history holds. */
  changes: number
}

/** One change of a standard, as public.standard_history() answers. */
export interface StandardChange {
  id: number
  key: string
  changed_by: string
  changed_at: string
  reason: string | null
  before: StandardFields
  after: StandardFields
}

/** The walk the service circles are measured by unless a user chooses another: the standards' minutes and speed. */
export function walkOf(standards: readonly Standard[], fallback: { minutes: number; speed: number }): { minutes: number; speed: number } {
  const value = (key: string) => standards.find((s) => s.key === key)?.value_min
  return { minutes: value('service_circle_minutes') ?? fallback.minutes, speed: value('walking_speed_m_per_min') ?? fallback.speed }
}

/** The grids' households band, or null while the city does not apply one. */
export function gridBandOf(standards: readonly Standard[]): { min: number; max: number } | null {
  const s = standards.find((x) => x.key === 'grid_households')
  return s && s.applied && s.value_min !== null && s.value_max !== null ? { min: s.value_min, max: s.value_max } : null
}
