// The service-circle engine in a Web Worker, behind comlink: the page fetches the walking network
// and the points once (walk_graph(), circle_points()) and hands them over; the worker builds the
// model, warms it, and answers what-ifs off the page's thread. It fetches nothing itself.
import { expose } from 'comlink'
import { CircleModel, type CirclePointsJson, type EnteredCompound, type WalkGraphJson } from './engine/model.ts'
import type { MultiPolygonCoordinates } from './engine/contour.ts'
import { defaultWalk } from '../shared/defaults.ts'

export interface LoadSummary {
  edges: number
  nodes: number
  facilities: number
  residences: number
  /** milliseconds to build the model, and to warm it */
  buildMs: number
  warmMs: number
}

export type WhatIfAnswer =
  | {
      ok: true
      polygon: MultiPolygonCoordinates
      /** indices into circle_points().residences */
      newly: number[]
      households: number
      residents: number
      /** metres from the point to its road */
      snapDistance: number
      /** the compounds its walk enters through a gate: their land within reach (compound_land()) is the circle's too */
      compounds: EnteredCompound[]
      /** milliseconds the engine took, measured in the worker */
      ms: number
    }
  | { ok: false; reason: 'off-network' | 'no-model' | 'bad-input'; message: string }

let model: CircleModel | null = null

const api = {
  load(graph: WalkGraphJson, points: CirclePointsJson): LoadSummary {
    const t0 = performance.now()
    model = CircleModel.fromJson(graph, points)
    const t1 = performance.now()
    // Each type's access from its facilities is computed once and cached; a few what-ifs from
    // facilities of each type compile the hot paths, so the first real one is as quick as the rest.
    const types = [...new Set(model.facilities.map((f) => f.type))]
    for (const type of types) {
      model.access(type)
      model.facilities
        .filter((f) => f.type === type)
        .slice(0, 2)
        .forEach((f) => {
          try {
            model!.whatIf(f.lon, f.lat, type, defaultWalk)
          } catch {
            // a facility off the network warms nothing
          }
        })
    }
    return {
      edges: model.graph.edgeCount,
      nodes: model.graph.nodeCount,
      facilities: model.facilities.length,
      residences: model.residences.length,
      buildMs: t1 - t0,
      warmMs: performance.now() - t1,
    }
  },

  whatIf(lon: number, lat: number, type: string, minutes: number, speed: number): WhatIfAnswer {
    if (!model) return { ok: false, reason: 'no-model', message: 'the walking network is not loaded' }
    try {
      const result = model.whatIf(lon, lat, type, { minutes, speed })
      return {
        ok: true,
        polygon: result.polygon,
        newly: result.newly,
        households: result.households,
        residents: result.residents,
        snapDistance: result.snap.distance,
        compounds: result.compounds,
        ms: result.ms,
      }
    } catch (error) {
      const message = (error as Error).message
      return { ok: false, reason: /from every walkable road/.test(message) ? 'off-network' : 'bad-input', message }
    }
  },
}

export type CirclesWorker = typeof api

expose(api)
