// Another city's atlas in Chromium: a city of one street office and one community in Shenzhen's
// Futian, loaded from files with `atlas import` and named with `atlas city set`, shows its own
// attribution and search example, opens on its units, and says nothing of Longquan; a new database
// that knows no city yet says only the product's words and opens on China's middle.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { callApi } from '../../src/db/api.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { minMapZoom } from '../../src/layers/zoom.ts'
import { copyEmptyDatabase } from '../helpers/databases.ts'
import { futianCity, futianGridRule } from '../helpers/futian.ts'
import { openPage, saveArtifact, startServer, type AtlasPage, type AtlasServer } from './harness.ts'
import { browserSuite } from './suite.ts'

const suite = browserSuite({ server: false })
let futian: AtlasServer
let blank: AtlasServer

beforeAll(async () => {
  ;[futian, blank] = await Promise.all([futianCity().then((dir) => startServer(dir, suite.staticDir)), startServer(copyEmptyDatabase(), suite.staticDir)])
}, 180_000)

afterAll(async () => {
  await futian?.close()
  await blank?.close()
})

const attribution = (atlas: AtlasPage) => atlas.page.locator('.maplibregl-ctrl-attrib').innerText()
const placeholder = (atlas: AtlasPage) => atlas.page.locator('[data-testid="search-input"]').getAttribute('placeholder')
const pageText = (atlas: AtlasPage) => atlas.page.locator('body').innerText()

