// The 4 urban street offices and their 28 communities: official names and codes from the division
// list; populations, households, service rooms and workers drawn to match the field report
// (龙泉市政协, 2023): 14.88万 residents, about 53,000 households, 19 of 28 communities with less than
// 300 m² of service rooms, 凤凰社区 with 6 full-time workers, 水南社区's 人户分离.
import { apportion, sum } from './numbers.ts'
import type { Metres } from './projection.ts'
import type { Random } from './random.ts'
import type { Division } from './sources.ts'

export const streets = [
  { code: '331181001', name: '龙渊街道', north: true },
  { code: '331181002', name: '西街街道', north: true },
  { code: '331181003', name: '剑池街道', north: false },
  { code: '331181004', name: '石达石街道', north: false },
] as const

export type CommunityType = '纯居型' | '村改居型'

/** How a community is laid out: its type, its share of the residents, where it grows from. */
interface CommunityPlan {
  /** without 居委会 */
  name: string
  type: CommunityType
  /** relative resident population */
  weight: number
  /** where the community grows from, in local metres */
  seed: Metres
  /** floor area of its service rooms, m², where the report gives it */
  serviceArea?: number
}

export interface Community extends CommunityPlan {
  code: string
  /** its street's code */
  street: string
  resident: number
  registered: number
  households: number
  workers: number
  /** floor area of its service rooms, m² */
  service: number
}

// 村改居型: the 22 former urban villages were merged into these communities.
const plans: CommunityPlan[] = [
  // 龙渊街道 (north bank, east)
  { name: '大洋社区', type: '纯居型', weight: 1.35, seed: [-450, 420], serviceArea: 620 },
  { name: '金乐社区', type: '纯居型', weight: 1.3, seed: [420, 380], serviceArea: 460 },
  { name: '贤良社区', type: '纯居型', weight: 1.2, seed: [-420, 1180], serviceArea: 340 },
  { name: '东升社区', type: '纯居型', weight: 1.15, seed: [1250, 420] },
  { name: '城东社区', type: '纯居型', weight: 1.25, seed: [2250, 520], serviceArea: 1260 },
  { name: '后甸社区', type: '村改居型', weight: 1.0, seed: [650, 1300] },
  { name: '东景社区', type: '纯居型', weight: 0.95, seed: [1750, 1450], serviceArea: 82 },
  { name: '古井社区', type: '纯居型', weight: 1.05, seed: [-350, 2000], serviceArea: 360 },
  { name: '黄灌社区', type: '村改居型', weight: 0.85, seed: [1600, 2700] },
  // 西街街道 (north bank, west)
  { name: '清风社区', type: '纯居型', weight: 1.1, seed: [-1600, 380] },
  { name: '西新社区', type: '村改居型', weight: 1.0, seed: [-1650, 1350] },
  { name: '白云社区', type: '村改居型', weight: 0.85, seed: [-2700, 900] },
  { name: '凤凰社区', type: '村改居型', weight: 0, seed: [-5800, 2400] }, // fixed below: 5,000+ residents
  // 剑池街道 (south bank, 水南)
  { name: '水南社区', type: '村改居型', weight: 0, seed: [1350, -480] }, // fixed below from the report
  { name: '南秦社区', type: '纯居型', weight: 1.25, seed: [-250, -420], serviceArea: 520 },
  { name: '南大洋社区', type: '纯居型', weight: 1.15, seed: [-1150, -420] },
  { name: '大沙社区', type: '村改居型', weight: 0.85, seed: [-2350, -520], serviceArea: 330 },
  { name: '棋盘山社区', type: '纯居型', weight: 1.05, seed: [-150, -1150] },
  { name: '青瓷苑社区', type: '纯居型', weight: 1.1, seed: [-1050, -1150], serviceArea: 380 },
  { name: '周际社区', type: '村改居型', weight: 0.8, seed: [-1950, -1450] },
  { name: '松溪弄社区', type: '纯居型', weight: 1.0, seed: [800, -1250] },
  { name: '秦溪社区', type: '村改居型', weight: 0.85, seed: [-450, -1850] },
  { name: '望江社区', type: '纯居型', weight: 1.05, seed: [550, -380], serviceArea: 410 },
  { name: '芳野社区', type: '村改居型', weight: 0.75, seed: [-1350, -2200] },
  { name: '江南社区', type: '村改居型', weight: 0.7, seed: [-3300, -1500] },
  { name: '七星井社区', type: '村改居型', weight: 0.8, seed: [850, -2050] },
  { name: '宏山社区', type: '村改居型', weight: 0.75, seed: [250, -3050] },
  // 石达石街道 (south bank, east)
  { name: '金岗社区', type: '村改居型', weight: 0.8, seed: [3000, -1100] },
]

