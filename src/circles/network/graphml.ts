// OSMnx GraphML (ox.save_graphml) → walking-network edges, streamed through sax.
//
// Attributes are declared by <key id=".." for="node|edge" attr.name=".."> and the ids differ from
// file to file, so they are read by attr.name. Nodes carry x (longitude) and y (latitude); edges
// osmid, highway, name, length, geometry (a WKT LINESTRING; absent on a straight edge), access,
// foot, oneway, reversed. Simplified graphs hold lists, "['residential', 'footway']".
// The graph is directed: a two-way street is stored u→v and v→u with the same geometry reversed.
// Pedestrians walk both ways, so one edge is kept per undirected (u, v, geometry).
import type { Feature } from '../../db/validate.ts'
import { notWalkableOnImport, type OsmImportRule, type WayTags } from '../engine/rules.ts'
import { edgeFeature, listReasons, NetworkError, tally, type NetworkResult } from './split.ts'
import { streamXml, type XmlInput } from './xml.ts'

interface RawEdge {
  source: string
  target: string
  key: string
  data: Record<string, string>
}

/** The values of an OSMnx attribute: a list "['a', 'b']" / "[1, 2]" or a single value. */
export function listValues(value: string | undefined): string[] {
  if (value === undefined) return []
  const text = value.trim()
  if (!(text.startsWith('[') && text.endsWith(']'))) return text ? [text] : []
  const values: string[] = []
  const item = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^,\s][^,]*)/g
  for (const m of text.slice(1, -1).matchAll(item)) {
    const quoted = m[1] ?? m[2]
    const v = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : m[3].trim()
    if (v && v !== 'None' && v !== 'nan') values.push(v)
  }
  return values
}

/** The points of a WKT LINESTRING, or undefined when the text is not one. */
export function parseWktLineString(wkt: string): number[][] | undefined {
  const m = /^\s*LINESTRING\s*(?:Z|M|ZM)?\s*\(([^()]*)\)\s*$/i.exec(wkt)
  if (!m) return undefined
  const points = m[1].split(',').map((pair) => pair.trim().split(/\s+/).slice(0, 2).map(Number))
  if (points.length < 2 || points.some((p) => p.length < 2 || !p.every(Number.isFinite))) return undefined
  return points
}

const codePattern = /^[A-Za-z0-9_-]{1,40}$/

/** `g<u>-<v>-<key>`; ids that do not fit the walk_edge code pattern are cleaned, or numbered. */
function edgeCode(edge: RawEdge, index: number): string {
  const code = `g${edge.source}-${edge.target}-${edge.key}`
  if (codePattern.test(code)) return code
  const clean = `g${edge.source}-${edge.target}-${edge.key}`.replace(/[^A-Za-z0-9_-]/g, '_')
  return clean.length <= 40 ? clean : `g${index}`
}

const squared = (a: number[], b: number[]) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2

