// A line network as GIS exports and tile data give it: roads drawn as long lines that cross, touch
// or share a vertex without being cut there. The routing graph joins edges only at their end
// points, so such a network is walked as if every crossing were an overpass. This finds the
// places where lines meet other than end to end, and cuts the lines there — except where one
// of the two is a bridge or a tunnel, or they lie on different layers, which crossing lines never
// join. The same split points as PostGIS's ST_Node (tests/db/noding.test.ts). Pure: no database.
import Flatbush from 'flatbush'
import type { Feature } from '../../db/validate.ts'
import { localDistance } from '../engine/projection.ts'

type Point = [number, number]

/** How two lines meet where the graph would not join them. */
export type JunctionKind =
  /** each line has a vertex there (not both of them end points): an uncut junction */
  | 'vertex'
  /** one line has a vertex there, the other passes through it between two of its vertices */
  | 'touch'
  /** they cross between vertices of both */
  | 'cross'

export interface Junction {
  at: Point
  kind: JunctionKind
  /** The codes of the two lines (the same code twice where a line crosses itself). */
  codes: [string, string]
  /** Where it lies on the lines it is not an end of: what cutting there takes. */
  places: [line: number, place: Place][]
}

export interface NodingReport {
  /** Lines that repeat another one, forward or backward, left out (OSMnx's A→B and B→A). */
  duplicates: string[]
  /** Where lines meet other than end to end, on the same level. */
  junctions: Junction[]
  /** Crossings and touches of a bridge, a tunnel or lines of different layers: never joined. */
  levelled: number
}

/** A property's value as text: a string, number or boolean; '' for anything else. */
const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '')
const codeOf = (feature: Feature): string => text(feature.properties?.code)

/** A bridge or tunnel, or its layer: whether lines may join where they cross. */
function level(feature: Feature): { apart: boolean; layer: number } {
  const p = feature.properties ?? {}
  const yes = (value: unknown) => !['', 'no', 'false', '0'].includes(text(value).trim().toLowerCase())
  const layer = Number.parseInt(text(p.layer) || '0', 10)
  return { apart: yes(p.bridge) || yes(p.tunnel), layer: Number.isFinite(layer) ? layer : 0 }
}

const lineOf = (feature: Feature): Point[] => (feature.geometry as GeoJSON.LineString).coordinates.map((c) => [c[0], c[1]])

const orient = (a: Point, b: Point, c: Point) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
const between = (a: number, b: number, x: number) => (a <= b ? a <= x && x <= b : b <= x && x <= a)
/** Whether c, on the line through a and b, lies on the segment ab. */
const onSegment = (a: Point, b: Point, c: Point) => between(a[0], b[0], c[0]) && between(a[1], b[1], c[1])
const same = (a: Point, b: Point) => a[0] === b[0] && a[1] === b[1]

/** Where a point lies on a line: at vertex `segment` (t = 0), or inside the segment from it (0 < t < 1). */
export interface Place {
  segment: number
  t: number
  at: Point
}

/** The points where two segments meet, each with its place on both: none, one, or two (overlapping). */
function meet(p1: Point, p2: Point, q1: Point, q2: Point): { at: Point; tp: number; tq: number }[] {
  const d1 = orient(p1, p2, q1)
  const d2 = orient(p1, p2, q2)
  const d3 = orient(q1, q2, p1)
  const d4 = orient(q1, q2, p2)
  const along = (a: Point, b: Point, c: Point) => {
    const dx = b[0] - a[0]
    const dy = b[1] - a[1]
    return Math.abs(dx) >= Math.abs(dy) ? (c[0] - a[0]) / dx : (c[1] - a[1]) / dy
  }
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d3 / (d3 - d4)
    const u = d1 / (d1 - d2)
    return [{ at: [p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])], tp: t, tq: u }]
  }
  const found: { at: Point; tp: number; tq: number }[] = []
  const add = (at: Point, tp: number, tq: number) => {
    if (!found.some((f) => same(f.at, at))) found.push({ at, tp: Math.min(1, Math.max(0, tp)), tq: Math.min(1, Math.max(0, tq)) })
  }
  if (d1 === 0 && onSegment(p1, p2, q1)) add(q1, same(q1, p1) ? 0 : same(q1, p2) ? 1 : along(p1, p2, q1), 0)
  if (d2 === 0 && onSegment(p1, p2, q2)) add(q2, same(q2, p1) ? 0 : same(q2, p2) ? 1 : along(p1, p2, q2), 1)
  if (d3 === 0 && onSegment(q1, q2, p1)) add(p1, 0, same(p1, q1) ? 0 : same(p1, q2) ? 1 : along(q1, q2, p1))
  if (d4 === 0 && onSegment(q1, q2, p2)) add(p2, 1, same(p2, q1) ? 0 : same(p2, q2) ? 1 : along(q1, q2, p2))
  return found
}

