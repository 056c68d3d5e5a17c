// The report's pure parts on hand-made inputs: the printed map's projection and scale bar against
// a hand computation, the indicators' CSV (BOM, RFC 4180 quoting, values and lights as given), the
// open zones placed in words, and the values worded per level.
import { describe, expect, test } from 'vitest'
import { indicatorsCsv } from '../../src/leader/report/csv.ts'
import { openZones } from '../../src/leader/report/gather.ts'
import { boundsOf, groundDistance, mapFrame, scaleBar } from '../../src/leader/report/mapFrame.ts'
import { beijingTime, formatYuan } from '../../src/i18n/core.ts'
import { levelValue } from '../../src/leader/report/words.ts'
import type { IndicatorInfo, IndicatorKey, Indicators, IndicatorValue, UnitIndicators } from '../../src/leader/types.ts'
import { parseCsv } from '../helpers/csv.ts'

describe('the printed map', () => {
  // 0.1° × 0.1° around Longquan, in a 400 × 500 pt box.
  const bounds: [number, number, number, number] = [119.0, 28.0, 119.1, 28.1]
  const frame = mapFrame(bounds, 40, 100, 400, 500)

  test('points per metre, by hand', () => {
    // east–west: 6,371,008.8 m × 0.1° × π/180 × cos(28.05°) = 11,119.51 m × 0.882538 = 9,813.4 m
    // north–south: 11,119.5 m. The width binds: 400 pt ÷ 9,813.4 m = 0.040761 pt/m.
    expect(frame.pointsPerMetre).toBeCloseTo(0.040761, 5)
    // the box keeps the map's shape: 11,119.5 m × 0.040761 = 453.2 pt high
    expect(frame.box.height).toBeCloseTo(453.2, 0)
    expect(frame.box.width).toBe(400)
  })

  test('the scale bar: the longest round length within 100 pt is 2,000 m, drawn 81.5 pt long', () => {
    // 100 pt ÷ 0.040761 pt/m = 2,453 m → 2,000 m × 0.040761 = 81.52 pt
    const bar = scaleBar(frame.pointsPerMetre, 100)
    expect(bar.metres).toBe(2000)
    expect(bar.width).toBeCloseTo(81.52, 1)
    expect(scaleBar(frame.pointsPerMetre, 200).metres).toBe(2000) // 4,906 m → 2,000, not 5,000
    expect(scaleBar(frame.pointsPerMetre, 210).metres).toBe(5000) // 5,152 m → 5,000
    expect(scaleBar(0.5, 100).metres).toBe(200) // 200 m → 200
  })

  test('a metre is a metre on paper, east and north, anywhere on the map (within 0.5 %)', () => {
    const pairs: [[number, number], [number, number]][] = [
      [[119.0, 28.0], [119.1, 28.0]], // along the south edge
      [[119.0, 28.1], [119.1, 28.1]], // along the north edge
      [[119.05, 28.0], [119.05, 28.1]], // along a meridian
      [[119.0, 28.0], [119.1, 28.1]], // across
    ]
    for (const [a, b] of pairs) {
      const [x0, y0] = frame.project(a)
      const [x1, y1] = frame.project(b)
      const paper = Math.hypot(x1 - x0, y1 - y0) / frame.pointsPerMetre
      const ground = groundDistance(a, b)
      expect(Math.abs(paper - ground) / ground).toBeLessThan(0.005)
    }
  })

  test('north is up, the map centred in its box', () => {
    const [, ySouth] = frame.project([119.05, 28.0])
    const [, yNorth] = frame.project([119.05, 28.1])
    expect(yNorth).toBeLessThan(ySouth)
    const [x, y] = frame.project([119.05, 28.05])
    expect(x).toBeCloseTo(240, 6)
    expect(y).toBeCloseTo(100 + frame.box.height / 2, 6)
  })

  test('bounds of polygons and multipolygons', () => {
    expect(
      boundsOf([
        { type: 'Polygon', coordinates: [[[1, 2], [3, 2], [3, 5], [1, 2]]] },
        { type: 'MultiPolygon', coordinates: [[[[0, 4], [2, 4], [2, 6], [0, 4]]]] },
      ]),
    ).toEqual([0, 2, 3, 6])
    expect(boundsOf([])).toBeNull()
  })
})

