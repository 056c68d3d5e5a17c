// Writes the sample city, Longquan, to data/longquan/<layer>.geojson and prints its figures.
//
//   npm run sample            (= npx tsx data/generate.ts)
//
// The city is made by data/sample/city.ts from the sample seed: the same bytes on every run.
import { generateCity } from './sample/city.ts'
import { describeCity } from './sample/figures.ts'
import { sampleSeed } from './sample/random.ts'
import { writeCity } from './sample/write.ts'

const city = generateCity(sampleSeed)
const files = writeCity(city)
console.log(describeCity(city, files))
