// The walking network: the lattice's edges around land cells, diagonal footways through some
// blocks, steps in the hills, and 5 bridges over 龙泉溪; hill paths thinned to a spanning tree
// with some loops; chains merged so that edges run between intersections. One connected component.
import { components, density, riverHalfWidth, type Lattice } from './lattice.ts'
import type { Metres } from './projection.ts'
import { shuffle, type Random } from './random.ts'

export interface WalkEdge {
  /** node ids */
  from: number
  to: number
  /** bends between the ends, local metres */
  via?: Metres[]
  highway: string
  name: string | null
}

interface NamedRoad {
  axis: 'row' | 'column'
  /** base y of a row or base x of a column, m */
  at: number
  /** the stretch of the road, in base x for a row or base y for a column */
  from: number
  to: number
  name: string
  highway: string
}

const roads: NamedRoad[] = [
  // east-west
  { axis: 'row', at: riverHalfWidth, from: -3000, to: 3300, name: '龙渊路', highway: 'secondary' },
  { axis: 'row', at: 480, from: -3400, to: -1, name: '中山西路', highway: 'primary' },
  { axis: 'row', at: 480, from: 0, to: 3400, name: '中山东路', highway: 'primary' },
  { axis: 'row', at: 250, from: -2050, to: -1050, name: '西街', highway: 'pedestrian' },
  { axis: 'row', at: 950, from: -1900, to: 700, name: '华楼街', highway: 'tertiary' },
  { axis: 'row', at: 1450, from: -1600, to: 2600, name: '贤良路', highway: 'secondary' },
  { axis: 'row', at: 2150, from: -2700, to: 3100, name: '北环路', highway: 'secondary' },
  { axis: 'row', at: -riverHalfWidth, from: -3300, to: 3500, name: '江滨路', highway: 'secondary' },
  { axis: 'row', at: -520, from: -3800, to: 3800, name: '剑川大道', highway: 'primary' },
  { axis: 'row', at: -1150, from: -2600, to: 1600, name: '南秦路', highway: 'tertiary' },
  { axis: 'row', at: -1750, from: -2300, to: 2600, name: '宏山路', highway: 'tertiary' },
  { axis: 'row', at: -2450, from: -3200, to: 3200, name: '环城南路', highway: 'secondary' },
  // north-south
  { axis: 'column', at: -2350, from: 60, to: 2400, name: '白云路', highway: 'tertiary' },
  { axis: 'column', at: -2350, from: -3000, to: -60, name: '大沙路', highway: 'tertiary' },
  { axis: 'column', at: -1250, from: 60, to: 2300, name: '西新路', highway: 'tertiary' },
  { axis: 'column', at: -1250, from: -2600, to: -60, name: '青瓷路', highway: 'tertiary' },
  { axis: 'column', at: -300, from: 60, to: 2500, name: '新华街', highway: 'secondary' },
  { axis: 'column', at: -300, from: -3300, to: -60, name: '剑池路', highway: 'secondary' },
  { axis: 'column', at: 550, from: 60, to: 2000, name: '宫头路', highway: 'tertiary' },
  { axis: 'column', at: 550, from: -2600, to: -60, name: '南大洋路', highway: 'tertiary' },
  { axis: 'column', at: 1350, from: 60, to: 2600, name: '东街', highway: 'tertiary' },
  { axis: 'column', at: 1350, from: -2200, to: -60, name: '水南路', highway: 'tertiary' },
  { axis: 'column', at: 2350, from: 60, to: 3000, name: '城东路', highway: 'secondary' },
  { axis: 'column', at: 2350, from: -2800, to: -60, name: '金岗路', highway: 'secondary' },
  { axis: 'column', at: 3250, from: -2600, to: 2600, name: '东环路', highway: 'secondary' },
]

/** The bridges over 龙泉溪, at the main column nearest base x `at`. */
export const bridges = [
  { at: -2350, name: '大沙大桥', highway: 'secondary' },
  { at: -1250, name: '济川桥', highway: 'tertiary' },
  { at: -300, name: '龙泉大桥', highway: 'primary' },
  { at: 550, name: '留槎人行桥', highway: 'footway' },
  { at: 1350, name: '剑池大桥', highway: 'primary' },
] as const

/** Below this density a place counts as hills. */
const hills = 0.12

const nearestMain = (positions: number[], main: boolean[], value: number) => {
  let best = -1
  for (let k = 0; k < positions.length; k++)
    if (main[k] && (best < 0 || Math.abs(positions[k] - value) < Math.abs(positions[best] - value))) best = k
  return best
}

export interface WalkNetwork {
  edges: WalkEdge[]
  /** Cells a diagonal footway crosses: no building stands in them. */
  diagonalCells: Set<number>
}

