// `atlas load-sample`: the sample city into a database, with its service circles.
import { isPostgresUrl } from '../../db/database.ts'
import { readMeta, writeMeta } from '../../db/embedded.ts'
import { loadSample } from '../../db/sample.ts'
import { describeIsochrones } from './isochrones.ts'
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

