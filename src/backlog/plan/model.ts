// The 0/1 programme of a plan, built row by row from the problem and a setting: which constraint
// groups are on, which budgets hold, what is maximised or minimised, and any items pinned in or
// out. One builder serves the plan, the tie-break, the deletion filter, the reasons and the curve,
// so every question the plan answers is asked of the same model.
//
// x[i][y] = 1 when candidate i is funded in year y. Rows keep exact meaning under HiGHS's
// tolerances: money rows are in yuan with half a fen of slack (every plan costs whole fen), share
// rows in fen with basis-point coefficients and half a unit of slack, score rows in hundredths with
// half a hundredth.
import type { Highs, ModelData } from 'highs'
import type { Problem } from './problem.ts'
import type { Assignment } from './verify.ts'

export type Objective = 'score' | 'none' | 'cost' | 'delay' | { weights: number[] }

export interface Setting {
  /** Constraint groups switched off, by id. */
  off?: ReadonlySet<number>
  /** Budgets in fen in place of the problem's; null: no budget at all (unlimited money). */
  budgetsFen?: number[] | null
  objective: Objective
  /** Σ score ≥ this many hundredths. */
  minPoints?: number
  /** Items pinned: 1 funded (in some year), 0 not funded. */
  fixed?: ReadonlyMap<number, 0 | 1>
  /** Funded sets (years aside) the plan must differ from: ones shown not to fit the years. */
  cuts?: readonly Assignment[]
}

export interface Built {
  model: ModelData
  /** The bounds alone contradict each other (an item both forced in and kept out). */
  contradictory: boolean
  /** Columns: candidate i, year y → i * years + y. */
  years: number
  /** A cost objective counts in units of this many fen (the costs' common divisor): small whole numbers. */
  costUnit: number
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a)

export const column = (years: number, item: number, year: number) => item * years + year

/** Whether group g is on in the setting. */
export const isOn = (setting: Setting, id: number) => !setting.off?.has(id)

/** Lower and upper bound of Σ_y x[i][y] for every candidate under the setting. */
export function itemBounds(problem: Problem, setting: Setting): { lo: Uint8Array; hi: Uint8Array } {
  const n = problem.items.length
  const lo = new Uint8Array(n)
  const hi = new Uint8Array(n).fill(1)
  for (const g of problem.groups) {
    if (!isOn(setting, g.id)) continue
    if (g.kind === 'must' || g.kind === 'keep_approved') lo[g.item] = 1
    else if (g.kind === 'exclude') hi[g.item] = 0
    else if (g.kind === 'precedence' && g.before === null) hi[g.after] = 0
  }
  for (const [i, v] of setting.fixed ?? []) {
    if (v === 1) lo[i] = 1
    else hi[i] = 0
  }
  return { lo, hi }
}

