// The plan: the funded set that maximises the total score under the budgets and the constraints,
// solved exactly by HiGHS, the tie among equal plans broken by rank, checked exactly, with the
// greedy baselines beside it and, when asked, a reason for every item.
import type { Highs } from 'highs'
import type { ItemReason, PlanInput, PlanItem, PlanItemResult, PlanResult } from '../types.ts'
import { greedy } from './baseline.ts'
import { conflictSet } from './conflict.ts'
import { formatReason } from './format.ts'
import { byRank, validatePlanInput } from './input.ts'
import type { Setting } from './model.ts'
import { buildProblem, type Problem } from './problem.ts'
import { itemReasons } from './reasons.ts'
import type { Outcome, RunOptions } from './solver.ts'
import { tieBreak } from './tiebreak.ts'
import { totals } from './verify.ts'
import { solveScore } from './years.ts'

export interface SolveOptions {
  /** Prove a reason for every item (many more solves). */
  reasons?: boolean
  /** Seconds per HiGHS run; a run that stops there leaves the plan unproved (status 'time_limit'). */
  timeLimitS?: number
}

function itemResult(item: PlanItem, year: number | null, why: ItemReason): PlanItemResult {
  return {
    code: item.code,
    name: item.name,
    category: item.category,
    cost_yuan: item.cost_yuan,
    score: item.score,
    funded: year !== null,
    year,
    reason: formatReason(why, 'en'),
    reason_zh: formatReason(why, 'zh'),
    why,
  }
}

/**
 * The optimal plan the tie-break prefers. Several years: the preferred plan of the one-year
 * relaxation that can be spread over the years (./years.ts).
 */
function preferredPlan(highs: Highs, problem: Problem, setting: Setting, run: RunOptions): Outcome {
  return solveScore(highs, problem, setting, run, (p, s, out) => tieBreak(highs, p, s, out.value, out.plan!, run))
}

export function solvePlan(highs: Highs, input: PlanInput, options: SolveOptions = {}): PlanResult {
  const started = performance.now()
  validatePlanInput(input)
  const problem = buildProblem(input)
  const run = { timeLimitS: options.timeLimitS }
  const setting: Setting = { objective: 'score' }
  const budgetYuan = problem.budgetsFen.reduce((a, b) => a + b, 0) / 100
  const base = {
    budget_yuan: budgetYuan,
    budgets: problem.budgetsFen.map((f) => f / 100),
    greedy: greedy(problem, 'score'),
    greedy_per_yuan: greedy(problem, 'score_per_yuan'),
  }
  const notCandidate: ItemReason = { kind: 'not_candidate' }
  const excludedReason: ItemReason = { kind: 'excluded' }
  const others = problem.others.map((item) => [item, null, notCandidate] as const)
  const finish = (rows: (readonly [PlanItem, number | null, ItemReason])[]) =>
    rows.sort(([a], [b]) => byRank(a, b)).map(([item, year, why]) => itemResult(item, year, why))

  const excluded = new Set(input.constraints?.exclude ?? [])
  const first = preferredPlan(highs, problem, setting, run)
  if (first.status === 'infeasible' || !first.plan) {
    const infeasible = first.status === 'infeasible'
    const conflict = infeasible ? conflictSet(highs, problem, setting, run) : null
    const why: ItemReason = infeasible ? { kind: 'blocked', by: conflict! } : { kind: 'enters_above' }
    return {
      ...base,
      total_cost_yuan: 0,
      total_score: 0,
      optimal: false,
      status: infeasible ? 'infeasible' : 'time_limit',
      conflict,
      items: finish([...problem.items.map((c) => [c.item, null, excluded.has(c.code) ? excludedReason : why] as const), ...others]),
      solve_ms: performance.now() - started,
    }
  }
  const proved = first.status === 'optimal'
  const plan = first.plan
  const reasons: ItemReason[] =
    options.reasons && proved
      ? itemReasons(highs, problem, setting, plan, first.value, run)
      : problem.items.map((c, i) => (plan[i] >= 0 ? { kind: 'funded' } : { kind: excluded.has(c.code) ? 'excluded' : 'enters_above' }))
  const { fen, points } = totals(problem, plan)
  return {
    ...base,
    total_cost_yuan: fen / 100,
    total_score: points / 100,
    optimal: proved,
    status: proved ? 'optimal' : 'time_limit',
    conflict: null,
    items: finish([...problem.items.map((c, i) => [c.item, plan[i] >= 0 ? plan[i] + 1 : null, reasons[i]] as const), ...others]),
    solve_ms: performance.now() - started,
  }
}
