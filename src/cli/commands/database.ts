// `atlas load-sample` and `atlas migrate`: the sample city into a database, and the schema.
import { isPostgresUrl } from '../../db/database.ts'
import { readMeta, writeMeta } from '../../db/embedded.ts'
import { loadSample } from '../../db/sample.ts'
import { describeIsochrones } from './circles.ts'
import { describeImport } from './import.ts'
import { noArguments, withDatabase, type Command } from './command.ts'
import type { ComputeSummary } from '../../circles/store.ts'

export const loadSampleCommand: Command = {
  name: 'load-sample',
  usage: ['load-sample             load the sample city (Longquan) into this database, with its service circles'],
  async run(context) {
    noArguments(context, 'load-sample takes no arguments')
    const { target } = context
    let circles: ComputeSummary | undefined
    const results = await withDatabase(target, async (db) => {
      const loaded = await loadSample(db, undefined, (summary) => (circles = summary))
      if (!isPostgresUrl(target)) writeMeta(target, { ...readMeta(target), sampleLoadedAt: new Date().toISOString() })
      return loaded
    })
    context.print([...results.map(describeImport), ...(circles ? [describeIsochrones(circles)] : [])].join('\n'), results)
  },
}

export const migrateCommand: Command = {
  name: 'migrate',
  usage: ['migrate                 create or update the schema (every command does this first)'],
  async run(context) {
    noArguments(context, 'migrate takes no arguments')
    const applied = await withDatabase(context.target, async (_db, migrations) => migrations)
    context.print(applied.length ? `applied ${applied.join(', ')}` : 'the schema is up to date', { applied })
  },
}
