// public.indicators(): every indicator of a small fixture city (tests/fixtures/leader, loaded
// through `atlas import`, its access times computed by `atlas isochrones` on a 28-edge footway)
// against figures worked out by hand, on PGlite and on the Debian PostgreSQL, which must agree;
// then on the sample city: its shape, its agreement with coverage() and zone_summary(), the cache
// (kept until the data changes, never written by a read-only transaction), the roles, the sources.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Coverage, CoverageByType } from '../../src/circles/types.ts'
import { openEmbedded, type Database } from '../../src/db/database.ts'
import { asCaller, userClaims, type JwtClaims } from '../../src/db/session.ts'
import { lights, type IndicatorKey, type Indicators, type Light, type UnitIndicators } from '../../src/leader/types.ts'
import { isIndicatorKey } from '../../src/leader/url.ts'
import { loadOrder } from '../../src/shared/layers.ts'
import type { ZoneSummary } from '../../src/zones/types.ts'
import { openAtlas, type AtlasSession } from '../helpers/cli.ts'
import { copyEmptyDatabase, copySampleDatabase, createPostgresDatabase, type ThrowawayPostgres } from '../helpers/databases.ts'

type Role = 'leader' | 'planner' | 'works'

const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/leader')

async function indicators(db: Database, who: Role | JwtClaims = 'leader', args = '', readOnly = false): Promise<Indicators> {
  const claims = typeof who === 'string' ? userClaims(who) : who
  const { rows } = await asCaller(db, claims, (tx) => tx.query<{ r: Indicators }>(`select public.indicators(${args}) as r`), readOnly)
  if (rows.length !== 1) throw new Error(`public.indicators(${args}) returned ${rows.length} rows`)
  return rows[0].r
}

/** Reads as the database owner, past row level security. */
async function scalar<T>(db: Database, sql: string): Promise<T> {
  const { rows } = await db.query<{ v: T }>(sql)
  return rows[0].v
}

/** The fixture city loaded as an administrator loads a city: each layer imported, then the circles and access times computed. */
async function loadFixtureCity(atlas: AtlasSession): Promise<void> {
  for (const layer of loadOrder) {
    if (['micro_grid', 'former_village', 'management_area', 'gate'].includes(layer)) continue
    const { code, err } = await atlas.run('import', layer, path.join(fixtureDir, `${layer}.geojson`))
    if (code !== 0) throw new Error(`importing ${layer}.geojson failed: ${err}`)
  }
  const { code, err } = await atlas.run('isochrones')
  if (code !== 0) throw new Error(`atlas isochrones failed: ${err}`)
}

/** What must not depend on the database: all but the times. */
/** The key of the coverage of households or residents by every basic facility type ('basic'), or by one type. */
const coverageKey = (of: 'households' | 'residents', type: string): IndicatorKey => (type === 'basic' ? `coverage_${of}` : `coverage_${of}.${type}`)
const figures = (r: Indicators) => ({ params: r.params, catalogue: r.catalogue, facility_types: r.facility_types, city: r.city, streets: r.streets, communities: r.communities })

// ── the fixture city, by hand ──────────────────────────────────────────────────────────────
// Two street offices: 东城街道 (331181001) with 东山 (…001), 南溪 (…002) and 西岭 (…003), and
// 西城街道 (331181002) with 北岸 (…001); the city outline 测试市城区 is the two streets.
const 东城 = '331181001'
const 西城 = '331181002'
const 东山 = '331181001001'
const 南溪 = '331181001002'
const 西岭 = '331181001003'
const 北岸 = '331181002001'

