// Reads a walking-network file of any format the atlas takes: GeoJSON, OSM XML, OSM PBF or OSMnx
// GraphML. The format is told by the file's first bytes, else by its name. Pure Node: no database.
import fs from 'node:fs'
import path from 'node:path'
import { ImportError, parseFeatureCollection, type Feature } from '../../db/validate.ts'
import type { OsmImportRule } from '../engine/rules.ts'
import { parseGraphml } from './graphml.ts'
import { parseOsmPbf } from './osmPbf.ts'
import { parseOsmXml } from './osmXml.ts'
import { NetworkError, type NetworkFormat } from './split.ts'

export { NetworkError, type NetworkFormat } from './split.ts'

export const formatNames: Record<NetworkFormat, string> = {
  osm: 'OSM XML',
  pbf: 'OSM PBF',
  graphml: 'OSMnx GraphML',
  geojson: 'GeoJSON',
}

export const notANetworkFile =
  'not a network file: expected GeoJSON, OSM XML (.osm), OSM PBF (.osm.pbf), OSMnx GraphML (.graphml), or lines in a Shapefile, GeoPackage or CSV with WKT'

export interface Network {
  features: Feature[]
  format: NetworkFormat
  /** Ways (OSM) or edges (GraphML) a pedestrian cannot use, counted by reason. */
  excluded: Record<string, number>
  warnings: string[]
}

const byExtension = (file: string): NetworkFormat | undefined => {
  const name = path.basename(file).toLowerCase()
  if (name.endsWith('.pbf')) return 'pbf'
  if (name.endsWith('.osm')) return 'osm'
  if (name.endsWith('.graphml')) return 'graphml'
  if (name.endsWith('.geojson') || name.endsWith('.json')) return 'geojson'
  return undefined
}

/** What the first bytes of a file say it is: a format, or why it is none of them. */
export function sniffNetworkFormat(head: Uint8Array, file = ''): { format?: NetworkFormat; detail?: string } {
  // PBF: a 4-byte big-endian length, then a BlobHeader whose field 1 (type) is "OSMHeader".
  if (head.length >= 15) {
    const length = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0
    const type = String.fromCharCode(...head.subarray(6, 15))
    if (length > 0 && length < 64 * 1024 && head[4] === 0x0a && head[5] === 9 && type === 'OSMHeader') return { format: 'pbf' }
  }
  const text = new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/, '').trimStart()
  if (!text) return { detail: 'the file is empty' }
  if (text.startsWith('{') || text.startsWith('[')) return { format: 'geojson' }
  if (text.startsWith('<')) {
    // skip the XML declaration, comments, processing instructions and a doctype to the root element
    const prologue = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*/
    const rest = text.replace(prologue, '')
    const root = /^<([A-Za-z_][\w.:-]*)/.exec(rest)?.[1]
    if (root === 'osm') return { format: 'osm' }
    if (root === 'graphml') return { format: 'graphml' }
    if (root) return { detail: `it is XML whose root element is <${root}>` }
    const guess = byExtension(file)
    if (guess === 'osm' || guess === 'graphml') return { format: guess }
    return { detail: 'it is XML of an unknown kind' }
  }
  return {}
}

/** The format of a network file, from its first bytes; undefined when it is none the atlas reads. */
export function detectNetworkFormat(file: string): { format?: NetworkFormat; detail?: string } {
  const head = Buffer.alloc(4096)
  let fd: number | undefined
  try {
    fd = fs.openSync(file, 'r')
    const n = fs.readSync(fd, head, 0, head.length, 0)
    return sniffNetworkFormat(head.subarray(0, n), file)
  } catch (error) {
    throw new ImportError(file, [{ index: -1, reason: `cannot read the file: ${(error as Error).message}` }])
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

/** Reads a network file into walk_edge features; throws an ImportError saying why not. */
export async function readNetwork(file: string, walkable: readonly OsmImportRule[] = []): Promise<Network> {
  const { format, detail } = detectNetworkFormat(file)
  if (!format) throw new ImportError(file, [{ index: -1, reason: detail ? `${notANetworkFile}; ${detail}` : notANetworkFile }])
  try {
    switch (format) {
      case 'geojson': {
        const { features } = parseFeatureCollection(file, fs.readFileSync(file, 'utf8'))
        return { features, format, excluded: {}, warnings: [] }
      }
      case 'pbf':
        return { format, ...parseOsmPbf(fs.readFileSync(file), walkable) }
      case 'osm':
        return { format, ...(await parseOsmXml(fs.createReadStream(file), walkable)) }
      case 'graphml':
        return { format, ...(await parseGraphml(fs.createReadStream(file), walkable)) }
    }
  } catch (error) {
    if (error instanceof NetworkError) throw new ImportError(file, [{ index: -1, reason: error.message }])
    if (error instanceof ImportError) throw error
    throw new ImportError(file, [{ index: -1, reason: `cannot read the ${formatNames[format]} file: ${(error as Error).message}` }])
  }
}
