// The backlog workspace in a real browser (Debian's Chromium, WebGL2 on SwiftShader) on the built
// app, served by the embedded server over a copy of the sample city's 56 items. The plan the page
// shows (solved by HiGHS in its Web Worker) is checked against the same core solving in Node on
// what backlog_scores() returns; the breakdowns and the history against the database.
import { describe, expect, test } from 'vitest'
import { candidates, loadHighs, solvePlan } from '../../src/backlog/plan/index.ts'
import { categoryInks } from '../../src/backlog/layers.ts'
import type { BacklogChange, BacklogScores, PlanResult, ScoredItem } from '../../src/backlog/types.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { downloadedBytes, jsAssets, saveArtifact, type AtlasPage } from './harness.ts'
import { browserSuite } from './suite.ts'
import { countColours, decodePng } from './png.ts'
import fs from 'node:fs'
import path from 'node:path'

/** The built-up centre, where most items lie, right of the panel (1440 × 900)… */
const centreView = 'map=12.60/28.0750/119.1065&layers=street,community'
/** …and between the panel and an item's card. */
const cardView = 'map=12.60/28.0750/119.1307&layers=street,community'
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]

const suite = browserSuite({ viewport: { width: 1440, height: 900 } })
const { open } = suite


const scores = () =>
  asCaller(suite.server.db, userClaims('leader', 'backlog-test'), async (tx) => (await tx.query<{ s: BacklogScores }>('select public.backlog_scores(null, true) as s')).rows[0].s, true)
const history = (code: string) =>
  asCaller(suite.server.db, userClaims('leader', 'backlog-test'), async (tx) => (await tx.query<{ h: BacklogChange[] }>('select public.backlog_history($1) as h', [code])).rows[0].h, true)

/** The plan the core makes in Node for the same items and budget (with every item's reason: seconds more). */
async function expectedPlan(items: ScoredItem[], budgets: number[], reasons = false): Promise<PlanResult> {
  return solvePlan(await loadHighs(), { items: candidates(items), budgets, constraints: { keepApproved: true } }, { reasons })
}

/** The funded figures the page shows, once they answer the budget asked for. */
async function fundedFigures(atlas: AtlasPage, budget: number) {
  const figure = atlas.page.locator('[data-testid="plan-funded"]')
  await atlas.page.waitForFunction(
    (b) => {
      const totals = document.querySelector('[data-testid="plan-totals"]')
      return totals?.getAttribute('data-current') === 'true' && document.querySelector('[data-testid="plan-funded"]')?.getAttribute('data-budget') === String(b)
    },
    budget,
    { timeout: 30_000, polling: 100 },
  )
  const read = async (name: string) => Number(await figure.getAttribute(name))
  return { count: await read('data-count'), cost: await read('data-cost'), budget: await read('data-budget'), score: Number(await atlas.page.locator('[data-testid="plan-score"]').getAttribute('data-score')) }
}

const fundedCodes = (atlas: AtlasPage) =>
  atlas.page.locator('[data-testid="backlog-row"][data-funded="true"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')!).sort())


