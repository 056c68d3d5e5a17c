// Which constraints cannot hold together: a deletion filter over the constraint groups. Drop one,
// re-solve for feasibility; if the rest is still infeasible it was not needed, else it stays.
// What stays is irreducible: dropping any one of it makes the rest feasible. Whole kinds are tried
// first in one solve each (the precedences of a backlog are many and rarely the point), then the
// survivors one by one.
import type { Highs } from 'highs'
import type { ConstraintRef } from '../types.ts'
import { isOn, type Setting } from './model.ts'
import type { Group, Problem } from './problem.ts'
import type { RunOptions } from './solver.ts'
import { solveScore } from './years.ts'

/** The order in which groups are tried for removal: what is least likely to be the point first. */
const dropOrder: Group['kind'][] = ['precedence', 'category_max', 'exclusive', 'category_min', 'street_floor', 'exclude', 'keep_approved', 'must', 'budget']

/**
 * An irreducible set of the groups on in `setting` that, with the setting's pins and budgets,
 * admits no plan. The setting itself must be infeasible.
 */
export function conflictSet(highs: Highs, problem: Problem, setting: Setting, options: RunOptions = {}): ConstraintRef[] {
  const consider = problem.groups.filter((g) => isOn(setting, g.id) && !(g.kind === 'budget' && setting.budgetsFen === null))
  const kept = new Set(consider.map((g) => g.id))
  const feasible = (without: Iterable<number>) => {
    const off = new Set(setting.off ?? [])
    for (const g of problem.groups) if (!kept.has(g.id)) off.add(g.id)
    for (const id of without) off.add(id)
    const out = solveScore(highs, problem, { ...setting, off, objective: 'none', minPoints: setting.minPoints }, options)
    if (out.status === 'time_limit') throw new Error('the search for conflicting constraints ran out of time')
    return out.status === 'optimal'
  }
  if (feasible([])) throw new Error('the constraints are not in conflict')
  for (const kind of dropOrder) {
    const ofKind = consider.filter((g) => g.kind === kind && kept.has(g.id)).map((g) => g.id)
    if (ofKind.length > 1 && !feasible(ofKind)) for (const id of ofKind) kept.delete(id)
  }
  for (const kind of dropOrder)
    for (const g of consider)
      if (g.kind === kind && kept.has(g.id) && !feasible([g.id])) kept.delete(g.id)
  return problem.groups.filter((g) => kept.has(g.id)).map((g) => g.ref)
}
