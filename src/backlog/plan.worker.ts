// The plan in a Web Worker, behind comlink: HiGHS (WebAssembly, ~3.5 MB) and the plan core load
// here, lazily, once the backlog is opened, and never in the page's first bundle. The page sends
// the scored items with the budgets and constraints; the worker turns them into the plan's input,
// solves, and answers in plain data. A bad input comes back in words, not as a thrown error.
import { expose } from 'comlink'
import type { Highs } from 'highs'
import wasmUrl from 'highs/runtime?url'
import { budgetCurve, candidates, loadHighs, PlanInputError, solvePlan, validatePlanInput } from './plan/index.ts'
import type { CurvePoint, PlanConstraints, PlanInput, PlanResult, ScoredItem } from './types.ts'

export interface PlanRequest {
  /** backlog_scores()'s items, without their geometry. */
  items: ScoredItem[]
  budgets: number[]
  constraints: PlanConstraints
}

export type PlanAnswer = { ok: true; result: PlanResult; ms: number } | { ok: false; message: string }
export type CurveAnswer = { ok: true; points: CurvePoint[]; ms: number } | { ok: false; message: string }

let highs: Promise<Highs> | null = null

function inputOf(request: PlanRequest): PlanInput {
  const input: PlanInput = { items: candidates(request.items), budgets: request.budgets, constraints: request.constraints }
  validatePlanInput(input)
  return input
}

/** A refusal in words; anything else is a fault of the code and goes up as it is. */
function refusal(error: unknown): { ok: false; message: string } {
  if (error instanceof PlanInputError) return { ok: false, message: error.message }
  throw error
}

const api = {
  /** Loads HiGHS; the milliseconds it took. */
  async load(): Promise<number> {
    const t0 = performance.now()
    highs ??= loadHighs({ wasmUrl })
    await highs
    return performance.now() - t0
  },

  /** The optimal plan; with `reasons`, a reason for every item too (a few more solves). */
  async solve(request: PlanRequest, reasons: boolean): Promise<PlanAnswer> {
    const solver = await (highs ??= loadHighs({ wasmUrl }))
    try {
      const t0 = performance.now()
      const result = solvePlan(solver, inputOf(request), { reasons })
      return { ok: true, result, ms: performance.now() - t0 }
    } catch (error) {
      return refusal(error)
    }
  },

  /** Total score against budget from ¥0 to the backlog's total: optimal, and both rank-and-cut lines. */
  async curve(request: PlanRequest, points = 100): Promise<CurveAnswer> {
    const solver = await (highs ??= loadHighs({ wasmUrl }))
    try {
      const t0 = performance.now()
      const curve = budgetCurve(solver, inputOf(request), points)
      return { ok: true, points: curve, ms: performance.now() - t0 }
    } catch (error) {
      return refusal(error)
    }
  },
}

export type PlanWorker = typeof api

expose(api)