export function buildModel(highs: Highs, problem: Problem, setting: Setting): Built {
  const { items, years } = problem
  const n = items.length
  const numCols = n * years
  const { lo, hi } = itemBounds(problem, setting)
  const contradictory = lo.some((v, i) => v > hi[i])
  const colLower = new Float64Array(numCols)
  const colUpper = new Float64Array(numCols)
  for (let i = 0; i < n; i++)
    for (let y = 0; y < years; y++) {
      colUpper[column(years, i, y)] = hi[i]
      colLower[column(years, i, y)] = years === 1 ? Math.min(lo[i], hi[i]) : 0
    }

  const starts: number[] = [0]
  const indices: number[] = []
  const values: number[] = []
  const rowLower: number[] = []
  const rowUpper: number[] = []
  const row = (cols: number[], coefs: number[], lower: number, upper: number) => {
    for (let k = 0; k < cols.length; k++) {
      if (coefs[k] === 0) continue
      indices.push(cols[k])
      values.push(coefs[k])
    }
    starts.push(indices.length)
    rowLower.push(lower)
    rowUpper.push(upper)
  }
  /** Every column of the given items (all years), with a coefficient per item. */
  const allYears = (coef: (i: number) => number) => {
    const cols: number[] = []
    const coefs: number[] = []
    for (let i = 0; i < n; i++) {
      const c = coef(i)
      if (c === 0 || hi[i] === 0) continue
      for (let y = 0; y < years; y++) {
        cols.push(column(years, i, y))
        coefs.push(c)
      }
    }
    return [cols, coefs] as const
  }

  if (years > 1)
    for (let i = 0; i < n; i++) {
      if (hi[i] === 0) continue
      const cols = Array.from({ length: years }, (_, y) => column(years, i, y))
      row(cols, cols.map(() => 1), lo[i], 1)
    }

  const budgets = setting.budgetsFen === undefined ? problem.budgetsFen : setting.budgetsFen
  for (const g of problem.groups) {
    if (!isOn(setting, g.id)) continue
    switch (g.kind) {
      case 'budget': {
        if (budgets === null) break
        const cols: number[] = []
        const coefs: number[] = []
        for (let i = 0; i < n; i++)
          if (hi[i] && items[i].fen > 0) {
            cols.push(column(years, i, g.year))
            coefs.push(items[i].fen / 100)
          }
        row(cols, coefs, -Infinity, (budgets[g.year] + 0.5) / 100)
        break
      }
      case 'precedence': {
        if (g.before === null || hi[g.after] === 0) break
        for (let y = 0; y < years; y++) {
          const cols = [column(years, g.after, y)]
          const coefs = [1]
          for (let z = 0; z <= y; z++) {
            cols.push(column(years, g.before, z))
            coefs.push(-1)
          }
          row(cols, coefs, -Infinity, 0)
        }
        break
      }
      case 'category_min':
      case 'category_max': {
        // Σ_cat cost − s·Σ cost, in fen, s in basis points: exact to 1e-4 fen.
        const [cols, coefs] = allYears((i) => ((items[i].category === g.category ? 10000 - g.bp : -g.bp) * items[i].fen) / 10000)
        if (g.kind === 'category_min') row(cols, coefs, -0.5e-4, Infinity)
        else row(cols, coefs, -Infinity, 0.5e-4)
        break
      }
      case 'street_floor': {
        const [cols, coefs] = allYears((i) => (items[i].street === g.street ? items[i].fen / 100 : 0))
        row(cols, coefs, (g.fen - 0.5) / 100, Infinity)
        break
      }
      case 'exclusive': {
        const [cols, coefs] = allYears((i) => (g.members.includes(i) ? 1 : 0))
        row(cols, coefs, -Infinity, 1)
        break
      }
      default:
        break
    }
  }
  for (const cut of setting.cuts ?? []) {
    // Σ_{i ∉ S} x_i − Σ_{i ∈ S} x_i ≥ 1 − |S|: at least one item in or out otherwise
    const [cols, coefs] = allYears((i) => (cut[i] >= 0 ? -1 : 1))
    row(cols, coefs, 1 - cut.reduce((s, y) => s + (y >= 0 ? 1 : 0), 0) - 0.5, Infinity)
  }
  if (setting.minPoints !== undefined) {
    const [cols, coefs] = allYears((i) => items[i].points)
    row(cols, coefs, setting.minPoints - 0.5, Infinity)
  }

  const colCost = new Float64Array(numCols)
  const objective = setting.objective
  const costUnit = items.reduce((g, c) => gcd(g, c.fen), 0) || 1
  let maximise = true
  for (let i = 0; i < n; i++)
    for (let y = 0; y < years; y++) {
      const c = column(years, i, y)
      if (objective === 'score') colCost[c] = items[i].points
      else if (objective === 'cost') colCost[c] = items[i].fen / costUnit
      else if (objective === 'delay') colCost[c] = y
      else if (objective !== 'none') colCost[c] = objective.weights[i]
    }
  if (objective === 'cost' || objective === 'delay') maximise = false

  const numRows = rowLower.length
  const model: ModelData = {
    numCols,
    numRows,
    sense: maximise ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: 'csr', numRows, numCols, starts, indices, values },
    integrality: new Int32Array(numCols).fill(highs.constants.variableType.integer),
  }
  return { model, contradictory, years, costUnit }
}
