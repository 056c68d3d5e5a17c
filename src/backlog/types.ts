// The backlog's shared types: the JSON of the SQL API (supabase/migrations/*_backlog.sql), the
// input and output of the pure plan core (./plan), the worker, the command line and the exports.
// Imports neither React nor the map.
import type { Geometry } from 'geojson'
import { backlogCategories, backlogStatuses } from '../shared/layers.ts'

export type Category = (typeof backlogCategories)[number]
export type Status = (typeof backlogStatuses)[number]
export { backlogCategories, backlogStatuses }

/** The steps a status may take; anything else is refused (SQL enforces the same table). */
/**
 * The budget the page and the leader's report open at: the field report gives the need, not the
 * money, so this is an example (示例预算).
 */
export const exampleBudget = 20_000_000

export const statusTransitions: Readonly<Record<Status, readonly Status[]>> = {
  proposed: ['approved', 'rejected'],
  approved: ['in_progress', 'rejected'],
  in_progress: ['done'],
  done: [],
  rejected: ['proposed'],
}

/** The factors of the score, in display order. */
export const factorKeys = ['households', 'complaints', 'severity', 'cost_per_household', 'village', 'waiting'] as const
export type FactorKey = (typeof factorKeys)[number]
export type Weights = Record<FactorKey, number>

/** A factor as backlog_scores() states it: its weight and the normalisation rule written next to it. */
export interface Factor {
  key: FactorKey
  label_zh: string
  label_en: string
  /** How the raw value becomes 0–1, in words. */
  rule_zh: string
  rule_en: string
  /** 'min-max', 'rank', 'scale' (a stated fixed range) or 'flag' (0 or 1). */
  rule: 'min-max' | 'rank' | 'scale' | 'flag'
  weight: number
}

/** One factor of one item: the raw value (null: no data), its 0–1 value and its part of the score. */
export interface FactorValue {
  raw: number | null
  normalised: number
  /** Points, 2 decimals; an item's parts add up to its score exactly. */
  part: number
}

/** One item of backlog_scores(). */
export interface ScoredItem {
  code: string
  name: string
  category: Category
  status: Status
  /** Grows at every change of the row: the version check of edits. */
  version: number
  cost_yuan: number
  households_served: number | null
  complaints: number | null
  severity: number | null
  requested_on: string | null
  waiting_days: number | null
  /** Lies in a 村改居型 community. */
  village: boolean
  community_code: string
  community_name: string
  street_code: string
  street_name: string
  /** Codes of the items it waits for (drainage or water before road hardening on the same site). */
  depends_on: string[]
  factors: Record<FactorKey, FactorValue>
  /** 0–100, 2 decimals: the sum of the parts. */
  score: number
  updated_at: string
  updated_by: string | null
  geometry?: Geometry
}

/** What backlog_scores(weights, with_geometry) returns. */
export interface BacklogScores {
  /** The weights used: the stored ones unless others were passed to preview. */
  weights: Weights
  weights_set_by: string | null
  weights_set_at: string | null
  /** True when the weights were passed in, not the stored ones. */
  preview: boolean
  factors: Factor[]
  items: ScoredItem[]
  total_cost_yuan: number
  /** now() of the database when computed. */
  as_of: string
}

/** One change of an item, from backlog_history(code). */
export interface BacklogChange {
  version: number
  changed_by: string | null
  changed_at: string
  /** Field → [before, after]; a status change is {status: [from, to]}; creation has {} . */
  changes: Record<string, [unknown, unknown]>
  remark: string | null
}

/** A stored set of weights: who set it and when ('default' for the migration's own). */
export interface WeightRecord {
  weights: Weights
  set_by: string
  set_at: string
}

/** The fields edit_backlog_item() takes; any other is refused. */
export interface ItemChanges {
  name?: string
  category?: Category
  cost_yuan?: number
  households_served?: number | null
  complaints?: number | null
  severity?: number | null
  requested_on?: string | null
  depends_on?: string[]
}

// ---------------------------------------------------------------- the plan core

/** An item as the plan sees it. Only proposed and approved items are candidates. */
export interface PlanItem {
  code: string
  name: string
  category: Category
  cost_yuan: number
  /** 0–100, 2 decimals (the solver works in hundredths, exact integers). */
  score: number
  street_code: string
  community_code: string
  status: Status
  depends_on: string[]
}

export interface CategoryShare {
  category: Category
  /** Share of the plan's total cost, 0–1. */
  min?: number
  max?: number
}

export interface PlanConstraints {
  /** Must be funded. */
  must?: string[]
  /** Must not be funded. */
  exclude?: string[]
  categoryShare?: CategoryShare[]
  /** At least this much spent on the items of a street office, over all years. */
  streetFloor?: { street_code: string; min_yuan: number }[]
  /** Groups of alternatives: at most one of each group is funded. */
  exclusive?: string[][]
  /** Approved items are must-do unless this is false. Default true. */
  keepApproved?: boolean
}

export interface PlanInput {
  items: PlanItem[]
  /** One budget per year, 1 to 5 years, yuan. */
  budgets: number[]
  constraints?: PlanConstraints
}

/** A constraint named in a reason or in an infeasibility report. */
export interface ConstraintRef {
  kind: 'budget' | 'must' | 'exclude' | 'keep_approved' | 'category_min' | 'category_max' | 'street_floor' | 'exclusive' | 'precedence'
  /** What it is about: a year (1-based) for a budget, a code, a category, a street code, a group's codes. */
  subject: string
  text_en: string
  text_zh: string
}

export type ReasonKind =
  | 'funded' // funded; loss = score lost if it were dropped
  | 'required' // funded and cannot be dropped without breaking constraints (`by`)
  | 'enters_at' // unfunded; enters_at_yuan = the smallest budget at which it would be funded
  | 'enters_above' // unfunded; the search stopped: it enters at no budget below enters_at_yuan
  | 'never' // unfunded even with the whole backlog's money (forcing it in costs score: forced_loss)
  | 'blocked' // unfunded; constraints keep it out (`by`)
  | 'excluded' // the user excluded it
  | 'forced_loss' // unfunded in a multi-year plan; funding it would cost forced_loss points
  | 'not_candidate' // in progress, done or rejected: not in the plan

export interface ItemReason {
  kind: ReasonKind
  loss?: number
  enters_at_yuan?: number
  forced_loss?: number
  by?: ConstraintRef[]
}

export interface PlanItemResult {
  code: string
  name: string
  category: Category
  cost_yuan: number
  score: number
  funded: boolean
  /** 1-based year when funded. */
  year: number | null
  reason: string
  reason_zh: string
  why: ItemReason
}

export interface Baseline {
  total_score: number
  total_cost_yuan: number
  codes: string[]
}

export interface PlanResult {
  budget_yuan: number
  budgets: number[]
  total_cost_yuan: number
  total_score: number
  /** HiGHS proved the plan optimal (false: a time limit, or infeasible). */
  optimal: boolean
  status: 'optimal' | 'infeasible' | 'time_limit'
  /** When infeasible: an irreducible set of constraints that cannot hold together. */
  conflict: ConstraintRef[] | null
  /** Rank by score, fund down the list, stop at the first item over the budget line. */
  greedy: Baseline
  /** The same ranked by score per yuan. */
  greedy_per_yuan: Baseline
  items: PlanItemResult[]
  solve_ms: number
}

export interface CurvePoint {
  budget_yuan: number
  total_score: number
  total_cost_yuan: number
  greedy_score: number
  greedy_per_yuan_score: number
  /** No plan keeps the constraints at this budget (must-do items that do not fit): score and cost are 0. */
  infeasible?: boolean
}
