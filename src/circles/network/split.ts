// OSM ways → walking-network edges. Keeps the ways a pedestrian may use (the rules of
// ../engine/rules.ts), then cuts each one at its ends and at every node it shares with another
// kept way (or visits twice), so edges meet exactly where the ways do. Pure: no database here.
import type { Feature } from '../../db/validate.ts'
import { notWalkableOnImport, type OsmImportRule, type WayTags } from '../engine/rules.ts'

export type NetworkFormat = 'osm' | 'pbf' | 'graphml' | 'geojson'

/** What a parser makes of a network file: walk_edge features, ready for the importer. */
export interface NetworkResult {
  features: Feature[]
  /** Ways (OSM) or edges (GraphML) left out, by the reason a pedestrian cannot use them. */
  excluded: Record<string, number>
  warnings: string[]
}

/** A network file the atlas cannot read, with the reason in words. */
export class NetworkError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'NetworkError'
  }
}

/** OSM stores coordinates to 7 decimals; rounding there makes XML and PBF agree to the bit. */
export const osmDegrees = (value: number) => Math.round(value * 1e7) / 1e7

/** At most this many ids are named in a warning. */
const named = 5
const someIds = (ids: readonly (number | string)[], what: string) =>
  ids
    .slice(0, named)
    .map((id) => `${what} ${id}`)
    .join(', ') + (ids.length > named ? ', …' : '')

/** Counts reasons into a record, most frequent first when listed. */
export function tally(record: Record<string, number>, reason: string, by = 1): void {
  record[reason] = (record[reason] ?? 0) + by
}

/** "highway=motorway 12, foot=no 3", most frequent first. */
export function listReasons(record: Record<string, number>): string {
  return Object.entries(record)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ')
}

/** Collects the nodes and ways of an OSM file (in any order), then splits the kept ways. */
export class WayCollector {
  private nodeIndex = new Map<number, number>()
  private coords = new Float64Array(1 << 16)
  private ways = new Map<number, { refs: number[]; tags: WayTags }>()
  /** Every way seen, and those without a highway tag (not counted as excluded: they are not roads). */
  private wayCount = 0
  private withoutHighway = 0
  readonly excluded: Record<string, number> = {}

  /** `walkable`: the import rules lifted (osmImportRules). */
  constructor(private readonly walkable: readonly OsmImportRule[] = []) {}

  addNode(id: number, lon: number, lat: number): void {
    let index = this.nodeIndex.get(id)
    if (index === undefined) {
      index = this.nodeIndex.size
      this.nodeIndex.set(id, index)
      if (2 * index + 2 > this.coords.length) {
        const grown = new Float64Array(this.coords.length * 2)
        grown.set(this.coords)
        this.coords = grown
      }
    }
    this.coords[2 * index] = osmDegrees(lon)
    this.coords[2 * index + 1] = osmDegrees(lat)
  }

  addWay(id: number, refs: number[], tags: Record<string, string>): void {
    this.wayCount++
    if (!tags.highway) {
      this.withoutHighway++
      return
    }
    const reason = notWalkableOnImport(tags, this.walkable)
    if (reason) {
      tally(this.excluded, reason)
      return
    }
    // A way listed twice (merged extracts) counts once: the last copy wins.
    this.ways.set(id, { refs, tags: { highway: tags.highway, name: tags.name, foot: tags.foot, access: tags.access } })
  }

  private position(id: number): [number, number] | undefined {
    const index = this.nodeIndex.get(id)
    return index === undefined ? undefined : [this.coords[2 * index], this.coords[2 * index + 1]]
  }

  /** The kept ways cut into edges; throws a NetworkError when no way is walkable. */
  finish(): NetworkResult {
    const warnings: string[] = []
    const missingWays: number[] = []
    let missingRefs = 0
    const droppedWays: number[] = []
    const resolved: { id: number; refs: number[]; tags: WayTags }[] = []
    for (const [id, way] of this.ways) {
      const refs: number[] = []
      let missing = 0
      for (const ref of way.refs) {
        if (!this.nodeIndex.has(ref)) missing++
        else if (refs[refs.length - 1] !== ref) refs.push(ref)
      }
      if (missing) {
        missingWays.push(id)
        missingRefs += missing
      }
      if (refs.length < 2) droppedWays.push(id)
      else resolved.push({ id, refs, tags: way.tags })
    }
    if (missingWays.length)
      warnings.push(
        `${missingWays.length} ${missingWays.length === 1 ? 'way refers' : 'ways refer'} to ${missingRefs} ${missingRefs === 1 ? 'node' : 'nodes'} not in the file (${someIds(missingWays, 'way')}): those nodes were left out`,
      )
    if (droppedWays.length)
      warnings.push(
        `${droppedWays.length} ${droppedWays.length === 1 ? 'way was' : 'ways were'} dropped: fewer than 2 of their nodes are in the file (${someIds(droppedWays, 'way')})`,
      )

    // A node used more than once among the kept ways is a junction: edges end there.
    const uses = new Map<number, number>()
    for (const way of resolved) for (const ref of way.refs) uses.set(ref, (uses.get(ref) ?? 0) + 1)

    const features: Feature[] = []
    const degenerate: string[] = []
    for (const way of resolved) {
      let piece = 0
      let start = 0
      for (let i = 1; i < way.refs.length; i++) {
        if (i < way.refs.length - 1 && (uses.get(way.refs[i]) ?? 0) < 2) continue
        const code = `w${way.id}-${piece++}`
        const coordinates: [number, number][] = []
        for (const ref of way.refs.slice(start, i + 1)) {
          const p = this.position(ref)!
          const last = coordinates[coordinates.length - 1]
          if (!last || last[0] !== p[0] || last[1] !== p[1]) coordinates.push(p)
        }
        start = i
        if (coordinates.length < 2) {
          degenerate.push(code)
          continue
        }
        features.push(edgeFeature(code, coordinates, way.tags))
      }
    }
    if (degenerate.length)
      warnings.push(
        `${degenerate.length} ${degenerate.length === 1 ? 'piece' : 'pieces'} of zero length (distinct nodes at one position) left out (${someIds(degenerate, 'edge')})`,
      )

    if (!features.length) {
      const reasons = { ...this.excluded }
      if (this.withoutHighway) reasons['no highway tag'] = this.withoutHighway
      if (droppedWays.length) reasons['nodes missing from the file'] = droppedWays.length
      const why = listReasons(reasons)
      throw new NetworkError(`no walkable way: of ${this.wayCount} ${this.wayCount === 1 ? 'way' : 'ways'}${why ? `, ${why}` : ''}`)
    }
    return { features, excluded: { ...this.excluded }, warnings }
  }
}

/** A walk_edge feature; optional tags are left out when the source does not have them. */
export function edgeFeature(code: string, coordinates: number[][], tags: WayTags): Feature {
  const highway = String(tags.highway)
  const properties: Record<string, unknown> = { code, highway, steps: highway === 'steps' }
  if (tags.name) properties.name = tags.name
  if (tags.foot) properties.foot = tags.foot
  if (tags.access) properties.access = tags.access
  return { type: 'Feature', geometry: { type: 'LineString', coordinates }, properties }
}