export async function parseGraphml(input: XmlInput, walkable: readonly OsmImportRule[] = []): Promise<NetworkResult> {
  const keys = new Map<string, string>() // key id → attr.name, for node and edge keys
  const nodes = new Map<string, Record<string, string>>()
  const edges: RawEdge[] = []
  const graphData: Record<string, string> = {}
  let root: string | undefined
  let element: { kind: 'node' | 'edge' | 'graph'; data: Record<string, string> } | undefined
  let dataKey: string | undefined
  let text = ''
  let graph: typeof element

  await streamXml(input, {
    open(name, a) {
      if (root === undefined) {
        root = name
        if (name !== 'graphml') throw new NetworkError(`not a GraphML file: its root element is <${name}>, not <graphml>`)
        return
      }
      if (name === 'key') {
        if (a.id !== undefined && a['attr.name'] !== undefined) keys.set(`${a.for ?? 'all'}:${a.id}`, a['attr.name'])
      } else if (name === 'node') {
        const data: Record<string, string> = {}
        nodes.set(a.id, data)
        element = { kind: 'node', data }
      } else if (name === 'edge') {
        const data: Record<string, string> = {}
        edges.push({ source: a.source, target: a.target, key: a.id ?? '', data })
        element = { kind: 'edge', data }
      } else if (name === 'graph') element = graph = { kind: 'graph', data: graphData }
      else if (name === 'data' && element) {
        dataKey = a.key
        text = ''
      }
    },
    text(chunk) {
      if (dataKey !== undefined) text += chunk
    },
    close(name) {
      if (name === 'data' && element && dataKey !== undefined) {
        const attr = keys.get(`${element.kind}:${dataKey}`) ?? keys.get(`all:${dataKey}`) ?? dataKey
        element.data[attr] = text
        dataKey = undefined
      } else if (name === 'node' || name === 'edge') element = graph
      else if (name === 'graph') element = graph = undefined
    },
  })
  if (root === undefined) throw new NetworkError('not a GraphML file: it holds no XML element')
  if (!edges.length) throw new NetworkError('no walkable way: the GraphML holds no edge')

  const crs = graphData.crs?.trim().toLowerCase()
  if (crs && !/^(epsg:4326|epsg:4490|wgs ?84|\+proj=longlat.*)$/.test(crs))
    throw new NetworkError(
      `the graph is projected (crs ${graphData.crs}): save it in longitude/latitude (ox.project_graph(G, to_latlong=True)) before importing`,
    )

  // Node positions: x is the longitude, y the latitude.
  const position = new Map<string, [number, number]>()
  let withoutXy = 0
  for (const [id, data] of nodes) {
    const x = Number(data.x)
    const y = Number(data.y)
    if (data.x === undefined || data.y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) withoutXy++
    else position.set(id, [x, y])
  }
  if (withoutXy)
    throw new NetworkError(
      `the GraphML nodes have no coordinates: ${withoutXy} of ${nodes.size} ${nodes.size === 1 ? 'node lacks' : 'nodes lack'} the attributes x (longitude) and y (latitude)`,
    )

  // The edge key: the id attribute networkx writes, else a `key` attribute, else its rank among u→v edges.
  const ranks = new Map<string, number>()
  for (const edge of edges) {
    if (edge.key === '') edge.key = edge.data.key ?? ''
    if (edge.key === '') {
      const pair = `${edge.source}\u0000${edge.target}`
      const rank = ranks.get(pair) ?? 0
      ranks.set(pair, rank + 1)
      edge.key = String(rank)
    }
  }

  const excluded: Record<string, number> = {}
  const warnings: string[] = []
  const unknownNode: string[] = []
  const badGeometry: string[] = []
  const zeroLength: string[] = []
  const seen = new Set<string>()
  const codes = new Set<string>()
  const features: Feature[] = []
  edges.forEach((edge, index) => {
    const u = position.get(edge.source)
    const v = position.get(edge.target)
    if (!u || !v) {
      unknownNode.push(`${edge.source}→${edge.target}`)
      return
    }
    let coordinates: number[][]
    if (edge.data.geometry !== undefined && edge.data.geometry.trim() !== '') {
      const line = parseWktLineString(edge.data.geometry)
      if (!line) {
        badGeometry.push(`${edge.source}→${edge.target}`)
        return
      }
      // OSMnx draws u→v; should a line run the other way, turn it round before pinning its ends.
      if (squared(line[0], u) + squared(line[line.length - 1], v) > squared(line[0], v) + squared(line[line.length - 1], u)) line.reverse()
      coordinates = line
    } else coordinates = [u.slice(), v.slice()]
    // The ends are the nodes, exactly: the importer joins edges where their end points are equal.
    coordinates[0] = u.slice()
    coordinates[coordinates.length - 1] = v.slice()
    coordinates = coordinates.filter((p, i) => i === 0 || p[0] !== coordinates[i - 1][0] || p[1] !== coordinates[i - 1][1])

    // One edge per undirected (u, v, geometry): u→v and v→u with the line reversed are one street.
    const forward = JSON.stringify(coordinates)
    const backward = JSON.stringify(coordinates.slice().reverse())
    const [a, b] = edge.source <= edge.target ? [edge.source, edge.target] : [edge.target, edge.source]
    const line = edge.source === edge.target ? (forward < backward ? forward : backward) : edge.source <= edge.target ? forward : backward
    const undirected = `${a}\u0000${b}\u0000${line}`
    if (seen.has(undirected)) return
    seen.add(undirected)

    if (coordinates.length < 2) {
      zeroLength.push(`${edge.source}→${edge.target}`)
      return
    }
    const tags = edgeTags(edge.data, walkable)
    const reason = notWalkableOnImport(tags, walkable)
    if (reason) {
      tally(excluded, reason)
      return
    }
    let code = edgeCode(edge, index)
    if (codes.has(code)) code = `g${index}`
    codes.add(code)
    features.push(edgeFeature(code, coordinates, tags))
  })

  const some = (list: string[]) => list.slice(0, 5).join(', ') + (list.length > 5 ? ', …' : '')
  if (unknownNode.length)
    warnings.push(`${unknownNode.length} ${unknownNode.length === 1 ? 'edge refers' : 'edges refer'} to nodes not in the file and ${unknownNode.length === 1 ? 'was' : 'were'} left out (${some(unknownNode)})`)
  if (badGeometry.length)
    warnings.push(`${badGeometry.length} ${badGeometry.length === 1 ? 'edge has' : 'edges have'} a geometry that is not a WKT LINESTRING and ${badGeometry.length === 1 ? 'was' : 'were'} left out (${some(badGeometry)})`)
  if (zeroLength.length)
    warnings.push(`${zeroLength.length} ${zeroLength.length === 1 ? 'edge' : 'edges'} of zero length left out (${some(zeroLength)})`)
  if (!features.length) {
    const reasons = { ...excluded }
    if (unknownNode.length) reasons['nodes missing from the file'] = unknownNode.length
    if (badGeometry.length) reasons['unreadable geometry'] = badGeometry.length
    if (zeroLength.length) reasons['zero length'] = zeroLength.length
    throw new NetworkError(`no walkable way: of ${seen.size} ${seen.size === 1 ? 'edge' : 'edges'}, ${listReasons(reasons)}`)
  }
  return { features, excluded, warnings }
}

/** The OSM tags of an OSMnx edge; of a list, the first walkable highway and the first of the rest. */
export function edgeTags(data: Record<string, string>, walkable: readonly OsmImportRule[] = []): WayTags {
  const first = (name: string) => listValues(data[name])[0]
  const tags: WayTags = { name: first('name'), foot: first('foot'), access: first('access'), construction: first('construction'), tunnel: first('tunnel'), sidewalk: first('sidewalk') }
  const highways = listValues(data.highway)
  tags.highway = highways.find((highway) => notWalkableOnImport({ ...tags, highway }, walkable) === null) ?? highways[0]
  return tags
}
