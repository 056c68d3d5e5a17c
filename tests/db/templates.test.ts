// The template files of "Your own city" (data/templates, made by data/templates/make.ts): each set,
// GeoJSON, CSV and Shapefile, loads in the README's order into an empty database, every feature.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { templateLayers } from '../../data/templates/order.ts'
import { projectRoot } from '../../src/db/embedded.ts'
import { importFile } from '../../src/db/import.ts'
import { emptyDatabaseOn } from '../helpers/databases.ts'

const templates = path.join(projectRoot, 'data/templates')
const formats: [string, (layer: string) => string][] = [
  ['GeoJSON', (layer) => path.join(templates, `${layer}.geojson`)],
  ['CSV', (layer) => path.join(templates, `${layer}.csv`)],
  ['Shapefile', (layer) => path.join(templates, 'shapefile', layer)],
]

describe.each(formats)('the %s templates', (_, file) => {
  const atlas = emptyDatabaseOn('embedded')
  test('load in order into an empty database, every feature', async () => {
    for (const layer of templateLayers) {
      const expected = (JSON.parse(fs.readFileSync(path.join(templates, `${layer}.geojson`), 'utf8')) as GeoJSON.FeatureCollection).features.length
      const result = await importFile(atlas.db, layer, file(layer))
      expect([layer, result.inserted]).toEqual([layer, expected])
    }
    const { rows } = await atlas.db.query<{ depends: string[] }>(`select array_agg(depends_on) as depends from atlas.backlog_dependency where item_code = 'BL-T2'`)
    expect(rows[0].depends).toEqual(['BL-T1'])
  })
})
