// The sample city's generator: the sample seed gives the committed data/longquan byte for byte,
// another seed gives another city, and the importer takes every layer of both: its validation of
// the files' text, then PostGIS's checks (validity, parents, nesting, links) in a real database.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { generateCity, sampleLayers } from '../../data/sample/city.ts'
import { sampleSeed } from '../../data/sample/random.ts'
import { readSources } from '../../data/sample/sources.ts'
import { sampleDirectory, serializeCity } from '../../data/sample/write.ts'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { importText } from '../../src/db/import.ts'
import { parseFeatureCollection, validateFeatures } from '../../src/db/validate.ts'
import { layers, loadOrder, type LayerName } from '../../src/shared/layers.ts'
import { copyEmptyDatabase } from '../helpers/databases.ts'

/** sha256 of the sample's 11 files, concatenated in the order of `sampleLayers` (every layer but gates). */
const sampleHash = '596326505443ca2287910c23435c56c4ee3e7cc0a50b7b5950d16ad1c96c3ef7'
const otherSeed = 'another city'

type Files = Map<LayerName, string>

const sha256 = (...texts: string[]) => {
  const hash = crypto.createHash('sha256')
  for (const text of texts) hash.update(text)
  return hash.digest('hex')
}
const cityHash = (files: Files) => sha256(...sampleLayers.map((layer) => files.get(layer) ?? ''))
const layerHashes = (files: Files) => Object.fromEntries(sampleLayers.map((layer) => [layer, sha256(files.get(layer) ?? '')]))

let committed: Files
let sample: Files
let other: Files
let sampleAgain: Files

beforeAll(() => {
  committed = new Map(sampleLayers.map((layer) => [layer, fs.readFileSync(path.join(sampleDirectory, `${layer}.geojson`), 'utf8')]))
  const sources = readSources()
  sample = serializeCity(generateCity(sampleSeed, { sources }))
  other = serializeCity(generateCity(otherSeed, { sources }))
  // after another seed's city: nothing of one city may linger into the next
  sampleAgain = serializeCity(generateCity(sampleSeed, { sources }))
})

describe('the seed decides the city', () => {
  test('the sample seed gives the committed files, byte for byte', () => {
    expect(layerHashes(sample)).toEqual(layerHashes(committed))
    expect(cityHash(committed)).toBe(sampleHash)
    expect(cityHash(sample)).toBe(sampleHash)
  })

  test('the same seed gives the same city again in the same process', () => {
    expect(cityHash(sampleAgain)).toBe(sampleHash)
  })

  test('another seed gives another city: every layer differs', () => {
    expect(cityHash(other)).not.toBe(sampleHash)
    for (const layer of sampleLayers) expect(other.get(layer), layer).not.toBe(sample.get(layer))
  })
})

describe("the importer's validation takes every layer", () => {
  const features = (files: Files, layer: LayerName) => parseFeatureCollection(`${layer}.geojson`, files.get(layer) ?? '').features

  test.each(sampleLayers)('%s, from both seeds', (layer) => {
    for (const files of [sample, other]) {
      const parsed = features(files, layer)
      expect(parsed.length).toBeGreaterThan(0)
      expect(validateFeatures(layers[layer], parsed)).toEqual([])
    }
  })

  describe("another seed's city loads whole into an empty database", () => {
    let db: Database
    beforeAll(async () => {
      db = await openDatabase(copyEmptyDatabase())
    })
    afterAll(async () => {
      await db.close()
    })

    test('every layer, in load order, every feature written', async () => {
      // the sample city has no gates: its homes are points
      for (const layer of loadOrder.filter((l) => other.has(l))) {
        const result = await importText(db, layer, `${layer}.geojson`, other.get(layer) ?? '')
        expect(result.inserted, layer).toBe(features(other, layer).length)
      }
    })
  })
})
