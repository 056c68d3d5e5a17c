// The real facts the sample city is built on: the division list (names and official codes) and
// the county outline. They live with the project's reference data, outside this repository.
import fs from 'node:fs'
import path from 'node:path'
import type { FeatureCollection } from 'geojson'

export interface Division {
  code: string
  name: string
  /** community (社区) or village (村) */
  kind: string
  township_code: string
  township_name: string
}

export interface CitySources {
  divisions: Division[]
  /** 龙泉市's outline in GCJ-02, generalised to 1/1024°. */
  countyOutline: FeatureCollection
}

export const sourceDirectory = process.env.ATLAS_SHARED_DATA ?? path.resolve(import.meta.dirname, '../../../shared/data')

const divisionColumns = 'code,name,kind,township_code,township_name'

export function readSources(directory = sourceDirectory): CitySources {
  const csv = path.join(directory, 'longquan/divisions.csv')
  const [header, ...rows] = fs.readFileSync(csv, 'utf8').trim().split(/\r?\n/)
  if (header !== divisionColumns) throw new Error(`${csv}: expected the columns ${divisionColumns}, found ${header}`)
  const divisions = rows.map((row) => {
    const [code, name, kind, township_code, township_name] = row.split(',')
    return { code, name, kind, township_code, township_name }
  })
  const outline = path.join(directory, 'longquan/county_outline_gcj02.geojson')
  const countyOutline = JSON.parse(fs.readFileSync(outline, 'utf8')) as FeatureCollection
  return { divisions, countyOutline }
}
