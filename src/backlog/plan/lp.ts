// Which items every optimal plan treats alike, from one LP: with the relaxation's optimum z and the
// reduced cost d of a column at a bound, moving the column to its other bound bounds the LP — and so
// every plan — by z − |d|. If that is below the optimum, no optimal plan moves it. Only the few
// items near the margin stay open, and only those need the tie-break's solves. A column the LP
// leaves between its bounds is never settled; the margin absorbs the LP's rounding, so an unsure
// case stays open (which costs a solve, never a wrong plan).
import type { Highs } from 'highs'
import { buildModel, column, type Setting } from './model.ts'
import type { Problem } from './problem.ts'
import { solverOptions } from './solver.ts'

/** Per candidate: 1 funded in every optimal plan, 0 in none, -1 open (or pinned by the setting). */
export function settle(highs: Highs, problem: Problem, setting: Setting, optimum: number): Int8Array {
  const { items, years } = problem
  const out = new Int8Array(items.length).fill(-1)
  const { model: m, contradictory } = buildModel(highs, problem, setting)
  if (contradictory || m.numCols === 0) return out
  const model = highs.createModel({ ...m, integrality: undefined })
  try {
    model.options.set({ output_flag: false, presolve: 'off', solver: 'simplex', random_seed: solverOptions.random_seed })
    const { modelStatus } = model.run()
    if (modelStatus !== highs.constants.modelStatus.optimal) return out
    const z = model.getObjectiveValue()
    const { colValue, colDual } = model.getSolution()
    const margin = 1e-6 * Math.abs(z) + 1e-3
    const atBound = (c: number) => Math.abs(colValue[c]) < 1e-9 || Math.abs(colValue[c] - 1) < 1e-9
    for (let i = 0; i < items.length; i++) {
      const cols = Array.from({ length: years }, (_, y) => column(years, i, y))
      if (!cols.every(atBound)) continue
      const funded = cols.some((c) => colValue[c] > 0.5)
      if (funded) {
        // every column of the item to 0
        const drop = cols.reduce((s, c) => s + Math.abs(colDual[c]) * colValue[c], 0)
        if (z - drop < optimum - margin) out[i] = 1
      } else {
        // some column of the item to 1: the best of them
        const best = Math.min(...cols.map((c) => Math.abs(colDual[c])))
        if (z - best < optimum - margin) out[i] = 0
      }
    }
    return out
  } finally {
    model.dispose()
  }
}
