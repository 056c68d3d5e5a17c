// Telling the formats apart by their first bytes, and reading each from a real file.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { ImportError } from '../../db/validate.ts'
import { readNetwork, sniffNetworkFormat } from './read.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('the format of a network file', () => {
  test('by its first bytes', () => {
    expect(sniffNetworkFormat(bytes('\uFEFF  {"type": "FeatureCollection"'))).toEqual({ format: 'geojson' })
    expect(sniffNetworkFormat(bytes(`<?xml version='1.0' encoding='UTF-8'?>\n<osm version="0.6">`))).toEqual({ format: 'osm' })
    expect(sniffNetworkFormat(bytes('<osm version="0.6">'))).toEqual({ format: 'osm' })
    expect(sniffNetworkFormat(bytes(`<?xml version='1.0'?>\n<!-- saved by OSMnx -->\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">`))).toEqual({ format: 'graphml' })
    expect(sniffNetworkFormat(bytes('<kml xmlns="http://www.opengis.net/kml/2.2">'))).toEqual({ detail: 'it is XML whose root element is <kml>' })
    expect(sniffNetworkFormat(bytes('code,name\n1,a'))).toEqual({})
    expect(sniffNetworkFormat(bytes('   '))).toEqual({ detail: 'the file is empty' })
    // PBF: a 4-byte big-endian BlobHeader length, then field 1 (type) = "OSMHeader"
    const pbf = new Uint8Array([0, 0, 0, 13, 0x0a, 9, ...bytes('OSMHeader'), 0x18, 0x50])
    expect(sniffNetworkFormat(pbf)).toEqual({ format: 'pbf' })
  })
})

describe('readNetwork', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-network-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
  const osm = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <node id="1" lat="22.5" lon="114"/>
  <node id="2" lat="22.5" lon="114.0012345"/>
  <node id="3" lat="22.5012345" lon="114.0012345"/>
  <node id="4" lat="22.5" lon="114.0024691"/>
  <way id="7" version="1"><nd ref="1"/><nd ref="2"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="name" v="深南大道"/></way>
  <way id="8" version="1"><nd ref="2"/><nd ref="3"/><tag k="highway" v="steps"/></way>
  <way id="9" version="1"><nd ref="3"/><nd ref="4"/><tag k="highway" v="motorway"/></way>
</osm>`
  const file = path.join(dir, 'small.osm')
  fs.writeFileSync(file, osm)

  test('OSM XML and the same converted to PBF by osmium read to the same edges', async () => {
    const pbf = path.join(dir, 'small.osm.pbf')
    execFileSync('osmium', ['cat', file, '-o', pbf, '--overwrite'])
    const fromXml = await readNetwork(file)
    const fromPbf = await readNetwork(pbf)
    expect(fromXml.format).toBe('osm')
    expect(fromPbf.format).toBe('pbf')
    expect(fromXml.features.map((f) => f.properties.code)).toEqual(['w7-0', 'w7-1', 'w8-0'])
    expect(fromXml.features[0].geometry.coordinates).toEqual([[114, 22.5], [114.0012345, 22.5]])
    expect(fromPbf.features).toEqual(fromXml.features)
    expect(fromPbf.excluded).toEqual({ 'highway=motorway': 1 })
    // the name says .pbf, the bytes say XML: the bytes win
    const misnamed = path.join(dir, 'misnamed.pbf')
    fs.copyFileSync(file, misnamed)
    expect((await readNetwork(misnamed)).features).toEqual(fromXml.features)
  })

  test('a file of another kind is refused in words', async () => {
    const csv = path.join(dir, 'edges.csv')
    fs.writeFileSync(csv, 'code,name\n1,a\n')
    const error = await readNetwork(csv).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    expect((error as Error).message).toContain('not a network file: expected GeoJSON, OSM XML (.osm), OSM PBF (.osm.pbf), OSMnx GraphML (.graphml), or lines')
    const truncated = path.join(dir, 'truncated.osm.pbf')
    fs.writeFileSync(truncated, fs.readFileSync(path.join(dir, 'small.osm.pbf')).subarray(0, 60))
    await expect(readNetwork(truncated)).rejects.toThrow(/not a readable OSM PBF file/)
  })
})
