// Why each item is in or out, exactly.
// - Funded: the score lost if it were dropped, opt − opt(x_i = 0); if dropping it breaks the
//   constraints, the constraints that require it.
// - Unfunded, one year: the smallest budget B ≥ today's at which it is in some optimal plan. With
//   opt(B) the optimum and C_i(t) the least cost of a plan that funds it and scores at least t, it is
//   in an optimal plan at B exactly when C_i(opt(B)) ≤ B. While it is not, no budget below C_i(t)
//   can do for any t ≤ opt(B) (opt only grows with money), so B jumps there and the test repeats:
//   exact, and B strictly grows. Any score a known plan reaches within B is such a t, so most jumps
//   take one solve; opt(B) itself is solved only where the item might enter. The walk is capped
//   (maxBudgetSteps) and then says where it stopped: the item enters at no budget below that one.
//   If no plan reaches opt(B) at any cost, it never enters; if no plan can fund it at any cost, the
//   constraints that keep it out are named.
// - Unfunded, several years: what forcing it in would cost, or the constraints that keep it out.
import type { Highs } from 'highs'
import type { ItemReason } from '../types.ts'
import { conflictSet } from './conflict.ts'
import { isOn, itemBounds, type Setting } from './model.ts'
import type { Problem } from './problem.ts'
import { solveSetting, type Outcome, type RunOptions } from './solver.ts'
import { totals, violations, type Assignment } from './verify.ts'
import { solveScore } from './years.ts'

/** Jumps of the budget search per item before it reports where it stopped. */
export const maxBudgetSteps = 60

const points = (hundredths: number) => hundredths / 100

/**
 * What is known of the optimum at any budget without a solve. Every plan found keeps every
 * constraint, so a plan of cost c scoring s shows opt(B) ≥ s for every B ≥ c, and more once the
 * money left is filled down the list by score per yuan (kept only if the filled plan still keeps
 * every constraint). The exact optima found show opt(B) ≤ opt(b) for B ≤ b; where the two meet, the
 * optimum is known.
 */
class Optima {
  /** Each plan found once, with its totals. */
  private plans: { plan: Assignment; fen: number; points: number }[] = []
  private seen = new Set<string>()
  private exact = new Map<number, number | null>()
  private order: number[]
  private before: number[][]
  constructor(
    private problem: Problem,
    private setting: Setting,
  ) {
    const { items } = problem
    this.order = items.map((_, i) => i).sort((a, b) => items[b].points * items[a].fen - items[a].points * items[b].fen || a - b)
    this.before = items.map(() => [])
    for (const g of problem.groups) if (g.kind === 'precedence' && isOn(setting, g.id)) this.before[g.after].push(g.before ?? -1)
    const { hi } = itemBounds(problem, setting)
    this.order = this.order.filter((i) => hi[i])
  }
  add(plan: Assignment | null) {
    if (!plan) return
    const key = plan.join()
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.plans.push({ plan, ...totals(this.problem, plan) })
  }
  /** A score some plan reaches within the budget (hundredths); -Infinity if none is known. */
  below(fen: number): number {
    let best = -Infinity
    for (const { plan, fen: cost, points } of this.plans) {
      if (cost > fen) continue
      best = Math.max(best, points, this.filled(plan, fen - cost, points))
    }
    return best
  }
  private filled(plan: Assignment, left: number, points: number): number {
    const { items } = this.problem
    const more = Int8Array.from(plan)
    for (const i of this.order)
      if (more[i] < 0 && items[i].fen <= left && this.before[i].every((p) => p >= 0 && more[p] >= 0)) {
        more[i] = 0
        left -= items[i].fen
        points += items[i].points
      }
    return violations(this.problem, { ...this.setting, budgetsFen: null }, more).length ? -Infinity : points
  }
  known(fen: number): number | null | undefined {
    if (this.exact.has(fen)) return this.exact.get(fen)
    let above = Infinity
    for (const [b, v] of this.exact) if (b >= fen && v !== null && v < above) above = v
    return this.below(fen) === above ? above : undefined
  }
  set(fen: number, value: number | null) {
    this.exact.set(fen, value)
  }
}

