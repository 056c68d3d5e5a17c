// The backlog's plan (src/backlog/plan) with HiGHS warm: the sample city's 56 items scored by
// backlog_scores() on a copy of the sample database, the 100-point budget curve, and a synthetic
// backlog of 500 items over 5 yearly budgets with category shares and precedences. The rival is
// the bureau's habit, rank by score and cut at the budget line, in the same run (ratio = its time ÷
// ours, so far below 1: the list is instant, the plan is optimal); a second line gives the score
// the plan gains over it. Every answer is checked here, apart from the plan core: never over a
// budget, every constraint kept, the totals what the funded items add up to. A wrong answer fails
// the run.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { budgetCurve, candidates, loadHighs, rankAndCut, solvePlan } from '../src/backlog/plan/index.ts'
import { solveStats } from '../src/backlog/plan/solver.ts'
import { backlogCategories, type BacklogScores, type Category, type CurvePoint, type PlanInput, type PlanItem, type PlanResult } from '../src/backlog/types.ts'
import { random } from '../src/circles/engine/testing.ts'
import { connect } from '../src/db/connect.ts'
import { openDatabase } from '../src/db/database.ts'
import { loadSample } from '../src/db/sample.ts'
import { asCaller, userClaims } from '../src/db/session.ts'
import { compare, median, round, type BenchResult } from './harness.ts'

const log = (message: string) => console.error(`[bench backlog] ${message}`)

/**
 * A synthetic backlog of n items in `sites` sites of 3–4 works each: costs ¥0.1–5M in whole yuan,
 * scores 0–100 in hundredths (some repeated), a 硬化 item waiting for the 排污 and 供水 works of its
 * site, a few approved (kept), in progress, done or rejected.
 */
export function syntheticBacklog(n: number, seed: number): PlanItem[] {
  const rand = random(seed)
  const items: PlanItem[] = []
  const streets = Array.from({ length: 8 }, (_, k) => `3311810${String(k + 1).padStart(2, '0')}`)
  let site = 0
  while (items.length < n) {
    site++
    const street = streets[Math.floor(rand() * streets.length)]
    const community = `${street}${String(site % 1000).padStart(3, '0')}`
    const size = Math.min(n - items.length, 3 + Math.floor(rand() * 2))
    const codes: { code: string; category: Category }[] = []
    for (let k = 0; k < size; k++) {
      const category: Category = k === 0 ? '硬化' : k === 1 ? '排污' : backlogCategories[Math.floor(rand() * backlogCategories.length)]
      const code = `SY-${String(items.length + 1).padStart(4, '0')}`
      const u = rand()
      const status = u < 0.03 ? 'approved' : u < 0.06 ? 'in_progress' : u < 0.08 ? 'done' : u < 0.1 ? 'rejected' : 'proposed'
      const score = rand() < 0.1 && items.length ? items[Math.floor(rand() * items.length)].score : Math.round(rand() * 10000) / 100
      items.push({
        code,
        name: `合成工程${code}`,
        category,
        cost_yuan: Math.round((0.1 + 4.9 * rand() ** 2) * 1e6),
        score,
        street_code: street,
        community_code: community,
        status,
        depends_on: [],
      })
      codes.push({ code, category })
    }
    const road = items[items.length - size]
    road.depends_on = codes.filter((c) => c.category === '排污' || c.category === '供水').map((c) => c.code)
  }
  // approved items are kept: keep them cheap enough that the kept ones fit the first years
  for (const item of items) if (item.status === 'approved') item.cost_yuan = Math.min(item.cost_yuan, 500_000)
  return items
}

/** The 500 × 5 instance: a quarter of the backlog's cost over five years, with shares. */
export function synthetic500x5(): PlanInput {
  const items = syntheticBacklog(500, 20261126)
  const total = items.reduce((s, i) => s + i.cost_yuan, 0)
  const year = Math.round(total / 20)
  return {
    items,
    budgets: [year, year, year, year, year],
    constraints: {
      categoryShare: [
        { category: '硬化', min: 0.2, max: 0.4 },
        { category: '排污', min: 0.15 },
        { category: '亮化', max: 0.15 },
        { category: '绿化', max: 0.15 },
      ],
    },
  }
}

/** The sample city scored as the bureau sees it: backlog_scores() on a fresh copy of the sample database. */
async function sampleScores(): Promise<BacklogScores> {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-backlog-')), 'db')
  const loading = await connect(dir, 'bench')
  await loadSample(loading.db)
  await loading.close()
  const db = await openDatabase(dir)
  try {
    return await asCaller(db, userClaims('works', 'bench'), async (tx) => (await tx.query<{ s: BacklogScores }>('select public.backlog_scores() as s')).rows[0].s, true)
  } finally {
    await db.close()
    fs.rmSync(path.dirname(dir), { recursive: true, force: true })
  }
}

