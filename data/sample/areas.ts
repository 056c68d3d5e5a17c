// Former villages, management areas, parks and the three planted 三不管 cases: a gap in no
// community (吴处联建房), land claimed twice (水南犁山棚户区) and land no body claims (林场).
import type { Community } from './communities.ts'
import type { Land } from './land.ts'
import { cellsWithin, centreOf, components, nearestCell, type Lattice } from './lattice.ts'
import type { Metres } from './projection.ts'
import type { Division } from './sources.ts'

/** A village split across communities by 村改居: drawn around the boundary of two of them. */
interface VillagePlan {
  code: string
  name: string
  between: [string, string]
  /** m */
  radius: number
}
const villagePlans: VillagePlan[] = [
  { code: '331181003201', name: '吴岭村', between: ['江南社区', '周际社区'], radius: 620 },
  { code: '331181003202', name: '水南村', between: ['水南社区', '望江社区'], radius: 420 },
  { code: '331181003203', name: '宏山村', between: ['宏山社区', '七星井社区'], radius: 700 },
  { code: '331181003204', name: '大沙村', between: ['大沙社区', '南大洋社区'], radius: 400 },
  { code: '331181002201', name: '七村', between: ['清风社区', '西新社区'], radius: 430 },
  { code: '331181001201', name: '黄灌村', between: ['黄灌社区', '东景社区'], radius: 650 },
  { code: '331181001202', name: '后甸村', between: ['后甸社区', '金乐社区'], radius: 340 },
]
const wulingCode = '331181003201'

export interface CellArea {
  code: string
  name: string
  cells: number[]
}

export interface ManagementArea extends CellArea {
  kind: 'street_office' | 'development_zone' | 'construction_bureau'
  manager: string
}

export interface Areas {
  villages: CellArea[]
  management: ManagementArea[]
  parks: CellArea[]
  parkCells: Set<number>
  /** The cell of 剑池湖, in 剑池湖公园. */
  lakeCell: number
  /** The planted cases' cells. */
  wuchu: number[]
  lishan: number[]
  linchang: number[]
}

/**
 * Plans the areas. 吴处联建房's cells leave 江南社区 here: `land.cellCommunity` and
 * `land.communityCells` are changed in place.
 */
