// Builds the template databases (see templates.ts) into a folder of this process's, renamed into
// the folder given when whole: a build that stops half-way leaves nothing that looks built.
// Usage: node --import tsx tests/helpers/build-templates.ts <folder>
import fs from 'node:fs'
import { connect } from '../../src/db/connect.ts'
import { readMeta } from '../../src/db/embedded.ts'
import { loadSample } from '../../src/db/sample.ts'
import { templatesIn } from './templates.ts'

const folder = process.argv[2]
const partial = templatesIn(`${folder}.${process.pid}.partial`)
fs.rmSync(partial.folder, { recursive: true, force: true })

const empty = await connect(partial.empty, 'test setup')
await empty.close()
fs.cpSync(partial.empty, partial.sample, { recursive: true })
readMeta(partial.sample)
const sample = await connect(partial.sample, 'test setup')
await loadSample(sample.db)
await sample.close()

try {
  fs.renameSync(partial.folder, folder)
} catch (error) {
  if (!fs.existsSync(folder)) throw error
  fs.rmSync(partial.folder, { recursive: true, force: true }) // another run built the same state first
}
