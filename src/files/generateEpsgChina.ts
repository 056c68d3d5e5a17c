// Writes src/files/epsgChina.json: the EPSG definitions a Chinese city's files name (CGCS2000 and
// its Gauss–Krüger zones, Xian 1980 and Beijing 1954 and theirs, WGS-84 / UTM over China, Web
// Mercator), taken from epsg-index, for the page, which cannot read epsg-index's 8 MB file by file.
//   npx tsx src/files/generateEpsgChina.ts
import fs from 'node:fs'
import path from 'node:path'
import { epsgIndex } from './epsg.ts'

const ranges: [number, number][] = [
  [4214, 4214], // Beijing 1954
  [4326, 4326],
  [4490, 4490], // CGCS2000
  [4491, 4554], // CGCS2000 Gauss–Krüger zones
  [4610, 4610], // Xian 1980
  [2327, 2442], // Xian 1980 and Beijing 1954 Gauss–Krüger zones
  [21413, 21423], // Beijing 1954 6-degree zones
  [21453, 21463],
  [21473, 21483],
  [32643, 32653], // WGS-84 / UTM zones over China
  [3857, 3857],
]
const entries: Record<string, { name: string; proj4: string }> = {}
for (const [from, to] of ranges)
  for (let code = from; code <= to; code++) {
    const found = epsgIndex(code)
    if (found) entries[code] = found
  }
const file = path.join(import.meta.dirname, 'epsgChina.json')
fs.writeFileSync(file, JSON.stringify(entries) + '\n')
console.log(`wrote ${Object.keys(entries).length} definitions to ${file}`)
