// The 三不管 zones workspace in a real browser (Debian's Chromium, WebGL2 on SwiftShader) on the
// built app, served by the embedded server over a copy of the sample city with its three planted
// zones: the 林场 management gap, the 水南犁山 management overlap and the 吴处 community gap (which
// is a management gap too). What the page lists is checked against zones() on the same database.
import { describe, expect, test } from 'vitest'
import { asCaller, userClaims } from '../../src/db/session.ts'
import type { DecisionRecord, ZonesResult } from '../../src/zones/types.ts'
import { zoneInks } from '../../src/zones/layers.ts'
import { pictureWindow, saveArtifact, type AtlasPage } from './harness.ts'
import { browserSuite } from './suite.ts'
import { countColours, decodePng } from './png.ts'

/** The city's centre, right of the panel, where the three zones are all in view. */
const centreView = 'map=13.20/28.0620/119.1250'
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]

const suite = browserSuite()
const { open } = suite


const pixelsOf = async (atlas: AtlasPage, colours: [number, number, number][], tolerance = 10) =>
  countColours(decodePng(await atlas.page.locator('#map').screenshot()), colours, tolerance)

const found = (role: 'leader' | 'planner') =>
  asCaller(suite.server.db, userClaims(role, 'zones-test'), async (tx) => (await tx.query<{ z: ZonesResult }>('select public.zones(null, null, false) as z')).rows[0].z, true)

/** The ids of the rows of a list, top to bottom, with their areas. */
const rowsOf = (atlas: AtlasPage, list: string) =>
  atlas.page
    .locator(`[data-testid="${list}"] [data-testid="zone-row"]`)
    .evaluateAll((rows) => rows.map((row) => ({ id: row.getAttribute('data-id')!, area: Number(row.getAttribute('data-area')) })))

