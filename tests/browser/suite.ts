// What every browser test file sets up the same way: the run's Chromium and the run's build of the
// app (./global-setup.ts), a server over a copy of the sample city of the file's own, and every page
// a test opens closed after it, the test failing on an uncaught exception in any of them (a bug
// whatever the test was about). The vitest side of ./harness.ts, which the benchmarks share and
// which stays free of vitest.
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest'
import { copySampleDatabase } from '../helpers/databases.ts'
import { builtApp } from './global-setup.ts'
import { connectBrowser, openPage, startServer, type AtlasPage, type AtlasServer, type PageOptions, type StartOptions } from './harness.ts'

export interface SuiteOptions extends PageOptions {
  /** How the file's server starts; false when the file starts its servers itself. */
  server?: StartOptions | false
}

export interface BrowserSuite {
  readonly server: AtlasServer
  readonly browser: Browser
  /** The built app's folder. */
  readonly staticDir: string
  /**
   * A page of the app at `hash` (on the file's server unless another is given; in the file's
   * window unless the test names one), closed after the test. A function, not a method: the files
   * take it out of the suite (`const { open } = suite`).
   */
  open: (hash: string, server?: AtlasServer, options?: PageOptions) => Promise<AtlasPage>
  /** A page opened by hand, closed after the test too. */
  track(page: AtlasPage): AtlasPage
}

/** Registers the file's hooks; the suite's parts exist from its first test on. */
export function browserSuite({ server: serverOptions = {}, ...pageOptions }: SuiteOptions = {}): BrowserSuite {
  const pages: AtlasPage[] = []
  const staticDir = inject('appBuild')
  let server: AtlasServer | undefined
  let browser: Browser | undefined
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the browser suite's ${what} is not started yet`)
    return value
  }
  const suite: BrowserSuite = {
    get server() {
      return ready(server, 'server')
    },
    get browser() {
      return ready(browser, 'browser')
    },
    staticDir,
    async open(hash, on = suite.server, options = {}) {
      const page = suite.track(await openPage(suite.browser, on.url, { ...pageOptions, ...options }))
      await page.goto(hash)
      return page
    },
    track(page) {
      pages.push(page)
      return page
    },
  }

  beforeAll(async () => {
    const endpoint = inject('chromiumEndpoint')
    if (staticDir === undefined || endpoint === undefined)
      throw new Error('no build and no Chromium for the run: the browser files run in the browser project, whose global setup is tests/browser/global-setup.ts')
    // each part kept as soon as it is up, so that afterAll closes it whichever other part failed
    await Promise.all([
      serverOptions === false ? undefined : startServer(copySampleDatabase(), staticDir, serverOptions).then((started) => (server = started)),
      connectBrowser(endpoint).then((connected) => (browser = connected)),
      builtApp(staticDir),
    ])
  })

  afterEach(() => closePages(pages))

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  return suite
}

/**
 * Closes the pages a test opened (emptying the list), failing the test on an uncaught exception in
 * any of them, or on anything the server's Content-Security-Policy refused (a worker, a script, a
 * tile, a font the page needed).
 */
async function closePages(pages: AtlasPage[]): Promise<void> {
  const pageErrors = pages.flatMap((p) => p.pageErrors)
  const refused = pages.flatMap((p) => p.consoleErrors).filter((message) => /Content Security Policy/i.test(message))
  await Promise.all(pages.splice(0).map((p) => p.close()))
  expect(pageErrors, 'uncaught exceptions in the page').toEqual([])
  expect(refused, 'what the Content-Security-Policy refused').toEqual([])
}
