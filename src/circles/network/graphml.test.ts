// OSMnx GraphML → edges, on a small hand-made graph whose edges are worked out by hand below.
import { describe, expect, test } from 'vitest'
import { edgeTags, listValues, parseGraphml, parseWktLineString } from './graphml.ts'

// Key ids differ between files: here they are shuffled on purpose, and read by attr.name.
const keys = `
<key id="e1" for="edge" attr.name="highway" attr.type="string"/>
<key id="e2" for="edge" attr.name="name" attr.type="string"/>
<key id="e3" for="edge" attr.name="geometry" attr.type="string"/>
<key id="e4" for="edge" attr.name="length" attr.type="string"/>
<key id="e5" for="edge" attr.name="access" attr.type="string"/>
<key id="e6" for="edge" attr.name="foot" attr.type="string"/>
<key id="e7" for="edge" attr.name="osmid" attr.type="string"/>
<key id="e8" for="edge" attr.name="oneway" attr.type="string"/>
<key id="n1" for="node" attr.name="y" attr.type="string"/>
<key id="n2" for="node" attr.name="x" attr.type="string"/>
<key id="e9" for="node" attr.name="street_count" attr.type="string"/>
<key id="g1" for="graph" attr.name="crs" attr.type="string"/>`

const node = (id: string, x: number, y: number) => `<node id="${id}"><data key="n1">${y}</data><data key="n2">${x}</data><data key="e9">3</data></node>`
const edge = (u: string, v: string, key: number, data: Record<string, string>) => {
  const ids: Record<string, string> = { highway: 'e1', name: 'e2', geometry: 'e3', length: 'e4', access: 'e5', foot: 'e6', osmid: 'e7', oneway: 'e8' }
  return `<edge source="${u}" target="${v}" id="${key}">${Object.entries(data)
    .map(([k, value]) => `<data key="${ids[k]}">${value}</data>`)
    .join('')}</edge>`
}
const graphml = (body: string, crs = 'epsg:4326') => `<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">${keys}
<graph edgedefault="directed"><data key="g1">${crs}</data>
${body}
</graph></graphml>`

const nodes = [node('1', 114, 22.5), node('2', 114.001, 22.5), node('3', 114.002, 22.5), node('4', 114.002, 22.501), node('5', 114.003, 22.501)].join('\n')