// Coverage. The footway runs along 28.005°N with a node every 0.001° (N0 at 119.100 … N28 at
// 119.128), each edge 100 m; facilities and residences stand on nodes. 8 minutes at 66.7 m/min
// reach 533.6 m: five edges (500 m) and not six (600 m). Nearest of each basic type:
//   party centre F1@N3 F5@N17, health F2@N3 F7@N24, elderly F3@N4 F8@N14 F9@N23, canteen F4@N6 F6@N21
//   R1@N2  (东山, 100 户, 300 人): party 1, health 1, elderly 2, canteen 4 edges → all four, basic
//   R2@N5  (东山, 200 户, 500 人): 2, 2, 1, 1 → all four, basic
//   R3@N9  (东山,  50 户, 150 人): party 6 ✗, health 6 ✗, elderly 5 ✓, canteen 3 ✓
//   R4@N12 (南溪, 300 户, 800 人): party 5 ✓, health 9 ✗, elderly 2 ✓, canteen 6 ✗
//   R5@N16 (南溪, 100 户, 250 人): party 1 ✓, health 8 ✗, elderly 2 ✓, canteen 5 ✓
//   R6@N22 (西岭, 400 户, 1000 人): party 5, health 2, elderly 1, canteen 1 → all four, basic
//   R7 (北岸, 80 户, 200 人) is 1.2 km from the footway: off the network, covered by nothing
type Cover = [households: number, householdsLight: Light, residents: number, residentsLight: Light]
const coverage: Record<string, Record<'basic' | 'party_service_centre' | 'health_station' | 'elderly_care' | 'canteen', Cover>> = {
  // 350 户, 950 人
  [东山]: {
    basic: [85.7, 'amber', 84.2, 'amber'], // R1 + R2: 300 / 350 = 85.71 %; 800 / 950 = 84.21 %
    party_service_centre: [85.7, 'amber', 84.2, 'amber'], // the same two
    health_station: [85.7, 'amber', 84.2, 'amber'],
    elderly_care: [100, 'green', 100, 'green'], // all three
    canteen: [100, 'green', 100, 'green'],
  },
  // 400 户, 1050 人
  [南溪]: {
    basic: [0, 'red', 0, 'red'],
    party_service_centre: [100, 'green', 100, 'green'], // R4 + R5
    health_station: [0, 'red', 0, 'red'],
    elderly_care: [100, 'green', 100, 'green'],
    canteen: [25, 'red', 23.8, 'red'], // R5: 100 / 400 = 25 %; 250 / 1050 = 23.81 %
  },
  [西岭]: {
    basic: [100, 'green', 100, 'green'],
    party_service_centre: [100, 'green', 100, 'green'],
    health_station: [100, 'green', 100, 'green'],
    elderly_care: [100, 'green', 100, 'green'],
    canteen: [100, 'green', 100, 'green'],
  },
  [北岸]: {
    basic: [0, 'red', 0, 'red'],
    party_service_centre: [0, 'red', 0, 'red'],
    health_station: [0, 'red', 0, 'red'],
    elderly_care: [0, 'red', 0, 'red'],
    canteen: [0, 'red', 0, 'red'],
  },
  // 东山 + 南溪 + 西岭: 1150 户, 3000 人
  [东城]: {
    basic: [60.9, 'red', 60, 'red'], // (300 + 0 + 400) / 1150 = 60.87 %; (800 + 0 + 1000) / 3000 = 60 %
    party_service_centre: [95.7, 'green', 95, 'green'], // (300 + 400 + 400) / 1150 = 95.65 %; (800 + 1050 + 1000) / 3000 = 95 %
    health_station: [60.9, 'red', 60, 'red'], // as basic
    elderly_care: [100, 'green', 100, 'green'],
    canteen: [73.9, 'red', 73.3, 'red'], // (350 + 100 + 400) / 1150 = 73.91 %; (950 + 250 + 1000) / 3000 = 73.33 %
  },
  [西城]: {
    basic: [0, 'red', 0, 'red'],
    party_service_centre: [0, 'red', 0, 'red'],
    health_station: [0, 'red', 0, 'red'],
    elderly_care: [0, 'red', 0, 'red'],
    canteen: [0, 'red', 0, 'red'],
  },
  // every residence: 1230 户, 3200 人
  '': {
    basic: [56.9, 'red', 56.3, 'red'], // 700 / 1230 = 56.91 %; 1800 / 3200 = 56.25 %, rounded half up
    party_service_centre: [89.4, 'amber', 89.1, 'amber'], // 1100 / 1230 = 89.43 %; 2850 / 3200 = 89.06 %
    health_station: [56.9, 'red', 56.3, 'red'],
    elderly_care: [93.5, 'amber', 93.8, 'amber'], // 1150 / 1230 = 93.50 %; 3000 / 3200 = 93.75 %
    canteen: [69.1, 'red', 68.8, 'red'], // 850 / 1230 = 69.11 %; 2200 / 3200 = 68.75 %
  },
}
const coverageTotals: Record<string, [households: number, residents: number]> = {
  [东山]: [350, 950], [南溪]: [400, 1050], [西岭]: [400, 1000], [北岸]: [80, 200], [东城]: [1150, 3000], [西城]: [80, 200], '': [1230, 3200],
}

