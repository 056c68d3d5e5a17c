// The browser project's share of a run: the app built once and one Chromium, for every file.
// Each file connects to that Chromium (a browser context per page keeps them apart) and serves
// the build from a server of its own. Chromium is launched here, in a second or two; the build,
// tens of seconds when the sources changed, runs beside the run, like the template databases,
// so the projects that need neither do not wait for it: a browser file waits in its beforeAll.
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TestProject } from 'vitest/node'
import { appBuildFolder, buildApp, launchBrowserServer } from './harness.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder the app is being built into (built once its index.html is there). */
    appBuild: string
    /** The run's Chromium, for connectBrowser(). */
    chromiumEndpoint: string
  }
}

/** Where a build that failed leaves its words, for the files that wait for it. */
const failureFile = (folder: string) => `${folder}.failed`

export default async function setup(project: TestProject) {
  let building = startBuilding(project)
  // in watch mode, a rerun tests the sources as they are then
  project.onTestsRerun(async () => {
    await building
    building = startBuilding(project)
  })
  const chromium = await launchBrowserServer()
  project.provide('chromiumEndpoint', chromium.wsEndpoint())
  return async () => {
    await chromium.close()
    await building
  }
}

/** Builds the app from its sources as they are now, beside the run, and tells the files where it goes. */
function startBuilding(project: TestProject): Promise<void> {
  const folder = appBuildFolder()
  fs.rmSync(failureFile(folder), { force: true })
  project.provide('appBuild', folder)
  return buildApp((line) => console.log(`[browser tests] ${line}`), folder).then(
    () => undefined,
    (error: unknown) => fs.writeFileSync(failureFile(folder), error instanceof Error ? error.message : String(error)),
  )
}

/** The built app's folder, once the build the run started is done; its failure, in the build's words. */
export async function builtApp(folder: string, timeoutMs = 10 * 60_000): Promise<string> {
  for (const start = Date.now(); ; await sleep(200)) {
    if (fs.existsSync(`${folder}/index.html`)) return folder
    if (fs.existsSync(failureFile(folder))) throw new Error(fs.readFileSync(failureFile(folder), 'utf8'))
    if (Date.now() - start > timeoutMs) throw new Error(`the app was not built into ${folder} within ${timeoutMs / 60_000} minutes`)
  }
}