const totalResidents = 148800
const totalHouseholds = 53000
const fenghuangResidents = 5236
const shuinanRegistered = 4597
const shuinanMovedOut = 2463
const shuinanNewcomers = 1104

/** The 28 communities, in the order of the plan; throws if the division list does not hold them. */
export function planCommunities(divisions: readonly Division[], random: Random): Community[] {
  const streetCodes: readonly string[] = streets.map((street) => street.code)
  const urban = divisions.filter((d) => d.kind === 'community' && streetCodes.includes(d.township_code))
  if (urban.length !== 28) throw new Error(`expected 28 urban communities, got ${urban.length}`)
  for (const street of streets) {
    const division = divisions.find((d) => d.township_code === street.code)
    if (!division || division.township_name !== street.name) throw new Error(`street ${street.code} is not ${street.name}`)
  }
  const byName = new Map(urban.map((d) => [d.name.replace(/居委会$/, ''), d]))
  if (plans.length !== 28 || byName.size !== 28) throw new Error('plan does not match the division list')

  const fixed = new Map([
    ['凤凰社区', fenghuangResidents],
    ['水南社区', shuinanRegistered - shuinanMovedOut + shuinanNewcomers],
  ])
  const free = plans.filter((plan) => !fixed.has(plan.name))
  const freeTotal = totalResidents - sum([...fixed.values()])
  const freeResidents = apportion(
    freeTotal,
    free.map((plan) => plan.weight * (0.9 + 0.2 * random())),
  )
  const residents = new Map(free.map((plan, k) => [plan.name, freeResidents[k]]))
  for (const [name, count] of fixed) residents.set(name, count)
  const residentsOf = (name: string) => residents.get(name) ?? 0
  // households: 2.55–3.05 persons each, then scaled to the total exactly
  const householdWeights = plans.map((plan) => residentsOf(plan.name) / (plan.type === '村改居型' ? 2.75 + 0.3 * random() : 2.55 + 0.3 * random()))
  const households = apportion(totalHouseholds, householdWeights)
  const communities = plans.map((plan, k): Community => {
    const division = byName.get(plan.name)
    if (!division) throw new Error(`no division code for ${plan.name}`)
    const resident = residentsOf(plan.name)
    const registered =
      plan.name === '水南社区'
        ? shuinanRegistered
        : Math.round(resident * (plan.type === '村改居型' ? 0.98 + 0.3 * random() : 0.78 + 0.27 * random()))
    // the province's standard: 18 community workers per 10,000 residents
    const standard = (resident / 10000) * 18
    const workers = plan.name === '凤凰社区' ? 6 : Math.max(4, Math.round(standard * (0.68 + 0.6 * random())))
    const service = plan.serviceArea ?? Math.round((110 + 185 * random()) / 5) * 5
    return { ...plan, code: division.code, street: division.township_code, resident, registered, households: households[k], workers, service }
  })
  const below = communities.filter((community) => community.service < 300).length
  if (below !== 19) throw new Error(`service area: ${below} below 300 m², want 19`)
  return communities
}