// The notch 西岭 leaves at 东城街道's north-east corner, 0.0008° × 0.0008° at 28.0096°N, in no
// community: metres per degree there (WGS-84) are 111,132.92 − 559.82 cos 2φ + 1.175 cos 4φ =
// 110,819.6 north and 111,412.84 cos φ − 93.5 cos 3φ + 0.118 cos 5φ = 98,353.1 east, so
// 88.656 m × 78.682 m = 6,975.6 m²: under 1 ha, amber.
const gapM2 = 6975.6

const expected: Record<string, Record<string, [value: number | null, light: Light, parts?: Record<string, number | null>]>> = {
  [东山]: {
    // grids 450 (below), 520, 700, 800: one outside, ≤ 25 % of 4 → amber; median (520 + 700) / 2
    grids_outside_band: [1, 'amber', { grids: 4, below: 1, above: 0, households_min: 450, households_median: 610, households_max: 800 }],
    workers_per_10k: [20, 'green', { workers: 5, residents: 2500 }], // 5 × 10000 / 2500
    service_area_per_100_households: [62, 'green', { area_m2: 620, households: 1000 }], // 620 × 100 / 1000
    service_area: [620, 'green', { area_m2: 620 }],
    zones_open: [0, 'green', { open_m2: 0 }],
    // done 1,000,000 + in progress 500,000 of 3,000,000 (the rejected 9,999,999 left out): 50 %
    backlog_funded: [50, 'amber', { done_items: 1, done_cost: 1_000_000, in_progress_items: 1, in_progress_cost: 500_000, approved_items: 0,
      approved_cost: 0, unfunded_items: 1, unfunded_cost: 1_500_000, total_cost: 3_000_000 }],
    household_separation: [16.7, 'green', { registered: 3000, resident: 2500 }], // (3000 − 2500) / 3000 = 16.67 %
  },
  [南溪]: {
    // 500 (in the band), 801 (above): one of 2 is over 25 % → red
    grids_outside_band: [1, 'red', { grids: 2, below: 0, above: 1, households_min: 500, households_median: 650.5, households_max: 801 }],
    workers_per_10k: [16.7, 'amber', { workers: 5, residents: 3000 }], // 50000 / 3000 = 16.67, within 10 % of 18
    service_area_per_100_households: [29.2, 'amber', { area_m2: 350, households: 1200 }], // 35000 / 1200 = 29.17
    service_area: [350, 'amber', { area_m2: 350 }],
    zones_open: [0, 'green', { open_m2: 0 }],
    // approved 2,000,000 of 2,500,000
    backlog_funded: [80, 'green', { done_items: 0, done_cost: 0, in_progress_items: 0, in_progress_cost: 0, approved_items: 1,
      approved_cost: 2_000_000, unfunded_items: 1, unfunded_cost: 500_000, total_cost: 2_500_000 }],
    household_separation: [-25, 'amber', { registered: 2400, resident: 3000 }], // (2400 − 3000) / 2400
  },
  [西岭]: {
    grids_outside_band: [0, 'green', { grids: 1, below: 0, above: 0, households_min: 650, households_median: 650, households_max: 650 }],
    workers_per_10k: [null, 'none', { workers: null, residents: null }], // no workers given
    service_area_per_100_households: [25, 'red', { area_m2: 200, households: 800 }], // 20000 / 800
    service_area: [200, 'red', { area_m2: 200 }],
    zones_open: [0, 'green', { open_m2: 0 }],
    // done 300,000 of 1,500,000
    backlog_funded: [20, 'red', { done_items: 1, done_cost: 300_000, in_progress_items: 0, in_progress_cost: 0, approved_items: 0,
      approved_cost: 0, unfunded_items: 1, unfunded_cost: 1_200_000, total_cost: 1_500_000 }],
    household_separation: [null, 'none', { registered: null, resident: null }], // no registered population
  },
  [北岸]: {
    // two grids, households unknown
    grids_outside_band: [null, 'none', { grids: 2, below: 0, above: 0, households_min: null, households_median: null, households_max: null }],
    workers_per_10k: [10, 'red', { workers: 1, residents: 1000 }],
    service_area_per_100_households: [null, 'none', { area_m2: null, households: null }],
    service_area: [null, 'none', { area_m2: null }],
    zones_open: [0, 'green', { open_m2: 0 }],
    backlog_funded: [null, 'none', { done_items: 0, done_cost: 0, in_progress_items: 0, in_progress_cost: 0, approved_items: 0,
      approved_cost: 0, unfunded_items: 0, unfunded_cost: 0, total_cost: 0 }],
    household_separation: [60, 'red', { registered: 2500, resident: 1000 }], // (2500 − 1000) / 2500
  },
  [东城]: {
    // 7 grids: 450 500 520 650 700 800 801 → 2 outside, more than 25 % of 7 (1.75): red
    grids_outside_band: [2, 'red', { grids: 7, below: 1, above: 1, households_min: 450, households_median: 650, households_max: 801 }],
    workers_per_10k: [18.2, 'green', { workers: 10, residents: 5500 }], // 西岭 has no workers: 100000 / 5500 = 18.18
    service_area_per_100_households: [39, 'green', { area_m2: 1170, households: 3000 }], // (620 + 350 + 200) × 100 / 3000
    service_area: [1, 'red', { communities: 3, below_provincial: 1, below_target: 2 }], // 西岭 < 300; 南溪 and 西岭 < 500
    zones_open: [1, 'amber', { open_m2: gapM2 }],
    // done 1,300,000 (2), in progress 500,000, approved 2,000,000, unfunded 3,200,000 (3): 3.8 M / 7 M = 54.29 %
    backlog_funded: [54.3, 'amber', { done_items: 2, done_cost: 1_300_000, in_progress_items: 1, in_progress_cost: 500_000, approved_items: 1,
      approved_cost: 2_000_000, unfunded_items: 3, unfunded_cost: 3_200_000, total_cost: 7_000_000 }],
    household_separation: [-1.9, 'green', { registered: 5400, resident: 5500 }], // (5400 − 5500) / 5400 = −1.85 %
  },
  [西城]: {
    grids_outside_band: [null, 'none', { grids: 2, below: 0, above: 0, households_min: null, households_median: null, households_max: null }],
    workers_per_10k: [10, 'red', { workers: 1, residents: 1000 }],
    service_area_per_100_households: [null, 'none', { area_m2: null, households: null }],
    service_area: [null, 'none', { communities: 0, below_provincial: 0, below_target: 0 }],
    zones_open: [0, 'green', { open_m2: 0 }],
    backlog_funded: [null, 'none', { done_items: 0, done_cost: 0, in_progress_items: 0, in_progress_cost: 0, approved_items: 0,
      approved_cost: 0, unfunded_items: 0, unfunded_cost: 0, total_cost: 0 }],
    household_separation: [60, 'red', { registered: 2500, resident: 1000 }],
  },
  '': {
    // 9 grids, 7 known, 2 outside: at most 25 % of 9 (2.25) → amber
    grids_outside_band: [2, 'amber', { grids: 9, below: 1, above: 1, households_min: 450, households_median: 650, households_max: 801 }],
    workers_per_10k: [16.9, 'amber', { workers: 11, residents: 6500 }], // 110000 / 6500 = 16.92
    service_area_per_100_households: [39, 'green', { area_m2: 1170, households: 3000 }],
    service_area: [1, 'red', { communities: 3, below_provincial: 1, below_target: 2 }],
    zones_open: [1, 'amber', { open_m2: gapM2 }],
    backlog_funded: [54.3, 'amber', { done_items: 2, done_cost: 1_300_000, in_progress_items: 1, in_progress_cost: 500_000, approved_items: 1,
      approved_cost: 2_000_000, unfunded_items: 3, unfunded_cost: 3_200_000, total_cost: 7_000_000 }],
    household_separation: [17.7, 'green', { registered: 7900, resident: 6500 }], // 1400 / 7900 = 17.72 %
  },
}

