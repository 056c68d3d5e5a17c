// The gates of compounds in an OSM file (XML or PBF): the nodes tagged entrance=* or barrier=gate
// (and the other barriers a person walks through), as gate features. Which compound each is a
// gate of is not in OSM: the importer gives each the compound whose outline it lies on
// (../../db/import.ts). A node a pedestrian may not pass (foot=no, access=no, locked=yes, an
// emergency exit) is left out and counted. Pure Node: no database.
import fs from 'node:fs'
import tinyosmpbf from 'tiny-osmpbf'
import type { Feature } from '../../db/validate.ts'
import { checkBlobs } from './osmPbf.ts'
import { NetworkError, osmDegrees, tally, type NetworkFormat } from './split.ts'
import { streamOsmXml } from './osmXml.ts'
import type { XmlInput } from './xml.ts'

/** The barrier=* values a person walks through: gates, and the barriers that stand in a way in. */
export const gateBarriers: readonly string[] = [
  'gate',
  'entrance',
  'lift_gate',
  'swing_gate',
  'sliding_gate',
  'wicket_gate',
  'kissing_gate',
  'turnstile',
  'full-height_turnstile',
]

const footAllowed = new Set(['yes', 'designated', 'permissive', 'destination', 'private', 'customers'])

/**
 * Whether an OSM node is a gate a household walks through, or why not (the tag that says so);
 * undefined when the node is no entrance or gate at all. A private gate (a compound's own, for its
 * residents) is a gate: its residents are the walkers.
 */
export function gateOf(tags: Readonly<Record<string, string>>): { gate: true } | { gate: false; reason: string } | undefined {
  const entrance = tags.entrance
  const barrier = tags.barrier
  const isEntrance = entrance !== undefined && entrance !== 'no'
  const isGate = barrier !== undefined && gateBarriers.includes(barrier)
  if (!isEntrance && !isGate) return undefined
  if (entrance === 'emergency') return { gate: false, reason: 'entrance=emergency' }
  if (tags.locked === 'yes') return { gate: false, reason: 'locked=yes' }
  const foot = tags.foot
  if (foot === 'no' || foot === 'use_sidepath') return { gate: false, reason: `foot=${foot}` }
  if (foot !== undefined && footAllowed.has(foot)) return { gate: true }
  if (tags.access === 'no') return { gate: false, reason: 'access=no' }
  return { gate: true }
}

export interface OsmGates {
  /** Gate features: code osm-n<node id>, the node's name (or ref), no compound yet. */
  features: Feature[]
  format: Extract<NetworkFormat, 'osm' | 'pbf'>
  /** Entrances and gates left out, by the tag that closes them to a pedestrian. */
  excluded: Record<string, number>
}

function gateFeature(id: number, lon: number, lat: number, tags: Record<string, string>): Feature {
  const name = tags.name ?? tags['name:zh'] ?? tags.ref
  return {
    type: 'Feature',
    properties: { code: `osm-n${id}`, ...(name ? { name: name.slice(0, 100) } : {}) },
    geometry: { type: 'Point', coordinates: [osmDegrees(lon), osmDegrees(lat)] },
  }
}

class GateCollector {
  readonly features: Feature[] = []
  readonly excluded: Record<string, number> = {}
  node(id: number, lon: number, lat: number, tags: Record<string, string>): void {
    const verdict = gateOf(tags)
    if (!verdict) return
    if (!verdict.gate) tally(this.excluded, verdict.reason)
    else if (Number.isFinite(lon) && Number.isFinite(lat)) this.features.push(gateFeature(id, lon, lat, tags))
  }
}

/** The gates of an OSM XML file, streamed: nodes with their tags; ways and relations skipped. */
export async function parseOsmGatesXml(input: XmlInput): Promise<Omit<OsmGates, 'format'>> {
  const collector = new GateCollector()
  let node: { id: number; lon: number; lat: number; tags: Record<string, string> } | undefined
  await streamOsmXml(input, {
    open(name, a, depth) {
      if (depth === 2 && name === 'node' && a.visible !== 'false' && a.action !== 'delete')
        node = { id: Number(a.id), lon: Number(a.lon), lat: Number(a.lat), tags: {} }
      else if (depth === 3 && node && name === 'tag' && a.k !== undefined) node.tags[a.k] = a.v ?? ''
    },
    close(name, depth) {
      if (depth === 2 && name === 'node' && node) {
        collector.node(node.id, node.lon, node.lat, node.tags)
        node = undefined
      }
    },
  })
  return { features: collector.features, excluded: collector.excluded }
}

/** The gates of an OSM PBF file (read whole, as the network reader does). */
export function parseOsmGatesPbf(data: Uint8Array): Omit<OsmGates, 'format'> {
  checkBlobs(data)
  const collector = new GateCollector()
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer
  try {
    tinyosmpbf(buffer, (element) => {
      if (element.type === 'node' && element.visible !== false) collector.node(element.id, element.lon, element.lat, element.tags ?? {})
    })
  } catch (error) {
    throw new NetworkError(`not a readable OSM PBF file: ${(error as Error).message}`)
  }
  return { features: collector.features, excluded: collector.excluded }
}

/** The gates of an OSM file of either format. */
export async function readOsmGates(file: string, format: 'osm' | 'pbf'): Promise<OsmGates> {
  if (format === 'pbf') return { format, ...parseOsmGatesPbf(fs.readFileSync(file)) }
  return { format, ...(await parseOsmGatesXml(fs.createReadStream(file))) }
}
