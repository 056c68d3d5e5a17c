// Drives the built app in Debian's Chromium: builds the app (once per state of its sources),
// serves it from the embedded server over a database folder, opens pages and waits for the
// app's own word that the map is drawn (`data-atlas-state`, see notes/ui-contract.md).
// Shared by tests/browser/*.test.ts and bench/browser.ts; it uses nothing of vitest.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import type http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import { chromium, type Browser, type BrowserContext, type BrowserServer, type Download, type LaunchOptions, type Page } from 'playwright-core'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { projectRoot, readMeta } from '../../src/db/embedded.ts'
import { guardDatabase } from '../../src/db/guard.ts'
import { callDeadlineMs, createAtlasServer, listen, type ServerOptions } from '../../src/server/app.ts'
import { Auth } from '../../src/server/auth.ts'
import { sourcesHash } from '../../src/server/build.ts'

export const chromiumPath = process.env.ATLAS_CHROMIUM ?? '/usr/bin/chromium'
/**
 * Where the pages' WebGL2 (MapLibre's and deck.gl's) is drawn, with no GPU: Mesa's llvmpipe, through
 * ANGLE on EGL with no display (Debian's libegl-mesa0 and libgl1-mesa-dri), or Chromium's own
 * SwiftShader (ATLAS_WEBGL=swiftshader, where Mesa is missing). llvmpipe draws the same pages with
 * about 40 % less of the GPU process's time once its shaders are compiled (README, Tests).
 */
export const webgl: 'llvmpipe' | 'swiftshader' = process.env.ATLAS_WEBGL === 'swiftshader' ? 'swiftshader' : 'llvmpipe'

export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  ...(webgl === 'llvmpipe' ? ['--use-angle=gl-egl', '--ignore-gpu-blocklist'] : ['--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader']),
]

/** llvmpipe's EGL needs no display: Mesa is told so. */
const chromiumEnv = (): NodeJS.ProcessEnv => (webgl === 'llvmpipe' ? { ...process.env, EGL_PLATFORM: 'surfaceless' } : process.env)

export const artifactsDir = path.join(projectRoot, 'tests/artifacts')
export const screenshotsDir = path.join(projectRoot, 'tests/screenshots')

// ── the build ────────────────────────────────────────────────────────────────────────────

const buildsRoot = path.join(os.tmpdir(), 'atlas-app-builds')

/** The folder the app built from its sources as they are now goes to. */
export function appBuildFolder(): string {
  return path.join(buildsRoot, sourcesHash().slice(0, 16))
}

/**
 * The app built by `vite build` into a folder of its own, named by the hash of its sources, so
 * a second run (or the benchmark after the tests) reuses it and a change rebuilds it. It never
 * touches dist/, which `npm start` serves. The build runs in a child process: inside vitest
 * NODE_ENV is `test`, which Vite would bake into the bundle (React's development build). It reads
 * no .env and no VITE_* variable: the app under test talks to the embedded server, not to the
 * Supabase project a developer's .env may name.
 */
export async function buildApp(log: (message: string) => void = () => {}, outDir = appBuildFolder()): Promise<string> {
  const hash = path.basename(outDir)
  if (fs.existsSync(path.join(outDir, 'index.html'))) return outDir
  fs.mkdirSync(buildsRoot, { recursive: true })
  const temp = fs.mkdtempSync(path.join(buildsRoot, `${hash}.tmp-`))
  const t0 = performance.now()
  log(`building the app into ${outDir} …`)
  const script = `
    const { build } = await import(${JSON.stringify(path.join(projectRoot, 'node_modules/vite/dist/node/index.js'))})
    await build({ root: ${JSON.stringify(projectRoot)}, mode: 'production', envDir: false, logLevel: 'warn', build: { outDir: process.argv[1], emptyOutDir: true } })
  `
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NO_COLOR: '1', FORCE_COLOR: '0' }
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name.startsWith('VITE_')) delete env[name]
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, temp], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code}):\n${output}`))))
  }).catch((error) => {
    fs.rmSync(temp, { recursive: true, force: true })
    throw error
  })
  try {
    fs.renameSync(temp, outDir)
  } catch {
    fs.rmSync(temp, { recursive: true, force: true }) // another process built the same sources first
  }
  log(`app built in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  // Builds of other sources go once no run can still be serving them (a run lasts minutes).
  for (const name of fs.readdirSync(buildsRoot)) {
    const dir = path.join(buildsRoot, name)
    if (!name.startsWith(hash) && Date.now() - fs.statSync(dir).mtimeMs > 30 * 60_000) fs.rmSync(dir, { recursive: true, force: true })
  }
  return outDir
}

