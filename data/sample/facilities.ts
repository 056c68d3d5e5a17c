// Facilities: one 党群服务中心 per community at its centre of population, and the other types in
// communities drawn by population, at cells drawn by population.
import { facilityTypes } from '../../src/shared/layers.ts'
import type { Community } from './communities.ts'
import { bilinear } from './geometry.ts'
import { cellWeight, nearestCell, type Lattice } from './lattice.ts'
import type { Metres } from './projection.ts'
import type { Random } from './random.ts'

export type FacilityType = (typeof facilityTypes)[number]

export interface Facility {
  code: string
  name: string
  type: FacilityType
  community: string
  point: Metres
  /** floor area, m² */
  area: number
}

const labels: Record<FacilityType, string> = {
  party_service_centre: '党群服务中心',
  health_station: '卫生服务站',
  elderly_care: '康养驿站',
  canteen: '共享餐厅',
  children: '儿童之家',
  culture: '文化家园',
  employment: '就业服务站',
  pioneer_station: '先锋驿站',
}
/** The floor area of the other types, m², from and to. */
const areas: Record<Exclude<FacilityType, 'party_service_centre'>, [number, number]> = {
  health_station: [80, 320],
  elderly_care: [150, 600],
  canteen: [90, 300],
  children: [60, 220],
  culture: [100, 520],
  employment: [40, 120],
  pioneer_station: [20, 60],
}
const counts: Record<Exclude<FacilityType, 'party_service_centre'>, number> = {
  health_station: 17,
  elderly_care: 24,
  canteen: 16,
  children: 20,
  culture: 22,
  employment: 10,
  pioneer_station: 15, // the report: 15 先锋驿站
}

export function placeFacilities(
  lattice: Lattice,
  communities: readonly Community[],
  communityCells: ReadonlyMap<string, number[]>,
  parkCells: ReadonlySet<number>,
  diagonalCells: ReadonlySet<number>,
  random: Random,
): Facility[] {
  /** Facilities placed so far in each cell: the next stands beside them. */
  const placed = new Map<number, number>()
  const place = (community: Community, central: boolean): Metres => {
    const cells = (communityCells.get(community.code) ?? []).filter((c) => !diagonalCells.has(c))
    let cell: number
    if (central) {
      let x = 0
      let y = 0
      let total = 0
      for (const c of cells) {
        const weight = cellWeight(lattice, c)
        x += lattice.cellX[c] * weight
        y += lattice.cellY[c] * weight
        total += weight
      }
      cell = nearestCell(
        lattice,
        cells.filter((c) => !parkCells.has(c)),
        x / total,
        y / total,
      )
    } else {
      // weighted sampling: the largest key u^(1/w)
      cell = cells[0]
      let bestKey = -1
      for (const c of cells) {
        const key = Math.pow(random(), 1 / (cellWeight(lattice, c) + 1e-9))
        if (key > bestKey) {
          bestKey = key
          cell = c
        }
      }
    }
    const n = placed.get(cell) ?? 0
    placed.set(cell, n + 1)
    return bilinear(lattice.cellQuad(cell), [0.5, 0.25, 0.75, 0.35, 0.65][n % 5], 0.06 + 0.1 * Math.floor(n / 5))
  }
  const facilities: Facility[] = communities.map((community) => ({
    code: '',
    name: community.name + labels.party_service_centre,
    type: 'party_service_centre',
    community: community.code,
    point: place(community, true),
    area: community.service,
  }))
  for (const type of facilityTypes) {
    if (type === 'party_service_centre') continue
    // communities drawn by population without replacement, then again from the top
    const drawn = communities
      .map((community) => ({ community, key: Math.pow(random(), 1 / community.resident) }))
      .sort((a, b) => b.key - a.key)
    for (let k = 0; k < counts[type]; k++) {
      const community = drawn[k % drawn.length].community
      const nth = Math.floor(k / drawn.length)
      const name = community.name + (nth ? ['', '第二', '第三'][nth] : '') + labels[type]
      const [low, high] = areas[type]
      facilities.push({
        code: '',
        name,
        type,
        community: community.code,
        point: place(community, false),
        area: Math.round((low + (high - low) * random()) / 5) * 5,
      })
    }
  }
  const sequence = new Map<string, number>()
  for (const facility of facilities) {
    const n = (sequence.get(facility.community) ?? 0) + 1
    sequence.set(facility.community, n)
    facility.code = `F-${facility.community}-${String(n).padStart(2, '0')}`
  }
  return facilities
}