/** Checks a plan against its input by the rules alone; throws on the first problem. */
export function check(input: PlanInput, result: PlanResult, label: string): void {
  const problems: string[] = []
  const byCode = new Map(input.items.map((i) => [i.code, i]))
  const c = input.constraints ?? {}
  const year = new Map<string, number>()
  if (result.status !== 'optimal' || !result.optimal) problems.push(`status ${result.status}`)
  if (result.items.length !== input.items.length) problems.push(`${result.items.length} items reported of ${input.items.length}`)
  for (const r of result.items) {
    if (!r.funded) continue
    const item = byCode.get(r.code)
    if (!item) problems.push(`${r.code} is not in the input`)
    else if (item.status !== 'proposed' && item.status !== 'approved') problems.push(`${r.code} is ${item.status}, yet funded`)
    else if (!r.year || r.year < 1 || r.year > input.budgets.length) problems.push(`${r.code} has year ${r.year}`)
    else year.set(r.code, r.year - 1)
  }
  const spent = (pick: (i: PlanItem) => boolean) => [...year.keys()].map((k) => byCode.get(k)!).filter(pick).reduce((s, i) => s + i.cost_yuan, 0)
  input.budgets.forEach((b, y) => {
    const s = spent((i) => year.get(i.code) === y)
    if (s > b) problems.push(`year ${y + 1} spends ¥${s} of ¥${b}`)
  })
  const points = [...year.keys()].reduce((s, k) => s + Math.round(byCode.get(k)!.score * 100), 0)
  if (Math.round(result.total_score * 100) !== points) problems.push(`total score ${result.total_score}, the funded items add up to ${points / 100}`)
  if (result.total_cost_yuan !== spent(() => true)) problems.push(`total cost ${result.total_cost_yuan}, the funded items add up to ${spent(() => true)}`)
  const exclude = new Set(c.exclude ?? [])
  for (const code of c.must ?? []) if (!year.has(code)) problems.push(`must-do ${code} not funded`)
  for (const code of exclude) if (year.has(code)) problems.push(`excluded ${code} funded`)
  if (c.keepApproved !== false)
    for (const i of input.items) if (i.status === 'approved' && !exclude.has(i.code) && !year.has(i.code)) problems.push(`approved ${i.code} not kept`)
  const total = spent(() => true)
  for (const s of c.categoryShare ?? []) {
    const part = spent((i) => i.category === s.category) * 10000
    if (s.min !== undefined && part < Math.round(s.min * 10000) * total) problems.push(`${s.category} below ${s.min} of the plan`)
    if (s.max !== undefined && part > Math.round(s.max * 10000) * total) problems.push(`${s.category} above ${s.max} of the plan`)
  }
  for (const f of c.streetFloor ?? []) if (spent((i) => i.street_code === f.street_code) < f.min_yuan) problems.push(`street ${f.street_code} below ¥${f.min_yuan}`)
  for (const g of c.exclusive ?? []) if (g.filter((code) => year.has(code)).length > 1) problems.push(`more than one of ${g.join(', ')}`)
  for (const [code, y] of year)
    for (const d of byCode.get(code)!.depends_on) {
      const status = byCode.get(d)!.status
      if (status === 'in_progress' || status === 'done') continue
      if (!year.has(d) || year.get(d)! > y) problems.push(`${code} funded before its prerequisite ${d}`)
    }
  if (problems.length) throw new Error(`${label}: the plan is wrong:\n  ${problems.slice(0, 10).join('\n  ')}`)
}

function checkCurve(input: PlanInput, curve: CurvePoint[], label: string): void {
  const total = input.items.filter((i) => i.status === 'proposed' || i.status === 'approved').reduce((s, i) => s + i.cost_yuan, 0)
  const problems: string[] = []
  if (curve.length !== 100) problems.push(`${curve.length} points`)
  if (curve[0].budget_yuan !== 0) problems.push(`first point at ¥${curve[0].budget_yuan}`)
  if (curve.at(-1)!.budget_yuan !== total) problems.push(`last point at ¥${curve.at(-1)!.budget_yuan}, the backlog asks ¥${total}`)
  for (const [k, p] of curve.entries()) {
    if (p.total_cost_yuan > p.budget_yuan) problems.push(`point ${k} spends ¥${p.total_cost_yuan} of ¥${p.budget_yuan}`)
    if (!p.infeasible && (p.greedy_score > p.total_score || p.greedy_per_yuan_score > p.total_score)) problems.push(`point ${k}: a greedy list beats the optimum`)
    if (k && !p.infeasible && !curve[k - 1].infeasible && p.total_score < curve[k - 1].total_score) problems.push(`point ${k} scores less than point ${k - 1}`)
  }
  if (problems.length) throw new Error(`${label}: the curve is wrong:\n  ${problems.slice(0, 10).join('\n  ')}`)
}

