// The page's side of the what-if worker: loads the walking network into it once (with the stages
// for a progress bar), then computes a proposed facility's circle for the latest position only —
// while a computation is in flight, newer positions replace each other and only the last is sent.
import { wrap, type Remote } from 'comlink'
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import type { AtlasClient } from '../data/client.ts'
import { toAtlasError } from '../data/errors.ts'
import type { MultiPolygon } from 'geojson'
import { compoundLand, walkGraph } from './api.ts'
import type { WalkParams } from './engine/isochrone.ts'
import type { CirclesWorker, LoadSummary, WhatIfAnswer } from './circles.worker.ts'
import type { CirclePointsJson } from './engine/model.ts'

export type EngineStage = 'off' | 'fetching' | 'building' | 'ready' | 'failed'

export interface WhatIfRequest extends WalkParams {
  lon: number
  lat: number
  type: string
  /** Whose request: the proposal being placed, or a saved one compared. */
  purpose: 'proposal' | 'compare'
}

export type WhatIfResult = WhatIfAnswer & { request: WhatIfRequest }

declare global {
  interface Window {
    /** The worker's compute time of every what-if (ms), for the tests and the benchmark. */
    __atlasWhatIfTimes?: number[]
    /**
     * Every what-if computed, with its point (the benchmark runs the same in Node) and the time
     * from the request to its counts on screen (latencyMs).
     */
    __atlasWhatIfLog?: (WhatIfRequest & { ms: number; households: number; latencyMs: number })[]
  }
}

export interface WhatIfEngine {
  stage: EngineStage
  error: string | null
  summary: LoadSummary | null
  /** Asks for a what-if; answers arrive through onResult, the latest request last. */
  request: (request: WhatIfRequest) => void
  /** Whether a request is being computed or waits. */
  busy: boolean
  retry: () => void
}

/**
 * `points` (circle_points(), fetched by the page for everyone) is what the worker's answers index
 * into; the worker is filled once it is wanted and the points are in.
 */
export function useWhatIfEngine(client: AtlasClient, wanted: boolean, points: CirclePointsJson | null, generation: number, onResult: (result: WhatIfResult) => void): WhatIfEngine {
  const [stage, setStage] = useState<EngineStage>('off')
  const [error, setError] = useState<string | null>(null)
  const [summary, setSummary] = useState<LoadSummary | null>(null)
  const [attempt, setAttempt] = useState(0)
  const [busy, setBusy] = useState(false)
  const remote = useRef<Remote<CirclesWorker> | null>(null)
  const queue = useRef<{ inFlight: boolean; next: WhatIfRequest | null }>({ inFlight: false, next: null })
  // the answers' destination as of the last render, for the answers that arrive later
  const resultRef = useRef(onResult)
  useLayoutEffect(() => {
    resultRef.current = onResult
  })

  // The worker lives as long as the page; it is filled once wanted (and again after a sign-in,
  // which may change what the role reads).
  useEffect(() => {
    if (!wanted || !points) return
    let cancelled = false
    const worker = new Worker(new URL('./circles.worker.ts', import.meta.url), { type: 'module', name: 'circles' })
    const api = wrap<CirclesWorker>(worker)
    ;(async () => {
      setStage('fetching')
      setError(null)
      const graph = await walkGraph(client)
      if (cancelled) return
      setStage('building')
      const loaded = await api.load(graph, points)
      if (cancelled) return
      remote.current = api
      setSummary(loaded)
      setStage('ready')
    })().catch((failure) => {
      if (cancelled) return
      setStage('failed')
      setError(toAtlasError(failure).message)
    })
    return () => {
      cancelled = true
      remote.current = null
      queue.current = { inFlight: false, next: null }
      worker.terminate()
      setStage('off')
    }
  }, [client, wanted, points, generation, attempt])

  const send = useCallback((first: WhatIfRequest) => {
    const api = remote.current
    if (!api) return
    // one request after another: the next waits until this answer is drawn
    const compute = (request: WhatIfRequest): void => {
      queue.current.inFlight = true
      setBusy(true)
      const sent = performance.now()
      api
        .whatIf(request.lon, request.lat, request.type, request.minutes, request.speed)
        .then((answer) => {
          if (remote.current !== api) return
          // shown at once, in this task: the map's next frame (hundreds of ms in software WebGL)
          // must not stand between the answer and the counts
          flushSync(() => resultRef.current({ ...answer, request }))
          if (answer.ok) {
            ;(window.__atlasWhatIfTimes ??= []).push(answer.ms)
            ;(window.__atlasWhatIfLog ??= []).push({ ...request, ms: answer.ms, households: answer.households, latencyMs: performance.now() - sent })
          }
        })
        .catch((failure) => resultRef.current({ ok: false, reason: 'bad-input', message: toAtlasError(failure).message, request }))
        .finally(() => {
          if (remote.current !== api) return
          // the next position waits until the map has drawn this answer (two animation frames: up
          // to ~30 updates a second at 60 Hz): computing faster than the map draws gains nothing,
          // and the worker then computes between drawings, not against them (software WebGL takes
          // every core it finds: p95 22–33 → 18 ms here)
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              if (remote.current !== api) return
              const next = queue.current.next
              queue.current = { inFlight: false, next: null }
              if (next) compute(next)
              else setBusy(false)
            }),
          )
        })
    }
    compute(first)
  }, [])

  const request = useCallback(
    (next: WhatIfRequest) => {
      // only the latest waits: a drag's intermediate positions are dropped, never queued
      if (queue.current.inFlight) queue.current.next = next
      else send(next)
    },
    [send],
  )

  return { stage, error, summary, request, busy, retry: () => setAttempt((a) => a + 1) }
}

/**
 * The land of the compounds a what-if's walk enters through a gate, asked of the server once the
 * answer has stood a moment (a drag's passing positions ask nothing): null until it comes, for
 * an answer that enters none, or when it cannot be had (the roads' circle is drawn alone).
 */
export function useCompoundLand(client: AtlasClient, answer: WhatIfResult | null | undefined): MultiPolygon | null {
  const [land, setLand] = useState<{ for: WhatIfResult; land: MultiPolygon | null } | null>(null)
  useEffect(() => {
    if (!answer?.ok || !answer.compounds.length) return
    const controller = new AbortController()
    const timer = setTimeout(() => {
      compoundLand(client, answer.compounds, controller.signal)
        .then((found) => !controller.signal.aborted && setLand({ for: answer, land: found }))
        .catch(() => {})
    }, 150)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [client, answer])
  return land && land.for === answer ? land.land : null
}
