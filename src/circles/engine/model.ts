// The service-circle model of a city: the walking graph, its snapping index, the facilities and
// residences snapped onto it, and what a walk from any of them reaches. The command line
// (`atlas isochrones`, `isochrone`, `coverage`) and the page's worker both run this one model.
import { contourLines, defaultContour, type ContourOptions, type MultiPolygonCoordinates } from './contour.ts'
import { buildGraph, type EdgeInput, type WalkGraph } from './graph.ts'
import { budgetOf, checkWalkParams, methodOf, piecesOf, piecesToLines, sourcesOf, type CircleMethod, type WalkParams } from './isochrone.ts'
import { stepsFactor } from './rules.ts'
import { Search, type Source } from './search.ts'
import { localDistance } from './projection.ts'
import { SnapIndex, type Snap } from './snap.ts'

/** A residence farther than this from every walkable road is off the network: no access time. */
export const connectorCapM = 300

export interface FacilityPoint {
  code: string
  name: string
  type: string
  lon: number
  lat: number
  community: string | null
}

/**
 * A way into a compound: a gate of the gate layer, an OSM entrance, or where a road crosses its
 * outline. `edge` names the road a crossing was found on: the gate is dropped when that road is
 * not walkable.
 */
export interface GatePoint {
  lon: number
  lat: number
  edge?: string
}

export interface ResidencePoint {
  code: string
  /** The household's place: the residence's point, or a point inside its compound. */
  lon: number
  lat: number
  households: number
  residents: number
  community: string | null
  /** A compound's ways in; without any, the residence is reached from its own point's nearest road. */
  gates?: readonly GatePoint[]
}

/**
 * Where a residence is entered from the network: a road point, and the level metres from it to the
 * household's place — the straight walk to the road, and from a gate the straight walk inside.
 */
export interface Entry {
  residence: number
  snap: Snap
  /** Off the network: from the road point to the gate (or the place), plus from the gate to the place. */
  extra: number
  /** The gate it goes through (index into the residence's gates), -1 for the residence's own point. */
  gate: number
}

export interface FacilityTypeInfo {
  type: string
  basic: boolean
  name_zh: string
  name_en: string
  source?: string | null
}

/** What `walk_graph()` returns: [code, source, target, length_m, steps, highway, foot, access, coordinates]. */
export interface WalkGraphJson {
  edges: [string, number, number, number, boolean, string, string | null, string | null, number[][]][]
}

/** What `circle_points()` returns: a residence's gates as [lon, lat] or, found where a road crosses its outline, [lon, lat, edge code]. */
export interface CirclePointsJson {
  facilities: [string, string, string, number, number, string | null][]
  residences: [string, number, number, number, number, string | null, ([number, number] | [number, number, string])[] | null][]
  types: FacilityTypeInfo[] | null
}

export function edgesFromJson(json: WalkGraphJson): EdgeInput[] {
  return json.edges.map(([code, source, target, lengthM, steps, highway, foot, access, coordinates]) => ({
    code,
    source: Number(source),
    target: Number(target),
    lengthM: Number(lengthM),
    steps: !!steps,
    highway,
    foot,
    access,
    coordinates,
  }))
}

export function pointsFromJson(json: CirclePointsJson): { facilities: FacilityPoint[]; residences: ResidencePoint[]; types: FacilityTypeInfo[] } {
  return {
    facilities: json.facilities.map(([code, name, type, lon, lat, community]) => ({ code, name, type, lon: Number(lon), lat: Number(lat), community })),
    residences: json.residences.map(([code, lon, lat, households, residents, community, gates]) => ({
      code,
      lon: Number(lon),
      lat: Number(lat),
      households: Number(households),
      residents: Number(residents),
      community,
      ...(gates?.length ? { gates: gates.map(([gLon, gLat, edge]) => ({ lon: Number(gLon), lat: Number(gLat), ...(edge === undefined ? {} : { edge: String(edge) }) })) } : {}),
    })),
    types: json.types ?? [],
  }
}

/** A start on the edge of a road point: where along it, whose, and its own walk to the road. */
interface SameEdgeStart {
  fraction: number
  facility: number
  offset: number
}

const sameEdgeStart = (snap: Snap, facility: number): SameEdgeStart => ({ fraction: snap.fraction, facility, offset: snap.distance })

/** Each residence's access to a facility type: level metres on the network plus the walk off it. */
export interface Access {
  /** Level metres from the nearest facility to the household's place, over its best entry; Infinity if none is reachable. */
  total: Float64Array
  /** Of that, the metres off the network (to the road, and inside the compound from its gate); NaN if unreachable. */
  connector: Float64Array
  /** Index of the nearest facility (into model.facilities), -1 if none. */
  facility: Int32Array
}

