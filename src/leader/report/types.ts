// What the leader's report is made of: the indicators, the communities' and street offices'
// polygons, the open 三不管 zones and the backlog's plan at a budget. Gathered once (./gather.ts),
// then rendered as a PDF (./pdf.ts) or printed by `atlas report --json`.
import type { Geometry } from 'geojson'
import type { PlanRow } from '../../backlog/export.ts'
import type { IndicatorKey, Indicators } from '../types.ts'

export interface ReportOptions {
  /** The plan's budget in yuan (default: the backlog's example budget, ¥20,000,000). */
  budget?: number
  /** The indicator the map is coloured by (default coverage_households), checked against the catalogue. */
  indicator?: string
  minutes?: number
  speed?: number
}

export interface ReportUnitShape {
  code: string
  name: string
  /** A community's street office. */
  parent_code: string | null
  geometry: Geometry
}

export interface ReportZone {
  id: string
  kind: 'gap' | 'overlap'
  /** The layer whose units leave the gap or claim the overlap twice. */
  level: string
  area_m2: number
  /** Where it lies, in words: its street office, the units around it. */
  where: string
  suggested_owner: { code: string; name: string | null } | null
  reason_zh: string
  reason_en: string
  /** A point inside it, [lon, lat], for its number on the map. */
  label: [number, number]
}

/** A funded item as the report lists it: the plan export's row without its plan columns. */
export type ReportPlanItem = Pick<PlanRow, 'code' | 'name' | 'category' | 'community' | 'street' | 'cost_yuan' | 'score'>

export interface ReportPlan {
  budget_yuan: number
  /** The items weighed (proposed and approved). */
  candidates: number
  /** The backlog's items, all statuses. */
  items: number
  funded: ReportPlanItem[]
  total_cost_yuan: number
  total_score: number
  /** optimal: proved by HiGHS; infeasible: the budget is below the approved items' cost, which are kept. */
  status: 'optimal' | 'infeasible' | 'time_limit'
  /** Approved items are kept in every plan: their cost. */
  approved_cost_yuan: number
  /** Rank by score and cut at the budget line: the bureau's habit, the plan's rival. */
  rank_and_cut: { total_score: number; total_cost_yuan: number; items: number }
  /** The plan's score over rank-and-cut's. */
  gain: number
}

export interface ReportData {
  /** The city's name, as the indicators give it. */
  city: string
  /** Who the data are from, as the city's profile says it ('' when unset). */
  attribution: string
  /** When the report was made (ISO 8601). */
  printed_at: string
  /** The indicator the map shows. */
  indicator: IndicatorKey
  indicators: Indicators
  communities: ReportUnitShape[]
  streets: ReportUnitShape[]
  zones: ReportZone[]
  plan: ReportPlan
}

/** A request the report refuses (an unknown indicator, a bad budget): said in words. */
export class ReportInputError extends Error {}
