// The service circles' state: what is fetched for the chosen minutes and speed (the stored
// circles, the coverage figures, the residences outside the circles, the proposals), and the
// what-if of a proposed facility, computed in the worker as it is placed and dragged.
import { drawnParts } from './display.ts'
import type { MultiPolygonCoordinates, Ring } from './engine/contour.ts'
import { useCallback, useEffect, useEffectEvent, useMemo, useState } from 'react'
import type { AtlasClient } from '../data/client.ts'
import { toAtlasError } from '../data/errors.ts'
import { useFetched, type Fetched } from '../data/useFetched.ts'
import type { AtlasFeature, AtlasFeatureCollection, Bbox } from '../data/types.ts'
import { defaultWalk } from '../shared/defaults.ts'
import { facilityTypes } from '../shared/layers.ts'
import type { CirclePointsJson } from './engine/model.ts'
import {
  circlePoints,
  circleStatus,
  coverage,
  proposals as listProposals,
  removeProposal,
  saveProposal,
  serviceCircles,
  uncoveredResidences,
} from './api.ts'
import type { WalkParams } from './engine/isochrone.ts'
import type { CircleStatus, Coverage, Proposal } from './types.ts'
import { useWhatIfEngine, type WhatIfResult } from './useWhatIf.ts'

/** The life-circle bands of GB 50180-2018, stored with every circle. */
export const bandMinutes = [5, 10, 15] as const

/** What the URL holds of the workspace. */
export interface CirclesUrl extends WalkParams {
  /** Whether the walk was chosen (in the URL); else it is the city's standards'. */
  walkGiven: boolean
  /** The type whose circles the uncovered residences are outside of, or 'basic' (every basic type). */
  uncoveredType: string
  /** The facility types whose circles are drawn. */
  types: readonly string[]
  bands: boolean
  uncovered: boolean
}

export const defaultCirclesUrl: CirclesUrl = { ...defaultWalk, walkGiven: false, uncoveredType: 'basic', types: facilityTypes, bands: false, uncovered: true }


const world: Bbox = [-180, -90, 180, 90]
const contains = (outer: Bbox, inner: Bbox) => outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3]

/**
 * The detail the circles are fetched at (service_circles simplifies to half a pixel of it), and
 * the box: the whole city below zoom 12.5 (about 2 MB for the sample city's 152 circles), the
 * view with half of it again round it closer in, out to a 0.02° grid so small pans ask nothing.
 */
function circleLevel(bounds: Bbox | null, zoom: number): { detail: number; box: Bbox } | null {
  if (!bounds) return null
  if (zoom < 12.5) return { detail: 12, box: world }
  const [w, s, e, n] = bounds
  const [dx, dy] = [(e - w) / 2, (n - s) / 2]
  const grid = 0.02
  // within the world, as the server requires of a box
  const box: Bbox = [
    Math.max(-180, Math.floor((w - dx) / grid) * grid),
    Math.max(-90, Math.floor((s - dy) / grid) * grid),
    Math.min(180, Math.ceil((e + dx) / grid) * grid),
    Math.min(90, Math.ceil((n + dy) / grid) * grid),
  ]
  return { detail: zoom < 14.5 ? 14 : 16, box }
}

/** A circle as the map draws it: its parts, with only the holes that matter (display.ts). */
function drawnCircle(feature: AtlasFeature): AtlasFeature {
  const geometry = feature.geometry
  if (geometry.type === 'MultiPolygon') return { ...feature, geometry: { type: 'MultiPolygon', coordinates: drawnParts(geometry.coordinates as MultiPolygonCoordinates) } }
  if (geometry.type === 'Polygon') return { ...feature, geometry: { type: 'Polygon', coordinates: drawnParts([geometry.coordinates as Ring[]])[0] } }
  return feature
}

interface Gathered {
  boxes: Bbox[]
  byId: Map<string, AtlasFeature>
  collection: AtlasFeatureCollection
}

/**
 * The stored circles around the view at its level of detail, gathered as the view moves, with
 * the life-circle bands only when they are drawn (they are three times the data). While a level
 * loads, the last one drawn of the same minutes, speed and bands stays on the map.
 */
