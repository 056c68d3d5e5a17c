// The URL as navigation in a real browser (Debian's Chromium on the built app, the sample city):
// Back and Forward undo and redo a selection and the view it flew to, an edited address moves the
// map and opens the unit it names without a reload, panning and zooming make no history entries,
// and a workspace opened is closed again by Back.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { polylabel } from '../../src/analysis/polylabel.ts'
import { sampleDir } from '../../src/db/sample.ts'
import type { AtlasPage } from './harness.ts'
import { browserSuite } from './suite.ts'

interface Unit {
  code: string
  name: string
}
type Polygon = { type: 'Polygon'; coordinates: [number, number][][] }
const featuresOf = (layer: string) =>
  (JSON.parse(fs.readFileSync(path.join(sampleDir, `${layer}.geojson`), 'utf8')) as { features: { properties: Unit; geometry: Polygon }[] }).features

/** The city at city zoom, with the unit layers only (drawn sooner). */
const cityHash = 'map=11.50/28.0790/119.0790&layers=street,community,grid'

declare global {
  interface Window {
    /** Set on a page by the test: still there afterwards, the page was not reloaded. */
    __stayed?: boolean
  }
}

const suite = browserSuite()
const { open } = suite

const historyLength = (atlas: AtlasPage) => atlas.page.evaluate(() => history.length)

/** The map shows a view: the same zoom, the view's centre within a pixel of the map's centre. */
async function expectAt(atlas: AtlasPage, view: { zoom: number; lon: number; lat: number }, what: string) {
  const now = await atlas.view()
  const box = (await atlas.page.locator('#map').boundingBox())!
  const { x, y } = await atlas.project([view.lon, view.lat])
  const report = `${what}: the map is at ${JSON.stringify(now)}, wanted ${JSON.stringify(view)} (${(x - box.width / 2).toFixed(2)}, ${(y - box.height / 2).toFixed(2)} px off)`
  expect(Math.abs(now.zoom - view.zoom), report).toBeLessThan(0.006)
  expect(Math.abs(x - box.width / 2), report).toBeLessThan(1)
  expect(Math.abs(y - box.height / 2), report).toBeLessThan(1)
}

const waitForHash = (atlas: AtlasPage, part: string, present: boolean) =>
  atlas.page.waitForFunction(([part, yes]) => decodeURIComponent(location.hash).includes(part) === yes, [part, present] as const, { timeout: 10_000, polling: 100 })

const inspectorOpen = (atlas: AtlasPage) => atlas.page.locator('[data-testid="inspector"]').isVisible()

