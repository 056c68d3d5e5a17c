// A validated plan input in the form the solver and the checks share: the candidates in rank order
// (so the model, and with it HiGHS's answer, does not depend on the order the items came in), money
// in fen, scores in hundredths, and every constraint as a named group that can be switched off —
// the deletion filter and the reasons drop and restore them one at a time.
import type { Category, ConstraintRef, PlanInput, PlanItem } from '../types.ts'
import { refs } from './format.ts'
import { budgetFen, byRank, candidateStatuses, floorFen, satisfiedStatuses, toBasisPoints, toFen } from './input.ts'

export interface Candidate {
  code: string
  item: PlanItem
  fen: number
  /** Score in hundredths of a point. */
  points: number
  category: Category
  street: string
}

interface GroupBase {
  id: number
  ref: ConstraintRef
}
export type Group = GroupBase &
  (
    | { kind: 'budget'; year: number }
    | { kind: 'must' | 'keep_approved' | 'exclude'; item: number }
    /** `before` null: the prerequisite is rejected, so the dependant cannot go ahead. */
    | { kind: 'precedence'; before: number | null; after: number }
    | { kind: 'category_min' | 'category_max'; category: Category; bp: number }
    | { kind: 'street_floor'; street: string; fen: number }
    | { kind: 'exclusive'; members: number[] }
  )

export interface Problem {
  items: Candidate[]
  /** In progress, done or rejected: reported, never funded. */
  others: PlanItem[]
  years: number
  budgetsFen: number[]
  groups: Group[]
  /** All candidates' cost: the whole backlog's money. */
  totalFen: number
  index: Map<string, number>
}

export const isCandidate = (item: PlanItem) => candidateStatuses.includes(item.status)

/** Builds the problem of a validated input. */
export function buildProblem(input: PlanInput): Problem {
  const all = [...input.items].sort(byRank)
  const items: Candidate[] = all.filter(isCandidate).map((item) => ({
    code: item.code,
    item,
    fen: toFen(item.cost_yuan)!,
    points: Math.round(item.score * 100),
    category: item.category,
    street: item.street_code,
  }))
  const others = all.filter((i) => !isCandidate(i))
  const index = new Map(items.map((c, k) => [c.code, k]))
  const status = new Map(input.items.map((i) => [i.code, i.status]))
  const years = input.budgets.length
  const budgetsFen = input.budgets.map(budgetFen)
  const c = input.constraints ?? {}
  const groups: Group[] = []
  const add = (g: Omit<GroupBase, 'id'> & Record<string, unknown>) => groups.push({ ...g, id: groups.length } as Group)

  for (let y = 0; y < years; y++) add({ kind: 'budget', year: y, ref: refs.budget(y + 1, years, budgetsFen[y] / 100) })
  const must = new Set(c.must ?? [])
  const exclude = new Set(c.exclude ?? [])
  for (const code of [...must].sort()) add({ kind: 'must', item: index.get(code)!, ref: refs.must(code) })
  // An explicit exclusion overrides the standing rule that approved items are kept.
  if (c.keepApproved !== false)
    for (const [k, cand] of items.entries())
      if (cand.item.status === 'approved' && !must.has(cand.code) && !exclude.has(cand.code)) add({ kind: 'keep_approved', item: k, ref: refs.keepApproved(cand.code) })
  for (const code of [...exclude].sort()) add({ kind: 'exclude', item: index.get(code)!, ref: refs.exclude(code) })
  for (const group of c.exclusive ?? []) {
    const members = [...new Set(group)].filter((code) => index.has(code)).map((code) => index.get(code)!).sort((a, b) => a - b)
    if (members.length > 1) add({ kind: 'exclusive', members, ref: refs.exclusive(members.map((k) => items[k].code).sort()) })
  }
  for (const share of [...(c.categoryShare ?? [])].sort((a, b) => (a.category < b.category ? -1 : 1))) {
    if (share.min !== undefined && share.min > 0)
      add({ kind: 'category_min', category: share.category, bp: toBasisPoints(share.min)!, ref: refs.categoryMin(share.category, share.min) })
    if (share.max !== undefined && share.max < 1)
      add({ kind: 'category_max', category: share.category, bp: toBasisPoints(share.max)!, ref: refs.categoryMax(share.category, share.max) })
  }
  for (const floor of [...(c.streetFloor ?? [])].sort((a, b) => (a.street_code < b.street_code ? -1 : 1)))
    if (floor.min_yuan > 0) add({ kind: 'street_floor', street: floor.street_code, fen: floorFen(floor.min_yuan), ref: refs.streetFloor(floor.street_code, floor.min_yuan) })
  for (const [k, cand] of items.entries())
    for (const d of [...new Set(cand.item.depends_on)].sort()) {
      if (index.has(d)) add({ kind: 'precedence', before: index.get(d)!, after: k, ref: refs.precedence(d, cand.code, false) })
      else if (!satisfiedStatuses.includes(status.get(d)!)) add({ kind: 'precedence', before: null, after: k, ref: refs.precedence(d, cand.code, true) })
    }
  const totalFen = items.reduce((s, c) => s + c.fen, 0)
  return { items, others, years, budgetsFen, groups, totalFen, index }
}