// ---------------------------------------------------------------- a small city by hand

function info(key: IndicatorKey, over: Partial<IndicatorInfo> = {}): IndicatorInfo {
  return {
    key,
    group: 'workers',
    label_zh: '每万常住人口专职社区工作者',
    label_en: 'Full-time community workers per 10,000 residents',
    unit: '人/万人',
    direction: 'min',
    green: 18,
    amber: 16.2,
    standard_zh: '≥ 18 人/万人',
    standard_en: '≥ 18 per 10,000 residents',
    source: '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》(2023)',
    standard_keys: [],
    applied: true,
    needs_zh: null,
    needs_en: null,
    rule_zh: '',
    rule_en: '',
    ...over,
  }
}

const v = (value: number | null, light: IndicatorValue['light'], parts: Record<string, number | null> = {}): IndicatorValue => ({ value, light, parts })

function unit(level: UnitIndicators['level'], code: string, name: string, indicators: Record<string, IndicatorValue>, street?: string): UnitIndicators {
  return { level, code, name, ...(street && { street_code: street }), households: null, residents: null, registered: null, indicators }
}

const catalogue = [
  info('workers_per_10k'),
  info('service_area', { group: 'service_area', label_zh: '社区服务用房面积', label_en: 'Community service floor area', unit: 'm²', green: 500, amber: 300 }),
]

const city: Indicators = {
  params: { minutes: 8, speed_m_per_min: 66.7 },
  computed_at: '2026-11-24T10:00:00Z',
  data_timestamp: '2026-11-24T09:56:42Z',
  catalogue,
  facility_types: [],
  // 30 workers for 20,000 residents: 15 per 10,000 → red
  city: unit('city', '', '试点市', {
    workers_per_10k: v(15, 'red', { workers: 30, residents: 20_000 }),
    service_area: v(1, 'red', { communities: 2, below_provincial: 1, below_target: 1 }),
  }),
  streets: [unit('street', '331181001', '龙渊街道', { workers_per_10k: v(15, 'red', { workers: 30, residents: 20_000 }), service_area: v(1, 'red', { communities: 2, below_provincial: 1, below_target: 1 }) })],
  communities: [
    unit('community', '331181001001', '大洋社区', { workers_per_10k: v(20, 'green', { workers: 20, residents: 10_000 }), service_area: v(620, 'green', { area_m2: 620 }) }, '331181001'),
    // a name with a comma and quotes, and no data for its workers
    unit('community', '331181001002', '金乐,"新"社区', { workers_per_10k: v(null, 'none', { workers: null, residents: null }), service_area: v(245, 'red', { area_m2: 245 }) }, '331181001'),
  ],
}

