// atlas plan on a copy of the sample city: the JSON, never over budget, optimal and at
// least as good as ranking and cutting; several years; the constraints reach the solver; every
// export read back (the XLSX with exceljs); bad input and conflicting constraints refused in words
// with no file written; an empty database answered in words. And the exports themselves on
// hand-made plans: quoting, the BOM, the totals. Solving with a reason for every item costs
// seconds, so each plan is solved once, in a hook, and read by several tests.
import fs from 'node:fs'
import path from 'node:path'
import { check } from '@placemarkio/check-geojson'
import ExcelJS from 'exceljs'
import type { FeatureCollection } from 'geojson'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { csvField, planCsv, planGeoJson, planHeaders, planXlsx } from '../../src/backlog/export.ts'
import type { PlanItemResult, PlanResult } from '../../src/backlog/types.ts'
import { readBudgets } from '../../src/cli/commands/plan.ts'
import { copyEmptyDatabase, copySampleDatabase, tempDir } from '../helpers/databases.ts'
import { openAtlas, type AtlasSession } from '../helpers/cli.ts'
import { scoredItem } from '../backlog/instances.ts'
import { parseCsv } from '../helpers/csv.ts'
import type { BacklogListItem } from '../../src/cli/commands/backlog.ts'

let session: AtlasSession
let folder: string
const atlas = (...args: string[]) => session.run(...args)

let backlog: BacklogListItem[]