/** A place at a vertex is said at that vertex (t = 0), not at the end of the segment before it. */
function place(segment: number, t: number, at: Point): Place {
  return t >= 1 ? { segment: segment + 1, t: 0, at } : { segment, t, at }
}

/**
 * Finds, in a network's lines, the lines that repeat another (left out) and every place two lines
 * (or one line with itself) meet other than end to end, on the same level.
 */
export function findJunctions(features: Feature[]): { report: NodingReport; kept: Feature[] } {
  // Lines that repeat another, forward or backward: one edge.
  const seen = new Set<string>()
  const duplicates: string[] = []
  const kept: Feature[] = []
  for (const feature of features) {
    const line = lineOf(feature)
    const forward = JSON.stringify(line)
    const backward = JSON.stringify(line.slice().reverse())
    const key = forward < backward ? forward : backward
    if (seen.has(key)) duplicates.push(codeOf(feature))
    else {
      seen.add(key)
      kept.push(feature)
    }
  }

  const lines = kept.map(lineOf)
  const levels = kept.map(level)
  const segments: { line: number; index: number }[] = []
  for (const [l, line] of lines.entries()) for (let i = 0; i + 1 < line.length; i++) segments.push({ line: l, index: i })
  const junctions: Junction[] = []
  let levelled = 0
  if (!segments.length) return { report: { duplicates, junctions, levelled }, kept }

  const index = new Flatbush(segments.length)
  for (const { line, index: i } of segments) {
    const [a, b] = [lines[line][i], lines[line][i + 1]]
    index.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]))
  }
  index.finish()

  const isEnd = (line: number, p: Place) => (p.segment === 0 && p.t === 0) || (p.segment === lines[line].length - 1 && p.t === 0)
  // a junction found from several segment pairs (at a shared vertex, say) is said once
  const said = new Set<string>()

  for (const [s, { line: l, index: i }] of segments.entries()) {
    const [p1, p2] = [lines[l][i], lines[l][i + 1]]
    const near = index.search(Math.min(p1[0], p2[0]), Math.min(p1[1], p2[1]), Math.max(p1[0], p2[0]), Math.max(p1[1], p2[1]))
    for (const o of near) {
      if (o <= s) continue
      const { line: m, index: j } = segments[o]
      // a line's consecutive segments meet at their shared vertex, which is no junction
      if (m === l && j === i + 1) continue
      const [q1, q2] = [lines[m][j], lines[m][j + 1]]
      for (const { at, tp, tq } of meet(p1, p2, q1, q2)) {
        const a = place(i, tp, at)
        const b = place(j, tq, at)
        if (m === l && a.segment === b.segment && a.t === b.t) continue
        const endA = isEnd(l, a)
        const endB = isEnd(m, b)
        if (endA && endB) continue
        const kind: JunctionKind = a.t === 0 && b.t === 0 ? 'vertex' : a.t === 0 || b.t === 0 ? 'touch' : 'cross'
        const key = `${l}:${m}:${at[0]}:${at[1]}`
        if (said.has(key)) continue
        said.add(key)
        // crossing lines of different levels never join; lines that share a vertex do
        if (kind !== 'vertex' && (levels[l].apart || levels[m].apart || levels[l].layer !== levels[m].layer)) {
          levelled++
          continue
        }
        const places: [number, Place][] = []
        if (!endA) places.push([l, a])
        if (!endB) places.push([m, b])
        junctions.push({ at, kind, codes: [codeOf(kept[l]), codeOf(kept[m])], places })
      }
    }
  }
  return { report: { duplicates, junctions, levelled }, kept }
}

