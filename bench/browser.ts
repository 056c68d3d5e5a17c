// The map in Debian's Chromium (WebGL2 on SwiftShader, no GPU): how long the city takes to be
// drawn, how smooth panning is at grid zoom, how fast a proposed facility's circle follows a drag,
// and how much JavaScript the app sends. The rival of the page timings is the same page with no
// layer of ours (`layers=`: the basemap only), measured in the same run, alternately, so that the
// machine's noise falls on both alike; the rival of the drag is the same engine in Node.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import type { Browser } from 'playwright-core'
import { readModel } from '../src/circles/store.ts'
import { connect } from '../src/db/connect.ts'
import { asCaller, userClaims } from '../src/db/session.ts'
import { loadSample } from '../src/db/sample.ts'
import { defaultLayers } from '../src/layers/zoom.ts'
import { buildApp, jsAssets, launchBrowser, openPage, startServer } from '../tests/browser/harness.ts'
import { compare, median, round, type BenchResult } from './harness.ts'

const log = (message: string) => console.error(`[bench browser] ${message}`)
const ours = `layers=${defaultLayers.join(',')}`
const rival = 'layers='
const rivalName = 'the same page with layers= (the basemap only)'

/** The city at city zoom, as the map test opens it. */
const cityView = 'map=11.50/28.0790/119.0790'

/** Navigation start → the map idle (every tile of every drawn layer in), in ms. */
async function loadTime(browser: Browser, url: string, layers: string): Promise<number> {
  // A new context each time: no HTTP cache, no session; the page signs in as a first visit does.
  const atlas = await openPage(browser, url)
  try {
    await atlas.goto(`${cityView}&${layers}`)
    await atlas.waitForIdle({ settleMs: 500, timeout: 60_000 })
    const states = await atlas.states()
    const idle = states.findLast(([state]) => state === 'idle')
    if (!idle) throw new Error(`no idle state recorded: ${JSON.stringify(states)}`)
    return idle[1]
  } finally {
    await atlas.close()
  }
}

// Across the city through its centre (119.14 E 28.07 N) at zoom 14: from 1,500 px west of the
// centre to 1,500 px east of it, in ten animated pans of 300 px a second (SwiftShader draws a
// frame in 0.1–1 s: a second a pan gives every run frames enough to take a median of).
const panZoom = 14
const panSteps = 10
const panStepPx = 300
const panStepMs = 1000

/** The intervals between animation frames (ms) while the map pans across the city. */
async function panFrames(browser: Browser, url: string, layers: string): Promise<number[]> {
  const atlas = await openPage(browser, url)
  try {
    const degreesPerPx = 360 / (512 * 2 ** panZoom)
    const startLon = 119.14 - ((panSteps * panStepPx) / 2) * degreesPerPx
    await atlas.goto(`map=${panZoom.toFixed(2)}/28.0700/${startLon.toFixed(5)}&${layers}`)
    await atlas.waitForIdle({ timeout: 60_000 })
    // A string, not a function: tsx would wrap the named functions in a helper the page lacks.
    return await atlas.page.evaluate<number[]>(`(async () => {
      const map = window.__atlas.map;
      const stamps = [];
      let running = true;
      const tick = (t) => {
        stamps.push(t);
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      for (let i = 0; i < ${panSteps}; i++) {
        await new Promise((resolve) => {
          map.once('moveend', () => resolve());
          map.panBy([${panStepPx}, 0], { duration: ${panStepMs}, easing: (t) => t });
        });
      }
      running = false;
      return stamps.slice(1).map((t, i) => t - stamps[i]);
    })()`)
  } finally {
    await atlas.close()
  }
}

interface WhatIfUpdate {
  lon: number
  lat: number
  type: string
  minutes: number
  speed: number
  ms: number
}

/**
 * A planner places an elderly-care station at grid zoom and drags it ~100 steps across the
 * centre: the worker's compute time of every update it answered (it drops the positions that
 * arrive while it computes, so these are the updates the page drew).
 */