describe('the URL as navigation in Chromium', { timeout: 180_000 }, () => {
  test('Back undoes a search’s selection and flight, Forward redoes them, and the page stays', async () => {
    const grid = featuresOf('grid').find((g) => g.properties.code === '331181001001001')!
    const { code, name } = grid.properties

    const atlas = await open(cityHash)
    await atlas.waitForIdle()
    const start = await atlas.view()
    const entries = await historyLength(atlas)
    await atlas.page.evaluate(() => (window.__stayed = true))

    expect(await atlas.searchAndOpen(code, name)).toBe(name)
    await atlas.waitForIdle()
    // the flight's end is in the URL (the same entry as the selection)
    const flown = await atlas.view()
    expect(flown.zoom).toBeGreaterThanOrEqual(13)
    await atlas.page.waitForFunction(
      (zoom) => Math.abs(Number(location.hash.match(/(?:^#|&)map=([\d.]+)\//)?.[1]) - zoom) < 0.006,
      flown.zoom,
      { timeout: 5_000, polling: 100 },
    )
    expect(await atlas.hash()).toContain(`sel=grid:${code}`)
    expect(await historyLength(atlas), 'the selection is one entry').toBe(entries + 1)

    await atlas.page.goBack({ waitUntil: 'commit' })
    await waitForHash(atlas, 'sel=', false)
    await atlas.waitForIdle()
    expect(await inspectorOpen(atlas), 'the inspector closed').toBe(false)
    await expectAt(atlas, start, 'after Back')

    await atlas.page.goForward({ waitUntil: 'commit' })
    await waitForHash(atlas, `sel=grid:${code}`, true)
    expect(await atlas.waitForText('inspector-name', name)).toBe(name)
    await atlas.waitForIdle()
    await expectAt(atlas, flown, 'after Forward')

    // no reload, no other page: the same document all along, and no entry added by the moves
    expect(await atlas.page.evaluate(() => window.__stayed)).toBe(true)
    expect(await historyLength(atlas)).toBe(entries + 1)
  })

  test('an edited address moves the map and opens the unit it names, without a reload; one without a view leaves the map', async () => {
    const [community] = featuresOf('community')
      .map((f) => ({ unit: f.properties, ...polylabel(f.geometry.coordinates) }))
      .sort((a, b) => b.radiusM - a.radiusM)
    const street = featuresOf('street')[0].properties

    const atlas = await open(cityHash)
    await atlas.waitForIdle()
    await atlas.page.evaluate(() => (window.__stayed = true))

    const [lon, lat] = community.point
    const there = { zoom: 14, lon: Number(lon.toFixed(6)), lat: Number(lat.toFixed(6)) }
    await atlas.page.evaluate(
      (hash) => (location.hash = hash),
      `map=14.00/${there.lat}/${there.lon}&layers=street,community,grid&sel=community:${community.unit.code}`,
    )
    expect(await atlas.waitForText('inspector-name', community.unit.name)).toBe(community.unit.name)
    await atlas.waitForIdle()
    await expectAt(atlas, there, 'after editing the address')
    expect(await atlas.hash()).toContain(`sel=community:${community.unit.code}`)

    // another unit, no view: the inspector follows, the map stays, and the view comes back into the URL
    await atlas.page.evaluate((hash) => (location.hash = hash), `layers=street,community,grid&sel=street:${street.code}`)
    expect(await atlas.waitForText('inspector-name', street.name)).toBe(street.name)
    await atlas.waitForIdle()
    await expectAt(atlas, there, 'after an address without a view')
    await waitForHash(atlas, 'map=14.00/', true)

    expect(await atlas.page.evaluate(() => window.__stayed), 'the page was not reloaded').toBe(true)
  })

  test('panning and zooming add no history entries; a workspace opened is closed by Back', async () => {
    const atlas = await open(cityHash)
    await atlas.waitForIdle()
    const entries = await historyLength(atlas)
    const box = (await atlas.page.locator('#map').boundingBox())!
    const cx = box.x + box.width * 0.6
    const cy = box.y + box.height / 2

    let hash = await atlas.hash()
    const moved = async (what: string) => {
      await atlas.page.waitForFunction((before) => decodeURIComponent(location.hash) !== before, hash, { timeout: 10_000, polling: 100 }).catch(() => {
        throw new Error(`${what} did not change the URL's view`)
      })
      await atlas.waitForIdle()
      hash = await atlas.hash()
    }
    for (const [dx, dy] of [
      [120, 0],
      [0, -90],
      [-150, 60],
    ]) {
      await atlas.page.mouse.move(cx, cy)
      await atlas.page.mouse.down()
      await atlas.page.mouse.move(cx + dx / 2, cy + dy / 2, { steps: 4 })
      await atlas.page.mouse.move(cx + dx, cy + dy, { steps: 4 })
      await atlas.page.mouse.up()
      await moved(`a drag by ${dx}, ${dy}`)
    }
    for (const delta of [-300, 200]) {
      await atlas.page.mouse.move(cx, cy)
      await atlas.page.mouse.wheel(0, delta)
      await moved(`a wheel of ${delta}`)
    }
    expect(hash).toContain('map=')
    expect(await historyLength(atlas), 'five moves, no entry').toBe(entries)

    await atlas.page.locator('[data-testid="workspace-zones"]').click()
    await waitForHash(atlas, 'ws=zones', true)
    await atlas.waitForIdle()
    expect(await atlas.page.locator('[data-testid="workspace-zones"]').getAttribute('aria-selected')).toBe('true')
    expect(await historyLength(atlas)).toBe(entries + 1)

    await atlas.page.goBack({ waitUntil: 'commit' })
    await waitForHash(atlas, 'ws=', false)
    await atlas.waitForIdle()
    expect(await atlas.page.locator('[data-testid="workspace-map"]').getAttribute('aria-selected')).toBe('true')
    expect(await atlas.page.locator('[data-testid="workspace-zones"]').getAttribute('aria-selected')).toBe('false')
    // the view the moves ended at, kept through the workspace and Back
    expect(await atlas.hash()).toBe(hash)
  })

  test('a role switched is undone by Back: the page signs in as the earlier role again', async () => {
    const atlas = await open(cityHash)
    await atlas.waitForIdle()
    const roleSwitch = atlas.page.locator('[data-testid="role-switch"]')
    expect(await roleSwitch.inputValue()).toBe('leader')
    const entries = await historyLength(atlas)

    await roleSwitch.selectOption('planner')
    await waitForHash(atlas, 'role=planner', true)
    await atlas.waitForIdle()
    expect(await historyLength(atlas)).toBe(entries + 1)

    await atlas.page.goBack({ waitUntil: 'commit' })
    await atlas.page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-testid="role-switch"]')?.value === 'leader', null, {
      timeout: 10_000, polling: 100,
    })
    await atlas.waitForIdle()
    // signed in as the leader again, the address is the one Back went to, with no role written into it
    expect(await atlas.hash()).not.toContain('role=')
    expect(await historyLength(atlas)).toBe(entries + 1)
    expect(await roleSwitch.isDisabled()).toBe(false)
  })
})
