// Every answer HiGHS gives is checked here in exact integer arithmetic before anyone sees it:
// budgets in fen, shares in basis points, scores in hundredths. A violation is a defect, not an
// outcome, so the solver wrapper throws on it.
import type { Setting } from './model.ts'
import { isOn, itemBounds } from './model.ts'
import type { Problem } from './problem.ts'

/** A plan: for each candidate (rank order) its 0-based year, or -1 when not funded. */
export type Assignment = Int8Array

export const fundedCount = (plan: Assignment) => plan.reduce((s, y) => s + (y >= 0 ? 1 : 0), 0)

export function totals(problem: Problem, plan: Assignment): { fen: number; points: number; fenByYear: number[] } {
  const fenByYear = new Array<number>(problem.years).fill(0)
  let points = 0
  for (const [i, c] of problem.items.entries())
    if (plan[i] >= 0) {
      fenByYear[plan[i]] += c.fen
      points += c.points
    }
  return { fen: fenByYear.reduce((a, b) => a + b, 0), points, fenByYear }
}

/** What the plan breaks under the setting, in words; empty when it keeps everything. */
export function violations(problem: Problem, setting: Setting, plan: Assignment): string[] {
  const out: string[] = []
  const { items, years } = problem
  const { lo, hi } = itemBounds(problem, setting)
  for (const [i, c] of items.entries()) {
    if (plan[i] < -1 || plan[i] >= years) out.push(`${c.code} is given year ${plan[i] + 1}`)
    if (plan[i] >= 0 && !hi[i]) out.push(`${c.code} is funded but must not be`)
    if (plan[i] < 0 && lo[i]) out.push(`${c.code} is not funded but must be`)
  }
  const { fenByYear, points } = totals(problem, plan)
  const budgets = setting.budgetsFen === undefined ? problem.budgetsFen : setting.budgetsFen
  for (const g of problem.groups) {
    if (!isOn(setting, g.id)) continue
    switch (g.kind) {
      case 'budget':
        if (budgets !== null && fenByYear[g.year] > budgets[g.year]) out.push(`year ${g.year + 1} spends ${fenByYear[g.year]} fen of ${budgets[g.year]}`)
        break
      case 'precedence':
        if (plan[g.after] < 0) break
        if (g.before === null || plan[g.before] < 0 || plan[g.before] > plan[g.after]) out.push(`${g.ref.text_en} is broken`)
        break
      case 'category_min':
      case 'category_max': {
        let inCat = 0n
        let all = 0n
        for (const [i, c] of items.entries())
          if (plan[i] >= 0) {
            all += BigInt(c.fen)
            if (c.category === g.category) inCat += BigInt(c.fen)
          }
        const lhs = inCat * 10000n
        const rhs = BigInt(g.bp) * all
        if (g.kind === 'category_min' ? lhs < rhs : lhs > rhs) out.push(`${g.ref.text_en} is broken`)
        break
      }
      case 'street_floor': {
        let spent = 0
        for (const [i, c] of items.entries()) if (plan[i] >= 0 && c.street === g.street) spent += c.fen
        if (spent < g.fen) out.push(`${g.ref.text_en} is broken (${spent} fen)`)
        break
      }
      case 'exclusive':
        if (g.members.filter((i) => plan[i] >= 0).length > 1) out.push(`${g.ref.text_en} is broken`)
        break
      default:
        break
    }
  }
  if (setting.minPoints !== undefined && points < setting.minPoints) out.push(`the score ${points} is below ${setting.minPoints}`)
  for (const cut of setting.cuts ?? []) if (cut.every((y, i) => y >= 0 === plan[i] >= 0)) out.push('the plan funds a set ruled out')
  return out
}
