// OSM XML (.osm: JOSM, Overpass, osmium) → walking-network edges, streamed through sax.
import type { OsmImportRule } from '../engine/rules.ts'
import { WayCollector, NetworkError, type NetworkResult } from './split.ts'
import { streamXml, type XmlInput } from './xml.ts'

/**
 * Streams an OSM XML document's elements below its <osm> root, with their depth (2: a node, way or
 * relation; 3: what is inside one); refused as a NetworkError when the root is not <osm>.
 */
export async function streamOsmXml(
  input: XmlInput,
  handlers: { open(name: string, attributes: Record<string, string>, depth: number): void; close(name: string, depth: number): void },
): Promise<void> {
  let root: string | undefined
  let depth = 0
  await streamXml(input, {
    open(name, a) {
      depth++
      if (root !== undefined) return handlers.open(name, a, depth)
      root = name
      if (name !== 'osm') throw new NetworkError(`not an OSM XML file: its root element is <${name}>, not <osm>`)
    },
    close(name) {
      handlers.close(name, depth)
      depth--
    },
  })
  if (root === undefined) throw new NetworkError('not an OSM XML file: it holds no XML element')
}

export async function parseOsmXml(input: XmlInput, walkable: readonly OsmImportRule[] = []): Promise<NetworkResult> {
  const collector = new WayCollector(walkable)
  let way: { id: number; refs: number[]; tags: Record<string, string> } | undefined
  await streamOsmXml(input, {
    open(name, a, depth) {
      if (depth !== 2) {
        // <nd> and <tag> inside the way being read; anything else nested is ignored
        if (way && depth === 3) {
          if (name === 'nd') way.refs.push(Number(a.ref))
          else if (name === 'tag' && a.k !== undefined) way.tags[a.k] = a.v ?? ''
        }
        return
      }
      if (a.visible === 'false' || a.action === 'delete') return
      if (name === 'node') {
        const lon = Number(a.lon)
        const lat = Number(a.lat)
        if (a.lon !== undefined && a.lat !== undefined && Number.isFinite(lon) && Number.isFinite(lat))
          collector.addNode(Number(a.id), lon, lat)
      } else if (name === 'way') way = { id: Number(a.id), refs: [], tags: {} }
    },
    close(name, depth) {
      if (depth === 2 && name === 'way' && way) {
        collector.addWay(way.id, way.refs, way.tags)
        way = undefined
      }
    },
  })
  return collector.finish()
}
