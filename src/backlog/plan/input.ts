// What a plan takes in: the items as the plan sees them and the checks that refuse bad input in
// words before anything is solved. Money is exact in fen (hundredths of a yuan) and scores exact in
// hundredths of a point, so every check and every total below is integer arithmetic.
import { backlogCategories, backlogStatuses, type CategoryShare, type PlanInput, type PlanItem, type ScoredItem, type Status } from '../types.ts'

export class PlanInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PlanInputError'
  }
}

/** Statuses the plan may fund; the others are reported as not candidates. */
export const candidateStatuses: readonly Status[] = ['proposed', 'approved']
/** Prerequisites with these statuses are already under way: their dependants may go ahead. */
export const satisfiedStatuses: readonly Status[] = ['in_progress', 'done']
export const maxYears = 5

/** Every item of backlog_scores() as the plan sees it; the plan itself decides which are candidates. */
export function candidates(items: ScoredItem[]): PlanItem[] {
  return items.map((i) => ({
    code: i.code,
    name: i.name,
    category: i.category,
    cost_yuan: i.cost_yuan,
    score: i.score,
    street_code: i.street_code,
    community_code: i.community_code,
    status: i.status,
    depends_on: [...(i.depends_on ?? [])],
  }))
}

/** x · 10^digits when that is a whole number (to a float's slack), else null. */
export function scaled(x: number, digits: number): number | null {
  const v = x * 10 ** digits
  const r = Math.round(v)
  return Math.abs(v - r) <= 1e-6 * Math.max(1, Math.abs(v)) ? r : null
}

export const toFen = (yuan: number) => scaled(yuan, 2)
/** A budget in whole fen: plans cost whole fen, so rounding the budget down changes nothing. */
export const budgetFen = (yuan: number) => scaled(yuan, 2) ?? Math.floor(yuan * 100)
/** A floor in whole fen, rounded up for the same reason. */
export const floorFen = (yuan: number) => scaled(yuan, 2) ?? Math.ceil(yuan * 100)
/** Shares are kept exactly in basis points (0.01 %). */
export const toBasisPoints = (share: number) => scaled(share, 4)

/** Rank order: higher score first, then code. */
export function byRank(a: { score: number; code: string }, b: { score: number; code: string }): number {
  return b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
}

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)
const percent = (x: number) => `${Math.round(x * 10000) / 100} %`
const fmt = (x: unknown) => (typeof x === 'string' ? `'${x}'` : String(x))

/** The first cycle among the dependencies, as codes (the first repeated at the end), or null. */
export function dependencyCycle(items: PlanItem[]): string[] | null {
  const next = new Map(items.map((i) => [i.code, [...new Set(i.depends_on ?? [])].sort()]))
  const state = new Map<string, 1 | 2>() // 1: on the path, 2: done
  const path: string[] = []
  const visit = (code: string): string[] | null => {
    state.set(code, 1)
    path.push(code)
    for (const d of next.get(code) ?? []) {
      if (!next.has(d)) continue
      if (state.get(d) === 1) return [...path.slice(path.indexOf(d)), d]
      if (!state.has(d)) {
        const found = visit(d)
        if (found) return found
      }
    }
    path.pop()
    state.set(code, 2)
    return null
  }
  for (const code of [...next.keys()].sort()) {
    if (state.has(code)) continue
    const found = visit(code)
    if (found) return found
  }
  return null
}

