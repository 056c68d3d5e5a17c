// The sample's files: one FeatureCollection per layer, one feature per line, so a change to the
// city reads as a diff of the features it touches.
import fs from 'node:fs'
import path from 'node:path'
import type { LayerName } from '../../src/shared/layers.ts'
import { sampleLayers, type City, type CityLayer } from './city.ts'

export const sampleDirectory = path.resolve(import.meta.dirname, '../longquan')

export function serializeLayer(layer: CityLayer): string {
  return '{"type":"FeatureCollection","features":[\n' + layer.features.map((feature) => JSON.stringify(feature)).join(',\n') + '\n]}\n'
}

/** Each layer's file text, in the order of the layers. */
export function serializeCity(city: City): Map<LayerName, string> {
  return new Map(sampleLayers.map((layer) => [layer, serializeLayer(city.layers[layer])]))
}

/** Writes `<layer>.geojson` for every layer into `directory`; returns each file's text. */
export function writeCity(city: City, directory = sampleDirectory): Map<LayerName, string> {
  const files = serializeCity(city)
  fs.mkdirSync(directory, { recursive: true })
  for (const [layer, text] of files) fs.writeFileSync(path.join(directory, `${layer}.geojson`), text)
  return files
}
