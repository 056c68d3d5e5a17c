// The budget curve: the optimal total score against the budget, from ¥0 to the whole backlog's
// money, with both greedy baselines at every point. Several years keep the shape of the yearly
// budgets: each year gets its proportion of the point's budget. Each point starts HiGHS from the
// previous point's plan, which every larger budget still admits.
import type { Highs } from 'highs'
import type { CurvePoint, PlanInput } from '../types.ts'
import { greedy } from './baseline.ts'
import { validatePlanInput } from './input.ts'
import { buildProblem, type Problem } from './problem.ts'
import { solveScore } from './years.ts'
import { totals, type Assignment } from './verify.ts'

/** The yearly budgets, in fen, of a total in the proportions of the problem's budgets. */
export function splitBudget(problem: Problem, totalFen: number): number[] {
  const weights = problem.budgetsFen.some((b) => b > 0) ? problem.budgetsFen : problem.budgetsFen.map(() => 1)
  const sum = weights.reduce((a, b) => a + b, 0)
  const out = weights.map((w) => Math.floor((totalFen * w) / sum))
  out[out.length - 1] += totalFen - out.reduce((a, b) => a + b, 0)
  return out
}

export function budgetCurve(highs: Highs, input: PlanInput, points = 100): CurvePoint[] {
  validatePlanInput(input)
  if (!Number.isInteger(points) || points < 2) throw new Error(`a curve needs at least 2 points (got ${points})`)
  const problem = buildProblem(input)
  const curve: CurvePoint[] = []
  let previous: Assignment | null = null
  for (let k = 0; k < points; k++) {
    const fen = Math.round((problem.totalFen * k) / (points - 1))
    const budgetsFen = splitBudget(problem, fen)
    const out = solveScore(highs, problem, { objective: 'score', budgetsFen }, { start: previous })
    if (out.status === 'time_limit') throw new Error('the curve ran out of time')
    const plan = out.plan
    if (plan) previous = plan
    const made = plan ? totals(problem, plan) : { points: 0, fen: 0 }
    curve.push({
      budget_yuan: fen / 100,
      total_score: made.points / 100,
      total_cost_yuan: made.fen / 100,
      greedy_score: greedy(problem, 'score', budgetsFen).total_score,
      greedy_per_yuan_score: greedy(problem, 'score_per_yuan', budgetsFen).total_score,
      ...(plan ? {} : { infeasible: true }),
    })
  }
  return curve
}
