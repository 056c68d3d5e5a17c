// The leader's view in a real browser (Debian's Chromium, WebGL2 on SwiftShader) on the built app,
// served by the embedded server over a copy of the sample city. What the page shows is checked
// against public.indicators() on the same database, the map's colours against the choropleth the
// page and the report share, the PDF with poppler's own tools.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { polylabel } from '../../src/analysis/polylabel.ts'
import { sampleDir } from '../../src/db/sample.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { choropleth, type Choropleth } from '../../src/leader/choropleth.ts'
import { valueOf } from '../../src/leader/layers.ts'
import type { IndicatorKey, Indicators } from '../../src/leader/types.ts'
import { baseIndicatorKeys } from '../../src/leader/url.ts'
import { downloadedBytes, jsAssets, saveArtifact, type AtlasPage } from './harness.ts'
import { decodePng, type Image } from './png.ts'
import { browserSuite } from './suite.ts'

/** The city's communities (119.04–119.18 E, 28.03–28.12 N) right of the dashboard (1440 × 900). */
const cityView = 'map=12.00/28.0750/119.0690&layers=street,community'
/** The README's picture: the whole city between the dashboard and the inspector, above the legend. */
const readmeView = 'map=11.40/28.0420/119.0940&layers=street,community'
/** Below grid zoom: a click on the map picks a community. */
const pickZoom = 12

type Polygon = { type: 'Polygon'; coordinates: [number, number][][] }
const communityShapes = (JSON.parse(fs.readFileSync(path.join(sampleDir, 'community.geojson'), 'utf8')) as { features: { properties: { code: string; name: string }; geometry: Polygon }[] }).features

const suite = browserSuite({ viewport: { width: 1440, height: 900 } })
const { open } = suite

/** public.indicators() on the file's database, read once: nothing in this file writes what it counts. */
let figures: Indicators
beforeAll(async () => {
  figures = await asCaller(suite.server.db, userClaims('leader', 'leader-test'), async (tx) => (await tx.query<{ r: Indicators }>('select public.indicators() as r')).rows[0].r, true)
})

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]

