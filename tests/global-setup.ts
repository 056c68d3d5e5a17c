// Prepares, once per run, the embedded databases the suites copy: one migrated and empty, one
// with the sample city loaded through the importer. A cold PGlite + PostGIS start costs seconds;
// a copy of a prepared folder costs milliseconds.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { connect } from '../src/db/connect.ts'
import { readMeta } from '../src/db/embedded.ts'
import { loadSample } from '../src/db/sample.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    sampleDatabase: string
    emptyDatabase: string
  }
}

export default async function setup(project: TestProject) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-templates-'))
  const empty = path.join(root, 'empty')
  const sample = path.join(root, 'sample')
  const connection = await connect(empty, 'test setup')
  await connection.close()
  fs.cpSync(empty, sample, { recursive: true })
  readMeta(sample)
  const loaded = await connect(sample, 'test setup')
  await loadSample(loaded.db)
  await loaded.close()
  project.provide('emptyDatabase', empty)
  project.provide('sampleDatabase', sample)
  return () => fs.rmSync(root, { recursive: true, force: true })
}
