// The backlog's figures in words and shapes for the page: scores, the budget and its years, the
// filters, the budget curve as SVG paths; money is written by the core (src/i18n/core.ts). Pure:
// the panel, the map and the tests share it; it imports neither React nor the plan core (which
// stays in the worker's chunk).
import { formatNumber, moneyScale, type Lang } from '../i18n/core.ts'
import { translateValue, type Translate } from '../i18n/index.ts'
import { statusTransitions, type Category, type CurvePoint, type ScoredItem, type Status } from './types.ts'

export { exampleBudget } from './types.ts'
export const maxYears = 5

/** Only these statuses are weighed by the plan (./plan); the others are under way, done or rejected. */
export const candidateStatuses: readonly Status[] = ['proposed', 'approved']
export const isCandidate = (item: Pick<ScoredItem, 'status'>) => candidateStatuses.includes(item.status)

/** The money the whole backlog asks for: the candidates' cost, the top of the budget slider. */
export function candidatesTotal(items: readonly Pick<ScoredItem, 'status' | 'cost_yuan'>[]): number {
  return items.reduce((sum, item) => (isCandidate(item) ? sum + Number(item.cost_yuan) : sum), 0)
}

/** A category in the page's language (the Chinese name is the data's own). */
export const categoryName = (t: Translate, category: string) => translateValue(t, 'backlogCategory', category)

/** A score: points with two decimals, as the database gives them. */
export const formatScore = (lang: Lang, score: number) => formatNumber(lang, score, 2)

/** The unit of the budget fields: the reader's large unit of money (万元, millions). */
export const budgetUnit = (lang: Lang) => moneyScale[lang]

/** A year's budget in the field's unit, without float noise (2,000 / 20 / 6.666667). */
export function toField(lang: Lang, yuan: number): string {
  return String(Number((yuan / budgetUnit(lang)).toFixed(lang === 'zh' ? 4 : 6)))
}

/** What a budget field says, back in whole yuan; null when it is not a sum of money. */
export function fromField(lang: Lang, text: string): number | null {
  const trimmed = text.trim().replace(/,/g, '')
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(trimmed)) return null
  const yuan = Math.round(Number(trimmed) * budgetUnit(lang))
  return Number.isFinite(yuan) ? yuan : null
}

/** `total` split over `years`, in whole yuan: equal shares, the remainder in year 1. */
export function splitBudget(total: number, years: number): number[] {
  const n = Math.min(Math.max(Math.round(years), 1), maxYears)
  const each = Math.floor(total / n)
  return Array.from({ length: n }, (_, i) => (i === 0 ? total - each * (n - 1) : each))
}

/** The budgets scaled so that they add up to `total`, each year keeping its share (whole yuan). */
export function scaleBudgets(budgets: readonly number[], total: number): number[] {
  const sum = budgets.reduce((a, b) => a + b, 0)
  if (sum <= 0) return splitBudget(total, budgets.length)
  const scaled = budgets.map((b) => Math.floor((b * total) / sum))
  scaled[0] += total - scaled.reduce((a, b) => a + b, 0)
  return scaled
}

/** The steps a status may take next (the database refuses any other). */
export const nextStatuses = (status: Status): readonly Status[] => statusTransitions[status] ?? []

export interface ItemFilter {
  categories: readonly Category[]
  statuses: readonly Status[]
  street: string | null
  community: string | null
}

/** The items shown: an empty list of categories or statuses means all of them. */
export function filterItems<T extends Pick<ScoredItem, 'category' | 'status' | 'street_code' | 'community_code'>>(items: readonly T[], filter: ItemFilter): T[] {
  return items.filter(
    (item) =>
      (!filter.categories.length || filter.categories.includes(item.category)) &&
      (!filter.statuses.length || filter.statuses.includes(item.status)) &&
      (!filter.street || item.street_code === filter.street) &&
      (!filter.community || item.community_code === filter.community),
  )
}

/** Highest score first; equal scores by code, as the plan breaks ties. */
export function sortByScore<T extends Pick<ScoredItem, 'code' | 'score'>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
}

/** Street offices and communities of the items, by name, for the filters. */
export function placesOf(items: readonly ScoredItem[]): { streets: { code: string; name: string }[]; communities: { code: string; name: string; street_code: string }[] } {
  const streets = new Map<string, string>()
  const communities = new Map<string, { code: string; name: string; street_code: string }>()
  for (const item of items) {
    streets.set(item.street_code, item.street_name)
    communities.set(item.community_code, { code: item.community_code, name: item.community_name, street_code: item.street_code })
  }
  const byName = (a: { name: string; code: string }, b: { name: string; code: string }) => a.name.localeCompare(b.name, 'zh-CN') || a.code.localeCompare(b.code)
  return {
    streets: [...streets].map(([code, name]) => ({ code, name })).sort(byName),
    communities: [...communities.values()].sort(byName),
  }
}

/** The parts of an item's score in the factors' order, and whether they add up to it (to the cent). */
export function partsAddUp(item: Pick<ScoredItem, 'factors' | 'score'>): boolean {
  const sum = Object.values(item.factors).reduce((s, f) => s + Math.round(Number(f.part) * 100), 0)
  return sum === Math.round(Number(item.score) * 100)
}

// ---------------------------------------------------------------- the budget curve

export interface CurveShape {
  width: number
  height: number
  /** SVG path data of the optimal plan's score, and of the two rank-and-cut lines. */
  optimal: string
  greedy: string
  perYuan: string
  /** The x of a budget, clamped to the plot. */
  x(budget: number): number
  /** The y of a score. */
  y(score: number): number
  maxBudget: number
  maxScore: number
}

/** The curve scaled into a box: budgets left to right from ¥0, scores bottom to top from 0. */
export function curveShape(points: readonly CurvePoint[], width: number, height: number, pad = { left: 4, right: 4, top: 6, bottom: 4 }): CurveShape {
  const maxBudget = Math.max(1, ...points.map((p) => p.budget_yuan))
  const maxScore = Math.max(1, ...points.map((p) => Math.max(p.total_score, p.greedy_score, p.greedy_per_yuan_score)))
  const w = width - pad.left - pad.right
  const h = height - pad.top - pad.bottom
  const x = (budget: number) => pad.left + (Math.min(Math.max(budget, 0), maxBudget) / maxBudget) * w
  const y = (score: number) => pad.top + h - (Math.max(score, 0) / maxScore) * h
  const path = (value: (p: CurvePoint) => number) =>
    points.map((p, i) => `${i ? 'L' : 'M'}${x(p.budget_yuan).toFixed(1)},${y(value(p)).toFixed(1)}`).join('')
  return {
    width,
    height,
    optimal: path((p) => p.total_score),
    greedy: path((p) => p.greedy_score),
    perYuan: path((p) => p.greedy_per_yuan_score),
    x,
    y,
    maxBudget,
    maxScore,
  }
}
