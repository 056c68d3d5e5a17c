// The oracle of the plan: an exact dynamic programme for the plain 0/1 knapsack, written apart from
// the plan core (nothing shared with src/backlog/plan). By profit: scores in whole hundredths of a
// point, minCost[s] = the least cost in yuan of a set scoring exactly s; the optimum at budget B is
// the largest s with minCost[s] ≤ B. Costs stay exact as long as they are whole yuan (or whole fen,
// scaled by the caller) below 2^53.

export interface DpItem {
  /** Score in points, 2 decimals. */
  score: number
  cost: number
}

const hundredths = (score: number) => Math.round(score * 100)

/** minCost[s] for every total score s (hundredths) of the given items. */
export function minCostTable(items: DpItem[]): Float64Array {
  const top = items.reduce((s, i) => s + hundredths(i.score), 0)
  const table = new Float64Array(top + 1).fill(Infinity)
  table[0] = 0
  let reach = 0
  for (const item of items) {
    const p = hundredths(item.score)
    reach += p
    for (let s = reach; s >= p; s--) {
      const via = table[s - p] + item.cost
      if (via < table[s]) table[s] = via
    }
  }
  return table
}

/** The best total score (hundredths) within the budget, from a minCost table; -1 if none. */
export function bestWithin(table: Float64Array, budget: number): number {
  for (let s = table.length - 1; s >= 0; s--) if (table[s] <= budget) return s
  return -1
}

/** The optimum of the 0/1 knapsack in hundredths of a point. */
export function knapsackOptimum(items: DpItem[], budget: number): number {
  return bestWithin(minCostTable(items), budget)
}

/** The optimum with item k forced in (hundredths), or -1 when it cannot be. */
export function optimumWith(items: DpItem[], k: number, budget: number): number {
  const rest = items.filter((_, i) => i !== k)
  if (items[k].cost > budget) return -1
  return hundredths(items[k].score) + bestWithin(minCostTable(rest), budget - items[k].cost)
}

/** The optimum with item k left out (hundredths). */
export function optimumWithout(items: DpItem[], k: number, budget: number): number {
  return knapsackOptimum(items.filter((_, i) => i !== k), budget)
}

/**
 * The smallest budget ≥ `from` at which item k is in some optimal plan, by brute force: the optimum
 * and the optimum with k change only at the cost of some subset, so those costs (and `from`) are
 * every budget worth trying. Small n only (2^n subsets). Null: never.
 */
export function entersAt(items: DpItem[], k: number, from: number): number | null {
  const costs = new Set<number>([from])
  const n = items.length
  for (let mask = 0; mask < 1 << n; mask++) {
    let c = 0
    for (let i = 0; i < n; i++) if (mask & (1 << i)) c += items[i].cost
    if (c >= from) costs.add(c)
  }
  const table = minCostTable(items)
  const rest = minCostTable(items.filter((_, i) => i !== k))
  for (const budget of [...costs].sort((a, b) => a - b)) {
    if (items[k].cost > budget) continue
    const withIt = hundredths(items[k].score) + bestWithin(rest, budget - items[k].cost)
    if (withIt === bestWithin(table, budget)) return budget
  }
  return null
}

/** g[s] = the least cost of reaching at least s: nondecreasing, so the optimum is a binary search. */
function atLeast(table: Float64Array): Float64Array {
  const g = Float64Array.from(table)
  for (let s = g.length - 2; s >= 0; s--) if (g[s + 1] < g[s]) g[s] = g[s + 1]
  return g
}

function bestBySearch(g: Float64Array, budget: number): number {
  if (!(g[0] <= budget)) return -1
  let lo = 0
  let hi = g.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (g[mid] <= budget) lo = mid
    else hi = mid - 1
  }
  return lo
}

const tables = new WeakMap<DpItem[], Float64Array>()

/**
 * entersAt for larger backlogs: the optimum and the optimum with k change only at the least cost of
 * some score (with or without k), so those costs (and `from`) are every budget worth trying; both
 * lists are already in order, so they are merged and tried from the bottom up.
 */
export function entersAtByTables(items: DpItem[], k: number, from: number): number | null {
  let all = tables.get(items)
  if (!all) tables.set(items, (all = atLeast(minCostTable(items))))
  const rest = atLeast(minCostTable(items.filter((_, i) => i !== k)))
  const p = hundredths(items[k].score)
  const c = items[k].cost
  const enters = (budget: number) => c <= budget && p + bestBySearch(rest, budget - c) === bestBySearch(all, budget)
  if (enters(from)) return from
  let a = 0
  let b = 0
  for (;;) {
    while (a < all.length && !(all[a] > from)) a++
    while (b < rest.length && !(rest[b] + c > from)) b++
    const next = Math.min(a < all.length ? all[a] : Infinity, b < rest.length ? rest[b] + c : Infinity)
    if (!Number.isFinite(next)) return null
    if (enters(next)) return next
    from = next
  }
}