async function plan(...args: string[]): Promise<PlanResult> {
  const { code, out, err } = await atlas('plan', '--json', ...args)
  expect(err).toBe('')
  expect(code).toBe(0)
  return JSON.parse(out) as PlanResult
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
/** Scores add up in hundredths: the plan's totals are exact, not float sums. */
const scoreSum = (items: { score: number }[]) => sum(items.map((i) => Math.round(i.score * 100))) / 100
const funded = (result: PlanResult) => result.items.filter((i) => i.funded)
const listed = (code: string) => backlog.find((i) => i.code === code)!
const isCandidate = (code: string) => ['proposed', 'approved'].includes(listed(code).status)

beforeAll(async () => {
  session = await openAtlas(copySampleDatabase())
  folder = tempDir('plan-out')
  const { code, out } = await atlas('backlog', 'list', '--json')
  expect(code).toBe(0)
  backlog = JSON.parse(out) as BacklogListItem[]
})
afterAll(() => session?.close())

describe('atlas plan --budget 20000000', () => {
  let result: PlanResult
  let text: string
  const csv = () => path.join(folder, 'plan.csv')
  const xlsx = () => path.join(folder, 'plan.xlsx')
  beforeAll(async () => {
    result = await plan('--budget', '20000000', '--out', csv())
    const r = await atlas('plan', '--budget', '2000万', '--out', xlsx())
    expect(r.code).toBe(0)
    text = r.out
  })

  test('--json: the issue\'s keys, within budget, optimal, the totals the sums of the funded items, no worse than ranking', () => {
    for (const key of ['budget_yuan', 'total_cost_yuan', 'total_score', 'optimal', 'greedy', 'items']) expect(result).toHaveProperty(key)
    expect(result.greedy).toHaveProperty('total_score')
    expect(result.greedy).toHaveProperty('total_cost_yuan')
    expect(result.budget_yuan).toBe(20_000_000)
    expect(result.budgets).toEqual([20_000_000])
    expect(result.optimal).toBe(true)
    expect(result.status).toBe('optimal')
    expect(result.conflict).toBeNull()
    expect(result.items.map((i) => i.code).sort()).toEqual(backlog.map((i) => i.code).sort())
    for (const item of result.items) {
      for (const key of ['code', 'name', 'category', 'cost_yuan', 'score', 'funded', 'reason']) expect(item).toHaveProperty(key)
      expect(item.reason.length).toBeGreaterThan(5)
      expect(item.reason_zh.length).toBeGreaterThan(2)
      expect(item.year).toBe(item.funded ? 1 : null)
      // only proposed and approved items are weighed; every approved one is kept
      if (listed(item.code).status === 'approved') expect(item.funded).toBe(true)
      if (!isCandidate(item.code)) expect([item.funded, item.why.kind]).toEqual([false, 'not_candidate'])
    }
    const chosen = funded(result)
    expect(chosen.length).toBeGreaterThan(0)
    expect(result.total_cost_yuan).toBe(sum(chosen.map((i) => i.cost_yuan)))
    expect(result.total_cost_yuan).toBeLessThanOrEqual(20_000_000)
    expect(result.total_score).toBeCloseTo(scoreSum(chosen), 6)
    expect(result.total_score).toBeGreaterThanOrEqual(result.greedy.total_score)
    expect(result.total_score).toBeGreaterThanOrEqual(result.greedy_per_yuan.total_score)
    expect(result.greedy.total_cost_yuan).toBeLessThanOrEqual(20_000_000)
  })

  test('the text: the budget, the solve, the gain over ranking, then the items in Chinese, funded first with the year, each with its reason', () => {
    expect(text).toMatch(/^plan for a budget of ¥20 M \(20,000,000 yuan\)\noptimal/)
    expect(text).toContain(`funded ${funded(result).length} of ${result.items.length} items`)
    expect(text).toContain(`total score ${result.total_score.toFixed(2)}`)
    expect(text).toContain(`rank by score and cut at the budget line:          ${result.greedy.total_score.toFixed(2)}`)
    expect(text).toContain(`the plan gains ${(result.total_score - result.greedy.total_score).toFixed(2)}`)
    expect(text).toContain(`the plan gains ${(result.total_score - result.greedy_per_yuan.total_score).toFixed(2)}`)
    const at = (code: string) => text.indexOf(`${code}  `)
    const lastFunded = Math.max(...funded(result).map((i) => at(i.code)))
    for (const item of result.items) {
      expect(text).toContain(item.name)
      expect(text).toContain(item.reason)
      if (!item.funded) expect(at(item.code)).toBeGreaterThan(lastFunded)
      else expect(text).toMatch(new RegExp(`\\n  1 +${item.code} `))
    }
    expect(text).toContain(`wrote ${xlsx()}`)
  })

  test('CSV: UTF-8 with a BOM, the Chinese header, one row per item, funded first, the totals line', () => {
    const content = fs.readFileSync(csv(), 'utf8')
    expect(content.startsWith('\uFEFF编号,名称,类别,社区,街道,费用（元）,得分,入选,年度,理由\r\n')).toBe(true)
    const table = parseCsv(content.slice(1))
    expect(table.length).toBe(1 + result.items.length + 1)
    expect(table.every((row) => row.length === planHeaders.length)).toBe(true)
    const rows = table.slice(1, -1)
    const marks = rows.map((r) => r[7])
    expect(marks.lastIndexOf('是')).toBeLessThan(marks.indexOf('否'))
    for (const row of rows) {
      const item = result.items.find((i) => i.code === row[0])!
      const l = listed(row[0])
      expect(row).toEqual([item.code, item.name, item.category, l.community_name, l.street_name, String(item.cost_yuan), item.score.toFixed(2), item.funded ? '是' : '否', item.year ? String(item.year) : '', item.reason_zh])
    }
    const totals = table.at(-1)!
    expect(totals[0]).toBe('合计')
    expect(Number(totals[5])).toBe(result.total_cost_yuan)
    expect(Number(totals[6])).toBeCloseTo(result.total_score, 6)
    expect(Number(totals[7])).toBe(funded(result).length)
  })

  test('XLSX read back: title with the budget and status, frozen header, funded rows marked and filled, totals equal the sums', async () => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(xlsx())
    const sheet = workbook.worksheets[0]
    const cell = (r: number, c: number) => sheet.getRow(r).getCell(c).text
    let header = 0
    sheet.eachRow((row, n) => {
      if (!header && row.getCell(1).value === '编号') header = n
    })
    expect(header).toBeGreaterThan(1)
    expect(Array.from(planHeaders, (_, i) => cell(header, i + 1))).toEqual([...planHeaders])
    const title = Array.from({ length: header - 1 }, (_, i) => cell(i + 1, 1)).join('\n')
    expect(title).toMatch(/预算：2,000 万元/)
    expect(title).toMatch(/求解：最优/)
    expect(title).toMatch(/日期：\d{4}-\d{2}-\d{2}/)
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: header })
    const rows = result.items.map((_, i) => sheet.getRow(header + 1 + i))
    const fundedRows = rows.filter((row) => row.getCell(8).value === '是')
    expect(fundedRows.map((row) => row.getCell(1).value).sort()).toEqual(funded(result).map((i) => i.code).sort())
    for (const row of rows) {
      const fill = row.getCell(2).fill as ExcelJS.FillPattern | undefined
      expect(row.getCell(8).value === '是').toBe(fill?.pattern === 'solid')
      expect(typeof row.getCell(6).value).toBe('number')
      expect(typeof row.getCell(7).value).toBe('number')
    }
    const totals = sheet.getRow(header + 1 + result.items.length)
    expect(totals.getCell(1).value).toBe('合计')
    expect(totals.getCell(6).value).toBe(sum(fundedRows.map((row) => row.getCell(6).value as number)))
    expect(totals.getCell(6).value).toBe(result.total_cost_yuan)
    expect(totals.getCell(7).value).toBeCloseTo(scoreSum(fundedRows.map((row) => ({ score: row.getCell(7).value as number }))), 6)
    expect(totals.getCell(8).value).toBe(fundedRows.length)
    expect(sheet.getColumn(6).numFmt).toBe('#,##0')
    expect(sheet.getColumn(7).numFmt).toBe('0.00')
    expect(sheet.getColumn(2).width).toBeGreaterThan(20) // Chinese names are wide
  })

  test('--no-reasons: the same plan, each item saying only whether it is funded', async () => {
    const quick = await plan('--budget', '20000000', '--no-reasons')
    expect(funded(quick).map((i) => i.code)).toEqual(funded(result).map((i) => i.code))
    expect([quick.total_score, quick.total_cost_yuan, quick.optimal]).toEqual([result.total_score, result.total_cost_yuan, true])
    for (const item of quick.items) {
      const why = !isCandidate(item.code) ? { kind: 'not_candidate' } : item.funded ? { kind: 'funded' } : { kind: 'enters_above' }
      expect(item.why, item.code).toEqual(why)
    }
    expect(quick.items.find((i) => !i.funded && isCandidate(i.code))!.reason).toBe('not funded within the budget')
  })

  test('must, exclude, a category share, a street floor and alternatives reach the solver and hold', async () => {
    const spent = (r: PlanResult, keep: (i: PlanItemResult) => boolean) => sum(funded(r).filter(keep).map((i) => i.cost_yuan))
    // a category the plan spends on and no approved item is in: capping it at half its share can hold
    const category = [...new Set(funded(result).map((i) => i.category))]
      .filter((c) => !backlog.some((i) => i.category === c && i.status === 'approved'))
      .sort((x, y) => spent(result, (i) => i.category === y) - spent(result, (i) => i.category === x))[0]
    const cap = Math.floor((spent(result, (i) => i.category === category) / result.total_cost_yuan / 2) * 100) / 100
    const simple = (i: PlanItemResult) => listed(i.code).status === 'proposed' && i.category !== category && !listed(i.code).depends_on.length
    const left = result.items.find((i) => !i.funded && simple(i) && i.cost_yuan <= 2_000_000)!
    const taken = funded(result).find((i) => simple(i) && listed(i.code).street_code !== listed(left.code).street_code)!
    const [a, b] = result.items.filter((i) => simple(i) && ![left.code, taken.code].includes(i.code))
    // a street with an item left out: one yuan more than the plan spends there can be found
    const street = listed(left.code).street_code
    const floor = spent(result, (i) => listed(i.code).street_code === street) + 1
    // the constraints are what this test is about: the plan alone (each reason is tested above)
    const constrained = await plan(
      '--no-reasons',
      '--budget', '20000000',
      '--must', left.code,
      '--exclude', taken.code,
      '--share', `${category}:-${cap}`,
      '--exclusive', `${a.code},${b.code}`,
      '--floor', `${street}:${floor}`,
    )
    expect(constrained.optimal).toBe(true)
    const byCode = new Map(constrained.items.map((i) => [i.code, i]))
    expect(byCode.get(left.code)!.funded).toBe(true)
    expect(byCode.get(taken.code)!.funded).toBe(false)
    expect(byCode.get(taken.code)!.why.kind).toBe('excluded')
    expect(Number(byCode.get(a.code)!.funded) + Number(byCode.get(b.code)!.funded)).toBeLessThanOrEqual(1)
    expect(spent(constrained, (i) => i.category === category)).toBeLessThanOrEqual(cap * constrained.total_cost_yuan)
    expect(spent(constrained, (i) => listed(i.code).street_code === street)).toBeGreaterThanOrEqual(floor)
    expect(constrained.total_cost_yuan).toBeLessThanOrEqual(20_000_000)
    expect(constrained.total_score).toBeLessThanOrEqual(result.total_score)
  }, 240_000)
})

