// The walking network as compact typed arrays (CSR): one adjacency list of half-edges per node,
// each edge's cost and geometry in flat arrays. No object per node or edge, so a city of
// 200,000 edges costs a few tens of megabytes and loads in milliseconds.
import { localPlane } from './projection.ts'
import { edgeFactor, notWalkable } from './rules.ts'

/** One edge as the database or an importer hands it over. */
export interface EdgeInput {
  code: string
  /** The end nodes' ids (walk_node.id): edges meet where they share an id. */
  source: number
  target: number
  /** Length in metres (geodesic). */
  lengthM: number
  steps: boolean
  highway: string
  foot?: string | null
  access?: string | null
  /** The line, [lon, lat] pairs, from the source node to the target node. */
  coordinates: readonly (readonly number[])[]
}

export interface WalkGraph {
  nodeCount: number
  edgeCount: number
  /** Each node's external id (walk_node.id). */
  nodeIds: Float64Array
  /** Node positions, lon/lat interleaved. */
  nodeCoords: Float64Array
  edgeSource: Int32Array
  edgeTarget: Int32Array
  edgeLength: Float64Array
  /** Walking cost in level metres: the length times the steps factor. */
  edgeCost: Float64Array
  edgeCodes: string[]
  /** Half-edges of node i are adjStart[i] … adjStart[i+1]-1: the edge and the node at its far end. */
  adjStart: Int32Array
  adjEdge: Int32Array
  adjNode: Int32Array
  /** Edge e's points are coords[2*coordStart[e]] … 2*coordStart[e+1]-1, lon/lat interleaved. */
  coordStart: Int32Array
  coords: Float64Array
  /** Metres from the edge's first point to each of its points (planar, per edge), to place
   *  fractions of an edge's length along its line. */
  pointAlong: Float64Array
  /** How many input edges were left out, by reason (a pedestrian may not use them). */
  excluded: Record<string, number>
  /** Node index of an external id. */
  nodeIndex: Map<number, number>
}

export function buildGraph(edges: readonly EdgeInput[]): WalkGraph {
  const excluded: Record<string, number> = {}
  const kept: EdgeInput[] = []
  for (const edge of edges) {
    const reason = notWalkable({ highway: edge.highway, foot: edge.foot, access: edge.access })
    if (reason) excluded[reason] = (excluded[reason] ?? 0) + 1
    else kept.push(edge)
  }
  const nodeIndex = new Map<number, number>()
  const ids: number[] = []
  const positions: number[] = []
  const node = (id: number, point: readonly number[]) => {
    let index = nodeIndex.get(id)
    if (index === undefined) {
      index = ids.length
      nodeIndex.set(id, index)
      ids.push(id)
      positions.push(point[0], point[1])
    }
    return index
  }
  const m = kept.length
  const edgeSource = new Int32Array(m)
  const edgeTarget = new Int32Array(m)
  const edgeLength = new Float64Array(m)
  const edgeCost = new Float64Array(m)
  const coordStart = new Int32Array(m + 1)
  let points = 0
  for (const edge of kept) points += edge.coordinates.length
  const coords = new Float64Array(points * 2)
  const pointAlong = new Float64Array(points)
  let p = 0
  kept.forEach((edge, e) => {
    const line = edge.coordinates
    if (line.length < 2) throw new Error(`edge ${edge.code} has fewer than 2 points`)
    if (!(edge.lengthM >= 0) || !Number.isFinite(edge.lengthM)) throw new Error(`edge ${edge.code} has no valid length`)
    edgeSource[e] = node(edge.source, line[0])
    edgeTarget[e] = node(edge.target, line[line.length - 1])
    edgeLength[e] = edge.lengthM
    edgeCost[e] = edge.lengthM * edgeFactor(edge.steps)
    coordStart[e] = p
    const plane = localPlane(line[0][0], line[0][1])
    line.forEach((point, i) => {
      coords[2 * p] = point[0]
      coords[2 * p + 1] = point[1]
      if (i > 0) {
        const previous = line[i - 1]
        pointAlong[p] = pointAlong[p - 1] + Math.hypot((point[0] - previous[0]) * plane.kx, (point[1] - previous[1]) * plane.ky)
      }
      p++
    })
  })
  coordStart[m] = p
  const n = ids.length
  const degree = new Int32Array(n + 1)
  for (let e = 0; e < m; e++) {
    degree[edgeSource[e]]++
    if (edgeTarget[e] !== edgeSource[e]) degree[edgeTarget[e]]++
  }
  const adjStart = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) adjStart[i + 1] = adjStart[i] + degree[i]
  const fill = adjStart.slice(0, n)
  const adjEdge = new Int32Array(adjStart[n])
  const adjNode = new Int32Array(adjStart[n])
  for (let e = 0; e < m; e++) {
    const [a, b] = [edgeSource[e], edgeTarget[e]]
    adjEdge[fill[a]] = e
    adjNode[fill[a]++] = b
    if (a !== b) {
      adjEdge[fill[b]] = e
      adjNode[fill[b]++] = a
    }
  }
  return {
    nodeCount: n,
    edgeCount: m,
    nodeIds: Float64Array.from(ids),
    nodeCoords: Float64Array.from(positions),
    edgeSource,
    edgeTarget,
    edgeLength,
    edgeCost,
    edgeCodes: kept.map((edge) => edge.code),
    adjStart,
    adjEdge,
    adjNode,
    coordStart,
    coords,
    pointAlong,
    excluded,
    nodeIndex,
  }
}

/** Bytes the graph's arrays take (the codes and the id map counted roughly). */
export function graphBytes(graph: WalkGraph): number {
  const arrays = [
    graph.nodeIds, graph.nodeCoords, graph.edgeSource, graph.edgeTarget, graph.edgeLength, graph.edgeCost,
    graph.adjStart, graph.adjEdge, graph.adjNode, graph.coordStart, graph.coords, graph.pointAlong,
  ]
  const codes = graph.edgeCodes.reduce((sum, code) => sum + 16 + 2 * code.length, 0)
  return arrays.reduce((sum, a) => sum + a.byteLength, 0) + codes + graph.nodeCount * 40
}

/** The part of edge e between two fractions of its length, as [lon, lat] points. */
export function subLine(graph: WalkGraph, e: number, from: number, to: number): [number, number][] {
  const { coordStart, coords, pointAlong } = graph
  const first = coordStart[e]
  const last = coordStart[e + 1] - 1
  const total = pointAlong[last]
  const at = (fraction: number): [number, number] => {
    const d = fraction * total
    let p = first
    while (p < last - 1 && pointAlong[p + 1] < d) p++
    const span = pointAlong[p + 1] - pointAlong[p]
    const t = span > 0 ? Math.min(1, Math.max(0, (d - pointAlong[p]) / span)) : 0
    return [coords[2 * p] + t * (coords[2 * p + 2] - coords[2 * p]), coords[2 * p + 1] + t * (coords[2 * p + 3] - coords[2 * p + 1])]
  }
  if (from <= 0 && to >= 1) {
    const out: [number, number][] = []
    for (let p = first; p <= last; p++) out.push([coords[2 * p], coords[2 * p + 1]])
    return out
  }
  const out: [number, number][] = [at(from)]
  for (let p = first + 1; p < last; p++) {
    const d = pointAlong[p] / (total || 1)
    if (d > from && d < to) out.push([coords[2 * p], coords[2 * p + 1]])
  }
  out.push(at(to))
  return out
}
