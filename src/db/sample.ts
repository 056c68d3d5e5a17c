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

/** The sample city's own profile (atlas.city): the one place the product's code names Longquan as its city. */
export const sampleCity = {
  name: '龙泉市',
  adcode: '331181',
  attribution: '基层治理一张图（龙泉示例城市，几何为合成数据）',
  search_example: '大洋社区、331181001001',
} as const

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
    await tx.query(
      `update atlas.city set name = $1, adcode = $2, attribution = $3, search_example = $4, updated_by = 'atlas-sample', updated_at = now()`,
      [sampleCity.name, sampleCity.adcode, sampleCity.attribution, sampleCity.search_example],
    )
    return results
  })
}