// households / residents / registered of each unit: its communities' known values, summed
const population: Record<string, [number | null, number | null, number | null]> = {
  [东山]: [1000, 2500, 3000], [南溪]: [1200, 3000, 2400], [西岭]: [800, 2000, null], [北岸]: [null, 1000, 2500],
  [东城]: [3000, 7500, 5400], [西城]: [null, 1000, 2500], '': [3000, 8500, 7900],
}

function checkUnit(unit: UnitIndicators) {
  const where = unit.code || 'the city'
  expect([unit.households, unit.residents, unit.registered], where).toEqual(population[unit.code])
  for (const [key, [value, light, parts]] of Object.entries(expected[unit.code])) {
    if (!isIndicatorKey(key)) throw new Error(`${key} is not an indicator`)
    const got = unit.indicators[key]
    expect({ value: got.value, light: got.light }, `${where} ${key}`).toEqual({ value, light })
    if (key === 'zones_open') {
      expect(got.parts.open_m2, `${where} open_m2`).toBeCloseTo(parts!.open_m2!, -1) // within 5 m² of the hand figure
    } else expect(got.parts, `${where} ${key} parts`).toEqual(parts)
  }
  const [households, residents] = coverageTotals[unit.code]
  for (const [type, [hh, hhLight, res, resLight]] of Object.entries(coverage[unit.code])) {
    const h = unit.indicators[coverageKey('households', type)]
    const r = unit.indicators[coverageKey('residents', type)]
    expect({ value: h.value, light: h.light, total: h.parts.total }, `${where} households ${type}`).toEqual({ value: hh, light: hhLight, total: households })
    expect({ value: r.value, light: r.light, total: r.parts.total }, `${where} residents ${type}`).toEqual({ value: res, light: resLight, total: residents })
  }
}

