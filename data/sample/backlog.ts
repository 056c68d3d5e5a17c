// The infrastructure backlog the report counts: 23 硬化/亮化/绿化, 18 洁化, 15 供水/排污, ¥66.88 M in
// all, mostly in former villages and on the urban fringe. A 硬化 item depends on the 排污 and 供水
// items of its site: drains and water go in before the road is hardened.
import type { LineString } from 'geojson'
import type { Areas } from './areas.ts'
import type { Community } from './communities.ts'
import { bilinear, quadGeometry, shrink, type CityGeometry } from './geometry.ts'
import type { Lattice } from './lattice.ts'
import { apportion, clamp } from './numbers.ts'
import { toLonLat } from './projection.ts'
import { pick, randomInteger, shuffle, type Random } from './random.ts'

export type BacklogCategory = '硬化' | '亮化' | '绿化' | '洁化' | '供水' | '排污'

export interface BacklogItem {
  code: string
  name: string
  category: BacklogCategory
  community: string
  geometry: CityGeometry
  cost: number
  households: number
  complaints: number
  severity: number
  status: string
  /** YYYY-MM-DD */
  requested: string
  /** The site: the name's place part, up to 片 or 区块 (江南社区新村片). */
  site: string
  dependsOn: string[]
}

/** The report: 预算投资近6700万元. */
const backlogTotal = 66_880_000

const repeat = <T>(count: number, value: T): T[] => new Array<T>(count).fill(value)

/** Communities and how many items each: mostly converted villages and the urban fringe. */
const where: [string, number][] = [
  ['宏山社区', 8],
  ['江南社区', 5],
  ['大沙社区', 6],
  ['黄灌社区', 5],
  ['水南社区', 4],
  ['后甸社区', 3],
  ['凤凰社区', 4],
  ['白云社区', 3],
  ['西新社区', 2],
  ['周际社区', 3],
  ['秦溪社区', 2],
  ['芳野社区', 2],
  ['七星井社区', 2],
  ['金岗社区', 2],
  ['望江社区', 1],
  ['东景社区', 1],
  ['清风社区', 1],
]
const works: Record<BacklogCategory, string[]> = {
  硬化: ['巷道硬化', '道路硬化', '机耕路硬化改造', '停车场地硬化'],
  亮化: ['路灯安装', '巷道亮化', '沿溪步道亮化'],
  绿化: ['小游园绿化', '边角地绿化提升', '沿河绿化带'],
  洁化: ['垃圾收集点改造', '公厕改造', '沟渠清淤保洁', '垃圾分类亭建设'],
  供水: ['供水管网改造', '自来水主管延伸', '二次供水改造'],
  排污: ['污水管网建设', '雨污分流改造', '化粪池改造'],
}
/** Cost, ¥, from and to. */
const costs: Record<BacklogCategory, [number, number]> = {
  硬化: [0.9e6, 2.6e6],
  亮化: [0.25e6, 0.8e6],
  绿化: [0.35e6, 1.3e6],
  洁化: [0.2e6, 0.9e6],
  供水: [1.6e6, 4.2e6],
  排污: [2.2e6, 5.5e6],
}

