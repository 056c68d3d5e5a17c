// The page's side of the plan workers: started once the backlog is open and its items are in, they
// keep the plan up to date with the budget and constraints. Changes are debounced; only the latest
// request is solved; the previous plan stays on screen while the next is solved.
// Three workers, because the answers differ in cost by orders of magnitude: one solves the plan (a
// fraction of a second) and nothing else, so a new budget never waits; one works out every item's
// reason (many more solves); one draws the budget curve (100 solves, again only when the items,
// the constraints or the years' shares change). A background answer that a newer request makes
// useless is not waited for: its worker is stopped and another started.
import { wrap, type Remote } from 'comlink'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { toAtlasError } from '../data/errors.ts'
import type { PlanRequest, PlanWorker } from './plan.worker.ts'
import type { CurvePoint, PlanConstraints, PlanResult, ScoredItem } from './types.ts'

export type PlanStage = 'off' | 'loading' | 'ready' | 'failed'

declare global {
  interface Window {
    /** Every answer of the plan workers: what, for which budgets, how long it took there (ms). */
    __atlasPlanLog?: { kind: 'plan' | 'reasons' | 'curve'; budgets: number[]; ms: number; total_score?: number; total_cost_yuan?: number }[]
  }
}

export interface PlanState {
  stage: PlanStage
  /** A worker could not start (HiGHS did not load), in words. */
  failure: string | null
  /** The latest plan solved; it may answer an earlier request while the next is solved. */
  result: PlanResult | null
  /** The result answers the current budgets and constraints. */
  current: boolean
  /** The result carries every item's reason. */
  reasons: boolean
  /** The current request was refused (a bad input), in words. */
  refused: string | null
  curve: CurvePoint[] | null
  curveCurrent: boolean
  /** Milliseconds the workers took for the shown plan, its reasons and the curve. */
  planMs: number | null
  reasonsMs: number | null
  curveMs: number | null
  /** The plan or the curve of the current request is being computed. */
  solving: boolean
  /** The reasons of the current plan are being worked out. */
  reasoning: boolean
  /** The budget curve of the current items, constraints and years is being drawn. */
  curving: boolean
  retry: () => void
}

/** How long a change must rest before it is solved (a slider sends dozens a second). */
const debounceMs = 180

interface Wanted {
  key: string
  curveKey: string
  request: PlanRequest
}

/** A worker and its typed interface; `stopped` rejects once it is terminated, so nothing waits on it forever. */
interface Handle {
  api: Remote<PlanWorker>
  ready: Promise<number>
  stopped: Promise<never>
  stop: () => void
}

function startWorker(name: string): Handle {
  const worker = new Worker(new URL('./plan.worker.ts', import.meta.url), { type: 'module', name })
  const api = wrap<PlanWorker>(worker)
  let stop = () => {}
  const stopped = new Promise<never>((_, reject) => {
    stop = () => {
      worker.terminate()
      reject(new Error('stopped'))
    }
  })
  stopped.catch(() => {})
  return { api, ready: api.load(), stopped, stop }
}

/** The items as the plan reads them, in a stable key. */
function itemsKey(items: readonly ScoredItem[]): string {
  return JSON.stringify(items.map((i) => [i.code, i.score, i.status, i.cost_yuan, i.category, i.street_code, i.depends_on]))
}

function log(kind: 'plan' | 'reasons' | 'curve', wanted: Wanted, ms: number, result?: PlanResult) {
  ;(window.__atlasPlanLog ??= []).push({ kind, budgets: wanted.request.budgets, ms, total_score: result?.total_score, total_cost_yuan: result?.total_cost_yuan })
}

type Shown = { key: string; result: PlanResult; ms: number }

/** A background computation: its worker, the key it works on, the key it last finished. */
interface Job {
  name: string
  handle: Handle | null
  running: string | null
  done: string
}