function useCircleFeatures(client: AtlasClient, enabled: boolean, params: WalkParams, bands: boolean, key: string, bounds: Bbox | null, zoom: number): Fetched<AtlasFeatureCollection> {
  const [cache, setCache] = useState<ReadonlyMap<string, Gathered>>(() => new Map())
  // the collection on the map, kept while another level of the same circles loads
  const [shown, setShown] = useState<{ key: string; collection: AtlasFeatureCollection } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)
  const level = circleLevel(bounds, zoom)
  const setKey = `${key}/${bands}`
  const levelKey = level ? `${setKey}/${level.detail}` : ''
  const gathered = cache.get(levelKey)
  const covered = !!level && !!gathered?.boxes.some((box) => contains(box, level.box))
  const boxKey = level?.box.map((v) => v.toFixed(2)).join(',') ?? ''
  // a failure is shown until what is asked for changes
  const asked = JSON.stringify([enabled, levelKey, boxKey, covered, attempt])
  const [errorFor, setErrorFor] = useState(asked)
  if (errorFor !== asked) {
    setErrorFor(asked)
    setError(null)
  }

  // the level and box of this render, for the effect that runs when their keys change
  const fetchLevel = useEffectEvent((signal: AbortSignal) => {
    if (!level) return
    serviceCircles(client, params, level.box, level.detail, bands, signal)
      .then((found) => {
        if (signal.aborted) return
        const drawn = (found.features as AtlasFeature[]).map((feature) => drawnCircle(feature))
        setCache((current) => {
          const base = current.get(levelKey) ?? { boxes: [], byId: new Map<string, AtlasFeature>(), collection: found }
          const byId = new Map(base.byId)
          for (const feature of drawn) byId.set(String(feature.id), feature)
          // what another minutes, speed, bands or role fetched is not drawn again soon enough to keep
          const next = new Map([...current].filter(([other]) => other.startsWith(`${setKey}/`)))
          next.set(levelKey, { boxes: [...base.boxes, level.box], byId, collection: { type: 'FeatureCollection', features: [...byId.values()] } })
          return next
        })
      })
      .catch((failure) => !signal.aborted && setError(toAtlasError(failure).message))
  })
  useEffect(() => {
    if (!enabled || !levelKey || covered) return
    const controller = new AbortController()
    fetchLevel(controller.signal)
    return () => controller.abort()
  }, [enabled, levelKey, boxKey, covered, attempt])

  const showing = gathered && (covered || shown?.key !== setKey) ? { key: setKey, collection: gathered.collection } : shown
  if (showing && (showing.key !== shown?.key || showing.collection !== shown.collection)) setShown(showing)
  const data = showing?.key === setKey ? showing.collection : null
  return { data, error, loading: enabled && !covered && !error, retry: () => setAttempt((a) => a + 1) }
}

export interface Placed {
  type: string
  lon: number
  lat: number
}

export type WhatIfMode = 'off' | 'placing' | 'placed'