export function planBacklog(
  lattice: Lattice,
  communities: readonly Community[],
  communityCells: ReadonlyMap<string, number[]>,
  cellCommunity: readonly (string | null)[],
  areas: Areas,
  random: Random,
): BacklogItem[] {
  const byName = new Map(communities.map((community) => [community.name, community]))
  const categories = shuffle(random, [
    ...repeat<BacklogCategory>(11, '硬化'),
    ...repeat<BacklogCategory>(6, '亮化'),
    ...repeat<BacklogCategory>(6, '绿化'),
    ...repeat<BacklogCategory>(18, '洁化'),
    ...repeat<BacklogCategory>(9, '供水'),
    ...repeat<BacklogCategory>(6, '排污'),
  ])
  const places = shuffle(
    random,
    where.flatMap(([name, count]) => repeat(count, name)),
  )
  // 吴处联建房: roads and sewers (the report), next to the hole in 江南
  const items: { category: BacklogCategory; community: string; place?: string; nearWuchu?: boolean }[] = [
    { category: '硬化', community: '江南社区', place: '吴处联建房区块', nearWuchu: true },
    { category: '排污', community: '江南社区', place: '吴处联建房区块', nearWuchu: true },
  ]
  const rest = [...categories]
  rest.splice(rest.indexOf('硬化'), 1)
  rest.splice(rest.indexOf('排污'), 1)
  rest.forEach((category, k) => items.push({ category, community: places[k] }))
  if (items.length !== 56) throw new Error('backlog must have 56 items')
  const villageOf = (c: number) => areas.villages.find((village) => village.cells.includes(c))
  const inWuchu = new Set(areas.wuchu)
  const rawCosts: number[] = []
  const statuses = shuffle(random, [...repeat(44, 'proposed'), ...repeat(6, 'approved'), ...repeat(4, 'in_progress'), ...repeat(2, 'done')])
  const counter = new Map<string, number>()
  const backlog = items.map((item, k): BacklogItem => {
    const community = byName.get(item.community)
    if (!community) throw new Error(`no community ${item.community}`)
    const cells = communityCells.get(community.code) ?? []
    // the anchor cell: next to 吴处联建房, or any cell of the community
    let anchor: number
    if (item.nearWuchu) {
      const around = cells.filter((c) => lattice.cellNeighbours(c).some((n) => inWuchu.has(n)))
      anchor = around[k % around.length]
    } else anchor = cells[Math.floor(random() * cells.length)]
    const village = villageOf(anchor)
    const place =
      item.place ??
      (village
        ? village.name.replace(/村$/, '') + '区块'
        : item.community === '大沙社区' || item.community === '望江社区'
          ? '临江区块'
          : pick(random, ['新村', '老街', '溪边', '山脚', '后垄']) + '片')
    const key = community.name + place + item.category
    const nth = (counter.get(key) ?? 0) + 1
    counter.set(key, nth)
    const work = pick(random, works[item.category])
    const name = `${community.name}${place}${work}${nth > 1 ? `(${'二三四五'[nth - 2]}期)` : ''}`
    let geometry: CityGeometry
    if (['硬化', '亮化', '供水', '排污'].includes(item.category)) {
      geometry = backlogLine(lattice, cellCommunity, random, community.code, anchor, randomInteger(random, 2, 6))
    } else if (item.category === '绿化') {
      geometry = quadGeometry(shrink(lattice.cellQuad(anchor), 0.45))
    } else {
      geometry = { type: 'Point', coordinates: toLonLat(...bilinear(lattice.cellQuad(anchor), 0.2 + 0.6 * random(), 0.15)) }
    }
    const [low, high] = costs[item.category]
    rawCosts.push(low + (high - low) * random())
    return {
      code: 'BL-' + String(k + 1).padStart(3, '0'),
      name,
      category: item.category,
      community: community.code,
      geometry,
      cost: 0,
      households: randomInteger(random, item.category === '洁化' ? 30 : 40, item.category === '供水' || item.category === '排污' ? 650 : 320),
      complaints: item.nearWuchu ? randomInteger(random, 25, 48) : randomInteger(random, 0, 30),
      severity: item.nearWuchu ? 5 : clamp(Math.round(1 + random() * 3.2 + (community.type === '村改居型' ? 0.8 : 0)), 1, 5),
      status: statuses[k],
      requested: `2023-${String(randomInteger(random, 1, 4)).padStart(2, '0')}-${String(randomInteger(random, 1, 28)).padStart(2, '0')}`,
      site: community.name + place,
      dependsOn: [],
    }
  })
  // costs in whole thousands, adding up to the report's total exactly
  const thousands = apportion(backlogTotal / 1000, rawCosts)
  backlog.forEach((item, k) => (item.cost = thousands[k] * 1000))
  // no draws from here on, so the streams above stay as they were
  for (const road of backlog.filter((item) => item.category === '硬化'))
    road.dependsOn = backlog.filter((item) => (item.category === '排污' || item.category === '供水') && item.site === road.site).map((item) => item.code)
  return backlog
}

/** A run of `length` lattice edges from a corner of the anchor cell, inside one community (cells on both sides in it). */
function backlogLine(
  lattice: Lattice,
  cellCommunity: readonly (string | null)[],
  random: Random,
  community: string,
  anchor: number,
  length: number,
): LineString {
  const inCommunity = (i: number, j: number) =>
    i >= 0 && j >= 0 && i < lattice.cellColumns && j < lattice.cellRows && cellCommunity[lattice.cell(i, j)] === community
  const i0 = lattice.cellColumn(anchor)
  const j0 = lattice.cellRow(anchor)
  /** Whether the edge from node (i, j) in direction d (east, north, west, south) has the community on both sides. */
  const interior = (i: number, j: number, d: number) => {
    if (d === 0) return inCommunity(i, j - 1) && inCommunity(i, j)
    if (d === 2) return inCommunity(i - 1, j - 1) && inCommunity(i - 1, j)
    if (d === 1) return inCommunity(i - 1, j) && inCommunity(i, j)
    return inCommunity(i - 1, j - 1) && inCommunity(i, j - 1)
  }
  const step = [
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
  ]
  let best: [number, number][] = []
  for (const [ci, cj] of [
    [i0, j0],
    [i0 + 1, j0],
    [i0, j0 + 1],
    [i0 + 1, j0 + 1],
  ]) {
    for (const d0 of shuffle(random, [0, 1, 2, 3])) {
      const path: [number, number][] = [[ci, cj]]
      let [i, j, d] = [ci, cj, d0]
      for (let s = 0; s < length; s++) {
        let turned = d
        if (s > 0 && random() < 0.25) turned = (d + (random() < 0.5 ? 1 : 3)) % 4
        if (!interior(i, j, turned)) turned = d
        if (!interior(i, j, turned)) break
        i += step[turned][0]
        j += step[turned][1]
        d = turned
        if (path.some(([a, b]) => a === i && b === j)) break
        path.push([i, j])
      }
      if (path.length > best.length) best = path
      if (best.length > length) break
    }
    if (best.length > length) break
  }
  if (best.length < 2) {
    // no room along the edges: a line across the anchor cell
    const quad = lattice.cellQuad(anchor)
    return { type: 'LineString', coordinates: [toLonLat(...bilinear(quad, 0.5, 0.2)), toLonLat(...bilinear(quad, 0.5, 0.8))] }
  }
  return { type: 'LineString', coordinates: best.map(([i, j]) => lattice.nodeLonLat[lattice.node(i, j)]) }
}