/** The app's JavaScript files in a build. */
export function jsAssets(outDir: string): string[] {
  const assets = path.join(outDir, 'assets')
  return fs
    .readdirSync(assets)
    .filter((name) => /\.m?js$/.test(name))
    .map((name) => path.join(assets, name))
}

// ── the server ───────────────────────────────────────────────────────────────────────────

export interface AtlasServer {
  url: string
  db: Database
  /** The folder's secret holder: signs the command line's administration tokens. */
  auth: Auth
  server: http.Server
  close(): Promise<void>
}

/** What a test may set of the server beyond its database and its build. */
export interface StartOptions extends Omit<ServerOptions, 'db' | 'auth' | 'staticDir' | 'middleware'> {
  /** Watch the database as `npm start` does: a lost folder is answered with 503 in words. */
  guard?: boolean
  /** Runs on the opened database before the server starts (an account added, say). */
  before?: (db: Database) => Promise<void>
}

/**
 * The embedded server over a database folder (a copy: PGlite holds it), serving a build, as
 * `npm start` runs it: the database in a thread of its own, each call under the deadline.
 */
export async function startServer(databaseDir: string, staticDir: string, { guard = false, before, ...options }: StartOptions = {}): Promise<AtlasServer> {
  const opened = await openDatabase(databaseDir, { thread: true })
  await before?.(opened)
  if (opened.limits) opened.limits.deadlineMs = callDeadlineMs
  const db = guard ? guardDatabase(opened, databaseDir) : opened
  const auth = new Auth(readMeta(databaseDir).jwtSecret)
  // the sign-in lines are the server's log, not the tests'
  const server = await createAtlasServer({ log: () => {}, ...options, db, auth, staticDir })
  const port = await listen(server, 0, '127.0.0.1')
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    auth,
    server,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await db.close()
    },
  }
}

// ── the browser ──────────────────────────────────────────────────────────────────────────