export function buildWalkNetwork(lattice: Lattice, isLandCell: Uint8Array, parkCells: ReadonlySet<number>, random: Random): WalkNetwork {
  const { columnX, rowY, mainColumn, mainRow, nodeColumns, nodeRows, cellColumns, cellRows, riverRow, node, nodeX, nodeY } = lattice
  const isLand = (i: number, j: number) => i >= 0 && j >= 0 && i < cellColumns && j < cellRows && isLandCell[lattice.cell(i, j)] === 1
  const densityBetween = (a: number, b: number) => density((nodeX[a] + nodeX[b]) / 2, (nodeY[a] + nodeY[b]) / 2)

  const rowRoads = new Map<number, NamedRoad[]>()
  const columnRoads = new Map<number, NamedRoad[]>()
  for (const road of roads) {
    const byLine = road.axis === 'row' ? rowRoads : columnRoads
    const k =
      road.axis === 'row'
        ? road.at === riverHalfWidth
          ? riverRow + 1
          : road.at === -riverHalfWidth
            ? riverRow
            : nearestMain(rowY, mainRow, road.at)
        : nearestMain(columnX, mainColumn, road.at)
    const list = byLine.get(k)
    if (list) list.push(road)
    else byLine.set(k, [road])
  }

  const classify = (a: number, b: number, main: boolean, named: NamedRoad | undefined): { highway: string; name: string | null } => {
    const d = densityBetween(a, b)
    if (named && d > hills) return { highway: named.highway, name: named.name }
    const r = random()
    if (d < hills) {
      if (main) return { highway: r < 0.7 ? 'residential' : 'service', name: null }
      return { highway: r < 0.06 ? 'steps' : r < 0.3 ? 'service' : 'path', name: null }
    }
    if (main) return { highway: r < 0.85 ? 'residential' : 'service', name: null }
    return { highway: r < 0.58 ? 'residential' : r < 0.9 ? 'service' : r < 0.97 ? 'footway' : 'path', name: null }
  }

  let edges: WalkEdge[] = []
  // along rows
  for (let j = 0; j < nodeRows; j++) {
    for (let i = 0; i + 1 < nodeColumns; i++) {
      if (!isLand(i, j - 1) && !isLand(i, j)) continue
      const from = node(i, j)
      const to = node(i + 1, j)
      const x = (columnX[i] + columnX[i + 1]) / 2
      const named = rowRoads.get(j)?.find((road) => x >= road.from && x <= road.to)
      edges.push({ from, to, ...classify(from, to, mainRow[j], named) })
    }
  }
  // along columns; none across the river but the bridges
  for (let i = 0; i < nodeColumns; i++) {
    for (let j = 0; j + 1 < nodeRows; j++) {
      if (j === riverRow) continue
      if (!isLand(i - 1, j) && !isLand(i, j)) continue
      const from = node(i, j)
      const to = node(i, j + 1)
      const y = (rowY[j] + rowY[j + 1]) / 2
      const named = columnRoads.get(i)?.find((road) => y >= road.from && y <= road.to)
      edges.push({ from, to, ...classify(from, to, mainColumn[i], named) })
    }
  }
  // diagonal footways through some blocks, steps in the hills
  const diagonalCells = new Set<number>()
  for (let c = 0; c < lattice.cellCount; c++) {
    if (!isLandCell[c]) continue
    const d = density(lattice.cellX[c], lattice.cellY[c])
    const chance = parkCells.has(c) ? 0.5 : d > hills ? 0.035 : 0.05
    if (random() >= chance) continue
    const i = lattice.cellColumn(c)
    const j = lattice.cellRow(c)
    const flip = random() < 0.5
    const from = flip ? node(i, j) : node(i + 1, j)
    const to = flip ? node(i + 1, j + 1) : node(i, j + 1)
    const steps = d < hills ? random() < 0.5 : random() < 0.12
    edges.push({ from, to, highway: steps ? 'steps' : parkCells.has(c) ? 'pedestrian' : 'footway', name: null })
    diagonalCells.add(c)
  }
  for (const bridge of bridges) {
    const i = nearestMain(columnX, mainColumn, bridge.at)
    if (!(isLand(i, riverRow - 1) || isLand(i - 1, riverRow - 1)) || !(isLand(i, riverRow + 1) || isLand(i - 1, riverRow + 1)))
      throw new Error(`bridge ${bridge.name} lands nowhere`)
    edges.push({ from: node(i, riverRow), to: node(i, riverRow + 1), highway: bridge.highway, name: bridge.name })
  }
  edges = thinHills(edges, densityBetween, random)
  // a bend in the middle of some lanes and paths; the bank roads follow the water's edge exactly
  const onBank = (n: number) => n % nodeRows === riverRow || n % nodeRows === riverRow + 1
  for (const edge of edges) {
    if (edge.name || !['residential', 'service', 'path', 'footway'].includes(edge.highway)) continue
    if (random() >= 0.18) continue
    if (onBank(edge.from) && onBank(edge.to)) continue
    const dx = nodeX[edge.to] - nodeX[edge.from]
    const dy = nodeY[edge.to] - nodeY[edge.from]
    const length = Math.hypot(dx, dy)
    const offset = (random() - 0.5) * Math.min(10, length * 0.08)
    const t = 0.35 + 0.3 * random()
    edge.via = [[nodeX[edge.from] + dx * t - (dy / length) * offset, nodeY[edge.from] + dy * t + (dx / length) * offset]]
  }
  edges = mergeChains(edges, lattice)
  const neighbours = new Map<number, number[]>()
  for (const edge of edges) {
    for (const [a, b] of [
      [edge.from, edge.to],
      [edge.to, edge.from],
    ]) {
      const list = neighbours.get(a)
      if (list) list.push(b)
      else neighbours.set(a, [b])
    }
  }
  const pieces = components(
    [...neighbours.keys()].sort((a, b) => a - b),
    (n) => neighbours.get(n) ?? [],
  )
  if (pieces.length !== 1) throw new Error(`walking network has ${pieces.length} components`)
  return { edges, diagonalCells }
}