export function useCircles(client: AtlasClient, open: boolean, generation: number, canPropose: boolean, url: CirclesUrl, bounds: Bbox | null, zoom: number) {
  const params = useMemo(() => ({ minutes: url.minutes, speed: url.speed }), [url.minutes, url.speed])
  const paramKey = `${params.minutes}/${params.speed}/${generation}`

  const status = useFetched<CircleStatus>(open ? `${generation}` : null, (signal) => circleStatus(client, signal))
  const hasStored = (minutes: number) => !!status.data?.circle_params.some((p) => Number(p.minutes) === minutes && Number(p.speed_m_per_min) === params.speed)
  const anyStored = bandMinutes.some(hasStored) || hasStored(params.minutes)
  const circles = useCircleFeatures(client, open && !!status.data && anyStored, params, url.bands, paramKey, bounds, zoom)
  const city = useFetched<Coverage>(open ? paramKey : null, (signal) => coverage(client, params, null, signal))
  const uncovered = useFetched<AtlasFeatureCollection>(open && url.uncovered ? `${paramKey}/${url.uncoveredType}` : null, (signal) =>
    uncoveredResidences(client, params, url.uncoveredType, signal),
  )
  // the facilities and residences as points: counts per type for everyone, the what-if's input for planners
  const points = useFetched<CirclePointsJson>(open ? `${generation}` : null, (signal) => circlePoints(client, signal))
  const facilityCounts = useMemo(() => {
    const counts: Record<string, number> = {}
    for (const [, , type] of points.data?.facilities ?? []) counts[type] = (counts[type] ?? 0) + 1
    return counts
  }, [points.data])
  const [proposalsVersion, setProposalsVersion] = useState(0)
  const saved = useFetched<Proposal[]>(open ? `${generation}/${proposalsVersion}` : null, (signal) => listProposals(client, signal))

  // ── what-if: the worker is filled once the workspace opens for a role that may propose (or a comparison asks for it)
  const [mode, setMode] = useState<WhatIfMode>('off')
  const [placed, setPlaced] = useState<Placed | null>(null)
  // the type to try: the type the uncovered residences are shown for, or the elderly-care station
  const [type, setChosenType] = useState(url.uncoveredType === 'basic' ? 'elderly_care' : url.uncoveredType)
  const [result, setResult] = useState<WhatIfResult | null>(null)
  const [compared, setCompared] = useState<{ proposal: Proposal; result: WhatIfResult | null } | null>(null)
  // wanted once the workspace has been opened by a role that may propose (it stays while the panel
  // closes and opens), or while a saved proposal is compared
  const [opened, setOpened] = useState(false)
  if (open && !opened) setOpened(true)
  const engineWanted = opened && (canPropose || compared !== null)
  const engine = useWhatIfEngine(client, engineWanted, points.data, generation, (answer) => {
    if (answer.request.purpose === 'compare') setCompared((c) => (c ? { ...c, result: answer } : c))
    else setResult(answer)
  })
  const ask = engine.request

  const place = useCallback(
    (lon: number, lat: number) => {
      setPlaced({ type, lon, lat })
      setMode('placed')
      ask({ lon, lat, type, ...params, purpose: 'proposal' })
    },
    [ask, params, type],
  )
  /**
   * Dragging asks the worker for every position (it computes the latest and drops the rest); the
   * marker moves with each answer, so it and its circle never disagree, and the page draws once
   * per answer, not once per pointer move.
   */
  const drag = useCallback(
    (lon: number, lat: number, end = false) => {
      if (!placed) return
      if (end) setPlaced({ ...placed, lon, lat })
      ask({ lon, lat, type: placed.type, ...params, purpose: 'proposal' })
    },
    [ask, params, placed],
  )
  const setType = useCallback((next: string) => {
    setChosenType(next)
    setPlaced((p) => (p ? { ...p, type: next } : p))
  }, [])
  // a new type, minutes or speed, or the engine ready: the proposal is measured again where it stands
  // (a drag asks for itself: the key leaves the position out)
  const placedKey = placed ? `${placed.type}/${params.minutes}/${params.speed}/${engine.stage}` : ''
  const measurePlaced = useEffectEvent(() => {
    if (placed && engine.stage === 'ready') ask({ lon: placed.lon, lat: placed.lat, type: placed.type, ...params, purpose: 'proposal' })
  })
  useEffect(() => measurePlaced(), [placedKey])

  const compare = useCallback((proposal: Proposal | null) => setCompared(proposal ? { proposal, result: null } : null), [])
  // (its answer arriving changes `compared` but not the key: it is not asked again)
  const comparedKey = compared ? `${compared.proposal.id}/${params.minutes}/${params.speed}/${engine.stage}` : ''
  const measureCompared = useEffectEvent(() => {
    if (compared && engine.stage === 'ready')
      ask({ lon: compared.proposal.lon, lat: compared.proposal.lat, type: compared.proposal.facility_type, ...params, purpose: 'compare' })
  })
  useEffect(() => measureCompared(), [comparedKey])

  const cancel = useCallback(() => {
    setMode('off')
    setPlaced(null)
    setResult(null)
  }, [])

  const save = useCallback(
    async (name: string, note: string) => {
      if (!placed || !result?.ok) return
      // the point, type and parameters the counts were computed for
      const { lon, lat, type: facilityType, minutes, speed } = result.request
      await saveProposal(client, {
        name,
        note: note || null,
        facility_type: facilityType,
        lon,
        lat,
        minutes,
        speed,
        new_households: result.households,
        new_residents: result.residents,
      })
      cancel()
      setProposalsVersion((v) => v + 1)
    },
    [client, placed, result, cancel],
  )
  const remove = useCallback(
    async (id: number) => {
      await removeProposal(client, id)
      if (compared?.proposal.id === id) compare(null)
      setProposalsVersion((v) => v + 1)
    },
    [client, compared, compare],
  )

  // a sign-in as another role starts the what-if over
  const [whatIfGeneration, setWhatIfGeneration] = useState(generation)
  if (generation !== whatIfGeneration) {
    setWhatIfGeneration(generation)
    setMode('off')
    setPlaced(null)
    setResult(null)
  }

  return {
    params,
    status,
    points,
    facilityCounts,
    circles,
    city,
    uncovered,
    saved,
    hasStored,
    engine,
    whatIf: { mode, setMode, type, setType, placed, result, place, drag, cancel, save, remove, compared, compare },
  }
}

export type CirclesModel = ReturnType<typeof useCircles>