export function itemReasons(highs: Highs, problem: Problem, setting: Setting, plan: Assignment, optimum: number, options: RunOptions = {}): ItemReason[] {
  const single = problem.years === 1
  const run = (s: Setting, start?: Assignment | null): Outcome => {
    const out = single ? solveSetting(highs, problem, s, { ...options, start }) : solveScore(highs, problem, s, options)
    if (out.status === 'time_limit') throw new Error('a reason could not be proved within the time limit')
    return out
  }
  const pin = (i: number, v: 0 | 1) => new Map([...(setting.fixed ?? []), [i, v]])
  const optima = new Optima(problem, setting)
  optima.add(plan)
  if (single) optima.set(problem.budgetsFen[0], optimum)
  /** opt(B), one year; null when no plan fits. */
  const opt = (fen: number, start?: Assignment | null) => {
    const known = optima.known(fen)
    if (known !== undefined) return known
    const out = run({ ...setting, budgetsFen: [fen] }, start)
    optima.add(out.plan)
    const value = out.status === 'optimal' ? out.value : null
    optima.set(fen, value)
    return value
  }
  const groupOn = (kind: string, i: number) => problem.groups.find((g) => isOn(setting, g.id) && 'item' in g && g.kind === kind && g.item === i)

  return problem.items.map((_, i): ItemReason => {
    if (plan[i] >= 0) {
      const forced = groupOn('must', i) ?? groupOn('keep_approved', i)
      if (forced) return { kind: 'required', by: [forced.ref] }
      const out = run({ ...setting, fixed: pin(i, 0) })
      if (out.status === 'infeasible') return { kind: 'required', by: conflictSet(highs, problem, { ...setting, fixed: pin(i, 0) }, options) }
      optima.add(out.plan)
      return { kind: 'funded', loss: points(optimum - out.value) }
    }
    if (groupOn('exclude', i)) return { kind: 'excluded' }
    const forcedIn = run({ ...setting, fixed: pin(i, 1) })
    if (!single) {
      if (forcedIn.status === 'optimal') return { kind: 'forced_loss', forced_loss: points(optimum - forcedIn.value) }
      return { kind: 'blocked', by: conflictSet(highs, problem, { ...setting, fixed: pin(i, 1), objective: 'none' }, options) }
    }
    if (forcedIn.status === 'infeasible') {
      const anyMoney = { ...setting, fixed: pin(i, 1), budgetsFen: null, objective: 'none' } as const
      if (run(anyMoney).status === 'infeasible') return { kind: 'blocked', by: conflictSet(highs, problem, anyMoney, options) }
    }
    optima.add(forcedIn.plan)
    const forcedLoss = forcedIn.status === 'optimal' ? { forced_loss: points(optimum - forcedIn.value) } : {}
    if (forcedIn.status === 'optimal' && forcedIn.value === optimum) return { kind: 'enters_at', enters_at_yuan: problem.budgetsFen[0] / 100, ...forcedLoss }
    let budget = problem.budgetsFen[0]
    let target = optimum
    for (let step = 0; ; step++) {
      if (step === maxBudgetSteps) return { kind: 'enters_above', enters_at_yuan: budget / 100, ...forcedLoss }
      const cheapest = run({ ...setting, fixed: pin(i, 1), budgetsFen: null, objective: 'cost', minPoints: target })
      if (cheapest.status === 'infeasible') {
        const top = opt(problem.totalFen)
        const mine = run({ ...setting, fixed: pin(i, 1), budgetsFen: [problem.totalFen] })
        return { kind: 'never', ...(top !== null && mine.status === 'optimal' ? { forced_loss: points(top - mine.value) } : {}) }
      }
      optima.add(cheapest.plan)
      if (cheapest.value > budget) {
        // not in below the new budget; any score known to be reachable there is a valid next target
        budget = cheapest.value
        const reachable = optima.below(budget)
        if (reachable > target) {
          target = reachable
          continue
        }
      }
      // a plan that funds it reaches `target` within `budget`: it enters here unless more is possible
      const best = opt(budget, cheapest.plan)
      if (best === null) throw new Error(`no plan fits ${budget} fen, yet one that funds ${problem.items[i].code} does`)
      if (best === target) return { kind: 'enters_at', enters_at_yuan: budget / 100, ...forcedLoss }
      target = best
    }
  })
}
