// The backlog's plan core: pure TypeScript (no React, no map, no DOM), run by the command line in
// Node, by the page's Web Worker and by the benchmarks. HiGHS is loaded lazily by loadHighs.
export { rankAndCut, type RankBy } from './baseline.ts'
export { budgetCurve } from './curve.ts'
export { formatPoints, formatReason } from './format.ts'
export { candidates, PlanInputError, validatePlanInput } from './input.ts'
export { solvePlan, type SolveOptions } from './solve.ts'
export { loadHighs } from './solver.ts'