describe('OSMnx GraphML', () => {
  test('one edge per undirected (u, v, geometry); parallel edges apart; ends pinned to the nodes', async () => {
    const body = [
      nodes,
      // a two-way street: u→v and v→u, the same line reversed → one edge
      edge('1', '2', 0, { osmid: '11', highway: 'residential', name: '甲路', oneway: 'False', length: '120.5', geometry: 'LINESTRING (114 22.5, 114.0005 22.4995, 114.001 22.5)' }),
      edge('2', '1', 0, { osmid: '11', highway: 'residential', name: '甲路', oneway: 'False', length: '120.5', geometry: 'LINESTRING (114.001 22.5, 114.0005 22.4995, 114 22.5)' }),
      // a parallel edge, key 1, along another line: a separate edge (both directions again → one)
      edge('1', '2', 1, { osmid: '12', highway: 'footway', length: '130', geometry: 'LINESTRING (114 22.5, 114.0005 22.5006, 114.001 22.5)' }),
      edge('2', '1', 1, { osmid: '12', highway: 'footway', length: '130', geometry: 'LINESTRING (114.001 22.5, 114.0005 22.5006, 114 22.5)' }),
      // no geometry: the straight line between the nodes, both ways → one
      edge('2', '3', 0, { osmid: '13', highway: 'service', length: '102' }),
      edge('3', '2', 0, { osmid: '13', highway: 'service', length: '102' }),
      // a one-way street: one direction only, kept (pedestrians walk it both ways)
      edge('3', '4', 0, { osmid: '14', highway: 'primary', oneway: 'True', length: '111', geometry: 'LINESTRING (114.0020001 22.5000002, 114.002 22.501)' }),
      // simplified: list values
      edge('4', '5', 0, { osmid: '[15, 16]', highway: "['steps', 'footway']", name: "['乙街', '丙街']", length: '103' }),
      edge('5', '3', 0, { osmid: '[17, 18]', highway: "['motorway', 'footway']", length: '140' }),
      // left out
      edge('1', '3', 0, { osmid: '19', highway: 'motorway_link', length: '200' }),
      edge('1', '4', 0, { osmid: '20', highway: 'service', access: 'private', length: '230' }),
      edge('1', '5', 0, { osmid: '21', highway: 'service', access: 'private', foot: 'yes', length: '320' }),
      edge('2', '4', 0, { osmid: '22', highway: 'footway', foot: 'no', length: '150' }),
    ].join('\n')
    const result = await parseGraphml(graphml(body))
    const edges = Object.fromEntries(result.features.map((f) => [String(f.properties.code), f]))
    expect(Object.keys(edges)).toEqual(['g1-2-0', 'g1-2-1', 'g2-3-0', 'g3-4-0', 'g4-5-0', 'g5-3-0', 'g1-5-0'])
    expect(edges['g1-2-0'].geometry).toEqual({ type: 'LineString', coordinates: [[114, 22.5], [114.0005, 22.4995], [114.001, 22.5]] })
    expect(edges['g1-2-0'].properties).toEqual({ code: 'g1-2-0', highway: 'residential', steps: false, name: '甲路' })
    expect(edges['g1-2-1'].geometry.coordinates).toEqual([[114, 22.5], [114.0005, 22.5006], [114.001, 22.5]])
    expect(edges['g2-3-0'].geometry.coordinates).toEqual([[114.001, 22.5], [114.002, 22.5]])
    // the line's first point was 114.0020001 22.5000002: pinned to node 3
    expect(edges['g3-4-0'].geometry.coordinates).toEqual([[114.002, 22.5], [114.002, 22.501]])
    expect(edges['g4-5-0'].properties).toEqual({ code: 'g4-5-0', highway: 'steps', steps: true, name: '乙街' })
    expect(edges['g5-3-0'].properties.highway).toBe('footway')
    expect(edges['g1-5-0'].properties).toMatchObject({ access: 'private', foot: 'yes' })
    for (const f of result.features) expect(f.properties).not.toHaveProperty('length_m')
    expect(result.excluded).toEqual({ 'highway=motorway_link': 1, 'access=private without foot=yes': 1, 'foot=no': 1 })
    expect(result.warnings).toEqual([])
  })

  test('a line drawn v→u is turned round before its ends are pinned', async () => {
    const body = [nodes, edge('1', '2', 0, { highway: 'path', geometry: 'LINESTRING (114.001 22.5, 114.0005 22.5001, 114 22.5)' })].join('\n')
    const { features } = await parseGraphml(graphml(body))
    expect(features[0].geometry.coordinates).toEqual([[114, 22.5], [114.0005, 22.5001], [114.001, 22.5]])
  })

  test('edges to unknown nodes are left out with a warning', async () => {
    const body = [nodes, edge('1', '2', 0, { highway: 'path' }), edge('1', '99', 0, { highway: 'path' })].join('\n')
    const { features, warnings } = await parseGraphml(graphml(body))
    expect(features).toHaveLength(1)
    expect(warnings).toEqual(['1 edge refers to nodes not in the file and was left out (1→99)'])
  })

  test('nodes without x/y are refused', async () => {
    const body = `<node id="1"><data key="e9">3</data></node><node id="2"><data key="n1">22.5</data><data key="n2">114</data></node>${edge('1', '2', 0, { highway: 'path' })}`
    await expect(parseGraphml(graphml(body))).rejects.toThrow(
      'the GraphML nodes have no coordinates: 1 of 2 nodes lack the attributes x (longitude) and y (latitude)',
    )
  })

  test('a projected graph is refused', async () => {
    await expect(parseGraphml(graphml(nodes + edge('1', '2', 0, { highway: 'path' }), 'epsg:32650'))).rejects.toThrow(/the graph is projected \(crs epsg:32650\)/)
  })

  test('a graph with no walkable edge is refused, with the reasons counted', async () => {
    const body = [nodes, edge('1', '2', 0, { highway: 'motorway' }), edge('2', '1', 0, { highway: 'motorway' }), edge('2', '3', 0, { highway: 'footway', foot: 'no' })].join('\n')
    await expect(parseGraphml(graphml(body))).rejects.toThrow('no walkable way: of 2 edges, foot=no 1, highway=motorway 1')
  })

  test('malformed XML and other XML are refused', async () => {
    await expect(parseGraphml('<graphml>\n<graph>\n<node id="1">\n</graph>')).rejects.toThrow(/^malformed XML at line 4, column \d+: Unexpected close tag/)
    await expect(parseGraphml('<osm/>')).rejects.toThrow('not a GraphML file: its root element is <osm>, not <graphml>')
  })
})

describe('OSMnx values', () => {
  test('lists and single values', () => {
    expect(listValues("['residential', 'footway']")).toEqual(['residential', 'footway'])
    expect(listValues('[123, 456]')).toEqual(['123', '456'])
    expect(listValues(`["Mary's Lane", 'B, C']`)).toEqual(["Mary's Lane", 'B, C'])
    expect(listValues('residential')).toEqual(['residential'])
    expect(listValues(undefined)).toEqual([])
  })

  test('the highway of a list is its first walkable value', () => {
    expect(edgeTags({ highway: "['motorway_link', 'service']", name: "['A', 'B']" })).toMatchObject({ highway: 'service', name: 'A' })
    expect(edgeTags({ highway: "['motorway', 'motorway_link']" }).highway).toBe('motorway')
  })

  test('WKT lines', () => {
    expect(parseWktLineString('LINESTRING (114 22.5, 114.1 22.6)')).toEqual([[114, 22.5], [114.1, 22.6]])
    expect(parseWktLineString('LINESTRING Z (114 22.5 3, 114.1 22.6 4)')).toEqual([[114, 22.5], [114.1, 22.6]])
    expect(parseWktLineString('POINT (114 22.5)')).toBeUndefined()
  })
})