/** A compound a walk enters through a gate, and how far it may go on inside, straight from the gate. */
export interface EnteredCompound {
  code: string
  gate: [number, number]
  remaining: number
}

export interface StoredCircle {
  facility: FacilityPoint
  minutes: number
  speed: number
  polygon: MultiPolygonCoordinates
  /** The compounds it enters through their gates: the store adds their land within reach of the gate to the polygon. */
  compounds: EnteredCompound[]
  method: CircleMethod
  reachedNodes: number
  reachedKm: number
}

export interface WhatIf {
  polygon: MultiPolygonCoordinates
  /** Residences (indices) the proposed facility newly covers. */
  newly: number[]
  households: number
  residents: number
  /** The proposed point's road point and its distance from the road. */
  snap: Snap
  /** The compounds its walk enters through a gate, as a stored circle's: their land within reach is the circle's too. */
  compounds: EnteredCompound[]
  method: CircleMethod
  /** Milliseconds the computation took. */
  ms: number
}

export class CircleModel {
  readonly graph: WalkGraph
  readonly index: SnapIndex
  readonly search: Search
  readonly facilitySnaps: (Snap | null)[]
  /** Each residence's entries (CSR): residence i has entries[entryStart[i] … entryStart[i+1]-1]; none: off the network. */
  readonly entries: Entry[]
  readonly entryStart: Int32Array
  /** Entries by the edge their road point lies on (CSR): edge e holds byEdge[edgeStart[e] … edgeStart[e+1]-1]. */
  private readonly edgeStart: Int32Array
  private readonly byEdge: Int32Array
  private readonly accessCache = new Map<string, Access>()

  constructor(
    edges: readonly EdgeInput[],
    readonly facilities: readonly FacilityPoint[],
    readonly residences: readonly ResidencePoint[],
    readonly types: readonly FacilityTypeInfo[] = [],
    readonly contour: ContourOptions = defaultContour,
  ) {
    this.graph = buildGraph(edges)
    this.index = new SnapIndex(this.graph)
    this.search = new Search(this.graph)
    this.facilitySnaps = facilities.map((f) => this.index.snap(f.lon, f.lat))
    this.entries = []
    this.entryStart = new Int32Array(residences.length + 1)
    const walkable = new Set(this.graph.edgeCodes)
    residences.forEach((r, i) => {
      this.entries.push(...entriesOf(this.index, r, i, walkable))
      this.entryStart[i + 1] = this.entries.length
    })
    const m = this.graph.edgeCount
    const count = new Int32Array(m + 1)
    for (const entry of this.entries) count[entry.snap.edge + 1]++
    for (let e = 0; e < m; e++) count[e + 1] += count[e]
    this.edgeStart = count
    this.byEdge = new Int32Array(count[m])
    const fill = count.slice(0, m)
    this.entries.forEach((entry, k) => {
      this.byEdge[fill[entry.snap.edge]++] = k
    })
  }

  /** Whether residence i has a way in from the network. */
  onNetwork(i: number): boolean {
    return this.entryStart[i + 1] > this.entryStart[i]
  }

  static fromJson(graph: WalkGraphJson, points: CirclePointsJson, contour?: ContourOptions): CircleModel {
    const { facilities, residences, types } = pointsFromJson(points)
    return new CircleModel(edgesFromJson(graph), facilities, residences, types, contour)
  }

  get basicTypes(): string[] {
    return this.types.filter((t) => t.basic).map((t) => t.type)
  }

  /** The parameters every stored figure records. */
  params(): { steps_factor: number; connector_cap_m: number; method: CircleMethod } {
    return { steps_factor: stepsFactor, connector_cap_m: connectorCapM, method: methodOf(this.contour) }
  }