/** The places each line is to be cut at, for the junctions given. */
export function cutsAt(junctions: Junction[]): Map<number, Place[]> {
  const cuts = new Map<number, Place[]>()
  for (const junction of junctions)
    for (const [line, p] of junction.places) {
      const list = cuts.get(line) ?? []
      list.push(p)
      cuts.set(line, list)
    }
  return cuts
}

/** A line's length in metres, segment by segment in the local plane the circle engine measures in. */
function length(line: Point[]): number {
  let sum = 0
  for (let i = 1; i < line.length; i++) sum += localDistance(line[i - 1][0], line[i - 1][1], line[i][0], line[i][1])
  return sum
}

/** A piece's code: the line's, numbered, within the walk_edge code pattern and unique in the file. */
function pieceCode(code: string, k: number, taken: Set<string>): string {
  let candidate = `${code}-${k}`
  for (let n = 0; candidate.length > 40 || taken.has(candidate); n++) candidate = `${code.slice(0, 40 - `-${k}`.length - `~${n}`.length)}~${n}-${k}`.replace(/[^A-Za-z0-9_-]/g, '_')
  taken.add(candidate)
  return candidate
}

/**
 * Cuts each line at its places: pieces that meet end to end where the lines met, each with the
 * line's properties, a code of its own (`<code>-1`, `<code>-2`, …) and its share of a length given.
 */
export function cutLines(kept: Feature[], cuts: Map<number, Place[]>): { features: Feature[]; split: number; pieces: number } {
  const taken = new Set(kept.map(codeOf))
  const features: Feature[] = []
  let split = 0
  let count = 0
  for (const [l, feature] of kept.entries()) {
    const places = (cuts.get(l) ?? []).sort((a, b) => a.segment - b.segment || a.t - b.t)
    if (!places.length) {
      features.push(feature)
      continue
    }
    const line = lineOf(feature)
    const pieces: Point[][] = []
    let current: Point[] = [line[0]]
    let vertex = 1
    for (const p of places) {
      // the vertices up to the cut
      while (vertex <= p.segment) current.push(line[vertex++])
      // a cut at a vertex ends the piece at the vertex just pushed; one between vertices adds its point
      if (!same(current[current.length - 1], p.at)) current.push(p.at)
      if (current.length >= 2) {
        pieces.push(current)
        current = [p.at]
      }
    }
    while (vertex < line.length) current.push(line[vertex++])
    if (current.length >= 2 && !(current.length === 2 && same(current[0], current[1]))) pieces.push(current)
    if (pieces.length < 2) {
      features.push(feature)
      continue
    }
    split++
    count += pieces.length
    const whole = length(line)
    const given = feature.properties?.length_m
    for (const [k, piece] of pieces.entries()) {
      const properties: Record<string, unknown> = { ...feature.properties, code: pieceCode(codeOf(feature), k + 1, taken) }
      if (typeof given === 'number' && whole > 0) properties.length_m = (given * length(piece)) / whole
      features.push({ ...feature, properties, geometry: { type: 'LineString', coordinates: piece } })
    }
  }
  return { features, split, pieces: count }
}

/** "3 crossings, 2 ends or vertices on another line, 1 shared vertex", of the counts given. */
export function describeKinds(counts: Record<JunctionKind, number>): string {
  const parts = [
    [counts.cross, 'crossing', 'crossings'],
    [counts.touch, 'end or vertex on another line', 'ends or vertices on another line'],
    [counts.vertex, 'shared vertex', 'shared vertices'],
  ] as const
  return parts
    .filter(([count]) => count > 0)
    .map(([count, one, many]) => `${count} ${count === 1 ? one : many}`)
    .join(', ')
}

/** How many junctions of each kind. */
export function countKinds(junctions: Junction[]): Record<JunctionKind, number> {
  const counts: Record<JunctionKind, number> = { cross: 0, touch: 0, vertex: 0 }
  for (const j of junctions) counts[j.kind]++
  return counts
}

/** The first few junctions, where and between which lines. */
export function someJunctions(junctions: Junction[], count = 5): string {
  return junctions
    .slice(0, count)
    .map((j) => `${j.codes[0]} × ${j.codes[1]} at ${j.at[0].toFixed(6)}, ${j.at[1].toFixed(6)}`)
    .join('; ')
}