/** Median of n timed runs of a synchronous piece of work, after `warmup` unmeasured ones. */
function timed<T>(n: number, warmup: number, work: () => T): { ms: number; last: T } {
  for (let i = 0; i < warmup; i++) work()
  const times: number[] = []
  let last: T | undefined
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    last = work()
    times.push(performance.now() - t0)
  }
  return { ms: median(times), last: last as T }
}

export async function runBacklogBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  const t0 = performance.now()
  const highs = await loadHighs()
  log(`HiGHS ${highs.version.string} loaded in ${round(performance.now() - t0)} ms`)

  const scores = await sampleScores()
  const sample: PlanInput = { items: candidates(scores.items), budgets: [20_000_000] }
  log(`sample city: ${scores.items.length} items, ¥${scores.total_cost_yuan} in all; plans at the example budget of ¥20M`)
  const runs = 15
  const plan = timed(runs, 3, () => solvePlan(highs, sample))
  check(sample, plan.last, 'plan_56')
  const greedy = timed(runs, 3, () => rankAndCut(sample, 'score'))
  const rival = 'rank_and_cut: rank by score, fund down the list, stop at the budget line (the bureau\'s list); same items, same process'
  results.push(compare('plan_56', plan.ms, greedy.ms, rival, runs))
  const ours = plan.last.total_score
  const theirs = greedy.last.total_score
  if (theirs > ours) throw new Error(`plan_56: the list (${theirs}) beats the optimal plan (${ours})`)
  results.push({ name: 'plan_56_score_gain', value: round(ours - theirs, 2), unit: 'points', baseline: rival, ratio: round(ours / theirs, 3), n: 1 })
  log(`plan_56: ${plan.last.total_score} points for ¥${plan.last.total_cost_yuan} (the list: ${theirs}, by score per yuan: ${plan.last.greedy_per_yuan.total_score}); ${round(plan.ms)} ms`)

  const before = { ...solveStats }
  const withReasons = timed(1, 0, () => solvePlan(highs, sample, { reasons: true }))
  check(sample, withReasons.last, 'plan_56_reasons')
  const kinds = new Map<string, number>()
  for (const i of withReasons.last.items) kinds.set(i.why.kind, (kinds.get(i.why.kind) ?? 0) + 1)
  results.push({ name: 'plan_56_reasons', value: round(withReasons.ms), unit: 'ms', baseline: null, ratio: null, n: 1 })
  log(`plan_56 with reasons: ${round(withReasons.ms)} ms, ${solveStats.runs - before.runs} HiGHS runs; ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`)

  const curve = timed(3, 1, () => budgetCurve(highs, sample))
  checkCurve(sample, curve.last, 'plan_curve_56')
  const greedyCurve = timed(3, 1, () =>
    curve.last.map((p) => rankAndCut({ ...sample, budgets: [p.budget_yuan] }, 'score').total_score + rankAndCut({ ...sample, budgets: [p.budget_yuan] }, 'score_per_yuan').total_score),
  )
  results.push(compare('plan_curve_56', curve.ms, greedyCurve.ms, 'both greedy lists at the same 100 budgets', 3))
  log(`plan_curve_56: ${round(curve.ms)} ms for 100 points`)

  const big = synthetic500x5()
  const bigPlan = timed(1, 0, () => solvePlan(highs, big))
  check(big, bigPlan.last, 'plan_500x5')
  const bigGreedy = timed(3, 1, () => rankAndCut(big, 'score'))
  results.push(compare('plan_500x5', bigPlan.ms, bigGreedy.ms, rival, 1))
  results.push({ name: 'plan_500x5_score_gain', value: round(bigPlan.last.total_score - bigGreedy.last.total_score, 2), unit: 'points', baseline: rival, ratio: round(bigPlan.last.total_score / bigGreedy.last.total_score, 3), n: 1 })
  log(`plan_500x5: ${bigPlan.last.total_score} points (the list: ${bigGreedy.last.total_score}) in ${round(bigPlan.ms)} ms, checked`)
  return results
}