describe('the backlog in Chromium', { timeout: 120_000 }, () => {
  test('HiGHS and the plan core stay out of the first bundle', () => {
    const html = fs.readFileSync(path.join(suite.staticDir, 'index.html'), 'utf8')
    const entry = /src="\/?(assets\/index-[^"]+\.js)"/.exec(html)?.[1]
    expect(entry, 'the entry script in index.html').toBeTruthy()
    const first = fs.readFileSync(path.join(suite.staticDir, entry!), 'utf8')
    expect(first).toContain('plan.worker')
    for (const marker of ['mip_rel_gap', 'PlanInputError', 'highs.wasm']) expect(first, marker).not.toContain(marker)
    const worker = jsAssets(suite.staticDir).find((f) => /plan\.worker-/.test(f))
    expect(worker && fs.readFileSync(worker, 'utf8')).toContain('mip_rel_gap')
  })

  test('a leader opens it at the example budget, sees the plan solved in the worker, opens items, moves the budget, excludes an item and exports; the URL keeps it all', async () => {
    const expected = await scores()
    const atlas = await open(`${centreView}&ws=backlog&role=leader`)
    await atlas.waitForIdle({ timeout: 90_000 })

    // the example budget, labelled as one
    expect(await atlas.text('plan-example')).toBe('示例预算')
    expect(await atlas.page.locator('[data-testid="plan-budget"]').getAttribute('data-budget')).toBe('20000000')
    expect(await atlas.text('plan-budget-value')).toBe('2,000 万元')

    // the plan, solved in the plan worker, within the budget, and the core's own in Node
    expect(atlas.page.workers().some((w) => /plan\.worker/.test(w.url()))).toBe(true)
    const funded = await fundedFigures(atlas, 20_000_000)
    expect(funded.count).toBeGreaterThan(0)
    expect(funded.cost).toBeLessThanOrEqual(20_000_000)
    const node = await expectedPlan(expected.items, [20_000_000], true)
    expect(funded.score).toBeCloseTo(node.total_score, 2)
    expect(await fundedCodes(atlas)).toEqual(node.items.filter((i) => i.funded).map((i) => i.code).sort())
    const log = await atlas.page.evaluate(() => window.__atlasPlanLog ?? [])
    expect(log.map((l) => l.kind)).toEqual(expect.arrayContaining(['plan', 'reasons', 'curve']))
    expect(Number(await atlas.page.locator('[data-testid="plan-curve"]').getAttribute('data-points'))).toBe(100)
    expect(Number(await atlas.page.locator('[data-testid="plan-gain"]').getAttribute('data-gain'))).toBeCloseTo(node.total_score - node.greedy.total_score, 2)

    // drawn: the six inks on the map, each item in the list
    await atlas.page.mouse.move(1, 1)
    const overview = await saveArtifact(atlas.page, 'backlog-overview.png')
    const inks = countColours(decodePng(await atlas.page.locator('#map').screenshot()), Object.values(categoryInks).map(rgb), 12)
    expect(inks.filter((n) => n > 20).length, `categories seen on the map: ${inks.join(', ')} (screenshot ${overview})`).toBeGreaterThanOrEqual(4)
    expect(await atlas.page.locator('[data-testid="backlog-row"]').count()).toBe(expected.items.length)
    const rendered = await atlas.page.evaluate(() => window.__atlas!.map.queryRenderedFeatures({ layers: ['backlog-hit-line', 'backlog-hit-point'] }).length)
    expect(rendered).toBeGreaterThan(10)

    // read only for a leader: no status steps, no saving weights
    expect(await atlas.text('backlog-readonly')).toContain('只读')
    expect(await atlas.page.locator('[data-testid="weights-save"]').count()).toBe(0)

    // the highest-scoring item: its card, the parts adding up to the score the database gives, its reason
    const top = [...expected.items].sort((a, b) => b.score - a.score || a.code.localeCompare(b.code))[0]
    await atlas.page.locator(`[data-testid="backlog-row"][data-code="${top.code}"]`).click()
    await atlas.page.waitForFunction((code) => decodeURIComponent(location.hash).includes(`item=${code}`), top.code, { timeout: 5_000, polling: 100 })
    const card = atlas.page.locator('[data-testid="backlog-card"]')
    expect(await card.getAttribute('data-code')).toBe(top.code)
    const parts = await card.locator('[data-testid="factor-row"]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-part'))))
    expect(parts).toHaveLength(6)
    const shown = Number(await card.locator('[data-testid="card-score"]').getAttribute('data-score'))
    expect(Math.round(parts.reduce((a, b) => a + b, 0) * 100)).toBe(Math.round(shown * 100))
    expect(shown).toBe(Number(top.score))
    const reason = node.items.find((i) => i.code === top.code)!
    await atlas.waitForText('card-reason', reason.reason_zh)
    expect(await atlas.page.locator('[data-testid="status-step"]').count()).toBe(0)
    expect(await atlas.text('backlog-card-readonly')).toContain('领导')

    // a click on an item on the map selects it
    const point = expected.items.find((i) => i.geometry?.type === 'Point' && i.code !== top.code)!
    const at = (point.geometry as GeoJSON.Point).coordinates as [number, number]
    await atlas.page.evaluate((center) => window.__atlas!.map.jumpTo({ center, zoom: 15.5 }), at)
    await atlas.waitForIdle({ timeout: 60_000 })
    await atlas.clickAt(at)
    await atlas.page.waitForFunction((code) => decodeURIComponent(location.hash).includes(`item=${code}`), point.code, { timeout: 20_000, polling: 100 })
    expect(await card.getAttribute('data-code')).toBe(point.code)

    // below the approved items' cost (they must be funded): no plan, and the conflict in words
    const approved = expected.items.filter((i) => i.status === 'approved').reduce((sum, i) => sum + Number(i.cost_yuan), 0)
    expect(approved).toBeGreaterThan(10_000_000)
    await atlas.page.locator('[data-testid="plan-budget-input"]').fill('1000')
    await atlas.page.waitForFunction(() => document.querySelector('[data-testid="plan-totals"]')?.getAttribute('data-status') === 'infeasible', null, { timeout: 30_000, polling: 100 })
    const conflict = await atlas.text('plan-conflict')
    expect(conflict).toContain('预算')
    expect(await atlas.page.locator('[data-testid="plan-conflict"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind')))).toEqual(expect.arrayContaining(['budget', 'keep_approved']))

    // a budget that holds them: solved again, within it
    await atlas.page.locator('[data-testid="plan-budget-input"]').fill('1500')
    await atlas.page.waitForFunction(() => /budget=15(&|$)/.test(location.hash), null, { timeout: 5_000, polling: 100 })
    const smaller = await fundedFigures(atlas, 15_000_000)
    expect(smaller.cost).toBeLessThanOrEqual(15_000_000)
    expect(smaller.score).toBeCloseTo((await expectedPlan(expected.items, [15_000_000])).total_score, 2)
    expect(smaller.score).toBeLessThan(funded.score)
    expect(await atlas.page.locator('[data-testid="plan-example"]').count()).toBe(0)

    // a funded proposed item excluded from its card: the plan leaves it out and scores less
    const dropped = (await fundedCodes(atlas)).find((code) => expected.items.find((i) => i.code === code)!.status === 'proposed')!
    await atlas.page.locator(`[data-testid="backlog-row"][data-code="${dropped}"]`).click()
    await atlas.page.locator('[data-testid="card-exclude"]').check()
    await atlas.page.waitForFunction((code) => decodeURIComponent(location.hash).includes(`bl-ex=${code}`), dropped, { timeout: 5_000, polling: 100 })
    const without = await fundedFigures(atlas, 15_000_000)
    expect(await fundedCodes(atlas)).not.toContain(dropped)
    expect(without.score).toBeLessThanOrEqual(smaller.score)
    expect(await atlas.text('plan-exclude')).toContain(dropped)

    // the exports: CSV with its BOM and Chinese headers, an XLSX workbook
    const [csv] = await Promise.all([atlas.page.waitForEvent('download'), atlas.page.locator('[data-testid="plan-export-csv"]').click()])
    const text = (await downloadedBytes(csv)).toString('utf8')
    expect(text.startsWith('\uFEFF编号,名称,类别')).toBe(true)
    expect(text.trim().split('\n').length).toBeGreaterThan(expected.items.length)
    const [xlsx] = await Promise.all([atlas.page.waitForEvent('download', { timeout: 30_000 }), atlas.page.locator('[data-testid="plan-export-xlsx"]').click()])
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/)
    expect((await downloadedBytes(xlsx)).subarray(0, 2).toString()).toBe('PK')

    // a reload restores the budget, the constraint and the selection
    await atlas.page.reload({ waitUntil: 'domcontentloaded' })
    expect((await fundedFigures(atlas, 15_000_000)).score).toBeCloseTo(without.score, 2)
    expect(await atlas.page.locator('[data-testid="plan-budget"]').getAttribute('data-budget')).toBe('15000000')
    expect(await atlas.page.locator('[data-testid="backlog-card"]').getAttribute('data-code')).toBe(dropped)
    expect(await atlas.page.locator('[data-testid="card-exclude"]').isChecked()).toBe(true)
    expect(atlas.consoleErrors).toEqual([])
  })

  test('the works role approves an item with a remark and sees the history line; a stale step is refused with what changed', async () => {
    const before = await scores()
    const item = before.items.filter((i) => i.status === 'proposed').sort((a, b) => b.score - a.score || a.code.localeCompare(b.code))[0]
    const atlas = await open(`${cardView}&ws=backlog&role=works&item=${item.code}`)
    await atlas.waitForIdle({ timeout: 90_000 })
    const card = atlas.page.locator('[data-testid="backlog-card"]')
    expect(await card.getAttribute('data-code')).toBe(item.code)

    // only the steps the database allows are offered
    const steps = () => atlas.page.locator('[data-testid="status-step"]').evaluateAll((b) => b.map((x) => x.getAttribute('data-status')))
    expect(await steps()).toEqual(['approved', 'rejected'])
    const remark = '经局务会研究同意（测试）'
    await atlas.page.locator('[data-testid="status-remark"]').fill(remark)
    await atlas.page.locator('[data-testid="status-step"][data-status="approved"]').click()
    await atlas.page.waitForFunction(() => document.querySelector('[data-testid="card-status"]')?.getAttribute('data-status') === 'approved', null, { timeout: 15_000, polling: 100 })
    await atlas.waitForText('card-history', remark)
    const line = atlas.page.locator('[data-testid="history-row"]').first()
    expect(await line.textContent()).toContain('已提出 → 已批准')
    const recorded = await history(item.code)
    expect(recorded[0].remark).toBe(remark)
    expect(recorded[0].changes.status).toEqual(['proposed', 'approved'])
    expect(await steps()).toEqual(['in_progress', 'rejected'])
    await atlas.waitForIdle({ timeout: 60_000 })
    await atlas.page.mouse.move(1, 1)
    await card.evaluate((element) => element.scrollTo(0, 0))
    await saveArtifact(atlas.page, 'backlog.png', { readme: true })

    // someone else starts the works meanwhile: the page's step is stale, refused, and the item read again
    await asCaller(suite.server.db, userClaims('works', 'backlog-test-other'), async (tx) => {
      const version = (await tx.query<{ version: number }>('select version from atlas.backlog_item where code = $1', [item.code])).rows[0].version
      await tx.query('select public.set_backlog_status($1, $2, $3, $4)', [item.code, 'in_progress', version, '另一位同事'])
    })
    await atlas.page.locator('[data-testid="status-step"][data-status="rejected"]').click()
    const conflict = await atlas.text('status-conflict', 15_000)
    expect(conflict).toContain(item.code)
    expect(conflict).toMatch(/changed since you loaded it/)
    await atlas.page.waitForFunction(() => document.querySelector('[data-testid="card-status"]')?.getAttribute('data-status') === 'in_progress', null, { timeout: 15_000, polling: 100 })
    expect(await steps()).toEqual(['done'])
    expect((await scores()).items.find((i) => i.code === item.code)!.status).toBe('in_progress')

    // other weights: previewed (the database scores them, nothing written), then saved, with who set them
    await atlas.page.locator('[data-testid="backlog-weights"] > summary').click()
    await atlas.page.locator('[data-testid="weight-input"][data-key="households"]').fill('0.6')
    await atlas.page.locator('[data-testid="preview-note"]').waitFor({ timeout: 15_000 })
    await atlas.page.locator('[data-testid="weights-preview"] li').first().waitFor({ timeout: 15_000 })
    expect((await scores()).weights.households).toBe(0.25)
    await atlas.page.locator('[data-testid="weights-save"]').click()
    await atlas.waitForText('weights-set', 'works')
    const stored = await scores()
    expect(stored.weights.households).toBe(0.6)
    expect(stored.weights_set_by).toMatch(/works/)
    expect(await atlas.page.locator('[data-testid="preview-note"]').count()).toBe(0)
    expect(atlas.consoleErrors.filter((e) => !/409|Conflict/i.test(e))).toEqual([])
  })
})