/** The colours of a point of the map: a 5 × 5 window, its most frequent colour (a label's stroke or an outline is never the majority). */
function colourAt(image: Image, x: number, y: number): [number, number, number] {
  const counts = new Map<string, number>()
  for (let dy = -2; dy <= 2; dy++)
    for (let dx = -2; dx <= 2; dx++) {
      const i = ((Math.round(y) + dy) * image.width + Math.round(x) + dx) * 4
      const key = `${image.data[i]},${image.data[i + 1]},${image.data[i + 2]}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]
  return best.split(',').map(Number) as [number, number, number]
}

/** Which of the choropleth's colours (its classes and no-data) a pixel shows: the nearest, since the fill is drawn slightly translucent. */
function nearestColour(pixel: [number, number, number], classes: Choropleth): string {
  const candidates = [...classes.classes.map((c) => c.color), classes.noData]
  const distance = (hex: string) => rgb(hex).reduce((sum, v, k) => sum + (v - pixel[k]) ** 2, 0)
  return candidates.reduce((a, b) => (distance(b) < distance(a) ? b : a))
}

/** The colour the map shows inside a community, read at a point inside it, below its label. */
async function shownColour(atlas: AtlasPage, point: [number, number], classes: Choropleth) {
  await atlas.page.mouse.move(1, 1)
  const image = decodePng(await atlas.page.locator('#map').screenshot())
  const { x, y } = await atlas.project(point)
  return nearestColour(colourAt(image, x, y), classes)
}

const tableCodes = (atlas: AtlasPage) => atlas.page.locator('[data-testid="leader-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')!))
const columnValues = (atlas: AtlasPage, key: string) =>
  atlas.page.locator(`[data-testid="leader-row"] td[data-key="${key}"]`).evaluateAll((cells) => cells.map((c) => c.getAttribute('data-value')!).map((v) => (v === '' ? null : Number(v))))
const legendColours = (atlas: AtlasPage) => atlas.page.locator('[data-testid="leader-legend-class"]').evaluateAll((spans) => spans.map((s) => s.getAttribute('data-color')!))

/** Whether the map itself is what shows at a position (no panel or legend over it). */
async function mapShows(atlas: AtlasPage, lonLat: [number, number]): Promise<boolean> {
  const { x, y } = await atlas.project(lonLat)
  const box = (await atlas.page.locator('#map').boundingBox())!
  return atlas.page.evaluate(([px, py]) => {
    const element = document.elementFromPoint(px, py)
    return !!element?.closest('#map') && !element.closest('.maplibregl-control-container')
  }, [box.x + x, box.y + y] as const)
}

/**
 * A community to watch: one whose colour differs between the two indicators (neither no data),
 * in view, with the most room inside it; and the point where the map is read: below its label,
 * inside the largest circle the polygon holds.
 */
async function watched(atlas: AtlasPage, figures: Indicators, first: Choropleth, second: Choropleth, secondKey: IndicatorKey) {
  const candidates = figures.communities
    .filter((c) => valueOf(c, first.key) !== null && valueOf(c, secondKey) !== null && first.colorOf(valueOf(c, first.key)) !== second.colorOf(valueOf(c, secondKey)))
    .map((c) => {
      const shape = communityShapes.find((f) => f.properties.code === c.code)!
      const label = polylabel(shape.geometry.coordinates)
      // half the inscribed radius south of the label point: inside the polygon, clear of its label
      const point: [number, number] = [label.point[0], label.point[1] - (label.radiusM * 0.5) / 111_320]
      return { unit: c, point, radiusM: label.radiusM }
    })
    .sort((a, b) => b.radiusM - a.radiusM)
  for (const candidate of candidates) if (await mapShows(atlas, candidate.point)) return candidate
  throw new Error(`no community coloured differently by ${first.key} and ${secondKey} is in view`)
}

describe('the leader’s view in Chromium', { timeout: 240_000 }, () => {
  test('ECharts and the report’s makers stay out of the first bundle', () => {
    const html = fs.readFileSync(path.join(suite.staticDir, 'index.html'), 'utf8')
    const entry = /src="\/?(assets\/index-[^"]+\.js)"/.exec(html)?.[1]
    expect(entry, 'the entry script in index.html').toBeTruthy()
    const first = fs.readFileSync(path.join(suite.staticDir, entry!), 'utf8')
    for (const marker of ['_echarts_instance_', 'report.worker']) expect(first, marker).not.toContain(marker)
    const charts = jsAssets(suite.staticDir).find((f) => /\/Charts-[^/]+\.js$/.test(f))
    expect(charts && fs.readFileSync(charts, 'utf8')).toContain('_echarts_instance_')
  })

  test('the dashboard shows the city and the 28 communities with their lights; another indicator recolours the map and the legend, kept in the URL over a reload', async () => {
    expect(figures.communities).toHaveLength(28)
    const atlas = await open(`${cityView}&ws=leader&role=leader`)
    await atlas.waitForIdle({ timeout: 120_000 })

    // the city's totals: each base indicator with the value and light the database gives
    const totals = await atlas.page
      .locator('[data-testid="leader-total"]')
      .evaluateAll((rows) => rows.map((r) => ({ key: r.getAttribute('data-key')!, value: r.getAttribute('data-value')!, light: r.getAttribute('data-light')! })))
    expect(totals.map((r) => r.key).sort()).toEqual([...baseIndicatorKeys].sort())
    for (const key of baseIndicatorKeys) {
      const row = totals.find((r) => r.key === key)!
      const figure = figures.city.indicators[key]
      expect(row.light, row.key).toBe(figure.light)
      expect(row.value === '' ? null : Number(row.value), row.key).toBe(figure.value === null ? null : Number(figure.value))
    }
    const cityText = await atlas.text('leader-city')
    expect(cityText).toContain('每万常住人口专职社区工作者')
    expect(cityText).toContain('≥ 18 人/万人')
    // a click on a total shows its source by title and its rule
    await atlas.page.locator('[data-testid="leader-total"][data-key="workers_per_10k"]').click()
    const detail = await atlas.text('leader-total-detail')
    expect(detail).toContain(figures.catalogue.find((i) => i.key === 'workers_per_10k')!.source)
    expect(detail).not.toMatch(/seeds|\.txt/)

    // the table: 28 communities, each base indicator with its light
    expect(await tableCodes(atlas)).toEqual(figures.communities.map((c) => c.code))
    const lights = await atlas.page
      .locator('[data-testid="leader-row"] td[data-key]')
      .evaluateAll((cells) => cells.map((c) => `${c.closest('tr')!.getAttribute('data-code')}/${c.getAttribute('data-key')}/${c.getAttribute('data-light')}`))
    expect(lights).toHaveLength(28 * baseIndicatorKeys.length)
    expect(lights).toEqual(figures.communities.flatMap((c) => baseIndicatorKeys.map((k) => `${c.code}/${k}/${c.indicators[k].light}`)))
    expect(await atlas.page.locator('[data-testid="leader-row"] .light-dot').count()).toBe(28 * baseIndicatorKeys.length)

    // the map and the legend, coloured by the default indicator
    const info = (key: IndicatorKey) => figures.catalogue.find((i) => i.key === key)!
    const values = (key: IndicatorKey) => figures.communities.map((c) => valueOf(c, key))
    const coverage = choropleth(info('coverage_households'), values('coverage_households'), 'zh')
    const workers = choropleth(info('workers_per_10k'), values('workers_per_10k'), 'zh')
    const target = await watched(atlas, figures, coverage, workers, 'workers_per_10k')
    expect(await legendColours(atlas)).toEqual(coverage.classes.map((c) => c.color).reverse())
    expect(await atlas.text('leader-legend')).toContain(info('coverage_households').source)
    const before = await shownColour(atlas, target.point, coverage)
    const overview = await saveArtifact(atlas.page, 'leader-overview.png')
    expect(before, `the colour inside ${target.unit.name} (screenshot ${overview})`).toBe(coverage.colorOf(valueOf(target.unit, 'coverage_households')))

    // another indicator: the URL, the map, the legend and its standard follow
    await atlas.page.locator('[data-testid="leader-indicator"]').selectOption('workers_per_10k')
    await atlas.page.waitForFunction(() => decodeURIComponent(location.hash).includes('ind=workers_per_10k'), null, { timeout: 5_000, polling: 100 })
    await atlas.waitForIdle({ timeout: 60_000 })
    const after = await shownColour(atlas, target.point, workers)
    const recoloured = await saveArtifact(atlas.page, 'leader-workers.png')
    expect(after, `the colour inside ${target.unit.name} (screenshot ${recoloured})`).toBe(workers.colorOf(valueOf(target.unit, 'workers_per_10k')))
    expect(after).not.toBe(before)
    expect(await legendColours(atlas)).toEqual(workers.classes.map((c) => c.color).reverse())
    expect(await atlas.page.locator('[data-testid="leader-legend"]').getAttribute('data-indicator')).toBe('workers_per_10k')
    expect(await atlas.text('leader-legend-standard')).toContain('标准 ≥ 18')
    // the chosen indicator's chart: a bar for every community with a value
    await atlas.page.locator('[data-testid="leader-chart-indicator"] svg').waitFor({ timeout: 15_000 })
    expect(Number(await atlas.page.locator('[data-testid="leader-chart-indicator"]').getAttribute('data-bars'))).toBe(values('workers_per_10k').filter((v) => v !== null).length)

    // a reload restores the choice
    await atlas.page.reload({ waitUntil: 'domcontentloaded' })
    await atlas.waitForIdle({ timeout: 90_000 })
    expect(await atlas.page.locator('[data-testid="leader-indicator"]').inputValue()).toBe('workers_per_10k')
    expect(await legendColours(atlas)).toEqual(workers.classes.map((c) => c.color).reverse())
    expect(await shownColour(atlas, target.point, workers)).toBe(after)
    expect(atlas.consoleErrors).toEqual([])
  })

  test('a row selects its community (URL, inspector, outline, the map moved clear of the panels); a click on a community highlights its row', async () => {
    const atlas = await open(`${cityView}&ws=leader&role=leader`)
    await atlas.waitForIdle({ timeout: 120_000 })

    const [chosen, other] = communityShapes
      .map((f) => ({ unit: f.properties, ...polylabel(f.geometry.coordinates) }))
      .sort((a, b) => b.radiusM - a.radiusM)
    await atlas.page.locator(`[data-testid="leader-row"][data-code="${chosen.unit.code}"]`).click()
    await atlas.page.waitForFunction((sel) => decodeURIComponent(location.hash).includes(sel), `sel=community:${chosen.unit.code}`, { timeout: 5_000, polling: 100 })
    expect(await atlas.waitForText('inspector-name', chosen.unit.name)).toBe(chosen.unit.name)
    await atlas.waitForIdle({ timeout: 60_000 })
    await atlas.page.mouse.move(1, 1)
    // the outline of the selected community, drawn by the workspace
    const outlined = await atlas.page.evaluate(() =>
      window.__atlas!.map.queryRenderedFeatures({ layers: ['leader-selected-line'] }).map((f): unknown => f.properties.code),
    )
    expect(new Set(outlined)).toEqual(new Set([chosen.unit.code]))
    // the map went to it, between the dashboard and the inspector
    const side = (await atlas.page.locator('.side').boundingBox())!
    const inspector = (await atlas.page.locator('[data-testid="inspector-name"]').boundingBox())!
    const ring = communityShapes.find((f) => f.properties.code === chosen.unit.code)!.geometry.coordinates[0]
    const [west, east] = [Math.min(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[0]))]
    const [left, right] = [(await atlas.project([west, chosen.point[1]])).x, (await atlas.project([east, chosen.point[1]])).x]
    expect(left).toBeGreaterThan(side.x + side.width)
    expect(right).toBeLessThan(inspector.x)
    expect((await atlas.view()).zoom).toBeGreaterThan(12)
    const row = atlas.page.locator(`[data-testid="leader-row"][data-code="${chosen.unit.code}"]`)
    expect(await row.getAttribute('aria-selected')).toBe('true')
    // the inspector has the community's lights too
    const inspectorLights = await atlas.page.locator('[data-testid="leader-inspector"] tr[data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-light')))
    const unit = figures.communities.find((c) => c.code === chosen.unit.code)!
    expect(inspectorLights).toEqual(baseIndicatorKeys.map((k) => unit.indicators[k].light))
    await saveArtifact(atlas.page, 'leader-selected.png')

    // back at city zoom, a click on another community selects it and highlights its row, scrolled into view
    await atlas.page.evaluate(([lon, lat, zoom]) => window.__atlas!.map.jumpTo({ center: [lon, lat], zoom }), [other.point[0] - 0.03, other.point[1], pickZoom] as const)
    await atlas.waitForIdle({ timeout: 60_000 })
    await atlas.clickAt(other.point)
    await atlas.page.waitForFunction((sel) => decodeURIComponent(location.hash).includes(sel), `sel=community:${other.unit.code}`, { timeout: 20_000, polling: 100 })
    const otherRow = atlas.page.locator(`[data-testid="leader-row"][data-code="${other.unit.code}"]`)
    await atlas.page.waitForFunction((code) => document.querySelector(`[data-testid="leader-row"][data-code="${code}"]`)?.getAttribute('aria-selected') === 'true', other.unit.code, { timeout: 20_000, polling: 100 })
    expect(await row.getAttribute('aria-selected')).toBe('false')
    const box = (await atlas.page.locator('.leader-table-box').boundingBox())!
    const rowBox = (await otherRow.boundingBox())!
    expect(rowBox.y).toBeGreaterThanOrEqual(box.y - 1)
    expect(rowBox.y + rowBox.height).toBeLessThanOrEqual(box.y + box.height + 1)
    expect(atlas.consoleErrors).toEqual([])
  })

  test('a click on a header sorts the table by it, again the other way, kept in the URL', async () => {
    const atlas = await open(`${cityView}&ws=leader&role=leader`)
    await atlas.waitForIdle({ timeout: 120_000 })
    const header = atlas.page.locator('[data-testid="leader-sort"][data-column="workers_per_10k"]')

    const known = (list: (number | null)[]) => list.filter((v): v is number => v !== null)
    const expectSorted = (list: (number | null)[], direction: 'asc' | 'desc') => {
      const numbers = known(list)
      // no data last, either way
      expect(list.slice(numbers.length).every((v) => v === null)).toBe(true)
      for (let i = 1; i < numbers.length; i++) expect(direction === 'asc' ? numbers[i] >= numbers[i - 1] : numbers[i] <= numbers[i - 1]).toBe(true)
      expect(numbers[0]).toBe(direction === 'asc' ? Math.min(...numbers) : Math.max(...numbers))
    }

    // worst first: a floor sorts lowest first
    await header.click()
    await atlas.page.waitForFunction(() => decodeURIComponent(location.hash).includes('sort=workers_per_10k:asc'), null, { timeout: 5_000, polling: 100 })
    const ascending = await columnValues(atlas, 'workers_per_10k')
    expectSorted(ascending, 'asc')
    expect(known(ascending).sort((a, b) => a - b)).toEqual(known(figures.communities.map((c) => valueOf(c, 'workers_per_10k'))).sort((a, b) => a - b))
    await header.click()
    await atlas.page.waitForFunction(() => decodeURIComponent(location.hash).includes('sort=workers_per_10k:desc'), null, { timeout: 5_000, polling: 100 })
    expectSorted(await columnValues(atlas, 'workers_per_10k'), 'desc')
    expect(await atlas.page.locator('th:has([data-column="workers_per_10k"])').getAttribute('aria-sort')).toBe('descending')

    // by name, the Chinese way
    await atlas.page.locator('[data-testid="leader-sort"][data-column="name"]').click()
    await atlas.page.waitForFunction(() => decodeURIComponent(location.hash).includes('sort=name:asc'), null, { timeout: 5_000, polling: 100 })
    const names = await atlas.page.locator('[data-testid="leader-row"] th.name').allTextContents()
    expect(names).toEqual([...names].sort(new Intl.Collator('zh-CN', { numeric: true }).compare))

    // the order survives a reload
    await atlas.page.locator('[data-testid="leader-sort"][data-column="zones_open"]').click()
    await atlas.page.waitForFunction(() => decodeURIComponent(location.hash).includes('sort=zones_open:desc'), null, { timeout: 5_000, polling: 100 })
    const zonesFirst = await tableCodes(atlas)
    await atlas.page.reload({ waitUntil: 'domcontentloaded' })
    await atlas.waitForIdle({ timeout: 90_000 })
    expect(await tableCodes(atlas)).toEqual(zonesFirst)
    expectSorted(await columnValues(atlas, 'zones_open'), 'desc')
    expect(atlas.consoleErrors).toEqual([])
  })

  test('the PDF report and the CSV of the indicators download; the PDF gives its Chinese back and its first page renders', async () => {
    const atlas = await open(`${cityView}&ws=leader&role=leader`)
    await atlas.waitForIdle({ timeout: 120_000 })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-leader-'))
    try {
      // the CSV: a BOM, a header, the city, each street office, each community
      const [csv] = await Promise.all([atlas.page.waitForEvent('download', { timeout: 30_000 }), atlas.page.locator('[data-testid="leader-csv"]').click()])
      expect(csv.suggestedFilename()).toMatch(/\d{4}-\d{2}-\d{2}\.csv$/)
      const csvBytes = await downloadedBytes(csv)
      expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const lines = csvBytes.toString('utf8').replace(/^\uFEFF/, '').trimEnd().split(/\r?\n/)
      expect(lines).toHaveLength(1 + 1 + figures.streets.length + 28)
      for (const c of figures.communities) expect(lines.some((l) => l.includes(c.name))).toBe(true)

      // the PDF: made in the page with a progress line, saved with the date in its name
      const [pdf] = await Promise.all([atlas.page.waitForEvent('download', { timeout: 120_000 }), atlas.page.locator('[data-testid="leader-pdf"]').click()])
      expect(pdf.suggestedFilename()).toMatch(/\d{4}-\d{2}-\d{2}\.pdf$/)
      const file = path.join(dir, 'report.pdf')
      await pdf.saveAs(file)
      expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-')
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      expect(text).toContain('领导视图')
      expect(text).toContain(figures.communities[0].name)
      expect(text).toContain('三不管')
      execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-png', file, path.join(dir, 'page')])
      const page = fs.readdirSync(dir).find((name) => name.startsWith('page') && name.endsWith('.png'))!
      const image = decodePng(fs.readFileSync(path.join(dir, page)))
      let inked = 0
      for (let i = 0; i < image.data.length; i += 4) if (image.data[i] < 235 || image.data[i + 1] < 235 || image.data[i + 2] < 235) inked++
      expect(inked / (image.width * image.height), 'the share of the first page that is not blank').toBeGreaterThan(0.05)
      expect(await atlas.page.locator('[data-testid="leader-export-error"]').count()).toBe(0)
      expect(await atlas.text('leader-pdf-done')).toContain('.pdf')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
    expect(atlas.consoleErrors).toEqual([])
  })

  test('the README’s picture, in Chinese and in English', async () => {
    // the community with the fewest workers, first in the table, selected; the city between the dashboard and the inspector
    const chosen = [...figures.communities].sort((a, b) => (valueOf(a, 'workers_per_10k') ?? Infinity) - (valueOf(b, 'workers_per_10k') ?? Infinity) || a.code.localeCompare(b.code))[0]
    const atlas = await open(`${readmeView}&ws=leader&role=leader&ind=workers_per_10k&sort=workers_per_10k:asc&sel=community:${chosen.code}`)
    await atlas.waitForIdle({ timeout: 120_000 })
    await atlas.page.locator('[data-testid="leader-chart-indicator"] svg').waitFor({ timeout: 15_000 })
    await atlas.page.mouse.move(1, 1)
    await saveArtifact(atlas.page, 'leader.png', { readme: true })

    await atlas.page.locator('[data-testid="lang-switch"]').click()
    await atlas.waitForText('leader-city', 'Full-time community workers per 10,000 residents')
    expect(await atlas.text('leader-legend-standard')).toContain('Standard ≥ 18')
    await atlas.waitForIdle({ timeout: 60_000 })
    await atlas.page.mouse.move(1, 1)
    await saveArtifact(atlas.page, 'leader-en.png')
    expect(atlas.consoleErrors).toEqual([])
  })
})
