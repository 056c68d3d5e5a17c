// OSM XML → edges, on a small hand-drawn network whose edges are worked out by hand below.
import { Readable } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { parseOsmXml } from './osmXml.ts'
import { NetworkError } from './split.ts'

// Nodes on a 0.001° grid: node n at column c, row r is [114 + c/1000, 22.5 + r/1000].
const at = (c: number, r: number) => [Number((114 + c / 1000).toFixed(7)), Number((22.5 + r / 1000).toFixed(7))]
const grid: Record<number, [number, number]> = {
  1: [0, 0], 2: [1, 0], 3: [2, 0], 4: [3, 0], 9: [4, 0], // way 100 along row 0
  5: [1, 1], 8: [1, 2], // way 101 up from node 2
  6: [2, -1], // way 102: steps down from node 3
  30: [3, 1], 31: [3, -1], // a motorway across node 4
  20: [6, 0], 21: [7, 0], 22: [8, 0], 23: [8, 1], // way 103: a lasso, node 21 twice
  40: [10, 0], 41: [11, 0], 42: [12, 0], // ways with missing nodes
  50: [0, 5], 51: [1, 5], 52: [2, 5], 53: [3, 5], 54: [4, 5], 55: [5, 5], // excluded and private ways
  60: [0, 8], 61: [1, 8], 62: [2, 8], 63: [2, 9], // a building
}

const way = (id: number, refs: number[], tags: Record<string, string>) =>
  `  <way id="${id}" version="1">\n${refs.map((r) => `    <nd ref="${r}"/>`).join('\n')}\n` +
  Object.entries(tags).map(([k, v]) => `    <tag k="${k}" v="${v}"/>`).join('\n') + '\n  </way>'

const nodes = Object.entries(grid)
  .map(([id, [c, r]]) => `  <node id="${id}" lat="${at(c, r)[1]}" lon="${at(c, r)[0]}" version="1"><tag k="x" v="y"/></node>`)
  .join('\n')

const osm = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <bounds minlat="22.49" minlon="113.99" maxlat="22.51" maxlon="114.02"/>
${nodes}
${way(100, [1, 2, 3, 4, 9], { highway: 'residential', name: '甲路' })}
${way(101, [2, 5, 8], { highway: 'footway' })}
${way(102, [3, 6], { highway: 'steps' })}
${way(104, [30, 4, 31], { highway: 'motorway' })}
${way(103, [20, 21, 22, 23, 21], { highway: 'footway', name: 'A &amp; B' })}
${way(105, [50, 51], { highway: 'footway', foot: 'no' })}
${way(106, [51, 52], { highway: 'service', access: 'private' })}
${way(107, [52, 53], { highway: 'service', access: 'private', foot: 'yes' })}
${way(108, [53, 54], { highway: 'construction' })}
${way(109, [54, 55], { highway: 'footway', construction: 'yes' })}
${way(110, [40, 999, 41], { highway: 'footway' })}
${way(111, [998, 42], { highway: 'path' })}
${way(112, [60, 61, 62, 63, 60], { building: 'yes' })}
  <relation id="7"><member type="way" ref="100" role=""/><tag k="highway" v="motorway"/></relation>