describe('the indicators as CSV', () => {
  const text = indicatorsCsv(city, 'zh')
  const rows = parseCsv(text.slice(1))

  test('UTF-8 with a BOM, CRLF line ends, one row per unit after the head', () => {
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.slice(1).split('\r\n').filter(Boolean)).toHaveLength(1 + 1 + 1 + 2)
    expect(rows.map((r) => r[0])).toEqual(['层级', '全市', '街道', '社区', '社区'])
  })

  test('the head in Chinese: value with its unit, the light, the parts in reading order', () => {
    expect(rows[0]).toEqual([
      '层级', '代码', '名称', '街道',
      '每万常住人口专职社区工作者（人/万人）', '每万常住人口专职社区工作者·判定', '每万常住人口专职社区工作者·专职社区工作者', '每万常住人口专职社区工作者·常住人口',
      '社区服务用房面积（社区为 m²；街道与全市为不足 300 m² 的社区数）', '社区服务用房面积·判定', '社区服务用房面积·服务用房面积（m²）', '社区服务用房面积·社区数', '社区服务用房面积·不足300 m²的社区', '社区服务用房面积·不足500 m²的社区',
    ])
    expect(rows.every((r) => r.length === rows[0].length)).toBe(true)
  })

  test('values and lights as given; no data is an empty field and 缺少数据', () => {
    expect(rows[1].slice(0, 8)).toEqual(['全市', '', '试点市', '', '15', '未达标', '30', '20000'])
    expect(rows[3].slice(0, 8)).toEqual(['社区', '331181001001', '大洋社区', '龙渊街道', '20', '达标', '20', '10000'])
    expect(rows[4].slice(4, 8)).toEqual(['', '缺少数据', '', ''])
    // a community has its area, not the count of communities
    expect(rows[3].slice(8)).toEqual(['620', '达标', '620', '', '', ''])
  })

  test('a light missing says which data it needs, or that the city does not apply the standard', () => {
    const needs = { ...city, catalogue: city.catalogue.map((c) => ({ ...c, needs_zh: '社区的专职社区工作者数与常住人口', needs_en: 'the workers and residents' })) }
    expect(parseCsv(indicatorsCsv(needs, 'zh').slice(1))[4].slice(4, 6)).toEqual(['', '缺少数据：需要社区的专职社区工作者数与常住人口'])
    expect(parseCsv(indicatorsCsv(needs, 'en').slice(1))[4].slice(4, 6)).toEqual(['', 'data missing: needs the workers and residents'])
    // a standard not applied: no light for any unit, whatever its data
    const off = { ...city, catalogue: city.catalogue.map((c) => ({ ...c, applied: false })) }
    const offRows = parseCsv(indicatorsCsv(off, 'zh').slice(1))
    expect(offRows[3].slice(4, 6)).toEqual(['20', '达标'])
    const unlit = { ...off, communities: off.communities.map((u) => ({ ...u, indicators: { ...u.indicators, workers_per_10k: { ...u.indicators.workers_per_10k, light: 'none' as const } } })) }
    expect(parseCsv(indicatorsCsv(unlit, 'zh').slice(1))[3].slice(4, 6)).toEqual(['20', '本市未采用'])
  })

  test('a name with a comma and quotes is quoted, its quotes doubled', () => {
    expect(text).toContain('"金乐,""新""社区"')
    expect(rows[4][2]).toBe('金乐,"新"社区')
  })

  test('English heads', () => {
    const en = parseCsv(indicatorsCsv(city, 'en').slice(1))
    expect(en[0].slice(0, 6)).toEqual(['level', 'code', 'name', 'street office', 'Full-time community workers per 10,000 residents (人/万人)', 'Full-time community workers per 10,000 residents: light'])
    expect(en[1][5]).toBe('missed')
  })
})

describe('words', () => {
  test("the city's service area counts communities", () => {
    expect(levelValue(catalogue[1], 'city', city.city.indicators.service_area, 'zh')).toBe('1 个社区不足 300 m²（共 2 个）')
    expect(levelValue(catalogue[1], 'community', city.communities[1].indicators.service_area, 'zh')).toBe('245 m²')
    expect(levelValue(catalogue[0], 'city', city.city.indicators.workers_per_10k, 'zh')).toBe('15 人/万人')
  })

  test('Beijing time and yuan', () => {
    expect(beijingTime('2026-11-24T09:56:42.12+00:00')).toBe('2026-11-24 17:56')
    expect(formatYuan('zh', 20_000_000)).toBe('2,000 万元')
    expect(formatYuan('en', 19_940_000)).toBe('¥19.94 M')
  })

  test('open zones: settled and noise left out, placed by their parent and neighbours, the owner by name', () => {
    const zones = openZones(
      [
        {
          id: 'g-1', kind: 'gap', level: 'community', parent: { layer: 'street', code: '331181003' }, area_m2: 43261.1, status: 'open',
          suggested_owner: '331181003012', reason: 'r', reason_zh: '江南社区是同一上级下唯一相邻的单元',
          candidates: [{ code: '331181003012', name: '江南社区', relation: 'borders' }, { code: '331181003', name: '剑池街道', relation: 'encloses' }],
          label: [119.11, 28.05],
        },
        { id: 'g-2', kind: 'gap', level: 'community', parent: null, area_m2: 10, status: 'settled', suggested_owner: null, reason: '', reason_zh: '', candidates: [], label: [119.12, 28.06] },
      ],
      [{ code: '331181003', name: '剑池街道' }],
    )
    expect(zones).toHaveLength(1)
    expect(zones[0]).toMatchObject({ id: 'g-1', where: '剑池街道：江南社区', suggested_owner: { code: '331181003012', name: '江南社区' }, area_m2: 43261.1 })
  })
})
