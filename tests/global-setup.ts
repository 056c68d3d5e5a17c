// The template databases of the projects that copy them (database, browser, faults): started
// once per run, by whichever of those projects sets up first, and reused by the next runs while
// the migrations, the sample city and the code that loads them stay the same (tests/helpers/templates.ts).
// The run does not wait for them here: a file waits when it first copies one.
import type { TestProject } from 'vitest/node'
import { currentTemplates, startBuilding } from './helpers/templates.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    sampleDatabase: string
    emptyDatabase: string
  }
}

export default function setup(project: TestProject) {
  const templates = currentTemplates()
  const stop = startBuilding(templates, (line) => console.log(`[templates] ${line}`))
  project.provide('emptyDatabase', templates.empty)
  project.provide('sampleDatabase', templates.sample)
  return stop
}
