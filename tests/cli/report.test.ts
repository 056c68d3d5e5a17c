// atlas report on a copy of the sample city: the JSON agrees with itself and with the indicators;
// the PDF is A4, its text comes back in Chinese through pdftotext (title, every community, 三不管,
// a source by its title, the data's timestamp, page numbers), and its first page, rendered by
// pdftoppm, shows the choropleth's colours in the map; another indicator recolours it; the CSV
// reads back; bad input is refused in words and writes nothing.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ReportJson } from '../../src/cli/commands/report.ts'
import { choropleth as classes, type Choropleth } from '../../src/leader/choropleth.ts'
import { reportTitle } from '../../src/leader/report/pdf.ts'
import { beijingTime } from '../../src/i18n/core.ts'
import type { Indicators } from '../../src/leader/types.ts'
import { decodePng, type Image } from '../browser/png.ts'
import { copySampleDatabase, tempDir } from '../helpers/databases.ts'
import { openAtlas, type AtlasSession } from '../helpers/cli.ts'

let session: AtlasSession
let folder: string
let report: ReportJson
const atlas = (...args: string[]) => session.run(...args)
const pdfFile = () => path.join(folder, 'report.pdf')
const csvFile = () => path.join(folder, 'indicators.csv')
const squeeze = (text: string) => text.replace(/\s+/g, '')

beforeAll(async () => {
  session = await openAtlas(copySampleDatabase())
  folder = tempDir('report-out')
  // the report is titled with the city's own name, as its profile gives it
  expect((await atlas('city', 'set', '--name', '报告测试市')).code).toBe(0)
  const { code, out, err } = await atlas('report', '--pdf', pdfFile(), '--csv', csvFile(), '--json')
  expect(err).toBe('')
  expect(code).toBe(0)
  report = JSON.parse(out) as ReportJson
})
afterAll(() => session?.close())

describe('atlas report --pdf --csv --json', () => {
  test('the JSON: indicators, open zones, the plan at the example budget, the paths written', () => {
    expect(report.wrote).toEqual({ pdf: pdfFile(), csv: csvFile() })
    expect(report.indicator).toBe('coverage_households')
    expect(report.city).toBe('报告测试市')
    expect(report.indicators.communities.length).toBeGreaterThan(20)
    // the open zones listed are the ones the city's indicator counts
    expect(report.zones.length).toBe(report.indicators.city.indicators.zones_open.value)
    expect(report.zones.length).toBeGreaterThan(0)
    for (const zone of report.zones) expect(zone.area_m2).toBeGreaterThan(0)
    const plan = report.plan
    expect(plan.budget_yuan).toBe(20_000_000)
    expect(plan.status).toBe('optimal')
    expect(plan.total_cost_yuan).toBeLessThanOrEqual(plan.budget_yuan)
    expect(plan.funded.reduce((sum, item) => sum + item.cost_yuan, 0)).toBe(plan.total_cost_yuan)
    expect(plan.total_score).toBeGreaterThanOrEqual(plan.rank_and_cut.total_score)
    expect(plan.gain).toBeCloseTo(plan.total_score - plan.rank_and_cut.total_score, 2)
  })

  test('pdfinfo: A4, several pages, the title', () => {
    const info = execFileSync('pdfinfo', [pdfFile()], { encoding: 'utf8' })
    expect(info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/)
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBeGreaterThanOrEqual(3)
    expect(info).toContain(reportTitle(report.city))
  })

  test('pdftotext gives back the Chinese: the title, every community, 三不管, a source by title, the timestamp', () => {
    const text = squeeze(execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile(), '-'], { encoding: 'utf8' }))
    expect(text).toContain(squeeze(reportTitle(report.city)))
    for (const community of report.indicators.communities) expect(text).toContain(community.name)
    expect(text).toContain('三不管')
    expect(text).toContain('《榆林市城市社区治理研究报告》')
    expect(text).toContain(squeeze(`数据时间：${beijingTime(report.indicators.data_timestamp)}`))
    expect(text).toMatch(/第1页\/共\d+页/)
    // the plan's items and the zones' owners are there too
    for (const item of report.plan.funded) expect(text).toContain(item.code)
    for (const zone of report.zones) expect(text).toContain(zone.suggested_owner!.name!)
  })

  test("pdftoppm: page 1's map shows the choropleth's colours", () => {
    const page = renderFirstPage(pdfFile(), 'coverage')
    const map = choropleth(report.indicators, 'coverage_households')
    const used = usedColours(report.indicators, 'coverage_households')
    expect(used.length).toBeGreaterThanOrEqual(2)
    for (const colour of used) expect(mapPixels(page, colour), `${colour} in the map`).toBeGreaterThan(legendSwatchPixels)
    // nothing meets the standard in the sample city: no green in the map
    expect(mapPixels(page, map.classes.at(-1)!.color)).toBeLessThan(legendSwatchPixels)
  })

  test('the CSV: BOM, a row per unit, the values of the JSON', () => {
    const text = fs.readFileSync(csvFile(), 'utf8')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const lines = text.slice(1).split('\r\n').filter(Boolean)
    const { streets, communities, city } = report.indicators
    expect(lines).toHaveLength(1 + 1 + streets.length + communities.length)
    const head = lines[0].split(',')
    const at = head.indexOf('每万常住人口专职社区工作者（人/万人）')
    expect(at).toBeGreaterThan(3)
    const cityRow = lines[1].split(',')
    expect(cityRow[0]).toBe('全市')
    expect(Number(cityRow[at])).toBe(city.indicators.workers_per_10k.value)
  })

  test('without --json: the lights in words and the communities missing each standard', async () => {
    const { code, out } = await atlas('report')
    expect(code).toBe(0)
    expect(out).toContain('communities missing each standard')
    const red = report.indicators.communities.find((c) => c.indicators.workers_per_10k.light === 'red')!
    expect(out).toMatch(new RegExp(`Full-time community workers[^\\n]*\\n\\s+missed: [^\\n]*${red.name}`))
    expect(out).not.toContain('wrote')
  })
})