function launchOptions(): LaunchOptions {
  if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium (or set ATLAS_CHROMIUM)`)
  return { executablePath: chromiumPath, headless: true, args: chromiumArgs, env: chromiumEnv(), timeout: 60_000 }
}

/** Chromium, headless, with a fresh profile of its own (Playwright makes one per launch). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch(launchOptions())
}

/**
 * Chromium for a whole test run, which each test file joins with connectBrowser(): a launch costs
 * seconds of the two cores, a connection milliseconds, and a browser context per page keeps the
 * files as apart as browsers of their own would.
 */
export function launchBrowserServer(): Promise<BrowserServer> {
  return chromium.launchServer(launchOptions())
}

export function connectBrowser(wsEndpoint: string): Promise<Browser> {
  return chromium.connect(wsEndpoint, { timeout: 60_000 })
}

/**
 * A download's bytes. Download.path() is refused over a connection to a browser server; the
 * stream is not.
 */
export async function downloadedBytes(download: Download): Promise<Buffer> {
  return buffer(await download.createReadStream())
}

export type AtlasState = 'booting' | 'loading' | 'idle' | 'error'

export interface WaitOptions {
  /** How long the state must stay idle before it counts (an action may start loading late). */
  settleMs?: number
  timeout?: number
  /** Return 'error' instead of throwing when the page shows an error. */
  allowError?: boolean
}

export interface AtlasPage {
  page: Page
  context: BrowserContext
  /** console.error messages and failed loads the page reported. */
  consoleErrors: string[]
  /** Uncaught exceptions and unhandled rejections. */
  pageErrors: string[]
  /** Requests that went to another host than the server (the app should need none). */
  foreignRequests: string[]
  /** Opens the app with a hash (`map=…&layers=…`); does not wait for idle. */
  goto(hash?: string): Promise<void>
  /** Waits until the map is drawn: idle for settleMs (or an error, when allowed). */
  waitForIdle(options?: WaitOptions): Promise<AtlasState>
  state(): Promise<AtlasState | undefined>
  /** Every state the page went through, with performance.now() (ms since navigation start). */
  states(): Promise<[AtlasState, number][]>
  /** The text of a data-testid element (waits for it). */
  text(testId: string, timeout?: number): Promise<string>
  /** Waits until a data-testid element's text contains `expected`, and returns the text. */
  waitForText(testId: string, expected: string, timeout?: number): Promise<string>
  /** Searches a unit by its code, takes the first hit (Enter) and waits for the inspector to name it; returns the name shown. */
  searchAndOpen(code: string, name: string): Promise<string>
  /** Canvas pixels (relative to #map) of a position, by the map's own projection. */
  project(lonLat: [number, number]): Promise<{ x: number; y: number }>
  /** Clicks the map at a position. */
  clickAt(lonLat: [number, number]): Promise<void>
  view(): Promise<{ zoom: number; lon: number; lat: number }>
  hash(): Promise<string>
  close(): Promise<void>
}

declare global {
  interface Window {
    /** Each change of data-atlas-state with its time (performance.now()), kept by stateRecorder. */
    __atlasStates?: [AtlasState, number][]
  }
}

// Records each change of data-atlas-state with its time, from the first script of the page on.
// A string, not a function: tsx (the benchmarks) would wrap named functions in a helper the page
// does not have.
const stateRecorder = `
  window.__atlasStates = [];
  new MutationObserver(() => {
    const state = document.documentElement && document.documentElement.dataset.atlasState;
    const last = window.__atlasStates[window.__atlasStates.length - 1];
    if (state && (!last || last[0] !== state)) window.__atlasStates.push([state, performance.now()]);
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-atlas-state'] });
`

/** The window of the README's pictures of the desktop, and of the tests that count a picture's pixels. */
export const pictureWindow = { viewport: { width: 1280, height: 800 } }

export interface PageOptions {
  /**
   * The window: by default the smallest desktop the layouts are made for (1024 × 640), which
   * Chromium draws in two thirds of the time of 1280 × 800 with no GPU; the README's pictures and
   * the phone's tests name their own.
   */
  viewport?: { width: number; height: number }
}

export async function openPage(browser: Browser, baseUrl: string, options: PageOptions = {}): Promise<AtlasPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1024, height: 640 }, deviceScaleFactor: 1, locale: 'zh-CN', reducedMotion: 'reduce' })
  const page = await context.newPage()
  await page.addInitScript(stateRecorder)
  const consoleErrors: string[] = []
  const pageErrors: string[] = []
  const foreignRequests: string[] = []
  const origin = new URL(baseUrl).origin
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const { url, lineNumber } = message.location()
      consoleErrors.push(`${message.text()}${url ? ` (${url}:${lineNumber})` : ''}`)
    }
  })
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message))
  page.on('request', (request) => {
    const url = request.url()
    if (/^https?:/.test(url) && new URL(url).origin !== origin) foreignRequests.push(url)
  })

  const byTestId = (testId: string) => page.locator(`[data-testid="${testId}"]`).first()
  const describe = async () => {
    const state = await page.evaluate(() => document.documentElement.dataset.atlasState).catch(() => undefined)
    const error = await byTestId('error')
      .textContent({ timeout: 200 })
      .catch(() => null)
    return (
      `state ${state ?? '(none)'}` +
      (error ? `; the error banner says: ${error}` : '') +
      (pageErrors.length ? `; page errors: ${pageErrors.join(' | ')}` : '') +
      (consoleErrors.length ? `; console errors: ${consoleErrors.slice(0, 5).join(' | ')}` : '')
    )
  }

  const atlasPage: AtlasPage = {
    page,
    context,
    consoleErrors,
    pageErrors,
    foreignRequests,
    goto: async (hash = '') => {
      await page.goto(`${baseUrl}/${hash ? `#${hash.replace(/^#/, '')}` : ''}`, { waitUntil: 'domcontentloaded' })
    },
    waitForIdle: async ({ settleMs = 400, timeout = 45_000, allowError = false } = {}) => {
      let state: AtlasState
      try {
        const handle = await page.waitForFunction(
          (settle) => {
            const s = document.documentElement.dataset.atlasState
            if (s === 'error') return s
            const log = window.__atlasStates ?? []
            const since = log.length ? performance.now() - log[log.length - 1][1] : 0
            return s === 'idle' && since >= settle ? s : false
          },
          settleMs,
          { timeout, polling: 50 },
        )
        state = (await handle.jsonValue()) as AtlasState
      } catch (error) {
        throw new Error(`the page did not become idle in ${timeout} ms: ${await describe()}`, { cause: error })
      }
      if (state === 'error' && !allowError) throw new Error(`the page shows an error: ${await describe()}`)
      return state
    },
    state: () => page.evaluate(() => document.documentElement.dataset.atlasState as AtlasState | undefined),
    states: () => page.evaluate(() => window.__atlasStates ?? []),
    text: async (testId, timeout = 10_000) => {
      const locator = byTestId(testId)
      await locator.waitFor({ state: 'visible', timeout })
      return (await locator.textContent()) ?? ''
    },
    waitForText: async (testId, expected, timeout = 15_000) => {
      try {
        await page.waitForFunction(
          ([id, text]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.includes(text) ?? false,
          [testId, expected] as const,
          { timeout, polling: 50 },
        )
      } catch (error) {
        const now = await byTestId(testId)
          .textContent({ timeout: 200 })
          .catch(() => null)
        throw new Error(`${testId} did not come to say “${expected}” in ${timeout} ms; it says ${now === null ? '(not there)' : `“${now}”`}; ${await describe()}`, {
          cause: error,
        })
      }
      return (await byTestId(testId).textContent()) ?? ''
    },
    searchAndOpen: async (code, name) => {
      await byTestId('search-input').fill(code)
      await atlasPage.waitForText('search-result', name)
      await byTestId('search-input').press('Enter')
      return atlasPage.waitForText('inspector-name', name)
    },
    project: (lonLat) =>
      page.evaluate((position) => {
        const { map } = window.__atlas!
        const { x, y } = map.project(position)
        return { x, y }
      }, lonLat),
    clickAt: async (lonLat) => {
      const { x, y } = await atlasPage.project(lonLat)
      const box = await page.locator('#map').boundingBox()
      if (!box) throw new Error('#map is not on the page')
      if (x < 0 || y < 0 || x > box.width || y > box.height) throw new Error(`${lonLat.join(',')} is off the map (${x}, ${y})`)
      const cover = await page.evaluate(
        ([px, py]) => {
          const element = document.elementFromPoint(px, py)
          return element?.closest('#map') && !element.closest('.maplibregl-control-container') ? null : (element?.outerHTML.slice(0, 120) ?? 'nothing')
        },
        [box.x + x, box.y + y] as const,
      )
      if (cover) throw new Error(`${lonLat.join(',')} is under something else than the map: ${cover}`)
      await page.mouse.click(box.x + x, box.y + y)
    },
    view: () =>
      page.evaluate(() => {
        const { map } = window.__atlas!
        const { lng, lat } = map.getCenter()
        return { zoom: map.getZoom(), lon: lng, lat }
      }),
    hash: () => page.evaluate(() => decodeURIComponent(window.location.hash)),
    close: () => context.close(),
  }
  return atlasPage
}

/**
 * A screenshot into tests/artifacts/ (git-ignored); with ATLAS_UPDATE_SCREENSHOTS=1 the views the
 * README shows (`readme: true`) are copied to tests/screenshots/ as well.
 */
export async function saveArtifact(page: Page, name: string, { readme = false } = {}): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true })
  const file = path.join(artifactsDir, name)
  await page.screenshot({ path: file })
  if (readme && process.env.ATLAS_UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(screenshotsDir, { recursive: true })
    fs.copyFileSync(file, path.join(screenshotsDir, name))
  }
  return file
}
