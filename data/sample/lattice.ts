// The street lattice the whole city is laid on, in local metres around the centre: columns of
// nodes west to east, rows south to north, bent and jittered so no street is ruler-straight.
// Cell (i, j) lies between nodes (i, j) and (i + 1, j + 1). The river 龙泉溪 is one row of cells and
// its banks are two rows of nodes, so the water and the land share vertices. Main lines (every
// 250 m or so) are the main roads; the cells between them are superblocks.
import { toLonLat, type LonLat, type Metres } from './projection.ts'
import type { Random } from './random.ts'

const westEdge = -10600
const eastEdge = 4600
const southEdge = -4400
const northEdge = 6600
/** Nominal half width of the river, m. */
export const riverHalfWidth = 55

const turn = Math.PI * 2

/** Street spacing: 62 m in the centre, 340 m in the hills. */
function spacingX(x: number): number {
  const a = Math.abs(x)
  if (a < 1500) return 62
  if (a < 3000) return 62 + ((a - 1500) / 1500) * 58
  if (a < 4300) return 120 + ((a - 3000) / 1300) * 200
  return 340
}
function spacingY(y: number): number {
  const a = Math.abs(y + 100)
  if (a < 1300) return 62
  if (a < 2500) return 62 + ((a - 1300) / 1200) * 58
  if (a < 3500) return 120 + ((a - 2500) / 1000) * 200
  return 340
}

/** Lines up from `start` to `max` and down to `min`, 86–118 % of `spacing` apart. */
function lines(start: number, min: number, max: number, spacing: (p: number) => number, random: Random, downStart?: number): number[] {
  const up: number[] = []
  for (let p = start; p <= max; p += spacing(p) * (0.86 + 0.32 * random())) up.push(p)
  const down: number[] = []
  for (let p = downStart ?? start - spacing(start) * (0.86 + 0.32 * random()); p >= min; p -= spacing(p) * (0.86 + 0.32 * random())) down.push(p)
  return [...down.reverse(), ...up]
}

/** The river's centre line: its y at x. */
const riverCentre = (x: number) => 150 * Math.sin((turn * x) / 3900 + 0.7) + 60 * Math.sin((turn * x) / 1650 + 2.1) + 0.02 * x
const riverHalfWidthAt = (x: number) => riverHalfWidth + 14 * Math.sin((turn * x) / 2300 + 1.3)
/** A gentle warp of the north-south streets. */
const xWarp = (y: number) => 45 * Math.sin((turn * y) / 2900 + 0.4)
/** How much a row at base y follows the river's bends: fully near the water, not at all far off. */
const riverFollowing = (y: number) => (Math.abs(y) < 350 ? 1 : Math.exp(-(((Math.abs(y) - 350) / 2400) ** 2)))
/** Rows far from the river bend with the hills. */
const yWarp = (x: number, y: number) =>
  (1 - riverFollowing(y)) * (110 * Math.sin((turn * x) / 3300 + y / 1900) + 50 * Math.sin((turn * x) / 1400 + 1.7))

const noiseWaves = [
  [0.00071, 0.00052, 0.3],
  [-0.00043, 0.00088, 1.9],
  [0.00112, -0.00067, 4.1],
  [0.00029, -0.00131, 2.6],
  [-0.00152, -0.00021, 5.3],
]
/** A smooth field in about [-1, 1]. */
export const noise = (x: number, y: number) => noiseWaves.reduce((a, [kx, ky, phase]) => a + Math.sin(kx * x + ky * y + phase), 0) / 2.6

/** The point of the north or south bank at base x. */
export const bankPoint = (x0: number, north: boolean): Metres => {
  const y = riverCentre(x0) + (north ? 1 : -1) * riverHalfWidthAt(x0)
  return [x0 + xWarp(y), y]
}

/** Population density weight: 1 in the centre, low in the hills. */
export const density = (x: number, y: number) => 0.05 + Math.exp(-(((x + 150) / 2300) ** 2 + ((y + 50) / 1750) ** 2))

/** A cell's weight for people: its area times the density there. */
export const cellWeight = (lattice: Lattice, c: number) => lattice.cellArea[c] * density(lattice.cellX[c], lattice.cellY[c])

