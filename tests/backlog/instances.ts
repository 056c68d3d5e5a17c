// Seeded backlogs for the plan's tests: hand-made items and random knapsacks with the awkward
// cases on purpose (equal scores, zero scores, items dearer than the budget, budget 0, budget
// above the whole backlog).
import { random } from '../../src/circles/engine/testing.ts'
import type { Category, FactorValue, PlanItem, ScoredItem } from '../../src/backlog/types.ts'

export function item(code: string, score: number, cost: number, extra: Partial<PlanItem> = {}): PlanItem {
  return {
    code,
    name: `工程${code}`,
    category: '硬化',
    cost_yuan: cost,
    score,
    street_code: '331181001',
    community_code: '331181001001',
    status: 'proposed',
    depends_on: [],
    ...extra,
  }
}

/** An item as backlog_scores() gives it, every field filled, its factors all naught: for code that reads some of them. */
export function scoredItem(code: string, extra: Partial<ScoredItem> = {}): ScoredItem {
  const naught: FactorValue = { raw: null, normalised: 0, part: 0 }
  return {
    code,
    name: `工程${code}`,
    category: '硬化',
    status: 'proposed',
    version: 1,
    cost_yuan: 0,
    households_served: null,
    complaints: null,
    severity: null,
    requested_on: null,
    waiting_days: null,
    village: false,
    community_code: '331181001001',
    community_name: '社区',
    street_code: '331181001',
    street_name: '街道',
    depends_on: [],
    factors: { households: naught, complaints: naught, severity: naught, cost_per_household: naught, village: naught, waiting: naught },
    score: 0,
    updated_at: '2026-01-01T00:00:00Z',
    updated_by: null,
    ...extra,
  }
}

export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rand = random(seed)
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

export interface Knapsack {
  items: PlanItem[]
  budget: number
  /** Which awkward case the budget is. */
  case: string
}

/** A random 0/1 knapsack of up to `maxItems` items; the seed picks every awkward case in turn. */
export function randomKnapsack(seed: number, maxItems = 24): Knapsack {
  const rand = random(seed)
  const n = 1 + Math.floor(rand() * maxItems)
  const scoreMode = seed % 4 // 0: free scores, 1: few distinct scores (ties), 2: many zeros, 3: equal score per yuan
  const palette = Array.from({ length: 3 }, () => Math.round(rand() * 10000) / 100)
  const items: PlanItem[] = []
  for (let k = 0; k < n; k++) {
    const cost = rand() < 0.05 ? 0 : 1000 * (1 + Math.floor(rand() * 3000))
    let score = Math.round(rand() * 10000) / 100
    if (scoreMode === 1) score = palette[Math.floor(rand() * palette.length)]
    else if (scoreMode === 2 && rand() < 0.4) score = 0
    else if (scoreMode === 3) score = Math.min(100, Math.round(cost / 300) / 100)
    items.push(item(`R${String(seed).padStart(4, '0')}-${String(k).padStart(2, '0')}`, score, cost, { category: (['硬化', '亮化', '供水'] as Category[])[k % 3] }))
  }
  const total = items.reduce((s, i) => s + i.cost_yuan, 0)
  const budgetMode = Math.floor(seed / 4) % 5
  const budget =
    budgetMode === 0 ? 0 : budgetMode === 1 ? total + Math.floor(rand() * 1e6) : budgetMode === 2 ? total : Math.floor(total * (0.1 + 0.8 * rand()))
  // some items dearer than the whole budget
  if (budget > 0 && budget < total && rand() < 0.5) items[Math.floor(rand() * n)].cost_yuan = budget + 1000 * (1 + Math.floor(rand() * 100))
  return { items, budget, case: ['budget 0', 'budget above the total', 'budget = total', 'budget inside', 'budget inside'][budgetMode] }
}
