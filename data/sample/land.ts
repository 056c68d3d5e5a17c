// The land and who holds it: the town and its fringe lobes (凤凰's hills, 黄灌, 江南, 宏山, 金岗) as
// superblocks of the lattice, each given to a street and a community, so boundaries follow main roads.
import { streets, type Community } from './communities.ts'
import { centreOf, components, noise, type Lattice } from './lattice.ts'
import { range } from './numbers.ts'

export interface Land {
  /** 1 where the cell is land. */
  isLand: Uint8Array
  /** The street and the community each cell belongs to, null for none. */
  cellStreet: (string | null)[]
  cellCommunity: (string | null)[]
  /** Each community's cells and each street's, in cell order. */
  communityCells: Map<string, number[]>
  streetCells: Map<string, number[]>
}

/** A noisy ellipse. */
function blob(x: number, y: number, cx: number, cy: number, rx: number, ry: number, amplitude: number, phase: number): boolean {
  const dx = (x - cx) / rx
  const dy = (y - cy) / ry
  const angle = Math.atan2(dy, dx)
  const limit =
    1 + amplitude * (0.55 * Math.sin(2 * angle + phase) + 0.3 * Math.sin(3 * angle + 2 * phase) + 0.25 * Math.sin(5 * angle + 3 * phase))
  return Math.hypot(dx, dy) < limit
}

function inLand(x: number, y: number, north: boolean): boolean {
  // the town
  if (blob(x, y, -200, north ? -100 : -150, 3150, north ? 2350 : 2450, 0.1, 0.4)) return true
  if (north) {
    if (blob(x, y, -6000, 2800, 3950, 3250, 0.12, 1.1)) return true // 凤凰: hills west and north-west
    if (blob(x, y, 1700, 2600, 1850, 1300, 0.12, 2.3)) return true // 黄灌: north-east fringe
  } else {
    if (blob(x, y, -3500, -1500, 1550, 1350, 0.12, 0.7)) return true // 江南: south-west fringe
    if (blob(x, y, 300, -3000, 1750, 1150, 0.12, 1.7)) return true // 宏山: southern hills
    if (blob(x, y, 3150, -1050, 1300, 1500, 0.12, 2.9)) return true // 金岗: east
  }
  return false
}

function streetAt(x: number, y: number, north: boolean): string {
  if (north) return x < -1000 + 150 * Math.sin(y / 600) ? '331181002' : '331181001'
  return x > 1900 + 200 * Math.sin(y / 700) ? '331181004' : '331181003'
}

export function divideLand(lattice: Lattice, communities: readonly Community[]): Land {
  const { cellCount, cellColumns, cellRows, cellNeighbours, isNorth } = lattice
  const isLand = new Uint8Array(cellCount)
  for (const cells of lattice.blocks.values()) {
    const [x, y] = centreOf(lattice, cells)
    if (inLand(x, y, isNorth(cells[0]))) for (const c of cells) isLand[c] = 1
  }
  // fill the holes the land encloses; keep one connected piece on each bank
  const outside = new Uint8Array(cellCount)
  const queue: number[] = []
  for (let c = 0; c < cellCount; c++) {
    const i = lattice.cellColumn(c)
    const j = lattice.cellRow(c)
    if (!isLand[c] && (i === 0 || j === 0 || i === cellColumns - 1 || j === cellRows - 1 || lattice.isRiverCell(c))) {
      outside[c] = 1
      queue.push(c)
    }
  }
  while (queue.length) {
    const c = queue.pop()!
    for (const n of cellNeighbours(c))
      if (!isLand[n] && !outside[n]) {
        outside[n] = 1
        queue.push(n)
      }
  }
  for (let c = 0; c < cellCount; c++) if (!isLand[c] && !outside[c]) isLand[c] = 1
  for (const north of [true, false]) {
    const pieces = components(
      range(cellCount).filter((c) => isLand[c] && isNorth(c) === north),
      cellNeighbours,
    )
    pieces.sort((a, b) => b.length - a.length)
    for (const piece of pieces.slice(1)) for (const c of piece) isLand[c] = 0
  }

  // each superblock goes to its street's nearest community, the distance warped by noise
  const cellStreet: (string | null)[] = new Array<string | null>(cellCount).fill(null)
  const cellCommunity: (string | null)[] = new Array<string | null>(cellCount).fill(null)
  for (const cells of lattice.blocks.values()) {
    if (!isLand[cells[0]]) continue
    const [x, y] = centreOf(lattice, cells)
    const street = streetAt(x, y, isNorth(cells[0]))
    let nearest: Community | undefined
    let nearestDistance = Infinity
    for (const community of communities) {
      if (community.street !== street) continue
      const [sx, sy] = community.seed
      const distance = Math.hypot(x - sx, y - sy) * (1 + 0.2 * noise(x + sx * 0.7, y - sy * 0.7))
      if (distance < nearestDistance) {
        nearestDistance = distance
        nearest = community
      }
    }
    if (!nearest) throw new Error(`street ${street} has no community`)
    for (const c of cells)
      if (isLand[c]) {
        cellStreet[c] = street
        cellCommunity[c] = nearest.code
      }
  }
  // every community one connected piece: a stray piece goes to the neighbour sharing most edges
  for (let pass = 0; pass < 10; pass++) {
    let moved = 0
    for (const community of communities) {
      const pieces = components(
        range(cellCount).filter((c) => cellCommunity[c] === community.code),
        cellNeighbours,
      )
      if (pieces.length === 0) throw new Error(`${community.name} has no land`)
      pieces.sort((a, b) => b.length - a.length || a[0] - b[0])
      for (const piece of pieces.slice(1)) {
        const votes = new Map<string, number>()
        for (const c of piece)
          for (const n of cellNeighbours(c)) {
            const other = cellCommunity[n]
            if (other && other !== community.code && cellStreet[n] === cellStreet[c]) votes.set(other, (votes.get(other) ?? 0) + 1)
          }
        const winner = [...votes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]
        if (!winner) continue
        for (const c of piece) cellCommunity[c] = winner[0]
        moved++
      }
    }
    if (!moved) break
  }
  const communityCells = new Map(communities.map((community) => [community.code, [] as number[]]))
  const streetCells = new Map(streets.map((street) => [street.code as string, [] as number[]]))
  for (let c = 0; c < cellCount; c++) {
    const community = cellCommunity[c]
    const street = cellStreet[c]
    if (community) communityCells.get(community)?.push(c)
    if (street) streetCells.get(street)?.push(c)
  }
  for (const community of communities)
    if (components(communityCells.get(community.code) ?? [], cellNeighbours).length !== 1)
      throw new Error(`community ${community.name} is not connected`)
  return { isLand, cellStreet, cellCommunity, communityCells, streetCells }
}