const answers: Partial<Record<'embedded' | 'postgres', Indicators>> = {}

describe.each(['embedded', 'postgres'] as const)('the fixture city on the %s database', (target) => {
  let atlas: AtlasSession | undefined
  let throwaway: ThrowawayPostgres | undefined

  beforeAll(async () => {
    let where: string
    if (target === 'embedded') where = copyEmptyDatabase()
    else {
      throwaway = await createPostgresDatabase()
      where = throwaway.url
    }
    atlas = await openAtlas(where)
    await loadFixtureCity(atlas)
    answers[target] = await indicators(atlas.db)
  }, 120_000)
  afterAll(async () => {
    await atlas?.close()
    await throwaway?.drop()
  })

  test('every indicator of every unit equals its figure worked out by hand', () => {
    const result = answers[target]!
    expect(result.params).toEqual({ minutes: 8, speed_m_per_min: 66.7 })
    expect(result.city).toMatchObject({ level: 'city', code: '', name: '测试市城区' })
    expect(result.streets.map((s) => [s.code, s.name])).toEqual([[东城, '东城街道'], [西城, '西城街道']])
    expect(result.communities.map((c) => [c.code, c.name, c.street_code, c.community_type])).toEqual([
      [东山, '东山社区', 东城, '纯居型'], [南溪, '南溪社区', 东城, '村改居型'], [西岭, '西岭社区', 东城, '村改居型'], [北岸, '北岸社区', 西城, '纯居型'],
    ])
    for (const unit of [result.city, ...result.streets, ...result.communities]) checkUnit(unit)
  })

  test('the catalogue: the base indicators, then coverage per basic type, each unit with every key', () => {
    const result = answers[target]!
    expect(result.catalogue.map((c) => c.key)).toEqual([
      'coverage_households', 'coverage_households.canteen', 'coverage_households.elderly_care', 'coverage_households.health_station',
      'coverage_households.party_service_centre', 'coverage_residents', 'coverage_residents.canteen', 'coverage_residents.elderly_care',
      'coverage_residents.health_station', 'coverage_residents.party_service_centre', 'grids_outside_band', 'workers_per_10k',
      'service_area_per_100_households', 'service_area', 'zones_open', 'backlog_funded', 'household_separation',
    ])
    const canteen = result.catalogue.find((c) => c.key === 'coverage_residents.canteen')!
    expect(canteen).toMatchObject({ group: 'coverage', label_zh: '共享餐厅覆盖率（人）', facility_type: 'canteen', direction: 'min', green: 95, amber: 80 })
    expect(canteen.rule_zh).toContain('共享餐厅')
    expect(result.facility_types.filter((t) => t.basic).map((t) => t.facility_type)).toEqual(['canteen', 'elderly_care', 'health_station', 'party_service_centre'])
    for (const unit of [result.city, ...result.streets, ...result.communities])
      expect(Object.keys(unit.indicators).sort()).toEqual(result.catalogue.map((c) => c.key).sort())
  })
})

describe('the two databases', () => {
  test('give the same figures, to the last decimal', () => {
    expect(answers.embedded && answers.postgres).toBeTruthy()
    const open = (r: Indicators) => [r.city, ...r.streets].map((u) => u.indicators.zones_open.parts.open_m2)
    // the areas of the gap may differ in the last digit between the two PostGIS builds
    for (const [a, b] of open(answers.embedded!).map((x, i) => [x, open(answers.postgres!)[i]])) expect(a).toBeCloseTo(b!, 0)
    const withoutArea = (r: Indicators) => {
      const copy = structuredClone(figures(r))
      for (const u of [copy.city, ...copy.streets, ...copy.communities]) u.indicators.zones_open.parts.open_m2 = 0
      return copy
    }
    expect(withoutArea(answers.embedded!)).toEqual(withoutArea(answers.postgres!))
  })
})