export interface Lattice {
  /** Base x of each column of nodes and base y of each row, before the bends and the jitter. */
  columnX: number[]
  rowY: number[]
  mainColumn: boolean[]
  mainRow: boolean[]
  nodeColumns: number
  nodeRows: number
  cellColumns: number
  cellRows: number
  cellCount: number
  /** The river's row of cells, between node rows riverRow (south bank) and riverRow + 1 (north bank). */
  riverRow: number
  nodeX: Float64Array
  nodeY: Float64Array
  nodeLonLat: LonLat[]
  /** Each cell's centre (the mean of its corners) and its area, m². */
  cellX: Float64Array
  cellY: Float64Array
  cellArea: Float64Array
  /** The cells between main roads, by superblock, in cell order; the river's cells are in none. */
  blocks: Map<number, number[]>
  node: (i: number, j: number) => number
  cell: (i: number, j: number) => number
  cellColumn: (cell: number) => number
  cellRow: (cell: number) => number
  /** Node ids counter-clockwise from the south-west corner. */
  cellCorners: (cell: number) => number[]
  cellQuad: (cell: number) => Metres[]
  /** South, east, north, west, where they exist. */
  cellNeighbours: (cell: number) => number[]
  isRiverCell: (cell: number) => boolean
  isNorth: (cell: number) => boolean
}

/** Is line k of `positions` a main road: the edges, `extra`, and the first line past each 250 m. */
const isMainLine = (positions: number[], k: number, extra: (k: number) => boolean) =>
  k === 0 || k === positions.length - 1 || extra(k) || Math.floor(positions[k] / 250) !== Math.floor(positions[k - 1] / 250)

export function buildLattice(random: Random): Lattice {
  const columnX = lines(0, westEdge, eastEdge, spacingX, random)
  const rowY = lines(riverHalfWidth, southEdge, northEdge, spacingY, random, -riverHalfWidth)
  const nodeColumns = columnX.length
  const nodeRows = rowY.length
  const riverRow = rowY.indexOf(-riverHalfWidth)
  if (riverRow < 0 || rowY[riverRow + 1] !== riverHalfWidth) throw new Error('river rows')
  const cellColumns = nodeColumns - 1
  const cellRows = nodeRows - 1
  const cellCount = cellColumns * cellRows
  const mainColumn = columnX.map((_, i) => isMainLine(columnX, i, () => false))
  const mainRow = rowY.map((_, j) => isMainLine(rowY, j, (k) => k === riverRow || k === riverRow + 1 || k === riverRow + 2))

  const node = (i: number, j: number) => i * nodeRows + j
  const nodeX = new Float64Array(nodeColumns * nodeRows)
  const nodeY = new Float64Array(nodeColumns * nodeRows)
  for (let i = 0; i < nodeColumns; i++) {
    const spacingI = (columnX[Math.min(i + 1, nodeColumns - 1)] - columnX[Math.max(i - 1, 0)]) / 2
    for (let j = 0; j < nodeRows; j++) {
      const spacingJ = (rowY[Math.min(j + 1, nodeRows - 1)] - rowY[Math.max(j - 1, 0)]) / 2
      // jitter: up to a fifth of the spacing in the hills, 13 % in town, a quarter of that on main roads
      const share = Math.max(spacingI, spacingJ) > 150 ? 0.2 : 0.13
      const jitterX = spacingI * share
      const jitterY = spacingJ * share
      const u = 2 * random() - 1
      const v = 2 * random() - 1
      let x: number
      let y: number
      if (j === riverRow || j === riverRow + 1) {
        ;[x, y] = bankPoint(columnX[i], j === riverRow + 1)
      } else {
        const x0 = columnX[i] + (mainColumn[i] ? 0.25 : 1) * jitterX * u
        y = rowY[j] + riverCentre(x0) * riverFollowing(rowY[j]) + yWarp(x0, rowY[j]) + (mainRow[j] ? 0.25 : 1) * jitterY * v
        x = x0 + xWarp(y)
      }
      nodeX[node(i, j)] = x
      nodeY[node(i, j)] = y
    }
  }
  const nodeLonLat = Array.from({ length: nodeColumns * nodeRows }, (_, n) => toLonLat(nodeX[n], nodeY[n]))

  const cell = (i: number, j: number) => i * cellRows + j
  const cellColumn = (c: number) => Math.floor(c / cellRows)
  const cellRow = (c: number) => c % cellRows
  const cellCorners = (c: number) => {
    const i = cellColumn(c)
    const j = cellRow(c)
    return [node(i, j), node(i + 1, j), node(i + 1, j + 1), node(i, j + 1)]
  }
  const cellQuad = (c: number): Metres[] => cellCorners(c).map((n) => [nodeX[n], nodeY[n]])
  const cellNeighbours = (c: number) => {
    const i = cellColumn(c)
    const j = cellRow(c)
    const neighbours: number[] = []
    if (j > 0) neighbours.push(cell(i, j - 1))
    if (i < cellColumns - 1) neighbours.push(cell(i + 1, j))
    if (j < cellRows - 1) neighbours.push(cell(i, j + 1))
    if (i > 0) neighbours.push(cell(i - 1, j))
    return neighbours
  }
  const isRiverCell = (c: number) => cellRow(c) === riverRow
  const isNorth = (c: number) => cellRow(c) > riverRow

  const cellX = new Float64Array(cellCount)
  const cellY = new Float64Array(cellCount)
  const cellArea = new Float64Array(cellCount)
  for (let c = 0; c < cellCount; c++) {
    const k = cellCorners(c)
    let area = 0
    for (let t = 0; t < 4; t++) {
      const p = k[t]
      const q = k[(t + 1) % 4]
      area += nodeX[p] * nodeY[q] - nodeX[q] * nodeY[p]
    }
    cellArea[c] = area / 2
    if (!(cellArea[c] > 100)) throw new Error(`degenerate cell ${cellColumn(c)},${cellRow(c)}`)
    cellX[c] = (nodeX[k[0]] + nodeX[k[1]] + nodeX[k[2]] + nodeX[k[3]]) / 4
    cellY[c] = (nodeY[k[0]] + nodeY[k[1]] + nodeY[k[2]] + nodeY[k[3]]) / 4
  }

  // superblocks: the cells between main roads
  const columnBlock: number[] = []
  const rowBlock: number[] = []
  let block = -1
  for (let i = 0; i < cellColumns; i++) columnBlock.push((block += mainColumn[i] ? 1 : 0))
  block = -1
  for (let j = 0; j < cellRows; j++) rowBlock.push((block += mainRow[j] ? 1 : 0))
  const blocks = new Map<number, number[]>()
  for (let c = 0; c < cellCount; c++) {
    if (isRiverCell(c)) continue
    const key = columnBlock[cellColumn(c)] * 10000 + rowBlock[cellRow(c)]
    const cells = blocks.get(key)
    if (cells) cells.push(c)
    else blocks.set(key, [c])
  }

  return {
    columnX,
    rowY,
    mainColumn,
    mainRow,
    nodeColumns,
    nodeRows,
    cellColumns,
    cellRows,
    cellCount,
    riverRow,
    nodeX,
    nodeY,
    nodeLonLat,
    cellX,
    cellY,
    cellArea,
    blocks,
    node,
    cell,
    cellColumn,
    cellRow,
    cellCorners,
    cellQuad,
    cellNeighbours,
    isRiverCell,
    isNorth,
  }
}