describe('the city is data', { timeout: 120_000 }, () => {
  test('Futian’s atlas: its attribution and search example, opened on its units, no word of Longquan', async () => {
    const atlas = await suite.open('role=leader', futian)
    await atlas.waitForIdle({ timeout: 90_000 })
    expect(await attribution(atlas)).toContain('底图与数据：福田区示例数据（测试用）')
    expect(await placeholder(atlas)).toBe('搜索名称或代码，如 园东社区、440304001001')
    expect(await atlas.text('city-name')).toBe('深圳市福田区')
    const view = await atlas.view()
    expect(view.lon).toBeGreaterThan(114.085)
    expect(view.lon).toBeLessThan(114.105)
    expect(view.lat).toBeGreaterThan(22.545)
    expect(view.lat).toBeLessThan(22.56)
    expect(await pageText(atlas)).not.toMatch(/龙泉|Longquan|大洋社区|331181/)
    await saveArtifact(atlas.page, 'city-futian.png')
  })

  test('a leader renames the city in the settings, and the page says the new name; a planner may only read it', async () => {
    const leader = await suite.open('role=leader', futian)
    await leader.waitForIdle({ timeout: 90_000 })
    await leader.page.locator('[data-testid="settings-open"]').click()
    expect(await leader.page.locator('[data-testid="city-field-name"]').inputValue()).toBe('深圳市福田区')
    await leader.page.locator('[data-testid="city-field-adcode"]').fill('44030')
    await leader.page.locator('[data-testid="city-save"]').click()
    // refused in words, nothing kept
    expect(await leader.waitForText('city-said', 'is not six digits')).toContain('44030')
    await leader.page.locator('[data-testid="city-field-adcode"]').fill('440304')
    await leader.page.locator('[data-testid="city-field-name"]').fill('福田区')
    await leader.page.locator('[data-testid="city-save"]').click()
    await leader.waitForText('city-said', '已保存')
    expect(await leader.page.locator('header [data-testid="city-name"]').innerText()).toBe('福田区')
    await saveArtifact(leader.page, 'city-settings.png')
    const { rows } = await futian.db.query<{ name: string; adcode: string; updated_by: string }>('select name, adcode, updated_by from atlas.city')
    expect(rows).toEqual([{ name: '福田区', adcode: '440304', updated_by: expect.any(String) as string }])

    const planner = await suite.open('role=planner', futian)
    await planner.waitForIdle({ timeout: 90_000 })
    await planner.page.locator('[data-testid="settings-open"]').click()
    expect(await planner.text('city-form')).toContain('由领导设置')
    expect(await planner.page.locator('[data-testid="city-field-name"]').isDisabled()).toBe(true)
    expect(await planner.page.locator('[data-testid="city-save"]').count()).toBe(0)
  })

  test('a leader sets a standard in the settings with its source, refused in words without one; the legend, the circles and the leader’s view follow, naming Longquan only as a cited document’s issuer', async () => {
    const leader = await suite.open('role=leader&layers=street,community,grid', futian)
    await leader.waitForIdle({ timeout: 90_000 })
    // the grids' legend is the city's band (set from files before the page opened)
    expect(await leader.text('legend')).toContain('本市标准 400–600 户')
    await leader.page.locator('[data-testid="settings-open"]').click()
    const row = leader.page.locator('[data-testid="standard-workers_per_10k"]')
    expect(await row.locator('[data-testid="standard-value"]').innerText()).toBe('≥ 18 人/万人')
    expect(await leader.page.locator('[data-testid="standard-grid_households"] [data-testid="standard-citation"]').innerText()).toBe(
      `《${futianGridRule.title}》（${futianGridRule.issuer}，${futianGridRule.year}）：${futianGridRule.clause}`,
    )
    await row.locator('[data-testid="standard-edit"]').click()
    await row.locator('[data-testid="standard-field-value_min"]').fill('20')
    await row.locator('[data-testid="standard-save"]').click()
    // a new value without its source: refused in words, nothing kept
    expect(await leader.waitForText('standard-error', 'a new value needs its source')).toContain('workers_per_10k')
    expect((await futian.db.query<{ v: string }>(`select value_min::text as v from atlas.standard where key = 'workers_per_10k'`)).rows).toEqual([{ v: '18' }])
    await row.locator('[data-testid="standard-source-city"]').check()
    await row.locator('[data-testid="standard-field-reason"]').fill('本市考核要求')
    await row.locator('[data-testid="standard-save"]').click()
    await leader.waitForText('standards-said', '已保存')
    expect(await row.locator('[data-testid="standard-value"]').innerText()).toBe('≥ 20 人/万人')
    expect(await row.locator('[data-testid="standard-citation"]').innerText()).toBe('本市设定')
    await leader.page.locator('[data-testid="standards-history"]').click()
    expect(await leader.text('standards-history-list')).toContain('本市考核要求')
    await saveArtifact(leader.page, 'standards-settings.png')
    const { rows } = await futian.db.query<{ value_min: string; city_rule: boolean; reason: string }>(
      `select s.value_min::text as value_min, s.city_rule, c.reason from atlas.standard s join atlas.standard_change c on c.standard_key = s.key where s.key = 'workers_per_10k'`,
    )
    expect(rows).toEqual([{ value_min: '20', city_rule: true, reason: '本市考核要求' }])
    const settingsText = await pageText(leader)
    await leader.page.keyboard.press('Escape')
    await leader.page.locator('.modal-backdrop').click({ position: { x: 5, y: 5 } })

    // the leader's view: the city's rule, and what a light without data needs
    await leader.page.locator('[data-testid="workspace-leader"]').click()
    await leader.waitForText('leader-city', '≥ 20 人/万人')
    const total = (key: string) => leader.page.locator(`[data-testid="leader-total"][data-key="${key}"]`)
    // 园东 12 and 园西 11 workers for 8,600 and 5,900 residents: 15.9 per 10,000, under 18 (90 % of 20)
    expect(await total('workers_per_10k').getAttribute('data-value')).toBe('15.9')
    expect(await total('workers_per_10k').getAttribute('data-light')).toBe('red')
    expect(await total('household_separation').innerText()).toContain('需要：社区的户籍人口与常住人口')
    expect(await total('household_separation').getAttribute('data-light')).toBe('none')
    expect(await total('grids_outside_band').innerText()).toContain('400–600')
    const leaderText = await pageText(leader)
    await saveArtifact(leader.page, 'standards-leader.png')

    // the circles' panel: the city's walk and its sources
    await leader.page.locator('[data-testid="workspace-circles"]').click()
    const standard = await leader.waitForText('circles-standard', '本市标准：8 分钟')
    expect(standard).toContain('龙泉市政协')
    const circlesText = await pageText(leader)
    // every other workspace too: the zones, the backlog, the import
    const others: string[] = []
    for (const workspace of ['zones', 'backlog', 'import']) {
      await leader.page.locator(`[data-testid="workspace-${workspace}"]`).click()
      await leader.waitForIdle({ timeout: 60_000 })
      others.push(await pageText(leader))
    }
    for (const text of [settingsText, leaderText, circlesText, ...others]) expect(text.replaceAll('龙泉市政协', '')).not.toMatch(/龙泉|Longquan|大洋社区|331181|无数据/)
  })

  test('a planner declares the science park entrusted to the street office: its overlap leaves the open zones, listed and drawn as declared', async () => {
    const found = await asCaller(futian.db, userClaims('planner'), (tx) => callApi(tx, 'zones', { with_geometry: false }), true)
    const overlap = found.zones.find((z) => z.level === 'management' && z.kind === 'overlap' && z.status === 'open')!
    expect(overlap.claimants).toEqual(['MA-440304001', 'MA-YLKJY'])
    const planner = await suite.open(`role=planner&ws=zones&zone=${overlap.id}`, futian)
    await planner.waitForIdle({ timeout: 90_000 })
    const form = planner.page.locator('[data-testid="zone-declare"]')
    // the park is the area, the office of the place its partner
    expect(await form.locator('[data-testid="zone-declare-area"]').inputValue()).toBe('MA-YLKJY')
    await form.locator('[data-testid="zone-declare-arrangement"]').selectOption('entrusted')
    await form.locator('[data-testid="zone-declare-reason"]').fill('区政府批复：科技园委托街道属地管理')
    await form.locator('[data-testid="zone-declare-submit"]').click()
    expect(await planner.waitForText('zones-declared', '园岭科技园由园岭街道办事处托管')).toContain('区政府批复')
    await planner.page.waitForFunction((id) => !document.querySelector(`[data-testid="zones-open"] [data-id="${id}"]`), overlap.id)
    expect(await planner.text('zones-legend')).toContain('已声明的共管区域')
    expect(await planner.page.locator('[data-testid="zones-city-declared"]').getAttribute('data-value')).toBe('1')
    await saveArtifact(planner.page, 'zones-declared.png')
    // the leader counts it apart
    const leader = await suite.open('role=leader&ws=leader', futian)
    await leader.waitForIdle({ timeout: 90_000 })
    expect(await leader.waitForText('leader-declared', '另有已声明共管 1 处')).toContain('不计入')
    const { rows } = await futian.db.query<{ arrangement: string; declared_by: string }>('select arrangement, declared_by from atlas.co_management where withdrawn_at is null')
    expect(rows).toEqual([{ arrangement: 'entrusted', declared_by: expect.any(String) as string }])
  })

  test('on a phone the standards and their editor fit the screen', async () => {
    const phone = suite.track(await openPage(suite.browser, futian.url, { viewport: { width: 390, height: 844 } }))
    await phone.goto('role=leader')
    await phone.waitForIdle({ timeout: 90_000 })
    await phone.page.locator('[data-testid="settings-open"]').click()
    const row = phone.page.locator('[data-testid="standard-grid_households"]')
    await row.locator('[data-testid="standard-edit"]').click()
    await row.locator('[data-testid="standard-editor"]').scrollIntoViewIfNeeded()
    await saveArtifact(phone.page, 'standards-phone.png')
    const box = await row.locator('[data-testid="standard-editor"]').boundingBox()
    expect(box!.x).toBeGreaterThanOrEqual(0)
    expect(box!.x + box!.width).toBeLessThanOrEqual(390)
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
  })

  test('a database that knows no city: the product’s own words, and the map on China', async () => {
    const atlas = await suite.open('role=planner', blank)
    await atlas.waitForIdle({ timeout: 90_000 })
    expect(await attribution(atlas)).toContain('底图与数据：基层治理一张图')
    expect(await placeholder(atlas)).toBe('搜索名称或代码')
    expect(await atlas.text('city-name')).toBe('街道 · 社区 · 网格 · 微网格')
    // China's middle, as far out as the atlas goes
    const view = await atlas.view()
    expect(view.zoom).toBe(minMapZoom)
    expect(view.lon).toBeCloseTo(104.2, 1)
    expect(view.lat).toBeCloseTo(35.9, 1)
    expect(await pageText(atlas)).not.toMatch(/龙泉|Longquan|大洋社区|331181/)
  })
})
