// OSM PBF (.osm.pbf: Geofabrik, BBBike, osmium) → walking-network edges, through tiny-osmpbf.
// tiny-osmpbf is synchronous and takes the whole file in memory: fine for a district or a city.
import type { OsmImportRule } from '../engine/rules.ts'
import tinyosmpbf from 'tiny-osmpbf'
import { NetworkError, WayCollector, type NetworkResult } from './split.ts'

export function parseOsmPbf(data: Uint8Array, walkable: readonly OsmImportRule[] = []): NetworkResult {
  checkBlobs(data)
  // tiny-osmpbf copies `new Uint8Array(input)` for every blob unless the input is an ArrayBuffer.
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer
  const collector = new WayCollector(walkable)
  try {
    tinyosmpbf(buffer, (element) => {
      if (element.visible === false) return
      if (element.type === 'node') collector.addNode(element.id, element.lon, element.lat)
      else if (element.type === 'way') collector.addWay(element.id, element.nodes, element.tags)
    })
  } catch (error) {
    throw new NetworkError(`not a readable OSM PBF file: ${(error as Error).message}`)
  }
  return collector.finish()
}

/** Walks the file's blobs (length, BlobHeader, Blob) and says where it is cut short or garbled:
 *  tiny-osmpbf reads a truncated file without complaint. */
export function checkBlobs(data: Uint8Array): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  let pos = 0
  let blobs = 0
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new NetworkError(`not a readable OSM PBF file: it ends inside blob ${blobs + 1} (truncated?)`)
    const headerLength = view.getUint32(pos, false)
    const header = pos + 4
    if (headerLength === 0 || headerLength > 64 * 1024 || header + headerLength > data.length)
      throw new NetworkError(`not a readable OSM PBF file: blob ${blobs + 1} at byte ${pos} is cut short or garbled (truncated?)`)
    // BlobHeader: 1 type (string), 2 indexdata (bytes), 3 datasize (varint)
    let p = header
    let datasize: number | undefined
    const varint = () => {
      let value = 0
      for (let shift = 0; p < header + headerLength; shift += 7) {
        const byte = data[p++]
        value += (byte & 0x7f) * 2 ** shift
        if (byte < 0x80) return value
      }
      throw new NetworkError(`not a readable OSM PBF file: blob ${blobs + 1} has a garbled header`)
    }
    while (p < header + headerLength) {
      const key = varint()
      const wire = key & 7
      if (wire === 0) {
        const value = varint()
        if (key >>> 3 === 3) datasize = value
      } else if (wire === 2) {
        const length = varint() // read before p is: `p += varint()` would add to the old p
        p += length
      }
      else throw new NetworkError(`not a readable OSM PBF file: blob ${blobs + 1} has a garbled header`)
    }
    if (datasize === undefined) throw new NetworkError(`not a readable OSM PBF file: blob ${blobs + 1} has no size`)
    pos = header + headerLength + datasize
    blobs++
    if (pos > data.length) throw new NetworkError(`not a readable OSM PBF file: it ends inside blob ${blobs} (truncated?)`)
  }
  if (!blobs) throw new NetworkError('not a readable OSM PBF file: it is empty')
}
