// The map in a real browser: Debian's Chromium (WebGL2 through SwiftShader) on the built app,
// served by the embedded server over a copy of the sample city. What the page must do is in
// notes/ui-contract.md; the places and names come from data/longquan/*.geojson.
import fs from 'node:fs'
import path from 'node:path'
import { area } from '@turf/turf'
import { describe, expect, test } from 'vitest'
import { polylabel } from '../../src/analysis/polylabel.ts'
import { communityFill, gridBandFill, landRgb, over } from '../../src/layers/palette.ts'
import { sampleDir } from '../../src/db/sample.ts'
import { communityTypes } from '../../src/shared/layers.ts'
import { openPage, pictureWindow, saveArtifact } from './harness.ts'
import { browserSuite } from './suite.ts'
import { countColours, decodePng } from './png.ts'

interface Unit {
  code: string
  name: string
  parent_code?: string
  type?: string
}
type Polygon = { type: 'Polygon'; coordinates: [number, number][][] }
const featuresOf = (layer: string) =>
  (JSON.parse(fs.readFileSync(path.join(sampleDir, `${layer}.geojson`), 'utf8')) as { features: { properties: Unit; geometry: Polygon }[] }).features

const streets = featuresOf('street')
const communities = featuresOf('community')
const grids = featuresOf('grid')

/**
 * The city at city zoom, where communities are the finest unit drawn, so filled: its communities
 * (119.04–119.18 E, 28.03–28.12 N) in the middle of the map right of the panels (260 px).
 */
const cityHash = 'map=11.50/28.0790/119.0790&lang=zh'
/** The same with the unit layers only: what the search and failure tests need, drawn sooner. */
const unitsHash = `${cityHash}&layers=street,community,grid`

// The colours the layers draw with (notes/ui-contract.md: a unit fill at alpha 178 over the land).
const communityColours = communityTypes.map((type) => over(communityFill[type], landRgb))
const gridColours = (['under', 'in', 'over'] as const).map((band) => over(gridBandFill[band], landRgb))