  /** A point's road point, or an error in words when it is off every network. */
  snapPoint(lon: number, lat: number, maxDistance = connectorCapM): Snap {
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90)
      throw new RangeError(`(${lon}, ${lat}) is not a longitude and latitude in degrees`)
    if (this.graph.edgeCount === 0) throw new RangeError('there is no walking network: import walk_edge first')
    const snap = this.index.snap(lon, lat, maxDistance)
    if (!snap) throw new RangeError(`(${lon}, ${lat}) is more than ${maxDistance} m from every walkable road of the network`)
    return snap
  }

  /** The circle of a walk from snapped start points, at each of the given budgets (minutes), largest search once. */
  circles(starts: readonly Snap[], speed: number, minutesList: readonly number[]): { minutes: number; polygon: MultiPolygonCoordinates; method: CircleMethod; nodes: number; km: number }[] {
    const largest = Math.max(...minutesList)
    checkWalkParams({ minutes: largest, speed })
    this.search.run(starts.flatMap((snap) => sourcesOf(this.graph, snap)), largest * speed)
    return minutesList.map((minutes) => {
      checkWalkParams({ minutes, speed })
      const budget = minutes * speed
      const pieces = piecesOf(this.search, starts, budget)
      const { coordinates, options } = contourLines(piecesToLines(this.graph, pieces), this.contour, starts[0]?.point)
      let nodes = 0
      for (let i = 0; i < this.search.touchedCount; i++) if (this.search.cost[this.search.touched[i]] <= budget) nodes++
      let metres = 0
      for (const piece of pieces) metres += (piece.to - piece.from) * this.graph.edgeLength[piece.edge]
      return { minutes, polygon: coordinates, method: methodOf(options), nodes, km: metres / 1000 }
    })
  }

  /**
   * After a walk from the starts (the search still holding its costs): the compounds it enters
   * through a gate within the budget, each gate with what is left of the budget there (the walk to
   * the gate's road point and on to the gate spent).
   */
  private enteredCompounds(start: Snap, budget: number): EnteredCompound[] {
    const out: EnteredCompound[] = []
    this.forEachReachedEntry(start, (entry) => {
      const entered = this.enteredThrough(entry, start, budget)
      if (entered) out.push(entered)
    })
    return out
  }

  /**
   * After a walk from a start (the search still holding its costs): each entry on the start's
   * edge or on an edge at a node the walk reached, once — the only ones it can reach.
   */
  private forEachReachedEntry(start: Snap, visit: (entry: Entry) => void): void {
    const seen = new Set<number>()
    const onEdge = (e: number) => {
      if (seen.has(e)) return
      seen.add(e)
      for (let k = this.edgeStart[e]; k < this.edgeStart[e + 1]; k++) visit(this.entries[this.byEdge[k]])
    }
    onEdge(start.edge)
    const { touched, touchedCount } = this.search
    const { adjStart, adjEdge } = this.graph
    for (let n = 0; n < touchedCount; n++) {
      const node = touched[n]
      for (let h = adjStart[node]; h < adjStart[node + 1]; h++) onEdge(adjEdge[h])
    }
  }

  /** The compound an entry's gate lets the walk from the start into, with what is left of the budget there; null when none. */
  private enteredThrough(entry: Entry, start: Snap, budget: number): EnteredCompound | null {
    if (entry.gate < 0) return null
    const [cost] = this.costAt(entry.snap, entry.snap.edge === start.edge ? [sameEdgeStart(start, -1)] : undefined)
    const remaining = budget - cost - entry.snap.distance
    if (!(remaining > 0)) return null
    const residence = this.residences[entry.residence]
    const gate = residence.gates![entry.gate]
    return { code: residence.code, gate: [gate.lon, gate.lat], remaining }
  }

  /** Every facility's circle at the budget and the 5/10/15-minute life-circle bands (GB 50180-2018). */
  *facilityCircles(params: WalkParams, bands: readonly number[] = [5, 10, 15], only?: (facility: FacilityPoint) => boolean): Generator<StoredCircle> {
    checkWalkParams(params)
    const minutesList = [...new Set([params.minutes, ...bands])].sort((a, b) => b - a)
    for (let i = 0; i < this.facilities.length; i++) {
      const snap = this.facilitySnaps[i]
      if (!snap || (only && !only(this.facilities[i]))) continue
      for (const c of this.circles([snap], params.speed, minutesList))
        yield {
          facility: this.facilities[i], minutes: c.minutes, speed: params.speed, polygon: c.polygon,
          compounds: this.enteredCompounds(snap, c.minutes * params.speed), method: c.method, reachedNodes: c.nodes, reachedKm: c.km,
        }
    }
  }

  /** The least network cost from any facility of the type to each residence's road point (a multi-source walk over the whole network). */
  access(type: string, extra: readonly Snap[] = []): Access {
    const cached = extra.length ? undefined : this.accessCache.get(type)
    if (cached) return cached
    const starts: { snap: Snap; facility: number }[] = []
    this.facilities.forEach((f, i) => {
      const snap = this.facilitySnaps[i]
      if (f.type === type && snap) starts.push({ snap, facility: i })
    })
    extra.forEach((snap) => starts.push({ snap, facility: -2 }))
    const sources: Source[] = starts.flatMap(({ snap, facility }) => sourcesOf(this.graph, snap, facility))
    this.search.run(sources)
    const result: Access = {
      total: new Float64Array(this.residences.length).fill(Infinity),
      connector: new Float64Array(this.residences.length).fill(NaN),
      facility: new Int32Array(this.residences.length).fill(-1),
    }
    const onEdge = new Map<number, SameEdgeStart[]>()
    for (const start of starts) {
      const list = onEdge.get(start.snap.edge) ?? []
      list.push(sameEdgeStart(start.snap, start.facility))
      onEdge.set(start.snap.edge, list)
    }
    // each residence over its entries: the best road point plus its walk off the network
    for (const entry of this.entries) {
      const [cost, facility] = this.costAt(entry.snap, onEdge.get(entry.snap.edge))
      const total = cost + entry.extra
      if (total < result.total[entry.residence]) {
        result.total[entry.residence] = total
        result.connector[entry.residence] = entry.extra
        result.facility[entry.residence] = facility
      }
    }
    if (!extra.length) this.accessCache.set(type, result)
    return result
  }

  /** Cost from the last search's sources to a road point: through either end of its edge, or straight along it from a start on the same edge (from its own walk to the road). */
  private costAt(snap: Snap, sameEdge?: readonly SameEdgeStart[]): [number, number] {
    const { cost, label } = this.search
    const e = snap.edge
    const c = this.graph.edgeCost[e]
    const [u, v] = [this.graph.edgeSource[e], this.graph.edgeTarget[e]]
    let best = cost[u] + snap.fraction * c
    let facility = cost[u] < Infinity ? label[u] : -1
    const viaTarget = cost[v] + (1 - snap.fraction) * c
    if (viaTarget < best) {
      best = viaTarget
      facility = label[v]
    }
    for (const start of sameEdge ?? []) {
      const direct = start.offset + Math.abs(start.fraction - snap.fraction) * c
      if (direct < best) {
        best = direct
        facility = start.facility
      }
    }
    return [best, facility]
  }

  /** Seconds for a walk of `total` level metres (Access.total) at a speed (m/min); null when unreachable. */
  seconds(total: number, speed: number): number | null {
    return total === Infinity ? null : (total / speed) * 60
  }

  /** Whether residence i is within the budget of a type's current facilities. */
  covered(type: string, params: WalkParams): Uint8Array {
    const access = this.access(type)
    const budget = budgetOf(params)
    return Uint8Array.from(access.total, (total) => (total <= budget + 1e-9 ? 1 : 0))
  }

  /**
   * A proposed facility of a type at a point: its circle, and the residences it newly brings
   * within the budget (outside every circle of that type before). Only the edges the walk
   * touched are looked at, so it costs what the circle reaches.
   */
  whatIf(lon: number, lat: number, type: string, params: WalkParams): WhatIf {
    const t0 = performance.now()
    checkWalkParams(params)
    const snap = this.snapPoint(lon, lat)
    const before = this.access(type)
    const budget = budgetOf(params)
    const [c] = this.circles([snap], params.speed, [params.minutes])
    const newly: number[] = []
    let households = 0
    let residents = 0
    const gained = new Set<number>()
    const compounds: EnteredCompound[] = []
    this.forEachReachedEntry(snap, (entry) => {
      // the compounds entered through a gate, as a stored circle's
      const entered = this.enteredThrough(entry, snap, budget)
      if (entered) compounds.push(entered)
      const i = entry.residence
      if (gained.has(i) || before.total[i] <= budget + 1e-9) return
      const [cost] = this.costAt(entry.snap, entry.snap.edge === snap.edge ? [sameEdgeStart(snap, -2)] : undefined)
      if (cost + entry.extra <= budget + 1e-9) {
        gained.add(i)
        newly.push(i)
        households += this.residences[i].households
        residents += this.residences[i].residents
      }
    })
    return { polygon: c.polygon, newly: newly.sort((a, b) => a - b), households, residents, snap, compounds, method: c.method, ms: performance.now() - t0 }
  }
}

/**
 * A residence's entries: through each of its gates that lies within reach of a walkable road (a
 * crossing only on a walkable road), each costing the walk from the road to the gate and the
 * straight walk from the gate to the household's place; without gates (or with only crossings of
 * roads nobody may walk), its own point's nearest road. None when nothing is within connectorCapM.
 */
function entriesOf(index: SnapIndex, r: ResidencePoint, residence: number, walkable: ReadonlySet<string>): Entry[] {
  const gates = r.gates ?? []
  if (gates.length === 0) {
    const snap = index.snap(r.lon, r.lat, connectorCapM)
    return snap ? [{ residence, snap, extra: snap.distance, gate: -1 }] : []
  }
  const out: Entry[] = []
  gates.forEach((g, gate) => {
    if (g.edge !== undefined && !walkable.has(g.edge)) return
    const snap = index.snap(g.lon, g.lat, connectorCapM)
    if (snap) out.push({ residence, snap, extra: snap.distance + localDistance(g.lon, g.lat, r.lon, r.lat), gate })
  })
  // where only roads nobody may walk cross its outline, a compound is reached as a point is
  if (out.length === 0 && gates.every((g) => g.edge !== undefined)) return entriesOf(index, { ...r, gates: [] }, residence, walkable)
  return out
}
