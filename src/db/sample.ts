// The sample city (Longquan): real names and codes, synthetic geometry, loaded layer by layer
// through the same importer as `atlas import`, all in one transaction with its service circles:
// a first start killed half-way leaves no half city behind.
import fs from 'node:fs'
import path from 'node:path'
import { loadOrder, type LayerName } from '../shared/layers.ts'
import type { Database } from './database.ts'
import { projectRoot } from './embedded.ts'
import { importFileWithin, type ImportResult } from './import.ts'
import { userClaims } from './session.ts'
import { computeAndStoreWithin, type ComputeSummary } from '../circles/store.ts'
import { defaultWalk } from '../shared/defaults.ts'

export const sampleDir = path.join(projectRoot, 'data/longquan')

export function sampleFiles(): { layer: LayerName; file: string }[] {
  return loadOrder
    .map((layer) => ({ layer, file: path.join(sampleDir, `${layer}.geojson`) }))
    .filter(({ file }) => fs.existsSync(file))
}

/**
 * Loads every layer, then computes the service circles and access times, so the sample city opens
 * with them: one transaction, the whole city or none of it. The callbacks tell the progress before
 * the commit.
 */
export async function loadSample(db: Database, onLayer?: (result: ImportResult) => void, onCircles?: (summary: ComputeSummary) => void): Promise<ImportResult[]> {
  const files = sampleFiles()
  if (files.length === 0) throw new Error(`no sample city in ${sampleDir}: run npm run sample`)
  return db.transaction(async (tx) => {
    const results: ImportResult[] = []
    for (const { layer, file } of files) {
      const result = await importFileWithin(tx, layer, file)
      onLayer?.(result)
      results.push(result)
    }
    const summary = await computeAndStoreWithin(tx, userClaims('planner', 'atlas-sample'), defaultWalk)
    onCircles?.(summary)
    return results
  })
}