const contractError = (text: string | null) => {
  // “In words”: a sentence a person reads, not a bare status, a code or a serialised object.
  expect(text ?? '').toMatch(/\p{L}{3,}.*\p{L}{3,}|\p{Script=Han}{4,}/su)
  expect(text ?? '').not.toMatch(/\[object |undefined|^\s*(error|503)\s*$/i)
}

const suite = browserSuite()
const { open } = suite



// A page's first draw costs seconds of SwiftShader; another suite may share the two cores.
describe('the map in Chromium', { timeout: 120_000 }, () => {
  test('the city loads without console errors and its communities are drawn in their colours', async () => {
    const atlas = await open(cityHash, undefined, pictureWindow)
    await atlas.waitForIdle()
    const { zoom, lat } = await atlas.view()
    expect(zoom).toBeCloseTo(11.5, 2)

    const city = await saveArtifact(atlas.page, 'city.png', { readme: true })

    // Pixels of each community type's colour, against the area its communities cover on screen
    // (labels, outlines, parks and rivers under them take a share: half is plenty).
    const image = decodePng(await atlas.page.locator('#map').screenshot())
    const metresPerPixel = (2 * Math.PI * 6378137 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom)
    const expected = communityTypes.map((type) =>
      communities.filter((f) => f.properties.type === type).reduce((sum, f) => sum + area(f.geometry) / metresPerPixel ** 2, 0),
    )
    const counted = countColours(image, communityColours, 10)
    const report = `pixels of ${communityTypes.join(', ')}: ${counted.join(', ')} of about ${expected.map(Math.round).join(', ')} (screenshot ${city})`
    expect(counted[0], report).toBeGreaterThan(expected[0] * 0.5)
    expect(counted[1], report).toBeGreaterThan(expected[1] * 0.5)

    if (atlas.foreignRequests.length) console.warn(`[browser tests] the page asked other hosts: ${atlas.foreignRequests.slice(0, 5).join(', ')}`)
    expect(atlas.consoleErrors, `console errors (screenshot ${city})`).toEqual([])
  })

  test('clicking a community opens its inspector with its name, and the breadcrumb leads up to its street office', async () => {
    // The community with the most room around its label point: a click there is inside it.
    const [target] = communities
      .map((f) => ({ unit: f.properties, ...polylabel(f.geometry.coordinates) }))
      .sort((a, b) => b.radiusM - a.radiusM)
    const street = streets.find((s) => s.properties.code === target.unit.parent_code)!.properties

    const atlas = await open(cityHash, undefined, pictureWindow)
    await atlas.waitForIdle()
    await atlas.clickAt(target.point)
    expect(await atlas.waitForText('inspector-name', target.unit.name)).toBe(target.unit.name)
    await atlas.page.waitForFunction((sel) => decodeURIComponent(location.hash).includes(sel), `sel=community:${target.unit.code}`, { timeout: 20_000, polling: 100 })
    await atlas.page.mouse.move(1, 1) // off the map: no hover tooltip in the screenshot
    await atlas.waitForIdle()
    await saveArtifact(atlas.page, 'community.png', { readme: true })

    const crumbs = atlas.page.locator('[data-testid="breadcrumb"] button')
    expect(await crumbs.count()).toBeGreaterThanOrEqual(1)
    expect(await crumbs.first().textContent()).toContain(street.name)
    await crumbs.first().click()
    expect(await atlas.waitForText('inspector-name', street.name)).toBe(street.name)
    await atlas.page.waitForFunction((sel) => decodeURIComponent(location.hash).includes(sel), `sel=street:${street.code}`, { timeout: 5_000, polling: 100 })
  })

  test('searching a grid code flies there and selects it; the URL holds it and a reload restores it', async () => {
    const grid = grids.find((g) => g.properties.code === '331181001001001')!
    const { code, name } = grid.properties
    const inside = polylabel(grid.geometry.coordinates).point

    const atlas = await open(unitsHash, undefined, pictureWindow)
    await atlas.waitForIdle()
    expect(await atlas.searchAndOpen(code, name)).toBe(name)
    await atlas.waitForIdle()

    // There: at a zoom that draws grids, with the grid on the screen.
    const flown = await atlas.view()
    expect(flown.zoom).toBeGreaterThanOrEqual(13)
    expect(flown.zoom).toBeLessThan(19)
    const { x, y } = await atlas.project(inside)
    const box = (await atlas.page.locator('#map').boundingBox())!
    expect(x).toBeGreaterThan(0)
    expect(x).toBeLessThan(box.width)
    expect(y).toBeGreaterThan(0)
    expect(y).toBeLessThan(box.height)
    const shot = await saveArtifact(atlas.page, 'grid.png', { readme: true })
    // Drawn: grids fill the screen around it in their household bands' colours.
    const bands = countColours(decodePng(await atlas.page.locator('#map').screenshot()), gridColours, 10)
    const total = bands.reduce((a, b) => a + b, 0)
    expect(total, `pixels of the grid bands under, in, over: ${bands.join(', ')} (screenshot ${shot})`).toBeGreaterThan(box.width * box.height * 0.1)

    // The URL: the selection, and the view once the flight has ended.
    await atlas.page.waitForFunction(
      ([sel, zoom]) => {
        const hash = decodeURIComponent(location.hash)
        const z = hash.match(/(?:^#|&)map=([\d.]+)\//)?.[1]
        return hash.includes(sel) && z !== undefined && Math.abs(Number(z) - zoom) < 0.006
      },
      [`sel=grid:${code}`, flown.zoom] as const,
      { timeout: 5_000, polling: 100 },
    )
    const before = await atlas.view()

    await atlas.page.reload({ waitUntil: 'domcontentloaded' })
    await atlas.waitForIdle()
    expect(await atlas.waitForText('inspector-name', name)).toBe(name)
    const after = await atlas.view()
    expect(Math.abs(after.zoom - before.zoom)).toBeLessThan(0.006)
    const there = await atlas.project([before.lon, before.lat])
    expect(Math.abs(there.x - box.width / 2)).toBeLessThan(3)
    expect(Math.abs(there.y - box.height / 2)).toBeLessThan(3)
    expect(await atlas.hash()).toContain(`sel=grid:${code}`)
  })

  test('switching the language changes the legend from Chinese to English', async () => {
    const atlas = await open(cityHash)
    await atlas.waitForIdle()
    const zh = await atlas.text('legend')
    expect(zh).toContain('社区类型')
    expect(zh).toContain('纯居型')
    await atlas.page.locator('[data-testid="lang-switch"]').click()
    const en = await atlas.waitForText('legend', 'Community type')
    expect(en).toContain('Purely urban')
    expect(en).not.toContain('社区类型')
    expect(await atlas.hash()).toContain('lang=en')
  })

  test('an RPC failing shows an error in words and a retry that recovers', async () => {
    const rpc = '**/rest/v1/rpc/map_layer'
    const atlas = suite.track(await openPage(suite.browser, suite.server.url))
    // PostgREST's answer when its database is gone.
    await atlas.page.route(rpc, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'PGRST001', message: 'Database client error. Retrying the connection.', details: 'no connection to the server', hint: null }),
      }),
    )
    await atlas.goto(unitsHash)
    expect(await atlas.waitForIdle({ allowError: true })).toBe('error')
    contractError(await atlas.text('error'))
    const retry = atlas.page.locator('[data-testid="error"] [data-testid="retry"]')
    await retry.waitFor({ state: 'visible', timeout: 5_000 })
    await saveArtifact(atlas.page, 'error.png')

    await atlas.page.unroute(rpc)
    await retry.click()
    expect(await atlas.waitForIdle()).toBe('idle')
    expect(await atlas.page.locator('[data-testid="error"]').isVisible()).toBe(false)
  })

  test('the backend going down while one moves the map shows an error in words; retry recovers once it is back', async () => {
    const atlas = await open(unitsHash)
    await atlas.waitForIdle()
    const backend = '**/rest/v1/**'
    await atlas.page.route(backend, (route) => route.abort('connectionrefused'))
    // Closer in: grids are drawn from zoom 13, and their tiles must be fetched.
    const before = (await atlas.states()).length
    await atlas.page.evaluate(() => window.__atlas!.map.jumpTo({ zoom: 14, center: [119.14, 28.07] }))
    // the page's answer to the move, not the idle it was in before it
    await atlas.page.waitForFunction((n) => (window.__atlasStates ?? []).length > n, before, { timeout: 20_000, polling: 50 })
    expect(await atlas.waitForIdle({ allowError: true })).toBe('error')
    contractError(await atlas.text('error'))

    await atlas.page.unroute(backend)
    await atlas.page.locator('[data-testid="error"] [data-testid="retry"]').click()
    expect(await atlas.waitForIdle()).toBe('idle')
    expect(await atlas.page.locator('[data-testid="error"]').isVisible()).toBe(false)
  })
})