/** Keeps a random spanning tree of the hill paths and some loops; every other edge stays. */
function thinHills(edges: WalkEdge[], densityBetween: (a: number, b: number) => number, random: Random): WalkEdge[] {
  const parent = new Map<number, number>()
  const find = (n: number): number => {
    let root = n
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!
    while (n !== root) {
      const up = parent.get(n) ?? n
      parent.set(n, root)
      n = up
    }
    return root
  }
  const hill = (edge: WalkEdge) => !edge.name && densityBetween(edge.from, edge.to) < hills
  const order = [...edges.filter((edge) => !hill(edge)), ...shuffle(random, edges.filter(hill))]
  const keep = new Set<WalkEdge>()
  for (const edge of order) {
    const a = find(edge.from)
    const b = find(edge.to)
    if (a !== b) {
      parent.set(a, b)
      keep.add(edge)
    } else if (!hill(edge) || random() < 0.45) keep.add(edge)
  }
  return edges.filter((edge) => keep.has(edge))
}

/** Merges chains through nodes of degree 2 whose edges share class and name. */
function mergeChains(edges: WalkEdge[], lattice: Lattice): WalkEdge[] {
  const { nodeX, nodeY } = lattice
  const incident = new Map<number, WalkEdge[]>()
  for (const edge of edges)
    for (const n of [edge.from, edge.to]) {
      const list = incident.get(n)
      if (list) list.push(edge)
      else incident.set(n, [edge])
    }
  const at = (n: number) => incident.get(n) ?? []
  const same = (p: WalkEdge, q: WalkEdge) => p.highway === q.highway && p.name === q.name
  const passThrough = (n: number) => {
    const list = at(n)
    return list.length === 2 && list[0] !== list[1] && same(list[0], list[1])
  }
  const other = (n: number, edge: WalkEdge) => at(n).find((x) => x !== edge)!
  /** The bends of `edge` walked from node `start`. */
  const bends = (edge: WalkEdge, start: number): Metres[] => {
    const via = edge.via ?? []
    return start === edge.from ? via : [...via].reverse()
  }
  const done = new Set<WalkEdge>()
  const merged: WalkEdge[] = []
  for (const edge of edges) {
    if (done.has(edge)) continue
    done.add(edge)
    // back from edge.from to the chain's start
    let start = edge.from
    let first = edge
    for (let guard = 0; passThrough(start) && guard < 100000; guard++) {
      const previous = other(start, first)
      if (done.has(previous)) break
      first = previous
      done.add(previous)
      start = previous.from === start ? previous.to : previous.from
    }
    // then forward from start, collecting the geometry
    const via: Metres[] = []
    let current = first
    let end = start
    const seen = new Set<WalkEdge>([current])
    for (;;) {
      via.push(...bends(current, end))
      end = current.from === end ? current.to : current.from
      if (!passThrough(end)) break
      const following = other(end, current)
      if (seen.has(following)) break
      via.push([nodeX[end], nodeY[end]])
      current = following
      seen.add(current)
      done.add(current)
    }
    merged.push({ from: start, to: end, via: via.length ? via : undefined, highway: edge.highway, name: edge.name })
  }
  return merged.filter((edge) => edge.from !== edge.to)
}