export function usePlan(items: readonly ScoredItem[] | null, budgets: readonly number[], constraints: PlanConstraints, wanted: boolean): PlanState {
  const [stage, setStage] = useState<PlanStage>('off')
  const [failure, setFailure] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)
  const [plan, setPlan] = useState<Shown | null>(null)
  const [reasoned, setReasoned] = useState<Shown | null>(null)
  const [refused, setRefused] = useState<{ key: string; message: string } | null>(null)
  const [curve, setCurve] = useState<{ key: string; points: CurvePoint[]; ms: number } | null>(null)
  const [planBusy, setPlanBusy] = useState(false)
  const [busy, setBusy] = useState({ reasons: false, curve: false })
  const planner = useRef<Handle | null>(null)
  const latest = useRef<Wanted | null>(null)
  const done = useRef({ plan: '', refused: '' })
  const running = useRef(false)
  const jobs = useRef<Record<'reasons' | 'curve', Job>>({
    reasons: { name: 'plan-reasons', handle: null, running: null, done: '' },
    curve: { name: 'plan-curve', handle: null, running: null, done: '' },
  })

  // the items without their geometry: the workers need none of it
  const bare = useMemo(
    () =>
      items?.map((item) => {
        const rest = { ...item }
        delete rest.geometry
        return rest
      }) ?? null,
    [items],
  )
  const itemKey = useMemo(() => (bare ? itemsKey(bare) : ''), [bare])
  // the budgets and constraints by value: a new array or object with the same values is the same request
  const constraintKey = JSON.stringify(constraints)
  const budgetKey = JSON.stringify(budgets)
  const want = useMemo<Wanted | null>(() => {
    if (!bare) return null
    const wantedBudgets = JSON.parse(budgetKey) as number[]
    const sum = wantedBudgets.reduce((a, b) => a + b, 0)
    // the curve scales every year's budget in proportion: it depends on the years' shares, not the sum
    const shares = wantedBudgets.map((b) => (sum > 0 ? (b / sum).toFixed(6) : '0')).join(',')
    return {
      key: `${itemKey}|${budgetKey}|${constraintKey}`,
      curveKey: `${itemKey}|${shares}|${constraintKey}`,
      request: { items: bare, budgets: wantedBudgets, constraints: JSON.parse(constraintKey) as PlanConstraints },
    }
  }, [bare, itemKey, budgetKey, constraintKey])

  const ready = wanted && !!bare
  // whether the backlog is open, for the background work that finishes later
  const open = useRef(ready)
  useEffect(() => {
    open.current = ready
  }, [ready])

  // the stage follows the opening and each retry at once; the worker's answers move it on
  const run = ready ? attempt : null
  const [stageOf, setStageOf] = useState<number | null>(null)
  if (run !== stageOf) {
    setStageOf(run)
    setStage(run === null ? 'off' : 'loading')
    if (run !== null) setFailure(null)
  }

  const fail = useCallback((error: unknown) => {
    setStage('failed')
    setFailure(toAtlasError(error).message)
  }, [])

  /** A background answer for a request: the reasons (for its budgets) or the curve (for its years' shares). */
  const background = useCallback(
    async (kind: 'reasons' | 'curve', next: Wanted) => {
      const job = jobs.current[kind]
      const keyOf = (w: Wanted) => (kind === 'reasons' ? w.key : w.curveKey)
      const key = keyOf(next)
      if (!open.current || job.done === key || job.running === key) return
      if (job.running !== null) {
        // an older request's: not worth waiting for
        job.handle?.stop()
        job.handle = null
      }
      job.running = key
      setBusy((b) => ({ ...b, [kind]: true }))
      try {
        const handle = (job.handle ??= startWorker(job.name))
        await Promise.race([handle.ready, handle.stopped])
        if (kind === 'reasons') {
          const answer = await Promise.race([handle.api.solve(next.request, true), handle.stopped])
          job.done = key
          if (answer.ok && latest.current?.key === key) {
            setReasoned({ key, result: answer.result, ms: answer.ms })
            log('reasons', next, answer.ms, answer.result)
          }
        } else {
          const answer = await Promise.race([handle.api.curve(next.request, 100), handle.stopped])
          job.done = key
          if (answer.ok) {
            setCurve({ key, points: answer.points, ms: answer.ms })
            log('curve', next, answer.ms)
          }
        }
      } catch (error) {
        // stopped for a newer request, which has started its own; anything else is a failure
        if ((error as Error)?.message !== 'stopped') fail(error)
      } finally {
        if (job.running === key) {
          job.running = null
          setBusy((b) => ({ ...b, [kind]: false }))
        }
      }
    },
    [fail],
  )

  /** The plan for the latest request, until it is the latest one's. */
  const solve = useCallback(async () => {
    if (running.current) return
    running.current = true
    setPlanBusy(true)
    try {
      for (;;) {
        const handle = planner.current
        const next = latest.current
        if (!handle || !next || done.current.plan === next.key) break
        const answer = await Promise.race([handle.api.solve(next.request, false), handle.stopped])
        done.current.plan = next.key
        if (latest.current?.key !== next.key) continue
        if (answer.ok) {
          setPlan({ key: next.key, result: answer.result, ms: answer.ms })
          setRefused(null)
          log('plan', next, answer.ms, answer.result)
          void background('reasons', next)
          void background('curve', next)
        } else {
          // nothing more to compute for a refused request
          setRefused({ key: next.key, message: answer.message })
          done.current.refused = next.key
        }
      }
    } catch (error) {
      if (planner.current) fail(error)
    } finally {
      running.current = false
      setPlanBusy(false)
    }
  }, [background, fail])

  // the plan's worker lives while the backlog is open (HiGHS loads once per opening); the others as long as they are useful
  useEffect(() => {
    if (!ready) return
    let cancelled = false
    const handle = startWorker('plan')
    const backgroundJobs = jobs.current
    Promise.race([handle.ready, handle.stopped])
      .then(() => {
        if (cancelled) return
        planner.current = handle
        done.current = { plan: '', refused: '' }
        for (const job of Object.values(backgroundJobs)) job.done = ''
        setStage('ready')
        void solve()
      })
      .catch((error) => {
        if (!cancelled) fail(error)
      })
    return () => {
      cancelled = true
      planner.current = null
      handle.stop()
      for (const job of Object.values(backgroundJobs)) {
        job.handle?.stop()
        job.handle = null
        job.running = null
      }
      setBusy({ reasons: false, curve: false })
    }
  }, [ready, attempt, solve, fail])

  // a new request: at once the first time, after a rest while the budget is being moved
  useEffect(() => {
    if (!want) return
    const send = () => {
      latest.current = want
      void solve()
    }
    if (latest.current === null) return send()
    const timer = setTimeout(send, debounceMs)
    return () => clearTimeout(timer)
  }, [want, solve])

  const key = want?.key ?? null
  const withReasons = !!reasoned && reasoned.key === key
  const shown = withReasons ? reasoned : plan
  const isRefused = !!refused && refused.key === key
  const curveCurrent = !!curve && curve.key === want?.curveKey
  return {
    stage,
    failure,
    result: shown?.result ?? null,
    current: !!shown && shown.key === key,
    reasons: withReasons,
    refused: isRefused ? refused.message : null,
    curve: curve?.points ?? null,
    curveCurrent,
    planMs: plan?.ms ?? null,
    reasonsMs: withReasons ? reasoned.ms : null,
    curveMs: curve?.ms ?? null,
    solving: stage === 'loading' || planBusy || (!!want && !isRefused && (!plan || plan.key !== key)),
    reasoning: busy.reasons && !withReasons && !isRefused,
    curving: busy.curve && !curveCurrent && !isRefused,
    retry: () => setAttempt((a) => a + 1),
  }
}
