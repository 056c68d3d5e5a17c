// The bureau's habit, as the rival the plan is measured against: rank the items (by score, or by
// score per yuan), fund down the list while the money lasts and stop at the first item that does not
// fit — the budget line. Must-do items head the list. The rules a list can keep item by item are
// kept (excluded items and items waiting for a rejected or unfunded prerequisite are skipped, and
// so is the alternative of an item already funded); shares and street floors are not a list's to
// keep, so the baseline ignores them. Over several years it fills year 1, then year 2, and so on.
import type { Baseline, PlanInput } from '../types.ts'
import { validatePlanInput } from './input.ts'
import { buildProblem, type Problem } from './problem.ts'

export type RankBy = 'score' | 'score_per_yuan'

/** The greedy plan on a built problem, with budgets in fen (the problem's by default). */
export function greedy(problem: Problem, by: RankBy, budgetsFen = problem.budgetsFen): Baseline {
  const { items, groups } = problem
  const first = new Set<number>()
  const skip = new Set<number>()
  const prerequisites = items.map(() => [] as number[])
  const alternatives = items.map(() => [] as number[])
  for (const g of groups) {
    if (g.kind === 'must' || g.kind === 'keep_approved') first.add(g.item)
    else if (g.kind === 'exclude') skip.add(g.item)
    else if (g.kind === 'precedence') {
      if (g.before === null) skip.add(g.after)
      else prerequisites[g.after].push(g.before)
    } else if (g.kind === 'exclusive') for (const m of g.members) alternatives[m].push(...g.members.filter((o) => o !== m))
  }
  // items are already in rank order (score, then code); per yuan compares exact cross products
  const order = items.map((_, i) => i)
  if (by === 'score_per_yuan')
    order.sort((a, b) => {
      const [pa, pb, fa, fb] = [items[a].points, items[b].points, items[a].fen, items[b].fen]
      return pb * fa - pa * fb || a - b
    })
  const list = [...order.filter((i) => first.has(i)), ...order.filter((i) => !first.has(i))]
  const left = [...budgetsFen]
  const funded = new Set<number>()
  const codes: string[] = []
  let year = 0
  let points = 0
  let fen = 0
  for (const i of list) {
    if (skip.has(i) || prerequisites[i].some((p) => !funded.has(p)) || alternatives[i].some((a) => funded.has(a))) continue
    while (year < left.length && items[i].fen > left[year]) year++
    if (year === left.length) break
    left[year] -= items[i].fen
    funded.add(i)
    codes.push(items[i].code)
    points += items[i].points
    fen += items[i].fen
  }
  return { total_score: points / 100, total_cost_yuan: fen / 100, codes }
}

/** Rank and cut at the budget line: the baseline the plan's gain is measured against. */
export function rankAndCut(input: PlanInput, by: RankBy): Baseline {
  validatePlanInput(input)
  return greedy(buildProblem(input), by)
}
