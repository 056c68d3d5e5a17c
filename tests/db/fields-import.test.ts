// A community file as a Chinese office writes it, imported: fields by their Chinese names, numbers
// written as text; "26户" refused naming the feature and the field; nothing written on a refusal.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { describeImport } from '../../src/cli/commands/import.ts'
import { projectRoot } from '../../src/db/embedded.ts'
import { importText } from '../../src/db/import.ts'
import { emptyDatabaseOn } from '../helpers/databases.ts'

const fixtures = path.join(projectRoot, 'tests/fixtures/import')
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8')
const base = JSON.parse(read('base-community.geojson')) as GeoJSON.FeatureCollection

/** The fixture's community with its fields renamed as an office names them, numbers as text. */
function officeFile(households: string): string {
  const [f] = base.features
  const p = f.properties as { code: string; parent_code: string; name: string; type: string; resident_population: number }
  const properties = { 社区代码: p.code, 街道代码: p.parent_code, 社区名称: p.name, 社区类型: p.type, 户数: households, '常住人口（人）': String(p.resident_population) }
  return JSON.stringify({ type: 'FeatureCollection', features: [{ ...f, properties }] })
}

describe('a community file with Chinese field names and numbers as text', () => {
  const atlas = emptyDatabaseOn('embedded')

  test('"26户" is refused, naming the feature and the field; nothing is written', async () => {
    await importText(atlas.db, 'street', 'base-street.geojson', read('base-street.geojson'))
    await expect(importText(atlas.db, 'community', '社区.geojson', officeFile('26户'))).rejects.toThrow(/feature 0 \(code 331181001001\): "households" must be a number, not "26户"/)
    expect((await atlas.db.query<{ n: number }>('select count(*)::int n from atlas.community')).rows[0].n).toBe(0)
  })

  test('read by the dictionary: imported, the mapping said', async () => {
    const result = await importText(atlas.db, 'community', '社区.geojson', officeFile('1,234'))
    expect(result.fields).toEqual({ code: '社区代码', parent_code: '街道代码', name: '社区名称', type: '社区类型', households: '户数', resident_population: '常住人口（人）' })
    expect(describeImport(result).split('\n')[1]).toBe('fields read: code ← 社区代码, parent_code ← 街道代码, name ← 社区名称, type ← 社区类型, resident_population ← 常住人口（人）, households ← 户数')
    const { rows } = await atlas.db.query<{ code: string; street_code: string; name: string; households: number; resident_population: number }>(
      'select code, street_code, name, households, resident_population from atlas.community',
    )
    expect(rows).toEqual([{ code: '331181001001', street_code: '331181001', name: '大洋社区', households: 1234, resident_population: 2200 }])
  })
})
