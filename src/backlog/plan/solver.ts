// HiGHS behind one call: load it once (lazily: the Wasm is 3.5 MB and only the plan needs it),
// build the model of a setting, run it with fixed options, and hand back a plan checked exactly.
// Every model is disposed, whatever happens.
import type { Highs } from 'highs'
import { buildModel, column, type Setting } from './model.ts'
import type { Problem } from './problem.ts'
import { totals, violations, type Assignment } from './verify.ts'

const loaded = new Map<string, Promise<Highs>>()

/**
 * HiGHS, loaded once per Wasm location. Node finds the Wasm beside the package; a browser worker
 * passes the URL its bundler gave to `highs/runtime`.
 */
export function loadHighs(options?: { wasmUrl?: string }): Promise<Highs> {
  const url = options?.wasmUrl ?? ''
  let highs = loaded.get(url)
  if (!highs) {
    highs = import('highs').then(({ default: load }) => load(url ? { locateFile: (file: string) => (file.endsWith('.wasm') ? url : file) } : {}))
    highs.catch(() => loaded.delete(url))
    loaded.set(url, highs)
  }
  return highs
}

/**
 * Fixed options: no output, exact optimality (objectives are whole units, so an absolute gap of half
 * a unit proves the optimum), one seed.
 */
export const solverOptions = {
  output_flag: false,
  mip_rel_gap: 0,
  mip_abs_gap: 0.5,
  random_seed: 0,
} as const

/**
 * Small one-year models (a city's backlog) run lean: presolve, the primal heuristics and symmetry
 * detection cost more than they save there (the feasibility jump alone tripled the time of a
 * 56-item solve), and the plan hands HiGHS a starting plan wherever it has one. Large ones (500
 * items) run faster with HiGHS's own defaults (0.7 s against 1.2 s), and so do the yearly models,
 * packing problems where the heuristics find plans the search alone is slow to reach. The switch
 * depends on the model alone, so the answer stays deterministic.
 */
export const leanOptions = {
  presolve: 'off',
  mip_detect_symmetry: false,
  mip_heuristic_effort: 0,
  mip_heuristic_run_feasibility_jump: false,
  mip_heuristic_run_rins: false,
  mip_heuristic_run_rens: false,
  mip_heuristic_run_root_reduced_cost: false,
  mip_heuristic_run_zi_round: false,
  mip_heuristic_run_shifting: false,
} as const
export const leanUpToColumns = 300

export interface Outcome {
  status: 'optimal' | 'infeasible' | 'time_limit'
  /** Checked exactly; null when infeasible, or when a time limit stopped the run before any plan. */
  plan: Assignment | null
  /** The objective of the plan in its whole units (hundredths, fen, years, weights). */
  value: number
}

export interface RunOptions {
  timeLimitS?: number
  /** A plan to start from (it need not be feasible). */
  start?: Assignment | null
}

/** The objective of a plan, exactly. */
export function objectiveOf(problem: Problem, setting: Setting, plan: Assignment): number {
  const o = setting.objective
  if (o === 'score') return totals(problem, plan).points
  if (o === 'cost') return totals(problem, plan).fen
  if (o === 'none') return 0
  let v = 0
  for (let i = 0; i < plan.length; i++) if (plan[i] >= 0) v += o === 'delay' ? plan[i] : o.weights[i]
  return v
}

function assignment(problem: Problem, colValue: ArrayLike<number>): Assignment {
  const { items, years } = problem
  const plan = new Int8Array(items.length).fill(-1)
  for (let i = 0; i < items.length; i++)
    for (let y = 0; y < years; y++) {
      const v = colValue[column(years, i, y)]
      if (v > 0.5) {
        if (plan[i] >= 0) throw new Error(`HiGHS funded ${items[i].code} twice`)
        plan[i] = y
      }
    }
  return plan
}

/** HiGHS runs and their time since the module loaded (the benchmarks report them). */
export const solveStats = { runs: 0, ms: 0 }

/** Solves one setting; throws if HiGHS errs or answers with a plan that breaks the model. */
export function solveSetting(highs: Highs, problem: Problem, setting: Setting, options: RunOptions = {}): Outcome {
  const started = performance.now()
  try {
    return solveOnce(highs, problem, setting, options)
  } finally {
    solveStats.runs++
    solveStats.ms += performance.now() - started
  }
}

function solveOnce(highs: Highs, problem: Problem, setting: Setting, options: RunOptions): Outcome {
  const built = buildModel(highs, problem, setting)
  if (built.contradictory) return { status: 'infeasible', plan: null, value: 0 }
  const m = built.model
  if (m.numCols === 0) {
    const plan = new Int8Array(0)
    return violations(problem, setting, plan).length ? { status: 'infeasible', plan: null, value: 0 } : { status: 'optimal', plan, value: 0 }
  }
  const model = highs.createModel(m)
  try {
    const lean = problem.years === 1 && m.numCols <= leanUpToColumns
    model.options.set({ ...solverOptions, ...(lean ? leanOptions : {}), ...(options.timeLimitS ? { time_limit: options.timeLimitS } : {}) })
    if (options.start) {
      const colValue = new Float64Array(m.numCols)
      for (let i = 0; i < options.start.length; i++) if (options.start[i] >= 0) colValue[column(problem.years, i, options.start[i])] = 1
      model.setSolution({ colValue })
    }
    const { modelStatus } = model.run()
    const codes = highs.constants.modelStatus
    if (modelStatus === codes.infeasible || modelStatus === codes.unboundedOrInfeasible) return { status: 'infeasible', plan: null, value: 0 }
    let status: Outcome['status']
    if (modelStatus === codes.optimal || modelStatus === codes.empty) status = 'optimal'
    else if (modelStatus === codes.timeLimit) status = 'time_limit'
    else throw new Error(`HiGHS stopped with model status ${modelStatus}`)
    if (status === 'time_limit' && Number(model.info.get('primal_solution_status')) !== highs.constants.solutionStatus.feasible)
      return { status, plan: null, value: 0 }
    const plan = assignment(problem, model.getSolution().colValue)
    const broken = violations(problem, setting, plan)
    if (broken.length) throw new Error(`HiGHS returned a plan that breaks the model: ${broken.join('; ')}`)
    const value = objectiveOf(problem, setting, plan)
    const reported = model.getObjectiveValue() * (setting.objective === 'cost' ? built.costUnit : 1)
    if (status === 'optimal' && Math.abs(value - reported) > 0.5 * (setting.objective === 'cost' ? built.costUnit : 1))
      throw new Error(`HiGHS reports the objective ${reported}, its plan makes ${value}`)
    return { status, plan, value }
  } finally {
    model.dispose()
  }
}