const hashView = async (atlas: AtlasPage) => {
  const [zoom, lat, lon] = (/map=([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(await atlas.hash()) ?? []).slice(1).map(Number)
  return { zoom, lat, lon }
}


describe('the 三不管 zones in Chromium', { timeout: 240_000 }, () => {
  test('a leader sees the planted zones by area, selects the largest, the map goes there and hatches it; no settle form', async () => {
    const expected = await found('leader')
    const atlas = await open(`${centreView}&layers=street,community&ws=zones&role=leader`, undefined, pictureWindow)
    await atlas.waitForIdle({ timeout: 90_000 })
    await atlas.page.mouse.move(1, 1)
    const overview = await saveArtifact(atlas.page, 'zones-overview.png')

    // listed largest first, as zones() finds them: 林场 ≈16.7 ha, 水南犁山 ≈5.3 ha, 吴处 ≈4.3 ha (twice: community and management)
    const rows = await rowsOf(atlas, 'zones-open')
    expect(rows.map((r) => r.id)).toEqual(expected.zones.filter((z) => z.status === 'open').map((z) => z.id))
    expect(rows.length).toBeGreaterThanOrEqual(3)
    for (let i = 1; i < rows.length; i++) expect(rows[i].area).toBeLessThanOrEqual(rows[i - 1].area)
    expect(rows[0].area).toBeCloseTo(166_917, -2)
    expect(rows.some((r) => Math.abs(r.area - 53_466) < 100)).toBe(true)
    expect(rows.some((r) => Math.abs(r.area - 43_261) < 100)).toBe(true)
    expect(await atlas.text('zones-open')).toContain('16.7 公顷')
    expect(await atlas.page.locator('[data-testid="zones-city-open"]').getAttribute('data-value')).toBe(String(rows.length))
    expect(await atlas.text('zones-streets')).toContain('剑池街道')

    // the legend names each style drawn
    const legend = await atlas.text('zones-legend')
    for (const words of ['缺口', '重叠', '面积']) expect(legend).toContain(words)

    // gaps and overlaps are hatched in their inks
    const [gapPixels, overlapPixels] = await pixelsOf(atlas, [rgb(zoneInks.gap), rgb(zoneInks.overlap)])
    expect(gapPixels, `gap-hatch pixels (screenshot ${overview})`).toBeGreaterThan(150)
    expect(overlapPixels, `overlap-hatch pixels (screenshot ${overview})`).toBeGreaterThan(60)

    // the largest selected: its reason and candidates, the map zoomed onto its box
    const before = await hashView(atlas)
    const largest = expected.zones[0]
    await atlas.page.locator(`[data-testid="zones-open"] [data-testid="zone-row"]`).first().click()
    await atlas.page.waitForFunction((id) => decodeURIComponent(location.hash).includes(`zone=${id}`), largest.id, { timeout: 5_000, polling: 100 })
    await atlas.waitForIdle({ timeout: 60_000 })
    await atlas.page.mouse.move(1, 1)
    const after = await hashView(atlas)
    const [w, s, e, n] = largest.bbox
    expect(after.zoom).toBeGreaterThan(before.zoom + 1)
    expect(after.lon).toBeGreaterThan(w - (e - w))
    expect(after.lon).toBeLessThan(e + (e - w))
    expect(after.lat).toBeGreaterThan(s - (n - s))
    expect(after.lat).toBeLessThan(n + (n - s))
    expect(await atlas.text('zone-reason')).toBe(largest.reason_zh)
    const candidates = await atlas.page.locator('[data-testid="zone-candidates"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-code')))
    expect(candidates).toEqual(largest.candidates.map((c) => c.code))
    const shot = await saveArtifact(atlas.page, 'zones-selected.png')
    const [zoomedGap] = await pixelsOf(atlas, [rgb(zoneInks.gap)])
    expect(zoomedGap, `gap-hatch pixels once zoomed in (screenshot ${shot})`).toBeGreaterThan(gapPixels * 3)

    // a leader reads; only planners decide
    expect(await atlas.page.locator('[data-testid="zone-settle"]').count()).toBe(0)
    expect(await atlas.text('zone-readonly')).toContain('规划')
    expect(await atlas.page.locator('[data-testid="zones-min-width"]').count()).toBe(0)

    // the selection survives a reload
    await atlas.page.reload({ waitUntil: 'domcontentloaded' })
    await atlas.waitForIdle({ timeout: 90_000 })
    expect(await atlas.page.locator('[data-testid="zone-detail"]').getAttribute('data-id')).toBe(largest.id)
    expect(atlas.consoleErrors).toEqual([])
  })

  test('the README’s picture: the three planted zones over the street offices and communities', async () => {
    const atlas = await open(`map=13.45/28.0520/119.1240&layers=street,community&ws=zones&role=leader`, undefined, pictureWindow)
    await atlas.waitForIdle({ timeout: 90_000 })
    await atlas.page.mouse.move(1, 1)
    await saveArtifact(atlas.page, 'zones.png', { readme: true })

    // a click on a zone on the map selects it
    const overlap = (await found('leader')).zones.find((z) => z.kind === 'overlap')!
    // the zone drawn where the click goes: the map's idle can come before the zones' data is tiled
    const at = await atlas.project(overlap.label)
    await atlas.page.waitForFunction(
      ([x, y, id]) => window.__atlas!.map.queryRenderedFeatures([x, y], { layers: ['zones-fill'] }).some((f) => f.properties.id === id),
      [at.x, at.y, overlap.id] as const,
      { timeout: 60_000, polling: 100 },
    )
    await atlas.clickAt(overlap.label)
    await atlas.page.waitForFunction((id) => decodeURIComponent(location.hash).includes(`zone=${id}`), overlap.id, { timeout: 20_000, polling: 100 })
    expect(await atlas.page.locator('[data-testid="zone-detail"]').getAttribute('data-id')).toBe(overlap.id)

    // in English: the English reason, areas in hectares
    await atlas.page.locator('[data-testid="lang-switch"]').click()
    await atlas.waitForText('zone-reason', overlap.reason)
    expect(await atlas.text('zones-open')).toContain('16.7 ha')
    await atlas.waitForIdle({ timeout: 60_000 })
    await atlas.page.mouse.move(1, 1)
    await saveArtifact(atlas.page, 'zones-en.png')
    expect(atlas.consoleErrors).toEqual([])
  })

  test('a planner raises the noise threshold, shows the noise, settles the 吴处 community gap with a remark and applies it', async () => {
    const expected = await found('planner')
    const wuchu = expected.zones.find((z) => z.kind === 'gap' && z.level === 'community' && Math.abs(z.area_m2 - 43_261) < 100)
    expect(wuchu, 'the 吴处 community gap in zones()').toBeTruthy()
    const atlas = await open(`${centreView}&layers=street,community&ws=zones&role=planner`)
    await atlas.waitForIdle({ timeout: 90_000 })
    const openBefore = await rowsOf(atlas, 'zones-open')

    // 45,000 m²: both 吴处 zones (≈43,261 m²) become noise, hidden until asked for
    await atlas.page.locator('[data-testid="zones-min-area"]').fill('45000')
    await atlas.page.locator('[data-testid="zones-save-thresholds"]').click()
    await atlas.waitForText('zones-thresholds-note', '45,000')
    await atlas.waitForIdle({ timeout: 60_000 })
    const openNoisy = await rowsOf(atlas, 'zones-open')
    expect(openNoisy.length).toBe(openBefore.length - 2)
    expect(await atlas.page.locator('[data-testid="zones-noise-list"]').count()).toBe(0)
    await atlas.page.locator('[data-testid="zones-noise"]').check()
    await atlas.page.waitForFunction(() => location.hash.includes('zones-noise=1'), null, { timeout: 5_000, polling: 100 })
    expect((await rowsOf(atlas, 'zones-noise-list')).map((r) => r.id)).toContain(wuchu!.id)
    await atlas.page.locator('[data-testid="zones-noise"]').uncheck()
    await atlas.page.waitForFunction(() => !location.hash.includes('zones-noise'), null, { timeout: 5_000, polling: 100 })
    expect(await atlas.page.locator('[data-testid="zones-noise-list"]').count()).toBe(0)

    // a bad threshold is refused on the page, in words
    await atlas.page.locator('[data-testid="zones-min-width"]').fill('-1')
    expect(await atlas.page.locator('[data-testid="zones-save-thresholds"]').isDisabled()).toBe(true)
    expect(await atlas.text('zones-thresholds')).toContain('0–1000')
    await atlas.page.locator('[data-testid="zones-min-width"]').fill('1')
    await atlas.page.locator('[data-testid="zones-min-area"]').fill('50')
    await atlas.page.locator('[data-testid="zones-save-thresholds"]').click()
    await atlas.waitForText('zones-thresholds-note', '50 平方米')
    await atlas.waitForIdle({ timeout: 60_000 })
    expect((await rowsOf(atlas, 'zones-open')).map((r) => r.id)).toEqual(openBefore.map((r) => r.id))

    // the 吴处 community gap: the suggestion preselected, a remark, applied to the boundaries
    await atlas.page.locator(`[data-testid="zones-open"] [data-id="${wuchu!.id}"]`).click()
    await atlas.page.locator('[data-testid="zone-settle"]').waitFor({ timeout: 5_000 })
    expect(await atlas.page.locator('[data-testid="zone-owner"]').inputValue()).toBe(wuchu!.suggested_owner)
    const remark = '吴处地块划归江南社区管理（测试）'
    await atlas.page.locator('[data-testid="zone-remark"]').fill(remark)
    await atlas.page.locator('[data-testid="zone-apply"]').check()
    await atlas.waitForIdle({ timeout: 60_000 })
    await saveArtifact(atlas.page, 'zones-settle-form.png')
    await atlas.page.locator('[data-testid="zone-settle-submit"]').click()

    // gone from the open list, there in the history, applied in the database
    await atlas.page.waitForFunction((id) => !document.querySelector(`[data-testid="zones-open"] [data-id="${id}"]`), wuchu!.id, { timeout: 30_000, polling: 100 })
    await atlas.waitForIdle({ timeout: 60_000 })
    expect(await atlas.page.locator('[data-testid="zone-settle-error"]').count()).toBe(0)
    await atlas.page.locator('[data-testid="zones-history"] summary').click()
    const history = atlas.page.locator(`[data-testid="zones-history-row"][data-zone="${wuchu!.id}"]`)
    await history.waitFor({ timeout: 10_000 })
    expect(await history.textContent()).toContain(remark)
    expect(await history.textContent()).toContain('江南社区')
    await saveArtifact(atlas.page, 'zones-settled.png')
    const decisions = await asCaller(suite.server.db, userClaims('leader', 'zones-test'), async (tx) => (await tx.query<{ d: DecisionRecord[] }>('select public.zone_decisions() as d')).rows[0].d, true)
    const decision = decisions.find((d) => d.zone_id === wuchu!.id)
    expect(decision?.remark).toBe(remark)
    expect(decision?.owner_code).toBe(wuchu!.suggested_owner)
    expect(decision?.applied_at).toBeTruthy()
    expect((await found('leader')).zones.some((z) => z.id === wuchu!.id)).toBe(false)
    expect(await atlas.text('zone-gone')).toContain(wuchu!.id)

    // the 水南犁山 overlap settled without applying: listed apart, drawn in the settled grey
    const overlap = expected.zones.find((z) => z.kind === 'overlap')!
    await atlas.page.locator(`[data-testid="zones-open"] [data-id="${overlap.id}"]`).click()
    await atlas.page.locator('[data-testid="zone-settle"]').waitFor({ timeout: 5_000 })
    await atlas.page.locator('[data-testid="zone-remark"]').fill('待与开发区管委会会商')
    await atlas.page.locator('[data-testid="zone-settle-submit"]').click()
    await atlas.page.locator(`[data-testid="zones-settled"] [data-id="${overlap.id}"]`).waitFor({ timeout: 30_000 })
    await atlas.waitForIdle({ timeout: 60_000 })
    await atlas.page.mouse.move(1, 1)
    expect(await atlas.page.locator(`[data-testid="zones-open"] [data-id="${overlap.id}"]`).count()).toBe(0)
    expect(await atlas.text('zone-decision')).toContain('待与开发区管委会会商')
    expect(await atlas.page.locator('[data-testid="zone-apply-decision"]').count()).toBe(1)
    const settledShot = await saveArtifact(atlas.page, 'zones-settled-overlap.png')
    const [grey, blue] = await pixelsOf(atlas, [rgb(zoneInks.settled), rgb(zoneInks.overlap)])
    expect(grey, `settled-grey pixels (screenshot ${settledShot})`).toBeGreaterThan(300)
    expect(blue, `overlap-blue pixels once settled (screenshot ${settledShot})`).toBeLessThan(grey / 10)
    expect(atlas.consoleErrors).toEqual([])
  })
})
