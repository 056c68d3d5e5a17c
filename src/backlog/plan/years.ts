// Several years: relax, then check. Pooling the yearly budgets into one and reading a precedence as
// "funded only with its prerequisite" relaxes the plan to one knapsack, which HiGHS proves quickly;
// the yearly model, its years alike, is the same problem many times over and resists proof (500
// items over 5 years ran past a minute). If the relaxation's plan can be spread over the years, it
// is optimal for the years too. If it cannot, that funded set is ruled out and the relaxation solved
// again (up to maxCuts times); only then is the yearly model solved as it is.
//
// Spreading: works in rank order, each prerequisite first, each in the earliest year with money left
// and not before its prerequisites (the bureau's own order); if that does not fit, the largest works
// first, each where it fills a year best (the packer's rule); if neither fits, an exact search with
// a node limit, and past that HiGHS with the funded set pinned.
import type { Highs } from 'highs'
import { isOn, type Setting } from './model.ts'
import type { Group, Problem } from './problem.ts'
import { solveSetting, type Outcome, type RunOptions } from './solver.ts'
import { violations, type Assignment } from './verify.ts'

/** The one-year relaxation of a several-year problem under a setting. */
export function aggregate(problem: Problem, setting: Setting): { problem: Problem; setting: Setting } {
  const budgets = setting.budgetsFen === undefined ? problem.budgetsFen : setting.budgetsFen
  const budgetGroups = problem.groups.filter((g) => g.kind === 'budget')
  const unlimited = budgets === null || budgetGroups.some((g) => !isOn(setting, g.id))
  const pooled: Group = { id: -1, kind: 'budget', year: 0, ref: budgetGroups[0].ref }
  return {
    problem: { ...problem, years: 1, budgetsFen: [problem.budgetsFen.reduce((a, b) => a + b, 0)], groups: [pooled, ...problem.groups.filter((g) => g.kind !== 'budget')] },
    setting: { ...setting, budgetsFen: unlimited ? null : [budgets.reduce((a, b) => a + b, 0)] },
  }
}

/**
 * Spreads by a list: each work of `order` into a year with money left, not before its placed
 * prerequisites and not after its placed dependants; the earliest such year, or the one it fills
 * best. Null when some work finds no year.
 */
function byList(problem: Problem, left: number[], before: number[][], after: number[][], order: number[], fit: 'earliest' | 'best'): Assignment | null {
  const plan = new Int8Array(problem.items.length).fill(-1)
  for (const i of order) {
    const fen = problem.items[i].fen
    const from = Math.max(0, ...before[i].map((p) => plan[p]))
    const to = Math.min(problem.years - 1, ...after[i].map((d) => (plan[d] >= 0 ? plan[d] : Infinity)))
    let year = -1
    for (let y = from; y <= to; y++)
      if (fen <= left[y] && (year < 0 || (fit === 'best' && left[y] < left[year]))) {
        year = y
        if (fit === 'earliest') break
      }
    if (year < 0) return null
    left[year] -= fen
    plan[i] = year
  }
  return plan
}

/** Nodes of the exact search before HiGHS takes over. */
const searchNodes = 50_000

/**
 * Every way to spread, until one fits (a plan), none can (null), or the search runs out of nodes
 * (undefined). Works tied by a precedence go first; once they are placed, years holding the same
 * money left are alike for the rest, so only the first of them is tried.
 */
function search(problem: Problem, left: number[], before: number[][], after: number[][], largest: number[]): Assignment | null | undefined {
  const plan = new Int8Array(problem.items.length).fill(-1)
  const tied = (i: number) => before[i].length > 0 || after[i].length > 0
  const order = [...largest.filter(tied), ...largest.filter((i) => !tied(i))]
  const free = largest.filter(tied).length
  // what the works still to place need, and the smallest of them: money a year keeps below that is lost
  const need = order.map((i) => problem.items[i].fen)
  const smallest = [...need]
  for (let k = need.length - 2; k >= 0; k--) {
    need[k] += need[k + 1]
    smallest[k] = Math.min(smallest[k], smallest[k + 1])
  }
  let nodes = 0
  const place = (k: number): boolean | undefined => {
    if (k === order.length) return true
    if (++nodes > searchNodes) return undefined
    if (need[k] > left.reduce((a, b) => a + (b >= smallest[k] ? b : 0), 0)) return false
    const i = order[k]
    const fen = problem.items[i].fen
    const from = Math.max(0, ...before[i].map((p) => plan[p]))
    const to = Math.min(problem.years - 1, ...after[i].map((d) => (plan[d] >= 0 ? plan[d] : Infinity)))
    const tried = new Set<number>()
    for (let y = from; y <= to; y++) {
      if (fen > left[y] || (k >= free && tried.has(left[y]))) continue
      tried.add(left[y])
      left[y] -= fen
      plan[i] = y
      const done = place(k + 1)
      if (done !== false) return done
      left[y] += fen
      plan[i] = -1
    }
    return false
  }
  const done = place(0)
  return done === true ? plan : done === false ? null : undefined
}