// ── the sample city ────────────────────────────────────────────────────────────────────────
describe('the sample city', () => {
  let db: Database

  beforeAll(async () => {
    db = await openEmbedded(copySampleDatabase())
  })
  afterAll(async () => {
    await db?.close()
  })

  const call = async <T>(sql: string, who: Role = 'leader') =>
    (await asCaller(db, userClaims(who), (tx) => tx.query<{ r: T }>(`select ${sql} as r`))).rows[0].r

  test('answers in the shape of Indicators for its 4 street offices and 28 communities; every value has its light', async () => {
    const result = await indicators(db)
    expect(Object.keys(result).sort()).toEqual(['catalogue', 'city', 'communities', 'computed_at', 'data_timestamp', 'facility_types', 'params', 'streets'])
    expect(result.streets).toHaveLength(4)
    expect(result.communities).toHaveLength(28)
    expect(new Date(result.computed_at).getTime()).not.toBeNaN()
    expect(new Date(result.data_timestamp).getTime()).toBe((await scalar<Date>(db, 'select changed_at as v from atlas.data_version')).getTime())
    const keys = result.catalogue.map((c) => c.key)
    for (const unit of [result.city, ...result.streets, ...result.communities]) {
      expect(Object.keys(unit.indicators).sort()).toEqual([...keys].sort())
      for (const value of Object.values(unit.indicators)) {
        expect(lights).toContain(value.light)
        expect(value.light === 'none').toBe(value.value === null)
      }
    }
    for (const c of result.communities) {
      expect(c).toMatchObject({ level: 'community', street_code: c.code.slice(0, 9) })
      expect(c.community_type).toMatch(/^(纯居型|村改居型)$/)
    }
    // the report's figures (data/README.md): 19 of the 28 communities under 300 m²
    expect(result.city.indicators.service_area.parts).toMatchObject({ communities: 28, below_provincial: 19 })
  })

  test('its coverage is coverage()’s and its open zones zone_summary()’s, for the city, every street office and every community', async () => {
    const result = await indicators(db)
    const circles = await call<Coverage>('public.coverage(8, 66.7)')
    const agree = (unit: UnitIndicators, by: CoverageByType) => {
      for (const type of ['basic', ...result.facility_types.filter((t) => t.basic).map((t) => t.facility_type)]) {
        const f = by[type]
        expect(unit.indicators[coverageKey('households', type)].parts).toEqual({ covered: f.households_covered, total: f.households_covered + f.households_not_covered })
        expect(unit.indicators[coverageKey('residents', type)].parts).toEqual({ covered: f.residents_covered, total: f.residents_covered + f.residents_not_covered })
      }
    }
    agree(result.city, circles.city)
    expect(result.city.indicators.coverage_households.value).toBe(Math.round((circles.city.basic.households_covered * 1000) / (circles.city.basic.households_covered + circles.city.basic.households_not_covered)) / 10)
    for (const s of circles.streets) agree(result.streets.find((x) => x.code === s.code)!, s.coverage)
    for (const c of circles.communities) agree(result.communities.find((x) => x.code === c.code)!, c.coverage)

    const zones = await call<ZoneSummary>('public.zone_summary()')
    const zoneFigures = (u: UnitIndicators) => ({ open: u.indicators.zones_open.value, open_m2: u.indicators.zones_open.parts.open_m2 })
    expect(zoneFigures(result.city)).toEqual({ open: zones.city.open, open_m2: zones.city.open_m2 })
    expect(result.streets.map(zoneFigures)).toEqual(zones.streets.map((s) => ({ open: s.open, open_m2: s.open_m2 })))
    expect(result.communities.map(zoneFigures)).toEqual(zones.communities.map((c) => ({ open: c.open, open_m2: c.open_m2 })))
    // the three planted cases of the sample are open: 吴处 (counted at two levels), 水南犁山 and 林场
    expect(result.city.indicators.zones_open).toMatchObject({ value: 4, light: 'red' })
  })

  test('every source cites a report by its title, never a file', async () => {
    const { rows } = await db.query<{ source: string }>(
      `select source from atlas.standard union all select source from atlas.facility_type where source is not null
       union all select source from atlas.indicator_catalogue`,
    )
    const result = await indicators(db)
    const sources = [...rows.map((r) => r.source), ...result.catalogue.map((c) => c.source)]
    expect(sources.length).toBeGreaterThan(20)
    for (const source of sources) expect(source).not.toMatch(/seeds|\.txt/)
    for (const { source } of rows.slice(0, 7)) expect(source).toMatch(/《.+》/)
    // the grids' source is their standard's: the report, its issuer and its clause
    expect(result.catalogue.find((c) => c.key === 'grids_outside_band')!.source).toBe('《榆林市城市社区治理研究报告》（榆林市）：每个网格 500–800 户')
  })

  test('the answer is kept until the data changes; an edit bumps the version and shows; a read-only transaction computes and writes nothing', async () => {
    const first = await indicators(db)
    const again = await indicators(db)
    expect(again.computed_at).toBe(first.computed_at)
    expect(again).toEqual(first)
    const version = () => scalar<string>(db, 'select n::text as v from atlas.data_version')
    const kept = () => scalar<string>(db, `select coalesce(string_agg(concat_ws(',', minutes, speed_m_per_min, version, computed_at), ';'), '') as v from atlas.indicator_snapshot`)
    const before = await version()

    // a planner edits a community's workers: one statement, one step of the version
    const community = first.communities[0]
    const workers = community.indicators.workers_per_10k.parts
    await asCaller(db, userClaims('planner'), (tx) => tx.query(`update atlas.community set full_time_workers = full_time_workers + 10 where code = $1`, [community.code]))
    expect(BigInt(await version())).toBe(BigInt(before) + 1n)
    const edited = await indicators(db)
    expect(edited.computed_at).not.toBe(first.computed_at)
    expect(new Date(edited.data_timestamp).getTime()).toBeGreaterThan(new Date(first.data_timestamp).getTime())
    const now = edited.communities[0].indicators.workers_per_10k
    expect(now.parts).toEqual({ workers: workers.workers! + 10, residents: workers.residents })
    expect(now.value).toBe(Math.round(((workers.workers! + 10) * 10000 * 10) / workers.residents!) / 10)

    // another edit, then a read-only caller: the new figures, and nothing written
    await db.query(`update atlas.community set full_time_workers = full_time_workers - 10 where code = $1`, [community.code])
    const keptBefore = await kept()
    const readOnly = await indicators(db, 'leader', '', true)
    expect(readOnly.communities[0].indicators.workers_per_10k).toEqual(first.communities[0].indicators.workers_per_10k)
    expect(await kept()).toBe(keptBefore)
    const written = await indicators(db)
    expect({ ...written, computed_at: '' }).toEqual({ ...readOnly, computed_at: '' })
    expect(await kept()).not.toBe(keptBefore)

    // another walk is kept beside it
    const ten = await indicators(db, 'leader', 'minutes => 10')
    expect(ten.params).toEqual({ minutes: 10, speed_m_per_min: 66.7 })
    expect(ten.city.indicators.coverage_households.value!).toBeGreaterThanOrEqual(written.city.indicators.coverage_households.value!)
    expect(await scalar<string>(db, 'select count(*)::text as v from atlas.indicator_snapshot')).toBe('2')

    // walks nobody picks (8.001, 8.002 … minutes) are answered but not kept; of the ones a person
    // picks, the 8 most recent are
    const keys = () => scalar<string>(db, `select string_agg(concat_ws('/', minutes, speed_m_per_min), ' ' order by minutes, speed_m_per_min) as v from atlas.indicator_snapshot`)
    const odd = await indicators(db, 'leader', 'minutes => 8.001')
    expect(odd.params).toEqual({ minutes: 8.001, speed_m_per_min: 66.7 })
    await indicators(db, 'leader', 'minutes => 8, speed => 66.71')
    expect(await keys()).toBe('8/66.7 10/66.7')
    expect(await scalar<string>(db, `select count(*)::text as v from atlas.indicator_part where part = 'coverage'`)).toBe('2')
    // seven older answers kept beside the two (as if computed an hour ago, at this version): the oldest makes way
    await db.exec(`insert into atlas.indicator_snapshot (minutes, speed_m_per_min, version, result, computed_at)
                   select m, 66.7, (select n from atlas.data_version), '{}', clock_timestamp() - interval '1 hour' + m * interval '1 minute' from generate_series(1, 7) m;
                   insert into atlas.indicator_part (part, minutes, speed_m_per_min, version, result, kept_at)
                   select 'coverage', m, 66.7, (select n_circles from atlas.data_version), '{}', clock_timestamp() - interval '1 hour' + m * interval '1 minute' from generate_series(1, 7) m`)
    expect(await scalar<string>(db, 'select count(*)::text as v from atlas.indicator_snapshot')).toBe('8')
    expect(await keys()).toBe('2/66.7 3/66.7 4/66.7 5/66.7 6/66.7 7/66.7 8/66.7 10/66.7')
    expect(await scalar<string>(db, `select string_agg(minutes::text, ' ' order by minutes) as v from atlas.indicator_part where part = 'coverage'`)).toBe('2 3 4 5 6 7 8 10')
  })

  test('a write to the backlog alone recomputes neither coverage() nor zone_summary(); a unit edit recomputes both; the answers equal ones computed afresh', async () => {
    const parts = () => scalar<string>(db, `select coalesce(string_agg(concat_ws(',', part, minutes, speed_m_per_min, version), ';' order by part), '') as v from atlas.indicator_part`)
    const versions = () => db.query<{ n: string; n_circles: string; n_zones: string }>('select n::text, n_circles::text, n_zones::text from atlas.data_version').then((r) => r.rows[0])
    const fresh = async () => {
      await db.exec('delete from atlas.indicator_part; delete from atlas.indicator_snapshot')
      return indicators(db)
    }
    await fresh()
    const before = await versions()
    const keptParts = await parts()
    expect(keptParts.split(';').map((p) => p.split(',').slice(0, 3).join(','))).toEqual(['coverage,8,66.7', 'zones,0,0'])

    // the bureau moves an item on: the backlog's figures change, the circles' and zones' answers are reused
    const item = await scalar<string>(db, `select code as v from atlas.backlog_item where status = 'proposed' order by code limit 1`)
    await asCaller(db, userClaims('works'), (tx) => tx.query(`select public.set_backlog_status($1, 'approved', (select version from atlas.backlog_item where code = $1))`, [item]))
    const after = await versions()
    expect(after.n).not.toBe(before.n)
    expect({ n_circles: after.n_circles, n_zones: after.n_zones }).toEqual({ n_circles: before.n_circles, n_zones: before.n_zones })
    const moved = await indicators(db)
    expect(await parts()).toBe(keptParts)
    expect({ ...moved, computed_at: '' }).toEqual({ ...(await fresh()), computed_at: '' })

    // a unit edit moves both versions, and both parts are asked again
    await indicators(db)
    const partsBefore = await parts()
    await db.query(`update atlas.community set households = households + 1 where code = (select min(code) from atlas.community)`)
    const edited = await versions()
    expect(BigInt(edited.n_circles)).toBeGreaterThan(BigInt(after.n_circles))
    expect(BigInt(edited.n_zones)).toBeGreaterThan(BigInt(after.n_zones))
    const recomputed = await indicators(db)
    expect(await parts()).not.toBe(partsBefore)
    expect({ ...recomputed, computed_at: '' }).toEqual({ ...(await fresh()), computed_at: '' })
  })

  test('anonymous callers are refused; leader, planner and works get the same figures', async () => {
    const error = await indicators(db, { role: 'anon' }).then(() => undefined, (e: unknown) => e)
    expect(error).toMatchObject({ code: '42501' })
    expect(error).toHaveProperty('message', expect.stringMatching(/sign in first/))
    const stranger = await indicators(db, { role: 'authenticated', sub: 'x', app_metadata: {} }).then(() => undefined, (e: unknown) => e)
    expect(stranger).toMatchObject({ code: '42501' })
    const bad = await indicators(db, 'leader', 'minutes => 0').then(() => undefined, (e: unknown) => e)
    expect(bad).toMatchObject({ code: '22023' })
    expect(bad).toHaveProperty('message', expect.stringMatching(/minutes 0 must be between 1 and 60/))

    const byRole: Indicators[] = []
    for (const role of ['leader', 'planner', 'works'] as const) {
      await db.query('delete from atlas.indicator_snapshot') // each computes its own
      byRole.push(await indicators(db, role))
    }
    expect(new Set(byRole.map((r) => r.computed_at)).size).toBe(3)
    for (const r of byRole.slice(1)) expect({ ...r, computed_at: '' }).toEqual({ ...byRole[0], computed_at: '' })
  })
})
