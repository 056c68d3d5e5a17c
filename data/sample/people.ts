// Grids, micro-grids and residences. A community's households split into grids of 500–800 (with
// planted outliers), each grid grown over the community's cells; a grid's households split into
// micro-grids of 15–60, each a building on a slot of a cell; a building's households into its
// stairwells (单元), the residences. Every sum matches: residences → micro-grid → grid → community.
import type { Community } from './communities.ts'
import { bilinear, shrink } from './geometry.ts'
import { cellWeight, centreOf, density, type Lattice } from './lattice.ts'
import { apportion, clamp, range, sum } from './numbers.ts'
import type { Metres } from './projection.ts'
import { pick, randomInteger, type Random, type RandomStreams } from './random.ts'

export interface Grid {
  code: string
  name: string
  community: string
  cells: number[]
  households: number
  worker: string
  fullTime: boolean
}

export interface MicroGrid {
  code: string
  name: string
  grid: string
  community: string
  quad: Metres[]
  households: number
  head: string
}

export interface Residence {
  code: string
  name: string
  community: string
  point: Metres
  households: number
  residents: number
}

export interface People {
  grids: Grid[]
  microGrids: MicroGrid[]
  residences: Residence[]
}

const surnames = [...'吴叶季刘李张王陈周毛徐杨林金胡郑蒋廖项管曾练何朱潘沈梅柳鲍']
const givenNames = [...'建国华明丽芳伟军强敏静勇燕红平文英霞斌杰磊洁婷涛鹏辉林峰飞玲琴娟娜晓志海春秀美金松青瓷剑龙泉云凤瑶慧忠荣']
const personName = (random: Random) => pick(random, surnames) + pick(random, givenNames) + (random() < 0.7 ? pick(random, givenNames) : '')
const estateNames = '金乐华楼留槎剑池青瓷宝剑龙腾丽景江滨新华锦绣东茶和园翠竹凤栖瓯江龙渊溪畔南秀天鹅怡景阳光书香紫荆桂园梧桐东湖松涛芳华鸿福恒隆星辰玉兰雅苑嘉禾'
const estatePrefixes = Array.from({ length: estateNames.length / 2 }, (_, k) => estateNames.slice(2 * k, 2 * k + 2))
const estateSuffixes = ['小区', '小区', '花园', '新村', '苑', '公寓']

/** Communities whose first grid lies outside the 500–800 band, on purpose. */
const outliers: Record<string, 'low' | 'high'> = {
  凤凰社区: 'low',
  东景社区: 'low',
  江南社区: 'low',
  水南社区: 'low',
  金乐社区: 'high',
  南秦社区: 'high',
  城东社区: 'high',
  大洋社区: 'high',
}

/** A grid's households as micro-grids of typically 15–60. */
function splitMicroGrids(random: Random, households: number): number[] {
  const parts: number[] = []
  let left = households
  while (left > 0) {
    const size = random() < 0.1 ? randomInteger(random, 36, 60) : randomInteger(random, 15, 34)
    if (left - size < 15) {
      if (left <= 60) {
        parts.push(left)
        left = 0
      } else {
        const half = Math.floor(left / 2)
        parts.push(half, left - half)
        left = 0
      }
    } else {
      parts.push(size)
      left -= size
    }
  }
  return parts
}

/** How many grids of about 640 households `households` make, nearest 520–780 each. */
function gridCount(households: number): number {
  let count = Math.max(1, Math.round(households / 640))
  while (households / count > 780) count++
  while (count > 1 && households / count < 520) count--
  return count
}
const fits = (households: number, count: number) => households / count >= 520 && households / count <= 780
const outOfBand = (households: number, count: number) => households / count < 500 || households / count > 800

/** A community's households as grids of 500–800, after the outlier if it has one. */
function splitGrids(random: Random, households: number, outlier?: 'low' | 'high'): number[] {
  let first = 0
  let rest = households
  let count = 0
  for (let tries = 0; tries < 100; tries++) {
    first = outlier === 'low' ? randomInteger(random, 330, 480) : outlier === 'high' ? randomInteger(random, 830, 960) : 0
    rest = households - first
    count = gridCount(rest)
    if (fits(rest, count)) break
  }
  // No draw fits when every rest lies between one grid's worth and two (780–1,040 households):
  // then the outlier moves further out of the band until the rest divides.
  if (outlier && outOfBand(rest, count)) {
    const step = outlier === 'low' ? -1 : 1
    for (first = outlier === 'low' ? 329 : 961; first > 0 && first < households; first += step) {
      rest = households - first
      count = gridCount(rest)
      if (fits(rest, count)) break
    }
  }
  if (outOfBand(rest, count)) throw new Error(`cannot split ${households} households into grids`)
  let parts: number[] = []
  for (let tries = 0; tries < 200; tries++) {
    parts = apportion(
      rest,
      range(count).map(() => 0.85 + 0.3 * random()),
    )
    if (parts.every((p) => p >= 505 && p <= 795)) break
  }
  if (!parts.every((p) => p >= 500 && p <= 800))
    parts = apportion(
      rest,
      range(count).map(() => 1),
    )
  return first ? [first, ...parts] : parts
}