/** The funded set of `funded` spread over the years, or null when it cannot be. */
export function spread(highs: Highs, problem: Problem, setting: Setting, funded: Assignment, options: RunOptions = {}): Assignment | null {
  const { items } = problem
  const budgets = setting.budgetsFen === undefined ? problem.budgetsFen : setting.budgetsFen
  const money = problem.groups
    .filter((g) => g.kind === 'budget')
    .map((g) => (budgets === null || !isOn(setting, g.id) ? Infinity : budgets[(g as { year: number }).year]))
  const before = items.map(() => [] as number[])
  const after = items.map(() => [] as number[])
  for (const g of problem.groups)
    if (g.kind === 'precedence' && g.before !== null && isOn(setting, g.id) && funded[g.after] >= 0 && funded[g.before] >= 0) {
      before[g.after].push(g.before)
      after[g.before].push(g.after)
    }
  // rank order, each prerequisite first
  const ranked: number[] = []
  const seen = new Set<number>()
  const visit = (i: number) => {
    if (seen.has(i)) return
    seen.add(i)
    for (const p of before[i]) visit(p)
    ranked.push(i)
  }
  for (let i = 0; i < items.length; i++) if (funded[i] >= 0) visit(i)
  const largest = [...ranked].sort((a, b) => items[b].fen - items[a].fen || a - b)
  for (const [order, fit] of [[ranked, 'earliest'], [largest, 'best']] as const) {
    const plan = byList(problem, [...money], before, after, order, fit)
    if (plan && !violations(problem, setting, plan).length) return plan
  }
  const searched = search(problem, [...money], before, after, largest)
  if (searched === null) return null
  if (searched && !violations(problem, setting, searched).length) return searched
  const fixed = new Map(setting.fixed ?? [])
  for (let i = 0; i < items.length; i++) fixed.set(i, funded[i] >= 0 ? 1 : 0)
  const out = solveSetting(highs, problem, { ...setting, fixed, objective: 'none' }, options)
  if (out.status === 'time_limit') throw new Error('spreading the plan over the years ran out of time')
  return out.plan
}

/** Funded sets ruled out (shown not to fit the years) before the yearly model is solved as it is. */
export const maxCuts = 8

/**
 * The best plan of a setting whose objective is the score (or none: any plan), over however many
 * years: one year directly; several by relaxing and checking. When the relaxation's plan cannot be
 * spread, that funded set is ruled out and the relaxation solved again: every plan of the years
 * keeps every such cut, so the first plan that spreads is optimal. `prefer` picks, among the
 * relaxation's optimal plans, the one to try (the tie-break).
 */
export function solveScore(
  highs: Highs,
  problem: Problem,
  setting: Setting,
  options: RunOptions = {},
  prefer?: (relaxed: Problem, setting: Setting, out: Outcome) => Assignment,
): Outcome {
  if (problem.years === 1) {
    const out = solveSetting(highs, problem, setting, options)
    return prefer && out.status === 'optimal' && out.plan ? { ...out, plan: prefer(problem, setting, out) } : out
  }
  const relaxed = aggregate(problem, setting)
  const cuts: Assignment[] = []
  for (let k = 0; k <= maxCuts; k++) {
    const within = { ...relaxed.setting, cuts: [...cuts] }
    const start = !k && options.start ? options.start.map((y) => (y >= 0 ? 0 : -1)) : null
    const out = solveSetting(highs, relaxed.problem, within, { ...options, start })
    if (out.status === 'infeasible') return out
    if (out.status !== 'optimal' || !out.plan) break
    const chosen = prefer ? prefer(relaxed.problem, within, out) : out.plan
    const plan = spread(highs, problem, setting, chosen, { timeLimitS: options.timeLimitS })
    if (plan) return { status: 'optimal', plan, value: out.value }
    cuts.push(chosen)
  }
  const out = solveSetting(highs, problem, setting, options)
  return prefer && out.status === 'optimal' && out.plan ? { ...out, plan: prefer(problem, setting, out) } : out
}