async function whatIfDrag(browser: Browser, url: string, steps = 100): Promise<WhatIfUpdate[]> {
  const atlas = await openPage(browser, url)
  try {
    await atlas.goto('map=15.00/28.0712/119.1420&layers=street,community,grid&ws=circles&role=planner&circles-show=elderly_care,uncovered')
    await atlas.waitForIdle({ timeout: 120_000 })
    await atlas.text('whatif-ready', 60_000)
    await atlas.page.locator('[data-testid="whatif-type"]').selectOption('elderly_care')
    await atlas.page.locator('[data-testid="whatif-start"]').click()
    const start: [number, number] = [119.15, 28.0712]
    await atlas.clickAt(start)
    await atlas.page.locator('[data-testid="whatif-newly"]').waitFor({ timeout: 10_000 })
    await atlas.waitForIdle()
    const placed = await atlas.page.evaluate(() => (window.__atlasWhatIfLog ?? []).length)
    const from = await atlas.project(start)
    const box = (await atlas.page.locator('#map').boundingBox())!
    await atlas.page.mouse.move(box.x + from.x, box.y + from.y)
    await atlas.page.mouse.down()
    // 100 steps of 4 px west and 2 px south: ~450 m across streets, blocks and the river's bank
    for (let i = 1; i <= steps; i++) await atlas.page.mouse.move(box.x + from.x - 4 * i, box.y + from.y + 2 * i)
    await atlas.page.mouse.up()
    await atlas.waitForIdle()
    return (await atlas.page.evaluate(() => window.__atlasWhatIfLog ?? [])).slice(placed)
  } finally {
    await atlas.close()
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export async function runBrowserBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-browser-')), 'db')
  const [staticDir, browser] = await Promise.all([
    buildApp(log),
    launchBrowser(),
    (async () => {
      const loading = await connect(dir, 'bench')
      await loadSample(loading.db)
      await loading.close()
    })(),
  ])
  const server = await startServer(dir, staticDir)
  try {
    // Page load, n of each, alternating, after one unmeasured load of each.
    const n = 5
    await loadTime(browser, server.url, ours)
    await loadTime(browser, server.url, rival)
    const loads: { ours: number[]; rival: number[] } = { ours: [], rival: [] }
    for (let i = 0; i < n; i++) {
      loads.ours.push(await loadTime(browser, server.url, ours))
      loads.rival.push(await loadTime(browser, server.url, rival))
    }
    log(`page load (ms), ours: ${loads.ours.map((t) => round(t)).join(', ')}; basemap only: ${loads.rival.map((t) => round(t)).join(', ')}`)
    results.push(compare('browser_page_load_city_zoom', median(loads.ours), median(loads.rival), rivalName, n))

    // Frame time while panning at grid zoom, runs alternating.
    const runs = 3
    const frames: { ours: number[]; rival: number[] } = { ours: [], rival: [] }
    for (let i = 0; i < runs; i++) {
      frames.ours.push(...(await panFrames(browser, server.url, ours)))
      frames.rival.push(...(await panFrames(browser, server.url, rival)))
    }
    log(`pan frames: ours ${frames.ours.length}, basemap only ${frames.rival.length}`)
    results.push(compare('browser_pan_frame_time_median_zoom14', median(frames.ours), median(frames.rival), rivalName, runs))
    results.push(compare('browser_pan_frame_time_p95_zoom14', percentile(frames.ours, 95), percentile(frames.rival, 95), rivalName, runs))

    // Dragging a proposed facility: the worker's time per update, against the same updates
    // computed by the same engine in Node (CircleModel.whatIf) on the same points, in this run.
    const updates = await whatIfDrag(browser, server.url)
    const model = await asCaller(server.db, userClaims('planner', 'bench'), readModel, true)
    // a first pass warms the engine, as the worker was warmed when it loaded; the second is measured
    for (const u of updates) model.whatIf(u.lon, u.lat, u.type, u)
    const nodeTimes = updates.map((u) => model.whatIf(u.lon, u.lat, u.type, u).ms)
    const browserTimes = updates.map((u) => u.ms)
    log(`what-if drag: ${updates.length} updates; worker p50 ${round(median(browserTimes))} ms, p95 ${round(percentile(browserTimes, 95))} ms; Node p50 ${round(median(nodeTimes))} ms, p95 ${round(percentile(nodeTimes, 95))} ms`)
    results.push(compare('whatif_drag_update_p95', percentile(browserTimes, 95), percentile(nodeTimes, 95), 'the same updates by CircleModel.whatIf in Node', updates.length))
  } finally {
    await browser.close()
    await server.close()
  }

  // The JavaScript a first visit downloads, gzipped (zlib's default level, as servers send it).
  const bytes = jsAssets(staticDir).reduce((sum, file) => sum + zlib.gzipSync(fs.readFileSync(file)).length, 0)
  results.push({ name: 'app_js_bundle_gzip', value: bytes, unit: 'bytes', baseline: null, ratio: null, n: 1 })
  fs.rmSync(path.dirname(dir), { recursive: true, force: true })
  return results
}