describe('another indicator recolours the map', () => {
  test('--indicator workers_per_10k: greens where communities meet 18 per 10,000', async () => {
    const file = path.join(folder, 'workers.pdf')
    const { code, err } = await atlas('report', '--pdf', file, '--indicator', 'workers_per_10k')
    expect(err).toBe('')
    expect(code).toBe(0)
    const page = renderFirstPage(file, 'workers')
    const used = usedColours(report.indicators, 'workers_per_10k')
    const map = choropleth(report.indicators, 'workers_per_10k')
    const greens = map.classes.filter((c) => c.from !== null && c.from >= 18).map((c) => c.color)
    expect(used.some((c) => greens.includes(c))).toBe(true)
    for (const colour of used) expect(mapPixels(page, colour), `${colour} in the map`).toBeGreaterThan(legendSwatchPixels)
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
    expect(squeeze(text)).toContain('地图：每万常住人口专职社区工作者')
  })
})

describe('bad input: refused in words, nothing written', () => {
  const nothingWritten = (name: string) => {
    expect(fs.existsSync(path.join(folder, name))).toBe(false)
    expect(fs.readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([])
  }

  test('an unknown indicator, known only once the catalogue is read', async () => {
    const { code, err } = await atlas('report', '--pdf', path.join(folder, 'bad1.pdf'), '--csv', path.join(folder, 'bad1.csv'), '--indicator', 'coverage_households.nope')
    expect(code).toBe(1)
    expect(err).toContain('unknown indicator "coverage_households.nope"')
    expect(err).toContain('workers_per_10k')
    nothingWritten('bad1.pdf')
    nothingWritten('bad1.csv')
  })

  test('an indicator that is not a key', async () => {
    const { code, err } = await atlas('report', '--pdf', path.join(folder, 'bad2.pdf'), '--indicator', 'Workers!')
    expect(code).toBe(1)
    expect(err).toContain('unknown indicator "Workers!"')
    nothingWritten('bad2.pdf')
  })

  test('a budget that is not a sum', async () => {
    for (const budget of ['abc', '-5', '']) {
      const { code, err } = await atlas('report', '--pdf', path.join(folder, 'bad3.pdf'), `--budget=${budget}`)
      expect(code).toBe(1)
      expect(err).toMatch(/--budget/)
    }
    nothingWritten('bad3.pdf')
  })

  test('a folder that does not exist', async () => {
    const { code, err } = await atlas('report', '--pdf', path.join(folder, 'no-such-folder', 'r.pdf'))
    expect(code).toBe(1)
    expect(err).toContain('does not exist')
    expect(fs.existsSync(path.join(folder, 'no-such-folder'))).toBe(false)
  })

  test('a file of the wrong kind, a bad walk, an extra argument: usage', async () => {
    const wrong = await atlas('report', '--pdf', path.join(folder, 'report.txt'))
    expect(wrong.code).toBe(2)
    expect(wrong.err).toContain('must end in .pdf')
    nothingWritten('report.txt')
    const walk = await atlas('report', '--minutes', '0')
    expect(walk.code).toBe(1)
    expect((await atlas('report', 'extra')).code).toBe(2)
  })
})

// ---------------------------------------------------------------- pixels

/** A legend swatch at 60 dpi is about 52 × 8 pixels: the map must show a colour more than that. */
const legendSwatchPixels = 600

function renderFirstPage(file: string, name: string): Image {
  const prefix = path.join(folder, name)
  execFileSync('pdftoppm', ['-r', '60', '-f', '1', '-l', '1', '-png', file, prefix])
  const png = fs.readdirSync(folder).find((f) => f.startsWith(`${name}-`) && f.endsWith('.png'))!
  return decodePng(fs.readFileSync(path.join(folder, png)))
}

/** Pixels of a colour in the upper two thirds of the page, where the map is (the legend lies below it). */
function mapPixels(image: Image, colour: string): number {
  const [r, g, b] = hex(colour)
  let n = 0
  const rows = Math.floor(image.height * 0.66)
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4
      if (Math.abs(image.data[i] - r) <= 6 && Math.abs(image.data[i + 1] - g) <= 6 && Math.abs(image.data[i + 2] - b) <= 6) n++
    }
  return n
}

function choropleth(indicators: Indicators, key: string): Choropleth {
  const info = indicators.catalogue.find((i) => i.key === key)!
  return classes(info, indicators.communities.map((c) => c.indicators[info.key]?.value ?? null), 'zh')
}

function hex(colour: string): [number, number, number] {
  const n = Number.parseInt(colour.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** The colours the communities take: the classes that hold a value. */
function usedColours(indicators: Indicators, key: string): string[] {
  const map = choropleth(indicators, key)
  return [...new Set(indicators.communities.map((c) => map.colorOf(c.indicators[key as 'workers_per_10k']?.value ?? null)))].filter((c) => c !== map.noData)
}