/** Refuses a plan input that cannot mean anything, naming every problem found. */
export function validatePlanInput(input: PlanInput): void {
  const problems: string[] = []
  const say = (s: string) => problems.length < 20 && problems.push(s)
  if (!input || typeof input !== 'object') throw new PlanInputError('the plan input is missing')
  const items = Array.isArray(input.items) ? input.items : []
  if (!Array.isArray(input.items)) say('items must be a list of backlog items')
  const byCode = new Map<string, PlanItem>()
  for (const [k, item] of items.entries()) {
    const code = item?.code
    const at = typeof code === 'string' && code ? code : `item ${k + 1}`
    if (typeof code !== 'string' || !code) say(`item ${k + 1} has no code`)
    else if (byCode.has(code)) say(`${code} appears twice`)
    else byCode.set(code, item)
    if (!backlogCategories.includes(item?.category)) say(`${at}: unknown category ${fmt(item?.category)} (one of ${backlogCategories.join(', ')})`)
    if (!backlogStatuses.includes(item?.status)) say(`${at}: unknown status ${fmt(item?.status)} (one of ${backlogStatuses.join(', ')})`)
    if (!isFiniteNumber(item?.cost_yuan)) say(`${at}: cost ${fmt(item?.cost_yuan)} is not a number of yuan`)
    else if (item.cost_yuan < 0) say(`${at}: cost ¥${item.cost_yuan} is negative`)
    else if (toFen(item.cost_yuan) === null) say(`${at}: cost ¥${item.cost_yuan} is finer than a fen`)
    if (!isFiniteNumber(item?.score)) say(`${at}: score ${fmt(item?.score)} is not a number`)
    else if (item.score < 0 || item.score > 100) say(`${at}: score ${item.score} is outside 0–100`)
    else if (scaled(item.score, 2) === null) say(`${at}: score ${item.score} has more than 2 decimals`)
    if (typeof item?.street_code !== 'string' || !item.street_code) say(`${at}: no street office code`)
    if (!Array.isArray(item?.depends_on)) say(`${at}: depends_on must be a list of item codes`)
  }
  for (const item of items) {
    if (!Array.isArray(item?.depends_on)) continue
    for (const d of item.depends_on) {
      if (d === item.code) say(`${item.code} depends on itself`)
      else if (!byCode.has(d)) say(`${item.code} depends on ${typeof d === 'string' ? d : fmt(d)}, which is not in the backlog`)
    }
  }
  if (!problems.length) {
    const cycle = dependencyCycle(items)
    if (cycle) say(`the dependencies make a cycle: ${cycle.join(' → ')}`)
  }

  const budgets = input.budgets
  if (!Array.isArray(budgets) || budgets.length < 1 || budgets.length > maxYears)
    say(`budgets must give 1 to ${maxYears} years, one budget each (got ${Array.isArray(budgets) ? budgets.length : fmt(budgets)})`)
  else
    for (const [y, b] of budgets.entries())
      if (!isFiniteNumber(b) || b < 0) say(`the budget of year ${y + 1} (${fmt(b)}) must be a finite number of yuan, 0 or more`)

  const c = input.constraints ?? {}
  const known = (code: unknown, what: string): code is string => {
    if (typeof code !== 'string' || !byCode.has(code)) {
      say(`${what}: ${fmt(code)} is not in the backlog`)
      return false
    }
    return true
  }
  const candidate = (code: string, what: string) => {
    const status = byCode.get(code)!.status
    if (!candidateStatuses.includes(status)) say(`${what}: ${code} is ${status.replace('_', ' ')}, not a candidate of the plan`)
  }
  const listOf = (x: unknown, what: string): unknown[] => {
    if (x === undefined) return []
    if (!Array.isArray(x)) {
      say(`${what} must be a list`)
      return []
    }
    return x
  }
  const must = new Set<string>()
  for (const code of listOf(c.must, 'must-do items')) {
    if (!known(code, 'must-do')) continue
    must.add(code)
    candidate(code, 'must-do')
  }
  for (const code of listOf(c.exclude, 'excluded items')) if (known(code, 'excluded')) candidate(code, 'excluded')

  const seenCategory = new Set<string>()
  let minTotal = 0
  for (const s of listOf(c.categoryShare, 'category shares') as CategoryShare[]) {
    const cat = s?.category
    if (!backlogCategories.includes(cat)) {
      say(`category share: unknown category ${fmt(cat)}`)
      continue
    }
    if (seenCategory.has(cat)) say(`category share: ${cat} is given twice`)
    seenCategory.add(cat)
    for (const [bound, v] of [['minimum', s.min], ['maximum', s.max]] as const) {
      if (v === undefined) continue
      if (!isFiniteNumber(v) || v < 0 || v > 1) say(`category share: the ${bound} share of ${cat} (${fmt(v)}) must lie between 0 and 1`)
      else if (toBasisPoints(v) === null) say(`category share: the ${bound} share of ${cat} (${v}) is finer than 0.01 %`)
    }
    if (s.min === undefined && s.max === undefined) say(`category share: ${cat} has neither a minimum nor a maximum`)
    if (isFiniteNumber(s.min) && isFiniteNumber(s.max) && s.min > s.max) say(`category share: the minimum share of ${cat} (${s.min}) is above its maximum (${s.max})`)
    if (isFiniteNumber(s.min)) minTotal += s.min
  }
  if (minTotal > 1 + 1e-9) say(`category shares: the minimums add up to ${percent(minTotal)}, more than the whole plan`)

  const streets = new Set(items.map((i) => i?.street_code))
  const seenStreet = new Set<string>()
  for (const f of listOf(c.streetFloor, 'street floors') as { street_code: unknown; min_yuan: unknown }[]) {
    const street = f?.street_code
    if (typeof street !== 'string' || !streets.has(street)) say(`street floor: street office ${fmt(street)} has no item in the backlog`)
    else if (seenStreet.has(street)) say(`street floor: street office ${street} is given twice`)
    else seenStreet.add(street)
    if (!isFiniteNumber(f?.min_yuan) || f.min_yuan < 0) say(`street floor: ${fmt(f?.min_yuan)} for ${fmt(street)} must be a finite number of yuan, 0 or more`)
  }
  for (const group of listOf(c.exclusive, 'exclusive groups')) {
    const codes = listOf(group, 'an exclusive group')
    if (codes.length < 2) say(`exclusive group [${codes.map(fmt).join(', ')}] needs at least two items`)
    if (new Set(codes).size !== codes.length) say(`exclusive group [${codes.map(fmt).join(', ')}] names an item twice`)
    for (const code of codes) known(code, 'exclusive group')
  }
  if (c.keepApproved !== undefined && typeof c.keepApproved !== 'boolean') say(`keepApproved must be true or false (got ${fmt(c.keepApproved)})`)
  if (problems.length) throw new PlanInputError(problems.join('; '))
}