</osm>`

const line = (...ids: number[]) => ids.map((id) => at(...grid[id]))

describe('OSM XML', () => {
  test('keeps the walkable ways, split at shared nodes, at a node used twice and at the ends', async () => {
    const result = await parseOsmXml(osm)
    const edges = Object.fromEntries(result.features.map((f) => [String(f.properties.code), f]))
    expect(Object.keys(edges)).toEqual([
      'w100-0', 'w100-1', 'w100-2', // 1-2 | 2-3 | 3-4-9: node 4 is on the motorway only, which is left out
      'w101-0', // 2-5-8
      'w102-0', // 3-6
      'w103-0', 'w103-1', // 20-21 | 21-22-23-21
      'w107-0', // private, but foot=yes
      'w110-0', // 40-41, the missing node 999 dropped
    ])
    expect(edges['w100-0'].geometry).toEqual({ type: 'LineString', coordinates: line(1, 2) })
    expect(edges['w100-1'].geometry.coordinates).toEqual(line(2, 3))
    expect(edges['w100-2'].geometry.coordinates).toEqual(line(3, 4, 9))
    expect(edges['w101-0'].geometry.coordinates).toEqual(line(2, 5, 8))
    expect(edges['w103-0'].geometry.coordinates).toEqual(line(20, 21))
    expect(edges['w103-1'].geometry.coordinates).toEqual(line(21, 22, 23, 21))
    expect(edges['w110-0'].geometry.coordinates).toEqual(line(40, 41))
    expect(edges['w100-0'].properties).toEqual({ code: 'w100-0', highway: 'residential', steps: false, name: '甲路' })
    expect(edges['w102-0'].properties).toEqual({ code: 'w102-0', highway: 'steps', steps: true })
    expect(edges['w103-0'].properties.name).toBe('A & B')
    expect(edges['w107-0'].properties).toEqual({ code: 'w107-0', highway: 'service', steps: false, foot: 'yes', access: 'private' })
    for (const f of result.features) expect(f.properties).not.toHaveProperty('length_m')

    expect(result.excluded).toEqual({
      'highway=motorway': 1,
      'foot=no': 1,
      'access=private without foot=yes': 1,
      'under construction': 2,
    })
    expect(result.warnings).toEqual([
      '2 ways refer to 2 nodes not in the file (way 110, way 111): those nodes were left out',
      '1 way was dropped: fewer than 2 of their nodes are in the file (way 111)',
    ])
  })

  test('a way ending on another way’s middle splits that way there', async () => {
    const text = `<osm>
      <node id="1" lon="114.000" lat="22.5"/><node id="2" lon="114.001" lat="22.5"/><node id="3" lon="114.002" lat="22.5"/>
      <node id="4" lon="114.001" lat="22.501"/>
      <way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="path"/></way>
      <way id="2"><nd ref="4"/><nd ref="2"/><tag k="highway" v="footway"/><tag k="foot" v="designated"/></way>
    </osm>`
    const { features } = await parseOsmXml(text)
    expect(features.map((f) => [f.properties.code, f.geometry.coordinates])).toEqual([
      ['w1-0', [[114, 22.5], [114.001, 22.5]]],
      ['w1-1', [[114.001, 22.5], [114.002, 22.5]]],
      ['w2-0', [[114.001, 22.501], [114.001, 22.5]]],
    ])
  })

  test('reads the file in chunks as it streams', async () => {
    const bytes = new TextEncoder().encode(osm)
    const chunks: Uint8Array[] = []
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7)) // splits the UTF-8 of 甲路 too
    const streamed = await parseOsmXml(Readable.from(chunks))
    expect(streamed).toEqual(await parseOsmXml(osm))
  })

  test('a file with no walkable way is refused, with the reasons counted', async () => {
    const text = `<osm>
      <node id="1" lon="114.000" lat="22.5"/><node id="2" lon="114.001" lat="22.5"/>
      <way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway"/></way>
      <way id="2"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway_link"/></way>
      <way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway"/></way>
      <way id="4"><nd ref="1"/><nd ref="2"/><tag k="building" v="yes"/></way>
    </osm>`
    await expect(parseOsmXml(text)).rejects.toThrow(
      new NetworkError('no walkable way: of 4 ways, highway=motorway 2, highway=motorway_link 1, no highway tag 1'),
    )
  })

  test('malformed XML is refused with its line and column', async () => {
    const text = `<osm>\n  <node id="1" lon="114" lat="22.5">\n  </way>\n</osm>`
    await expect(parseOsmXml(text)).rejects.toThrow(/^malformed XML at line 3, column \d+: Unexpected close tag/)
  })

  test('XML that is not OSM is refused', async () => {
    await expect(parseOsmXml('<kml><Document/></kml>')).rejects.toThrow('not an OSM XML file: its root element is <kml>, not <osm>')
  })
})
