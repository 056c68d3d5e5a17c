// The page's import in a real browser (Debian's Chromium) on the built app, over a copy of the
// sample city: a planner drops a zipped Shapefile on the map (three new facilities, in a Gauss–Krüger zone,
// GBK with no .cpg, their type under a name the dictionary does not know), sees it refused for that
// field, maps the field, sees the features drawn over the map in the preview colour, imports them
// through public.import_layer, and finds them in the database; a leader may write nothing.
import fs from 'node:fs'
import path from 'node:path'
import gcoord from 'gcoord'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { projectRoot } from '../../src/db/embedded.ts'
import { sampleDir } from '../../src/db/sample.ts'
import { tempDir } from '../helpers/databases.ts'
import { previewInk } from '../../src/import/workspace.tsx'
import { saveArtifact } from './harness.ts'
import { countColours, decodePng } from './png.ts'
import { browserSuite } from './suite.ts'

const zip = path.join(projectRoot, 'tests/fixtures/formats/out/facility-new.zip')
const suite = browserSuite()
const { open } = suite

describe('the import in Chromium', { timeout: 240_000 }, () => {
  test('a planner drops a zipped Shapefile on the map, maps its type field, sees the preview, imports it', async () => {
    const atlas = await open('layers=street,community,facility&ws=import&role=planner')
    await atlas.page.setViewportSize({ width: 1440, height: 900 })
    await atlas.waitForIdle({ timeout: 90_000 })
    const page = atlas.page
    const lime = async () => countColours(decodePng(await page.locator('#map').screenshot()), [previewInk], 12)[0]
    expect(await lime()).toBeLessThan(10)
    await page.locator('[data-testid="import-layer"]').selectOption('facility')
    // every text the progress bar shows, from here on (null when it goes)
    await page.evaluate(progressRecorder)
    // dropped on the map, as a user drags it from the desktop
    await page.evaluate(
      ([base64, name]) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
        const transfer = new DataTransfer()
        transfer.items.add(new File([bytes], name))
        document.querySelector('#map')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }))
      },
      [fs.readFileSync(zip).toString('base64'), 'facility-new.zip'],
    )
    expect(await atlas.waitForText('import-opened', 'facility-new.zip', 30_000)).toMatch(/Shapefile，3 个要素/)
    // the reading was shown while it ran, and the bar went when it was done
    const reading = await progressSeen(page)
    expect(reading.some((text) => text !== null && /读取/.test(text)), reading.join(' | ')).toBe(true)
    expect(await atlas.text('import-opened')).toContain('GBK')
    // 种类 is no name the dictionary knows: refused for the file, naming its fields
    expect(await atlas.waitForText('import-problems', 'no field for "type"', 30_000)).toContain('种类')
    await page.locator('[data-testid="import-map-type"]').selectOption('种类')
    await atlas.waitForText('import-ready', '3 个要素可以导入', 30_000)
    expect(await atlas.text('import-crs-said')).toContain('CGCS2000_3_Degree_GK_CM_120E')
    await atlas.waitForIdle({ timeout: 60_000 })
    await page.mouse.move(1, 1)
    await saveArtifact(page, 'import.png', { readme: true })
    // the three points in the preview's lime, which no layer of the map draws, before anything is written
    expect(await lime()).toBeGreaterThan(3 * 60)

    await page.locator('[data-testid="import-write"]').click()
    expect(await atlas.waitForText('import-done', '新增 3 个', 30_000)).toContain('替换 0 个')
    const seen = await progressSeen(page)
    expect(seen.some((text) => text !== null && /写入/.test(text)), seen.join(' | ')).toBe(true)
    expect(seen.at(-1), 'the bar once written').toBeNull()
    // a share, where one was shown, is a whole percentage
    for (const text of seen) for (const [, percent] of (text ?? '').matchAll(/(\d+)%/g)) expect(Number(percent)).toBeLessThanOrEqual(100)
    const { rows } = await suite.server.db.query<{ code: string; name: string; facility_type: string }>(
      `select code, name, facility_type from atlas.facility where code like 'F-NEW-%' order by code`,
    )
    expect(rows).toEqual([
      { code: 'F-NEW-1', name: '新建党群服务站', facility_type: 'party_service_centre' },
      { code: 'F-NEW-2', name: '新建康养驿站', facility_type: 'elderly_care' },
      { code: 'F-NEW-3', name: '新建儿童之家', facility_type: 'children' },
    ])
    await atlas.waitForIdle({ timeout: 60_000 })
    await saveArtifact(page, 'import-done.png')
    // the service circles know the facilities have none yet, as after atlas import
    await page.locator('[data-testid="workspace-circles"]').click()
    expect(await atlas.waitForText('circles-stale', '尚未计算：设施 3 处', 60_000)).toContain('已过期')
  })

  test('a GCJ-02 file that declares nothing is refused in the page as on the command line, until its system is chosen', async () => {
    // ten of the sample's facilities under new codes, moved into Amap's coordinates, with no crs
    const sample = JSON.parse(fs.readFileSync(path.join(sampleDir, 'facility.geojson'), 'utf8')) as GeoJSON.FeatureCollection<GeoJSON.Point>
    const features = sample.features.slice(0, 10).map((f, i) => ({
      ...f,
      properties: { ...f.properties, code: `AMAP-${i}` },
      geometry: { type: 'Point', coordinates: gcoord.transform(f.geometry.coordinates as [number, number], gcoord.WGS84, gcoord.GCJ02) },
    }))
    const file = path.join(tempDir('atlas-amap-'), 'amap.geojson')
    fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }))
    const atlas = await open('ws=import&role=planner')
    await atlas.waitForIdle({ timeout: 90_000 })
    const page = atlas.page
    await page.locator('[data-testid="import-layer"]').selectOption('facility')
    await page.locator('[data-testid="import-file"]').setInputFiles(file)
    expect(await atlas.waitForText('import-problems', 'declare --crs gcj02', 30_000)).toMatch(/the file declares no coordinate system, and read as WGS-84 .* read as GCJ-02 \(Amap, Tencent\)/)
    expect(await page.locator('[data-testid="import-write"]').isDisabled()).toBe(true)
    await page.locator('[data-testid="import-crs"]').selectOption('gcj02')
    await atlas.waitForText('import-ready', '10 个要素可以导入', 30_000)
    expect(await atlas.text('import-crs-said')).toContain('GCJ-02')
    expect(await page.locator('[data-testid="import-problems"]').count()).toBe(0)
  })

  test("a network's files picked together: its connected parts are said before anything is written, and the stored network's after", async () => {
    const dir = path.join(projectRoot, 'data/templates/shapefile/walk_edge')
    const atlas = await open('ws=import&role=planner')
    await atlas.waitForIdle({ timeout: 90_000 })
    await atlas.page.locator('[data-testid="import-layer"]').selectOption('walk_edge')
    await atlas.page.locator('[data-testid="import-file"]').setInputFiles(fs.readdirSync(dir).map((f) => path.join(dir, f)))
    expect(await atlas.waitForText('import-parts', 'connected part', 30_000)).toMatch(/the network is one connected part of 2 edges, 0\.\d km/)
    // the template's two edges are two of the sample's: refused by the database as they are, nothing
    // written; written over them once the planner asks to replace them
    await atlas.page.locator('[data-testid="import-write"]').click()
    expect(await atlas.waitForText('import-problems', 'code already exists in the walk_edge layer', 30_000)).toContain('--upsert')
    await atlas.page.getByLabel('替换编码已存在的要素').check()
    await atlas.waitForText('import-ready', '2 个要素可以导入', 30_000)
    expect(await atlas.page.locator('[data-testid="import-problems"]').count()).toBe(0)
    await atlas.page.locator('[data-testid="import-write"]').click()
    await atlas.waitForText('import-done', '替换 2 个', 30_000)
    // then the whole stored network is said, as atlas network check says it
    const { rows } = await suite.server.db.query<{ edges: number }>('select count(*)::int as edges from atlas.walk_edge')
    const after = await atlas.waitForText('import-stored-parts', 'connected part', 30_000)
    expect(after).toContain(`${rows[0].edges.toLocaleString('en-US')} edges`)
    expect(rows[0].edges).toBeGreaterThan(10_000)
  })

  test('on a phone the panel reads; a leader is told the role writes no layer', async () => {
    const atlas = await open('ws=import&role=leader')
    await atlas.page.setViewportSize({ width: 390, height: 844 })
    await atlas.waitForIdle({ timeout: 90_000 })
    expect(await atlas.waitForText('import-panel', '当前角色不能写入任何图层', 30_000)).toContain('导入文件')
    await saveArtifact(atlas.page, 'import-leader-phone.png')
  })
})

// Records each text of the import's progress bar (null when it is not shown), as the page changes:
// a string, not a function, so that nothing of the test's compiler reaches the page.
const progressRecorder = `(() => {
  window.__importProgress = [];
  new MutationObserver(() => {
    const bar = document.querySelector('[data-testid="import-progress"]');
    const text = bar ? bar.textContent : null;
    const seen = window.__importProgress;
    if (!seen.length || seen[seen.length - 1] !== text) seen.push(text);
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`

const progressSeen = (page: Page) => page.evaluate(() => (window as unknown as { __importProgress: (string | null)[] }).__importProgress)