describe('atlas plan over several years and with all the money', () => {
  test('two years with a budget each: each year within its own budget, prerequisites in the same year or earlier; GeoJSON of the plan', async () => {
    const geojson = path.join(folder, 'plan.geojson')
    // --budget may be given with the years' budgets when it is their sum
    const result = await plan('--budget', '20000000', '--years', '2', '--budget-per-year', '12000000,8000000', '--out', geojson)
    expect(result.budgets).toEqual([12_000_000, 8_000_000])
    expect(result.budget_yuan).toBe(20_000_000)
    expect(result.optimal).toBe(true)
    const year = (y: number) => funded(result).filter((i) => i.year === y)
    expect(sum(year(1).map((i) => i.cost_yuan))).toBeLessThanOrEqual(12_000_000)
    expect(sum(year(2).map((i) => i.cost_yuan))).toBeLessThanOrEqual(8_000_000)
    expect(year(1).length + year(2).length).toBe(funded(result).length)
    expect(year(2).length).toBeGreaterThan(0)
    const byCode = new Map(result.items.map((i) => [i.code, i]))
    for (const item of funded(result)) {
      for (const before of listed(item.code).depends_on) {
        if (!isCandidate(before)) continue
        expect(byCode.get(before)!.funded).toBe(true)
        expect(byCode.get(before)!.year!).toBeLessThanOrEqual(item.year!)
      }
    }
    const collection = check(fs.readFileSync(geojson, 'utf8')) as FeatureCollection
    expect(collection.type).toBe('FeatureCollection')
    expect(collection.features.length).toBe(result.items.length)
    for (const feature of collection.features) {
      expect(['Point', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']).toContain(feature.geometry.type)
      const item = byCode.get(String(feature.properties?.code))!
      expect(feature.properties).toMatchObject({ funded: item.funded, year: item.year, score: item.score, cost_yuan: item.cost_yuan, reason_zh: item.reason_zh, reason_kind: item.why.kind })
      expect(feature.properties!.community_name).toBe(listed(item.code).community_name)
    }
  }, 240_000)

  test('the whole backlog\'s money funds every candidate; a street floor may name the street office', async () => {
    const all = sum(backlog.filter((i) => isCandidate(i.code)).map((i) => i.cost_yuan))
    const street = backlog[0].street_name
    const result = await plan('--budget', String(all), '--floor', `${street}:1`)
    expect(result.items.filter((i) => i.funded).map((i) => i.code).sort()).toEqual(backlog.filter((i) => isCandidate(i.code)).map((i) => i.code).sort())
    expect(result.total_cost_yuan).toBe(all)
  })

  test('--years alone splits the budget evenly, in whole yuan, the first year taking the remainder', () => {
    expect(readBudgets({ budget: '20000001', years: '2' })).toEqual([10_000_001, 10_000_000])
    expect(readBudgets({ budget: '100', years: '3' })).toEqual([34, 33, 33])
    expect(readBudgets({ budget: '500万' })).toEqual([5_000_000])
    expect(readBudgets({ 'budget-per-year': '1,2,3' })).toEqual([1, 2, 3])
  })
})

describe('atlas plan refuses', () => {
  test('conflicting constraints, naming them, and writes nothing', async () => {
    const [a, b] = backlog.filter((i) => i.status === 'proposed')
    const out = path.join(tempDir('plan-infeasible'), 'plan.xlsx')
    let r = await atlas('plan', '--budget', '20000000', '--must', `${a.code},${b.code}`, '--exclusive', `${a.code},${b.code}`, '--out', out)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/these constraints cannot all hold: /)
    expect(r.err).toContain(`${a.code} must be funded`)
    expect(r.err).toContain(`${b.code} must be funded`)
    expect(r.err).toMatch(new RegExp(`at most one of (${a.code}, ${b.code}|${b.code}, ${a.code})`))
    // a must-do item costs more than the budget: the budget is part of the conflict
    r = await atlas('plan', '--budget', String(a.cost_yuan - 1), '--must', a.code, '--out', out, '--json')
    expect(r.code).toBe(1)
    const refusal: unknown = JSON.parse(r.err)
    expect(refusal).toMatchObject({ error: 'refused' })
    expect(refusal).toHaveProperty('message', expect.stringMatching(/cannot all hold: .*budget/))
    expect(fs.existsSync(out)).toBe(false)
    expect(fs.readdirSync(path.dirname(out))).toEqual([])
  })

  test('bad input: exit 1 (or 2 for a wrong call) in words, and no file written', async () => {
    const bad = tempDir('plan-bad')
    const out = path.join(bad, 'plan.csv')
    const cases: [string[], number, RegExp][] = [
      [['--budget=-5'], 1, /--budget cannot be negative/],
      [['--budget', 'lots'], 1, /--budget must be a sum in yuan/],
      [['--budget', ''], 1, /--budget must be a sum in yuan/],
      [['--budget', '1000', '--years', '6'], 1, /--years must be a whole number from 1 to 5, not "6"/],
      [['--budget', '1000', '--years', '1.5'], 1, /--years must be a whole number from 1 to 5/],
      [['--years', '2', '--budget-per-year', '1,2,3'], 1, /gives 3 budgets but --years is 2/],
      [['--budget', '20000000', '--budget-per-year', '12000000,7000000'], 1, /does not agree with --budget-per-year, whose sum is 19000000: the budget is the sum of the years/],
      [['--budget-per-year', '100,x'], 1, /year 2\) must be a sum in yuan/],
      [['--budget', '1000', '--must', 'BL-999'], 1, /BL-999/],
      [['--budget', '1000', '--exclusive', 'BL-001,BL-998'], 1, /BL-998/],
      [['--budget', '1000', '--share', '道路:0.1-0.2'], 1, /unknown category "道路"; the categories are 硬化/],
      [['--budget', '1000', '--share', '排污:0.5-0.2'], 1, /minimum 0.5 is above the maximum 0.2/],
      [['--budget', '1000', '--share', '排污:1.5-'], 1, /from 0 to 1/],
      [['--budget', '1000', '--share', '排污'], 1, /<category>:<min>-<max>/],
      [['--budget', '1000', '--floor', '无此街道:100'], 1, /no backlog item lies in a street office "无此街道"; the street offices with items: /],
      [['--budget', '1000', '--exclusive', 'BL-001'], 1, /two or more item codes/],
      [['--budget', '1000', '--out', path.join(bad, 'plan.txt')], 2, /--out .*plan\.txt": the file must end in \.xlsx, \.csv or \.geojson/],
      [['--years', '2'], 2, /plan needs --budget/],
      [['--budget', '1000', 'extra'], 2, /unknown argument "extra"/],
    ]
    for (const [args, code, words] of cases) {
      const r = await atlas('plan', ...args, ...(args.includes('--out') ? [] : ['--out', out]))
      expect({ args, code: r.code }).toEqual({ args, code })
      expect(r.err).toMatch(words)
    }
    expect(fs.readdirSync(bad)).toEqual([])
  })

  test('an empty database: a clear answer, not a crash', async () => {
    const empty = await openAtlas(copyEmptyDatabase())
    try {
      const r = await empty.run('plan', '--budget', '1')
      expect(r.code).toBe(1)
      expect(r.err).toMatch(/the backlog has no items: there is nothing to plan/)
      expect(await empty.run('backlog', 'list')).toMatchObject({ code: 0, out: 'the backlog has no items' })
    } finally {
      await empty.close()
    }
  })
})

// ---------------------------------------------------------------- the exports on hand-made plans

const item = (code: string, funded: boolean, score: number, cost: number, extra: Partial<PlanItemResult> = {}): PlanItemResult => ({
  code,
  name: `${code} 名称`,
  category: '硬化',
  cost_yuan: cost,
  score,
  funded,
  year: funded ? 1 : null,
  reason: funded ? 'drop it and the plan loses points' : 'enters at a larger budget',
  reason_zh: funded ? '去掉它计划少得分' : '预算更多时入选',
  why: funded ? { kind: 'funded', loss: score } : { kind: 'enters_at', enters_at_yuan: cost * 2 },
  ...extra,
})

function handMade(items: PlanItemResult[], budgets = [1_000_000]): PlanResult {
  const chosen = items.filter((i) => i.funded)
  return {
    budget_yuan: sum(budgets),
    budgets,
    total_cost_yuan: sum(chosen.map((i) => i.cost_yuan)),
    total_score: scoreSum(chosen),
    optimal: true,
    status: 'optimal',
    conflict: null,
    greedy: { total_score: 1, total_cost_yuan: 1, codes: [] },
    greedy_per_yuan: { total_score: 2, total_cost_yuan: 2, codes: [] },
    items,
    solve_ms: 3,
  }
}

const scoredFor = (codes: string[]) =>
  codes.map((code) =>
    scoredItem(code, { community_name: '江南社区', community_code: '331181003012', street_name: '龙渊街道', street_code: '331181003', geometry: { type: 'Point', coordinates: [119.1, 28.05] } }),
  )

describe('the exports on hand-made plans', () => {
  test('CSV fields: RFC 4180 quoting, formulas kept as text', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "yes"')).toBe('"say ""yes"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('=1+2')).toBe("'=1+2")
    expect(csvField(12.5)).toBe('12.5')
    expect(csvField(-3)).toBe('-3')
    expect(csvField(null)).toBe('')
  })

  test('CSV: funded rows first by year then score, a name with a comma and a line break stays one field, the totals add up', () => {
    const items = [
      item('BL-3', false, 50, 700_000),
      item('BL-1', true, 10.25, 300_000, { year: 2, name: '江南社区,"新村"\n片' }),
      item('BL-2', true, 20.1, 600_000),
    ]
    const csv = planCsv(handMade(items, [600_000, 400_000]), scoredFor(['BL-1', 'BL-2', 'BL-3']))
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    const lines = csv.slice(1).split('\r\n')
    expect(lines[1].startsWith('BL-2,')).toBe(true)
    expect(lines[2]).toBe('BL-1,"江南社区,""新村""\n片",硬化,江南社区,龙渊街道,300000,10.25,是,2,去掉它计划少得分')
    expect(lines[3].startsWith('BL-3,')).toBe(true)
    expect(lines[4]).toBe('合计,入选 2 项（共 3 项）,,,,900000,30.35,2,,预算 100 万元（第1年 60 万元，第2年 40 万元），结余 10 万元')
    expect(lines[5]).toBe('')
  })

  test('XLSX: a Uint8Array exceljs reads back, the years in the title, the totals row', async () => {
    const items = [item('BL-1', true, 10.25, 300_000), item('BL-2', false, 5, 2_000_000)]
    const bytes = await planXlsx(handMade(items), scoredFor(['BL-1', 'BL-2']), { date: new Date(2026, 10, 26) })
    expect(bytes).toBeInstanceOf(Uint8Array)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
    const sheet = workbook.worksheets[0]
    const values: unknown[][] = []
    sheet.eachRow((row) => values.push(Array.from((row.values as unknown[]).slice(1), (v) => v ?? null)))
    expect(values.find((v) => v[0] === '日期：2026-11-26')).toBeDefined()
    expect(values.at(-1)!.slice(0, 8)).toEqual(['合计', '入选 1 项（共 2 项）', null, null, null, 300_000, 10.25, 1])
    expect(values.at(-3)!.slice(0, 9)).toEqual(['BL-1', 'BL-1 名称', '硬化', '江南社区', '龙渊街道', 300_000, 10.25, '是', 1])
  })

  test('GeoJSON: valid with null geometry where none was given, properties from the plan and the scores', () => {
    const items = [item('BL-1', true, 10, 100), item('BL-2', false, 5, 200)]
    const collection = planGeoJson(handMade(items), scoredFor(['BL-1']))
    expect(() => check(JSON.stringify(collection))).not.toThrow()
    expect(collection.features.map((f) => [f.properties.code, f.geometry?.type ?? null])).toEqual([['BL-1', 'Point'], ['BL-2', null]])
    expect(collection.features[1].properties).toMatchObject({ funded: false, reason_kind: 'enters_at', enters_at_yuan: 400, community_name: null })
  })
})
