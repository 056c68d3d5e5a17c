// What every browser test file sets up the same way: the app built, one Chromium, one server over
// a copy of the sample city, and every page a test opens closed after it, the test failing on an
// uncaught exception in any of them (a bug whatever the test was about). The vitest side of
// ./harness.ts, which the benchmarks share and which stays free of vitest.
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { copySampleDatabase } from '../helpers/databases.ts'
import { buildApp, launchBrowser, openPage, startServer, type AtlasPage, type AtlasServer, type PageOptions } from './harness.ts'

export interface BrowserSuite {
  readonly server: AtlasServer
  readonly browser: Browser
  /** The built app's folder. */
  readonly staticDir: string
  /** A page of the app at `hash`, closed after the test. */
  open(hash: string): Promise<AtlasPage>
  /** A page opened by hand, closed after the test too. */
  track(page: AtlasPage): AtlasPage
}

/** Registers the file's hooks; the suite's parts exist from its first test on. */
export function browserSuite(options: PageOptions = {}): BrowserSuite {
  const pages: AtlasPage[] = []
  let server: AtlasServer | undefined
  let browser: Browser | undefined
  let staticDir = ''
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
    get staticDir() {
      return staticDir
    },
    async open(hash) {
      const page = suite.track(await openPage(suite.browser, suite.server.url, options))
      await page.goto(hash)
      return page
    },
    track(page) {
      pages.push(page)
      return page
    },
  }

  beforeAll(async () => {
    const [built, launched] = await Promise.all([buildApp((m) => console.log(`[browser tests] ${m}`)), launchBrowser()])
    staticDir = built
    browser = launched
    server = await startServer(copySampleDatabase(), staticDir)
  })

  afterEach(() => closePages(pages))

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  return suite
}

/** Closes the pages a test opened (emptying the list), failing the test on an uncaught exception in any of them. */
export async function closePages(pages: AtlasPage[]): Promise<void> {
  const pageErrors = pages.flatMap((p) => p.pageErrors)
  await Promise.all(pages.splice(0).map((p) => p.close()))
  expect(pageErrors, 'uncaught exceptions in the page').toEqual([])
}