/** The mean of the cells' centres. */
export function centreOf(lattice: Lattice, cells: readonly number[]): Metres {
  let x = 0
  let y = 0
  for (const c of cells) {
    x += lattice.cellX[c]
    y += lattice.cellY[c]
  }
  return [x / cells.length, y / cells.length]
}

/** The connected pieces of `items` under `neighbours`, each sorted, in the order of their first item. */
export function components(items: readonly number[], neighbours: (item: number) => readonly number[]): number[][] {
  const inSet = new Set(items)
  const seen = new Set<number>()
  const pieces: number[][] = []
  for (const start of items) {
    if (seen.has(start)) continue
    const piece: number[] = []
    const stack = [start]
    seen.add(start)
    while (stack.length) {
      const item = stack.pop()!
      piece.push(item)
      for (const next of neighbours(item))
        if (inSet.has(next) && !seen.has(next)) {
          seen.add(next)
          stack.push(next)
        }
    }
    pieces.push(piece.sort((a, b) => a - b))
  }
  return pieces
}

const squaredDistance = (lattice: Lattice, c: number, x: number, y: number) => (lattice.cellX[c] - x) ** 2 + (lattice.cellY[c] - y) ** 2

/** The cell whose centre is nearest (x, y); the first of equals. */
export const nearestCell = (lattice: Lattice, cells: readonly number[], x: number, y: number) =>
  cells.reduce((best, c) => (squaredDistance(lattice, c, x, y) < squaredDistance(lattice, best, x, y) ? c : best), cells[0])

/** The cells whose centres lie within `radius` of (x, y). */
export const cellsWithin = (lattice: Lattice, cells: readonly number[], x: number, y: number, radius: number) =>
  cells.filter((c) => squaredDistance(lattice, c, x, y) <= radius * radius)
