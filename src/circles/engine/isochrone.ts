// What a walk of a given budget reaches from a start point: the nodes with their times, and
// every piece of road walked, including the parts of edges where the budget runs out and the
// edge the start point lies on.
import { contourLines, defaultContour, tolerance, type ContourOptions, type MultiPolygonCoordinates } from './contour.ts'
import { subLine, type WalkGraph } from './graph.ts'
import { Search, type Source } from './search.ts'
import type { Snap } from './snap.ts'

export interface WalkParams {
  /** Time budget, minutes (1–60). */
  minutes: number
  /** Walking speed on level ground, metres per minute. */
  speed: number
}

export function checkWalkParams({ minutes, speed }: WalkParams): void {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`walking speed ${speed} m/min must be above 0`)
  if (speed > 200) throw new RangeError(`walking speed ${speed} m/min is beyond a walk (at most 200 m/min, 12 km/h)`)
  if (!Number.isFinite(minutes) || minutes < 1 || minutes > 60) throw new RangeError(`minutes ${minutes} must be between 1 and 60`)
}

/** The budget in level metres. */
export const budgetOf = ({ minutes, speed }: WalkParams) => minutes * speed

/**
 * Where a start point enters the network: the two ends of its edge at their costs, counting the
 * start's own straight walk to the road, as a residence's is counted at the other end.
 */
export function sourcesOf(graph: WalkGraph, snap: Snap, label = -1): Source[] {
  const cost = graph.edgeCost[snap.edge]
  return [
    { node: graph.edgeSource[snap.edge], cost: snap.distance + snap.fraction * cost, label },
    { node: graph.edgeTarget[snap.edge], cost: snap.distance + (1 - snap.fraction) * cost, label },
  ]
}

/** A reached stretch of edge `edge`, between two fractions of its length. */
export interface Piece {
  edge: number
  from: number
  to: number
}

export interface Reach {
  /** Budget in level metres. */
  budget: number
  /** Reached nodes (indices) and their costs in level metres, nearest first. */
  nodes: Int32Array
  costs: Float64Array
  pieces: Piece[]
}

/**
 * Walks from the snapped start points for `budget` level metres. The search's arrays are left
 * holding the costs, so callers may read more from it before the next run.
 */
export function reach(search: Search, starts: readonly Snap[], budget: number): Reach {
  const graph = search.graph
  const sources = starts.flatMap((snap) => sourcesOf(graph, snap))
  search.run(sources, budget)
  const count = search.touchedCount
  const nodes = search.touched.slice(0, count)
  const costs = new Float64Array(count)
  for (let i = 0; i < count; i++) costs[i] = search.cost[nodes[i]]
  return { budget, nodes, costs, pieces: piecesOf(search, starts, budget) }
}

/** Every reached stretch of road: whole edges, the ends of edges the budget ran out on, and the start edges. */
export function piecesOf(search: Search, starts: readonly Snap[], budget: number): Piece[] {
  const { graph, cost } = search
  const { adjStart, adjEdge, edgeSource, edgeTarget, edgeCost } = graph
  const intervals = new Map<number, [number, number][]>()
  const add = (edge: number, from: number, to: number) => {
    if (to < from) return
    const list = intervals.get(edge)
    if (list) list.push([from, to])
    else intervals.set(edge, [[from, to]])
  }
  const seen = new Set<number>()
  for (let i = 0; i < search.touchedCount; i++) {
    const node = search.touched[i]
    for (let h = adjStart[node]; h < adjStart[node + 1]; h++) {
      const e = adjEdge[h]
      if (seen.has(e)) continue
      seen.add(e)
      const c = edgeCost[e]
      const fromSource = budget - cost[edgeSource[e]]
      const fromTarget = budget - cost[edgeTarget[e]]
      if (c <= 0) {
        add(e, 0, 1)
        continue
      }
      if (fromSource >= 0) add(e, 0, Math.min(1, fromSource / c))
      if (fromTarget >= 0) add(e, Math.max(0, 1 - fromTarget / c), 1)
    }
  }
  for (const start of starts) {
    // what is left of the budget once on the road
    const left = budget - start.distance
    if (left < 0) continue
    const c = edgeCost[start.edge]
    const reachable = c > 0 ? left / c : 1
    add(start.edge, Math.max(0, start.fraction - reachable), Math.min(1, start.fraction + reachable))
  }
  const pieces: Piece[] = []
  for (const [edge, list] of intervals) {
    list.sort((a, b) => a[0] - b[0])
    let [from, to] = list[0]
    for (const [a, b] of list.slice(1)) {
      if (a <= to) to = Math.max(to, b)
      else {
        pieces.push({ edge, from, to })
        ;[from, to] = [a, b]
      }
    }
    pieces.push({ edge, from, to })
  }
  return pieces.sort((a, b) => a.edge - b.edge || a.from - b.from)
}

export function piecesToLines(graph: WalkGraph, pieces: readonly Piece[]): [number, number][][] {
  return pieces.map((piece) => subLine(graph, piece.edge, piece.from, piece.to))
}

export interface Circle {
  reach: Reach
  /** MultiPolygon coordinates, lon/lat. */
  polygon: MultiPolygonCoordinates
  method: CircleMethod
}

export interface CircleMethod {
  name: 'network-band'
  radius_m: number
  cell_m: number
  simplify_m: number
  tolerance_m: number
}

export function methodOf(options: ContourOptions): CircleMethod {
  return {
    name: 'network-band',
    radius_m: options.radius,
    cell_m: options.cell,
    simplify_m: options.simplify,
    // rounded up, so the stated tolerance is never less than the true bound
    tolerance_m: Math.ceil(tolerance(options) * 100) / 100,
  }
}

/** The service circle of a walk from the start points: what it reaches and its separating polygon. */
export function circle(search: Search, starts: readonly Snap[], params: WalkParams, contour: ContourOptions = defaultContour): Circle {
  checkWalkParams(params)
  const walked = reach(search, starts, budgetOf(params))
  // on the grid aligned to the first start, as CircleModel.circles draws it
  const { coordinates, options } = contourLines(piecesToLines(search.graph, walked.pieces), contour, starts[0]?.point)
  return { reach: walked, polygon: coordinates, method: methodOf(options) }
}