/** How many building slots a cell offers along each side: one per 28 m, plus `boost`, 1 to 6. */
function cellSlots(quad: Metres[], boost: number): [number, number] {
  const du = (Math.hypot(quad[1][0] - quad[0][0], quad[1][1] - quad[0][1]) + Math.hypot(quad[2][0] - quad[3][0], quad[2][1] - quad[3][1])) / 2
  const dv = (Math.hypot(quad[3][0] - quad[0][0], quad[3][1] - quad[0][1]) + Math.hypot(quad[2][0] - quad[1][0], quad[2][1] - quad[1][1])) / 2
  return [clamp(Math.floor(du / 28) + boost, 1, 6), clamp(Math.floor(dv / 28) + boost, 1, 6)]
}

export function placePeople(
  lattice: Lattice,
  communities: readonly Community[],
  communityCells: ReadonlyMap<string, number[]>,
  emptyCells: ReadonlySet<number>,
  streams: RandomStreams,
): People {
  const { cellX, cellY } = lattice
  const weight = (c: number) => cellWeight(lattice, c)
  const typeOf = new Map(communities.map((community) => [community.code, community.type]))
  const grids: Grid[] = []
  for (const community of communities) {
    const random = streams('grids:' + community.code)
    const cells = communityCells.get(community.code) ?? []
    const targets = splitGrids(random, community.households, outliers[community.name])
    const count = targets.length
    // seeds by farthest-point sampling from the farthest cell, then balanced region growing
    const [mx, my] = centreOf(lattice, cells)
    const seeds: number[] = [
      cells.reduce((b, c) => ((cellX[c] - mx) ** 2 + (cellY[c] - my) ** 2 > (cellX[b] - mx) ** 2 + (cellY[b] - my) ** 2 ? c : b), cells[0]),
    ]
    while (seeds.length < count) {
      let best = cells[0]
      let bestDistance = -1
      for (const c of cells) {
        const d = Math.min(...seeds.map((s) => (cellX[c] - cellX[s]) ** 2 + (cellY[c] - cellY[s]) ** 2))
        if (d > bestDistance) {
          bestDistance = d
          best = c
        }
      }
      seeds.push(best)
    }
    const inCommunity = new Set(cells)
    const owner = new Map<number, number>()
    const total = sum(cells.map(weight))
    const goal = targets.map((t) => (t / community.households) * total)
    const fill = new Array<number>(count).fill(0)
    const frontier: Set<number>[] = seeds.map(() => new Set())
    seeds.forEach((s, k) => {
      owner.set(s, k)
      fill[k] += weight(s)
    })
    const pushFrontier = (c: number, k: number) => {
      for (const n of lattice.cellNeighbours(c)) if (inCommunity.has(n) && !owner.has(n)) frontier[k].add(n)
    }
    seeds.forEach((s, k) => pushFrontier(s, k))
    while (owner.size < cells.length) {
      // the grid furthest behind its goal takes its frontier cell nearest its seed
      let k = -1
      for (let g = 0; g < count; g++) {
        for (const c of [...frontier[g]]) if (owner.has(c)) frontier[g].delete(c)
        if (frontier[g].size && (k < 0 || fill[g] / goal[g] < fill[k] / goal[k])) k = g
      }
      if (k < 0) throw new Error(`grid growth stuck in ${community.name}`)
      const s = seeds[k]
      let best = -1
      for (const c of frontier[k])
        if (best < 0 || (cellX[c] - cellX[s]) ** 2 + (cellY[c] - cellY[s]) ** 2 < (cellX[best] - cellX[s]) ** 2 + (cellY[best] - cellY[s]) ** 2) best = c
      frontier[k].delete(best)
      owner.set(best, k)
      fill[k] += weight(best)
      pushFrontier(best, k)
    }
    // numbered roughly north-west to south-east, so the numbers read naturally
    const order = range(count).sort((a, b) => cellY[seeds[b]] - cellX[seeds[b]] * 0.5 - (cellY[seeds[a]] - cellX[seeds[a]] * 0.5))
    order.forEach((k, index) => {
      grids.push({
        code: community.code + String(index + 1).padStart(3, '0'),
        name: `${community.name}第${index + 1}网格`,
        community: community.code,
        cells: cells.filter((c) => owner.get(c) === k),
        households: targets[k],
        worker: personName(random),
        fullTime: random() < 0.22,
      })
    })
  }

  const microGrids: MicroGrid[] = []
  const residences: Residence[] = []
  for (const grid of grids) {
    const random = streams('micro:' + grid.code)
    const parts = splitMicroGrids(random, grid.households)
    let usable = grid.cells.filter((c) => !emptyCells.has(c))
    if (!usable.length) usable = grid.cells
    // slots drawn by weighted sampling without replacement (key = u^(1/w)), denser where people are
    let slots: { cell: number; slot: number; across: number; up: number; key: number }[] = []
    for (let boost = 0; boost < 4; boost++) {
      slots = []
      for (const cell of usable) {
        const [across, up] = cellSlots(lattice.cellQuad(cell), boost)
        const w = density(cellX[cell], cellY[cell])
        for (let slot = 0; slot < across * up; slot++) slots.push({ cell, slot, across, up, key: Math.pow(random(), 1 / w) })
      }
      if (slots.length >= parts.length * 1.3) break
    }
    if (slots.length < parts.length) throw new Error(`no room for micro-grids in ${grid.name}`)
    slots.sort((a, b) => b.key - a.key)
    const chosen = slots.slice(0, parts.length).sort((a, b) => a.cell - b.cell || a.slot - b.slot)
    // a few estates per grid; buildings numbered within an estate
    const estateCount = Math.max(1, Math.round(parts.length / randomInteger(random, 6, 12)))
    const estates = range(estateCount).map(() => {
      const village = typeOf.get(grid.community) === '村改居型' && random() < 0.35
      return village
        ? { prefix: pick(random, estatePrefixes) + '新村', numbering: '号楼' }
        : { prefix: pick(random, estatePrefixes) + pick(random, estateSuffixes), numbering: '幢' }
    })
    const buildings = new Array<number>(estateCount).fill(0)
    chosen.forEach((slot, k) => {
      const quad = lattice.cellQuad(slot.cell)
      const su = slot.slot % slot.across
      const sv = Math.floor(slot.slot / slot.across)
      const slotQuad: Metres[] = [
        bilinear(quad, su / slot.across, sv / slot.up),
        bilinear(quad, (su + 1) / slot.across, sv / slot.up),
        bilinear(quad, (su + 1) / slot.across, (sv + 1) / slot.up),
        bilinear(quad, su / slot.across, (sv + 1) / slot.up),
      ]
      const size = Math.sqrt(Math.abs(lattice.cellArea[slot.cell]) / (slot.across * slot.up))
      const want = 14 + Math.sqrt(parts[k]) * 4.2
      const building = shrink(slotQuad, clamp(want / size, 0.3, 0.72))
      const estate = Math.min(estateCount - 1, Math.floor((k / chosen.length) * estateCount))
      buildings[estate]++
      const name = `${estates[estate].prefix}${buildings[estate]}${estates[estate].numbering}`
      microGrids.push({
        code: grid.code + String(k + 1).padStart(3, '0'),
        name,
        grid: grid.code,
        community: grid.community,
        quad: building,
        households: parts[k],
        head: personName(random),
      })
      // one residence per stairwell (单元)
      const units = parts[k] <= 20 ? 1 : parts[k] <= 40 ? 2 : 3
      const unitHouseholds = apportion(
        parts[k],
        range(units).map(() => 0.8 + 0.4 * random()),
      )
      unitHouseholds.forEach((households, u) => {
        residences.push({
          code: '',
          name: units === 1 ? name : `${name}${u + 1}单元`,
          community: grid.community,
          point: bilinear(building, (u + 0.5) / units, 0.5),
          households,
          residents: 0,
        })
      })
    })
  }
  // residents per residence: the community's resident population exactly
  for (const community of communities) {
    const random = streams('residents:' + community.code)
    const here = residences.filter((residence) => residence.community === community.code)
    const residents = apportion(
      community.resident,
      here.map((residence) => residence.households * (0.75 + 0.5 * random())),
    )
    here.forEach((residence, k) => (residence.residents = residents[k]))
    if (sum(here.map((residence) => residence.households)) !== community.households) throw new Error(`households of ${community.name}`)
  }
  residences.forEach((residence, k) => (residence.code = 'R' + String(k + 1).padStart(6, '0')))
  return { grids, microGrids, residences }
}