export function planAreas(lattice: Lattice, land: Land, communities: readonly Community[], divisions: readonly Division[]): Areas {
  const { cellX, cellY, cellNeighbours } = lattice
  const { cellCommunity, communityCells, streetCells } = land
  const byName = new Map(communities.map((community) => [community.name, community]))
  const community = (name: string) => {
    const found = byName.get(name)
    if (!found) throw new Error(`no community ${name}`)
    return found
  }
  const cellsOf = <K>(map: Map<K, number[]>, key: K) => {
    const cells = map.get(key)
    if (!cells) throw new Error(`no cells for ${String(key)}`)
    return cells
  }

  /** The boundary cell nearest the middle of the boundary between two communities. */
  const boundaryBetween = (a: Community, b: Community): Metres => {
    const cells: number[] = []
    for (const c of cellsOf(communityCells, a.code)) for (const n of cellNeighbours(c)) if (cellCommunity[n] === b.code) cells.push(c, n)
    if (cells.length === 0) throw new Error(`${a.name} and ${b.name} do not touch`)
    const [x, y] = centreOf(lattice, cells)
    const middle = nearestCell(lattice, cells, x, y)
    return [cellX[middle], cellY[middle]]
  }

  const villages: CellArea[] = villagePlans.map(({ code, name, between, radius }) => {
    if (divisions.some((d) => d.code === code)) throw new Error(`village code ${code} is a real code`)
    const [a, b] = between.map(community)
    const [x, y] = boundaryBetween(a, b)
    const near = cellsWithin(lattice, cellsOf(streetCells, a.street), x, y, radius)
    const cells = components(near, cellNeighbours).sort((p, q) => q.length - p.length)[0]
    if (new Set(cells.map((c) => cellCommunity[c])).size < 2) throw new Error(`${name} lies in one community`)
    return { code, name, cells }
  })

  // (a) 吴处联建房: a 2×2 block of 江南社区 inside the former 吴岭村 that no community holds
  const jiangnan = community('江南社区').code
  const wuling = villages.find((village) => village.code === wulingCode)?.cells ?? []
  const wuchu = (() => {
    const inWuling = new Set(wuling)
    const [x, y] = centreOf(lattice, wuling)
    /** Whether the ring of cells around the 2×2 block at c is all 江南 and all 吴岭村. */
    const fits = (c: number) => {
      const i = lattice.cellColumn(c)
      const j = lattice.cellRow(c)
      for (let di = -1; di <= 2; di++)
        for (let dj = -1; dj <= 2; dj++) {
          const ii = i + di
          const jj = j + dj
          if (ii < 0 || jj < 0 || ii >= lattice.cellColumns || jj >= lattice.cellRows) return false
          const n = lattice.cell(ii, jj)
          if (cellCommunity[n] !== jiangnan || !inWuling.has(n)) return false
        }
      return true
    }
    const distance = (c: number) => (cellX[c] - x) ** 2 + (cellY[c] - y) ** 2
    const candidates = cellsOf(communityCells, jiangnan)
      .filter(fits)
      .sort((a, b) => distance(a) - distance(b))
    if (!candidates.length) throw new Error('no room for 吴处联建房')
    const i = lattice.cellColumn(candidates[0])
    const j = lattice.cellRow(candidates[0])
    return [lattice.cell(i, j), lattice.cell(i + 1, j), lattice.cell(i, j + 1), lattice.cell(i + 1, j + 1)]
  })()
  for (const c of wuchu) cellCommunity[c] = null
  communityCells.set(
    jiangnan,
    cellsOf(communityCells, jiangnan).filter((c) => !wuchu.includes(c)),
  )
  if (components(cellsOf(communityCells, jiangnan), cellNeighbours).length !== 1) throw new Error('江南 split by the hole')

  // the development zone: the south-east of the south bank
  const jianchi = '331181003'
  const shidashi = '331181004'
  const jianchiCells = cellsOf(streetCells, jianchi)
  const southStreetCells = [...jianchiCells, ...cellsOf(streetCells, shidashi)]
  const developmentZone = southStreetCells.filter((c) => cellX[c] > 1650 + 120 * Math.sin(cellY[c] / 300) && cellY[c] < -820 && cellY[c] > -2700)
  const inZone = new Set(developmentZone)
  // (b) 水南犁山棚户区: cells of 水南社区 next to the zone, claimed by both the street office and the zone
  const lishan = (() => {
    const shuinan = cellsOf(communityCells, community('水南社区').code).filter((c) => !inZone.has(c))
    const touching = shuinan.filter((c) => cellNeighbours(c).some((n) => inZone.has(n)))
    if (!touching.length) throw new Error('水南 does not touch the development zone')
    const [x, y] = centreOf(lattice, touching)
    const seed = nearestCell(lattice, touching, x, y)
    return cellsWithin(lattice, shuinan, cellX[seed], cellY[seed], 170)
  })()
  // the construction bureau's areas: 城南棚户区改造区块 (剑池) and 城北旧城改造区块 (龙渊)
  const chengnan = cellsWithin(lattice, jianchiCells, 350, -2350, 420).filter((c) => !inZone.has(c) && cellCommunity[c])
  const inChengnan = new Set(chengnan)
  const chengbei = cellsWithin(lattice, cellsOf(streetCells, '331181001'), -150, 1450, 260)
  // (c) 林场: hill land south of 城南 that neither the street office nor the bureau claims
  const linchang = (() => {
    const border = jianchiCells.filter(
      (c) => !inChengnan.has(c) && !inZone.has(c) && cellCommunity[c] && cellNeighbours(c).some((n) => inChengnan.has(n)) && cellY[c] < -2500,
    )
    if (!border.length) throw new Error('no border for 林场')
    const seed = border.reduce((south, c) => (cellY[c] < cellY[south] ? c : south), border[0])
    return cellsWithin(lattice, jianchiCells, cellX[seed], cellY[seed] - 60, 230).filter(
      (c) => !inChengnan.has(c) && !inZone.has(c) && cellCommunity[c],
    )
  })()
  const inLinchang = new Set(linchang)
  const inLishan = new Set(lishan)
  const inWuchu = new Set(wuchu)
  const inChengbei = new Set(chengbei)
  const management: ManagementArea[] = [
    {
      code: 'SO-331181001',
      name: '龙渊街道',
      kind: 'street_office',
      manager: '龙渊街道办事处',
      cells: cellsOf(streetCells, '331181001').filter((c) => !inChengbei.has(c)),
    },
    { code: 'SO-331181002', name: '西街街道', kind: 'street_office', manager: '西街街道办事处', cells: cellsOf(streetCells, '331181002') },
    {
      code: 'SO-331181003',
      name: '剑池街道',
      kind: 'street_office',
      manager: '剑池街道办事处',
      cells: jianchiCells.filter((c) => !inWuchu.has(c) && !(inZone.has(c) && !inLishan.has(c)) && !inChengnan.has(c) && !inLinchang.has(c)),
    },
    {
      code: 'SO-331181004',
      name: '石达石街道',
      kind: 'street_office',
      manager: '石达石街道办事处',
      cells: cellsOf(streetCells, shidashi).filter((c) => !inZone.has(c)),
    },
    { code: 'DZ-LQ', name: '龙泉经济开发区', kind: 'development_zone', manager: '经济开发区管委会', cells: [...developmentZone, ...lishan] },
    { code: 'CB-CHENGNAN', name: '城南棚户区改造区块', kind: 'construction_bureau', manager: '市住房和城乡建设局', cells: chengnan },
    { code: 'CB-CHENGBEI', name: '城北旧城改造区块', kind: 'construction_bureau', manager: '市住房和城乡建设局', cells: chengbei },
  ]
  for (const area of management) if (!area.cells.length) throw new Error(`management area ${area.name} is empty`)

  // parks and a lake (basemap); no buildings stand in park cells
  const allLand: number[] = []
  for (let c = 0; c < lattice.cellCount; c++) if (land.isLand[c]) allLand.push(c)
  const northBankLand = allLand.filter(lattice.isNorth)
  const southBankLand = allLand.filter((c) => !lattice.isNorth(c))
  const parks: CellArea[] = [
    { code: 'park-longquan', name: '龙泉公园', cells: cellsWithin(lattice, northBankLand, -900, 950, 150) },
    { code: 'park-jianchihu', name: '剑池湖公园', cells: cellsWithin(lattice, southBankLand, -650, -800, 190) },
    {
      code: 'park-binjiang',
      name: '滨江公园',
      cells: allLand.filter((c) => lattice.cellRow(c) === lattice.riverRow + 1 && cellX[c] > -700 && cellX[c] < 900),
    },
    { code: 'park-dongcha', name: '东茶公园', cells: cellsWithin(lattice, northBankLand, 2450, 1150, 150) },
  ]
  const parkCells = new Set(parks.flatMap((park) => park.cells))
  const lakeCell = nearestCell(lattice, parks[1].cells, -650, -800)
  return { villages, management, parks, parkCells, lakeCell, wuchu, lishan, linchang }
}
