// The leader's view: what public.indicators() returns (supabase/migrations/…_leader.sql), the
// contract between the SQL, the dashboard, the choropleth, the CSV and the PDF report.
//
// Every figure is computed in SQL, per community, per street office and for the city, from the
// circles', zones' and backlog's own functions; each indicator carries its traffic light, decided
// in SQL by the rule its catalogue entry states, against a standard named by its real title.

/** green: meets the standard; amber: misses it by a little (the catalogue says how much); red: misses it; none: no light (its data missing, or its standard not applied). */
export type Light = 'green' | 'amber' | 'red' | 'none'
export const lights: readonly Light[] = ['green', 'amber', 'red', 'none']

export type UnitLevel = 'city' | 'street' | 'community'

/**
 * The indicators, by key. Coverage has one pair per facility type as well:
 * `coverage_households.<facility_type>` and `coverage_residents.<facility_type>`.
 */
export type BaseIndicatorKey =
  | 'coverage_households' // % of households within the walk of every basic facility type
  | 'coverage_residents' // % of residents, the same
  | 'grids_outside_band' // grids whose households fall outside 500–800
  | 'workers_per_10k' // full-time community workers per 10,000 residents
  | 'service_area_per_100_households' // service floor area, m² per 100 households
  | 'service_area' // community service floor area against 300 m² (provincial) and 500 m² (target)
  | 'zones_open' // open 三不管 zones
  | 'backlog_funded' // share of the backlog's cost done, under way or approved
  | 'household_separation' // 人户分离: registered population not living here, % of registered
export type IndicatorKey = BaseIndicatorKey | `coverage_households.${string}` | `coverage_residents.${string}`

/** Whether a higher value is better ('min': the standard is a floor) or a lower one ('max': a ceiling). */
export type Direction = 'min' | 'max'

/** One indicator's entry in the catalogue: its words, its standard, its light rule and its source. */
export interface IndicatorInfo {
  key: IndicatorKey
  /** coverage, grids, workers, service_area, zones, backlog, population */
  group: string
  label_zh: string
  label_en: string
  /** Of the value: '%', '个', '人/万人', 'm²/百户', 'm²', '处'. */
  unit: string
  direction: Direction
  /**
   * The value at which the light turns green (≥ for 'min', ≤ for 'max') and amber; below (above)
   * amber it is red. Null where the light follows a rule over the parts (the catalogue's rule says).
   * These are for communities; a street office's or the city's light follows `rule_*` too.
   */
  green: number | null
  amber: number | null
  /** The standard as a reader says it: '≥ 18 人/万人', '500–800 户/网格'. */
  standard_zh: string
  standard_en: string
  /** The source by its real title: '《榆林市城市社区治理研究报告》', 'GB 50180-2018《城市居住区规划设计标准》'. */
  source: string
  /** How the value and the light are computed, in words, for every level. */
  rule_zh: string
  rule_en: string
  /** For per-type coverage: the facility type. */
  facility_type?: string
  /** The standards (atlas.standard) it checks; its thresholds and words are read from them. */
  standard_keys: string[]
  /** Whether the city applies them: if not, no unit has a light. */
  applied: boolean
  /** The data it is computed from, named for a city that has not loaded it. */
  needs_zh: string | null
  needs_en: string | null
}

/** One indicator of one unit: its value, its light and the figures it is made of. */
export interface IndicatorValue {
  value: number | null
  light: Light
  /**
   * The parts, by indicator:
   * - coverage_*: covered, total (households or residents);
   * - grids_outside_band: grids, below, above, households_min, households_median, households_max;
   * - workers_per_10k: workers, residents;
   * - service_area_per_100_households: area_m2, households;
   * - service_area: area_m2 (a community); communities, below_provincial, below_target (a street or the city);
   * - zones_open: open_m2, declared (co-managed areas declared, not counted as zones), declared_m2;
   * - backlog_funded: done_items, done_cost, in_progress_items, in_progress_cost, approved_items,
   *   approved_cost, unfunded_items, unfunded_cost (proposed), total_cost (all but rejected), in yuan;
   * - household_separation: registered, resident.
   */
  parts: Record<string, number | null>
}

export interface UnitIndicators {
  level: UnitLevel
  /** The city's code is '' */
  code: string
  name: string
  /** A community's street office. */
  street_code?: string
  /** A community's type: 纯居型 or 村改居型. */
  community_type?: string
  households: number | null
  residents: number | null
  registered: number | null
  indicators: Record<IndicatorKey, IndicatorValue>
}

export interface FacilityTypeInfo {
  facility_type: string
  label_zh: string
  label_en: string
  basic: boolean
}

export interface Indicators {
  params: { minutes: number; speed_m_per_min: number }
  /** When these figures were computed (ISO 8601). */
  computed_at: string
  /** When the data they come from last changed (ISO 8601): the report prints it. */
  data_timestamp: string
  catalogue: IndicatorInfo[]
  facility_types: FacilityTypeInfo[]
  city: UnitIndicators
  streets: UnitIndicators[]
  communities: UnitIndicators[]
}
