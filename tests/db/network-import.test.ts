// `atlas import walk_edge` on real network files: the Futian OSMnx graph, an OSM XML file and
// the same file as PBF (converted by osmium), and bad input, refused with nothing written.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { notWalkableOnImport } from '../../src/circles/engine/rules.ts'
import type { NetworkParts } from '../../src/circles/network/parts.ts'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { importFile } from '../../src/db/import.ts'
import { ImportError } from '../../src/db/validate.ts'
import { openAtlas, type AtlasSession } from '../helpers/cli.ts'
import { copyEmptyDatabase, tempDir } from '../helpers/databases.ts'

const projectRoot = path.resolve(import.meta.dirname, '../..')
const sharedData = process.env.ATLAS_SHARED_DATA ?? path.resolve(projectRoot, '../shared/data')
const futian = path.join(sharedData, 'shenzhen-futian/walk_network.graphml')

interface EdgeRow {
  code: string
  name: string | null
  highway: string
  steps: boolean
  foot: string | null
  access: string | null
  length_m: number
  geom: string
  source: number | null
  target: number | null
}

const edgeRows = async (db: Database) =>
  (
    await db.query<EdgeRow>(
      `select code, name, highway, steps, foot, access, length_m::float8 as length_m,
              extensions.st_astext(geom) as geom, source, target
       from atlas.walk_edge order by code`,
    )
  ).rows

const count = async (db: Database, table: string) => Number((await db.query<{ n: number }>(`select count(*) as n from atlas.${table}`)).rows[0].n)

/** Connected components of the network, from the edges' source and target, largest first. */
function components(rows: { source: number | null; target: number | null }[]): number[] {
  const parent = new Map<number, number>()
  const find = (x: number): number => {
    while (parent.get(x) !== x) {
      const up = parent.get(x)!
      parent.set(x, parent.get(up)!) // path halving
      x = up
    }
    return x
  }
  for (const { source, target } of rows) {
    for (const n of [source!, target!]) if (!parent.has(n)) parent.set(n, n)
    const [a, b] = [find(source!), find(target!)]
    if (a !== b) parent.set(a, b)
  }
  const sizes = new Map<number, number>()
  for (const n of parent.keys()) sizes.set(find(n), (sizes.get(find(n)) ?? 0) + 1)
  return [...sizes.values()].sort((a, b) => b - a)
}

describe('the Futian OSMnx graph', () => {
  let dir: string
  let db: Database

  beforeAll(async () => {
    dir = copyEmptyDatabase()
    db = await openDatabase(dir)
  })
  afterAll(async () => {
    await db?.close().catch(() => {})
  })

  /** What the file holds, read here with regular expressions, independently of the importer. */
  function expectedFromRawXml() {
    const xml = fs.readFileSync(futian, 'utf8')
    const keyName = new Map<string, string>()
    for (const m of xml.matchAll(/<key id="([^"]+)" for="(node|edge)" attr\.name="([^"]+)"/g)) keyName.set(`${m[2]}:${m[1]}`, m[3])
    const dataOf = (kind: string, body: string) => {
      const data: Record<string, string> = {}
      for (const m of body.matchAll(/<data key="([^"]+)">([^<]*)<\/data>/g)) data[keyName.get(`${kind}:${m[1]}`)!] = m[2]
      return data
    }
    const nodes = new Map<string, Record<string, string>>()
    for (const m of xml.matchAll(/<node id="([^"]+)">([\s\S]*?)<\/node>/g)) nodes.set(m[1], dataOf('node', m[2]))
    const values = (v?: string) => (v === undefined ? [] : v.startsWith('[') ? [...v.matchAll(/'([^']*)'|(\d+)/g)].map((m) => m[1] ?? m[2]) : [v])
    const directed = [...xml.matchAll(/<edge source="([^"]+)" target="([^"]+)"[^>]*>([\s\S]*?)<\/edge>/g)]
    const seen = new Set<string>()
    const kept: { u: string; v: string; length: number }[] = []
    for (const [, u, v, body] of directed) {
      const data = dataOf('edge', body)
      // the line as text, from the lower node id to the higher: u→v and v→u give the same key
      const points = data.geometry ? data.geometry.replace(/^LINESTRING \(|\)$/g, '').split(', ') : ['straight']
      const forward = u <= v ? points : points.slice().reverse()
      const key = u === v ? [points.join(), points.slice().reverse().join()].sort()[0] : `${[u, v].sort().join('|')}|${forward.join()}`
      if (seen.has(key)) continue
      seen.add(key)
      const tags = { foot: values(data.foot)[0], access: values(data.access)[0], tunnel: values(data.tunnel)[0], sidewalk: values(data.sidewalk)[0] }
      const highways = values(data.highway)
      const highway = highways.find((h) => !notWalkableOnImport({ ...tags, highway: h })) ?? highways[0]
      if (notWalkableOnImport({ ...tags, highway })) continue
      kept.push({ u, v, length: Number(data.length) })
    }
    const usedNodes = new Set(kept.flatMap((e) => [e.u, e.v]))
    return { directed: directed.length, undirected: seen.size, kept, usedNodes, nodes }
  }

  test('imports one edge per undirected (u, v, geometry), every end linked, mostly one component', async () => {
    const expected = expectedFromRawXml()
    expect(expected.directed).toBe(4009)
    const result = await importFile(db, 'walk_edge', futian)
    expect(result).toMatchObject({ layer: 'walk_edge', format: 'graphml', inserted: expected.kept.length, updated: 0, warnings: [] })
    const excludedTotal = Object.values(result.excluded!).reduce((a, b) => a + b, 0)
    expect(excludedTotal + expected.kept.length).toBe(expected.undirected)
    expect(result.excluded).toHaveProperty(['highway=motorway_link'])
    // the expressways and road tunnels of Futian, with no sidewalk mapped
    expect(result.excluded).toHaveProperty(['highway=trunk without a sidewalk'])

    const rows = await edgeRows(db)
    expect(rows).toHaveLength(expected.kept.length)
    expect(await count(db, 'walk_node')).toBe(expected.usedNodes.size)
    expect(rows.filter((r) => r.source === null || r.target === null)).toEqual([])
    expect(rows.every((r) => /^g\d+-\d+-\d+$/.test(r.code))).toBe(true)

    const km = rows.reduce((sum, r) => sum + r.length_m, 0) / 1000
    const osmnxKm = expected.kept.reduce((sum, e) => sum + e.length, 0) / 1000
    expect(Math.abs(km - osmnxKm) / osmnxKm).toBeLessThan(0.005)

    const sizes = components(rows)
    const nodes = sizes.reduce((a, b) => a + b, 0)
    expect(nodes).toBe(expected.usedNodes.size)
    expect(sizes[0] / nodes).toBeGreaterThan(0.9)

    // the figures, for the record
    console.log(
      `Futian: ${expected.directed} directed edges → ${expected.undirected} undirected, ${rows.length} walkable imported, ` +
        `${nodes} nodes, ${km.toFixed(2)} km (OSMnx ${osmnxKm.toFixed(2)} km), ` +
        `${sizes.length} components (largest ${sizes[0]} nodes), left out ${JSON.stringify(result.excluded)}`,
    )
  })
})

// A 3 × 3 grid of streets (node 1rc at column c, row r), a motorway across it, a private
// service road, steps, and a path with a node missing from the file.
const gridNode = (id: number, c: number, r: number) =>
  `  <node id="${id}" version="1" lat="${(22.55 + r / 1000).toFixed(7)}" lon="${(114.05 + c / 1000).toFixed(7)}"/>`
const way = (id: number, refs: number[], tags: Record<string, string>) =>
  `  <way id="${id}" version="1">${refs.map((r) => `<nd ref="${r}"/>`).join('')}${Object.entries(tags)
    .map(([k, v]) => `<tag k="${k}" v="${v}"/>`)
    .join('')}</way>`
const osmXml = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="atlas test">
${[0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => gridNode(100 + 10 * r + c, c, r))).join('\n')}
${gridNode(1000, 2.2, 1.5)}
${gridNode(2000, 0.5, 0.5)}
${gridNode(2001, 1.5, 1.5)}
${gridNode(3000, 1.5, 1)}
${gridNode(4000, 3, 2)}
${gridNode(5000, -1, 2.5)}
${way(1, [100, 101, 102], { highway: 'residential', name: '一路' })}
${way(2, [110, 111, 112], { highway: 'residential', name: '二路' })}
${way(3, [120, 121, 122], { highway: 'footway' })}
${way(4, [100, 110, 120], { highway: 'service' })}
${way(5, [101, 111, 121], { highway: 'path', foot: 'designated' })}
${way(6, [102, 112, 1000, 122], { highway: 'living_street' })}
${way(7, [100, 2000, 111, 2001, 122], { highway: 'motorway', oneway: 'yes' })}
${way(8, [111, 3000], { highway: 'service', access: 'private' })}
${way(9, [122, 4000], { highway: 'steps' })}
${way(10, [120, 9999, 5000], { highway: 'footway' })}
</osm>
`

describe('OSM XML and PBF', () => {
  let atlas: AtlasSession
  let db: Database
  let work: string
  let xmlFile: string
  let pbfFile: string

  beforeAll(async () => {
    work = tempDir('network')
    xmlFile = path.join(work, 'grid.osm')
    pbfFile = path.join(work, 'grid.osm.pbf')
    fs.writeFileSync(xmlFile, osmXml)
    execFileSync('osmium', ['cat', xmlFile, '-o', pbfFile, '--overwrite'])
    // opened as the command line opens it, for the command line's test at the end
    atlas = await openAtlas(copyEmptyDatabase())
    db = atlas.db
  })
  afterAll(async () => {
    await atlas?.close()
  })

  let fromXml: EdgeRow[]

  test('OSM XML: the walkable ways split at shared nodes, geodesic lengths, one component', async () => {
    const result = await importFile(db, 'walk_edge', xmlFile)
    expect(result).toMatchObject({ format: 'osm', inserted: 14, updated: 0 })
    expect(result.excluded).toEqual({ 'highway=motorway': 1, 'access=private without foot=yes': 1 })
    expect(result.warnings).toEqual(['1 way refers to 1 node not in the file (way 10): those nodes were left out'])
    fromXml = await edgeRows(db)
    expect(fromXml.map((r) => r.code)).toEqual([
      'w1-0', 'w1-1', 'w10-0', 'w2-0', 'w2-1', 'w3-0', 'w3-1', 'w4-0', 'w4-1', 'w5-0', 'w5-1', 'w6-0', 'w6-1', 'w9-0',
    ])
    const byCode = Object.fromEntries(fromXml.map((r) => [r.code, r]))
    // node 1000 is on way 6 only: no cut there; node 111 is shared by ways 2 and 5 (the motorway's
    // and the private road's share do not count)
    expect(byCode['w6-1'].geom).toBe('LINESTRING(114.052 22.551,114.0522 22.5515,114.052 22.552)')
    expect(byCode['w2-0'].geom).toBe('LINESTRING(114.05 22.551,114.051 22.551)')
    expect(byCode['w10-0'].geom).toBe('LINESTRING(114.05 22.552,114.049 22.5525)')
    expect(byCode['w1-0']).toMatchObject({ name: '一路', highway: 'residential', steps: false, foot: null, access: null })
    expect(byCode['w9-0']).toMatchObject({ highway: 'steps', steps: true })
    expect(byCode['w5-0']).toMatchObject({ highway: 'path', foot: 'designated' })
    // 0.001° of longitude at 22.551° N on the ellipsoid: about 102.8 m
    expect(byCode['w2-0'].length_m).toBeCloseTo(102.8, 0)
    expect(await count(db, 'walk_node')).toBe(11)
    expect(fromXml.filter((r) => r.source === null || r.target === null)).toEqual([])
    expect(components(fromXml)).toEqual([11])
  })

  test('the same file as PBF (osmium cat) imports to identical edges', async () => {
    await db.exec('delete from atlas.walk_edge; delete from atlas.walk_node;')
    const result = await importFile(db, 'walk_edge', pbfFile)
    expect(result).toMatchObject({ format: 'pbf', inserted: 14, excluded: { 'highway=motorway': 1, 'access=private without foot=yes': 1 } })
    const fromPbf = await edgeRows(db)
    // node ids are numbered in the order the import meets the nodes, which differs between the formats
    const strip = (rows: EdgeRow[]) => rows.map((row) => ({ ...row, source: null, target: null }))
    expect(strip(fromPbf)).toEqual(strip(fromXml))
    expect(await count(db, 'walk_node')).toBe(11)
  })

  describe('bad input is refused in words and nothing is written', () => {
    const bad = (name: string, text: string | Buffer) => {
      const file = path.join(work, name)
      fs.writeFileSync(file, text)
      return file
    }
    const cases: [string, () => string, 'walk_edge' | 'community', RegExp][] = [
      [
        'a CSV file with no geometry',
        () => bad('edges.csv', 'code,highway\n1,footway\n'),
        'walk_edge',
        /the table has no geometry column: .* its columns: code, highway/,
      ],
      ['XML of another kind', () => bad('places.kml', '<kml><Document/></kml>'), 'walk_edge', /not a network file: .*root element is <kml>/],
      ['malformed OSM XML', () => bad('broken.osm', osmXml.replace('<way id="3"', '<way id="3"<')), 'walk_edge', /malformed XML at line 20, column \d+/],
      [
        'OSM XML with no walkable way',
        () => bad('motorways.osm', osmXml.replace(/<way id="[^7]"[\s\S]*?<\/way>|<way id="10"[\s\S]*?<\/way>/g, '').replace('</osm>', `${way(11, [100, 101], { highway: 'footway', foot: 'no' })}</osm>`)),
        'walk_edge',
        /no walkable way: of 2 ways, foot=no 1, highway=motorway 1/,
      ],
      [
        'GraphML without x/y',
        () => bad('no-xy.graphml', `<graphml><key id="d0" for="edge" attr.name="highway"/><graph edgedefault="directed"><node id="1"/><node id="2"/><edge source="1" target="2" id="0"><data key="d0">footway</data></edge></graph></graphml>`),
        'walk_edge',
        /the GraphML nodes have no coordinates: 2 of 2 nodes lack the attributes x \(longitude\) and y \(latitude\)/,
      ],
      ['a truncated PBF', () => bad('cut.osm.pbf', fs.readFileSync(pbfFile).subarray(0, 100)), 'walk_edge', /not a readable OSM PBF file/],
      ['a network into another layer', () => xmlFile, 'community', /OSM XML file, a walking network: it can only be imported into walk_edge \(its ways\) or gate \(its entrances and gates\); the community layer takes GeoJSON/],
      ['the same codes again, without --upsert', () => pbfFile, 'walk_edge', /feature 0 \(code w1-0\): code already exists in the walk_edge layer/],
    ]
    test.each(cases)('%s', async (_, file, layer, reason) => {
      const before = [await count(db, 'walk_edge'), await count(db, 'walk_node')]
      const error = await importFile(db, layer, file()).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ImportError)
      expect((error as Error).message).toMatch(/refused, nothing was written/)
      expect((error as Error).message).toMatch(reason)
      expect([await count(db, 'walk_edge'), await count(db, 'walk_node')]).toEqual(before)
    })
  })

  describe('the command line', () => {
    test('says what it left out, and refuses bad input with a non-zero exit', async () => {
      const imported = await atlas.run('import', 'walk_edge', xmlFile, '--upsert')
      expect(imported.code).toBe(0)
      expect(imported.out).toBe(
        `walk_edge: 0 features imported, 14 replaced from ${xmlFile} (OSM XML)\n` +
          'left out 2 ways a pedestrian cannot use: access=private without foot=yes 1, highway=motorway 1\n' +
          'warning: 1 way refers to 1 node not in the file (way 10): those nodes were left out\n' +
          'the network is one connected part of 14 edges, 1.5 km',
      )
      const check = await atlas.run('network', 'check')
      expect(check).toMatchObject({ code: 0, out: 'the network is one connected part of 14 edges, 1.5 km' })
      const json = JSON.parse((await atlas.run('network', 'check', '--json')).out) as NetworkParts
      expect(json).toMatchObject({ parts: 1, edges: 14, largestShare: 1 })
      expect((await atlas.run('network', 'count')).code).toBe(2)
      const refused = await atlas.run('import', 'walk_edge', path.join(work, 'edges.csv'))
      expect(refused.code).toBe(1)
      expect(refused.err).toMatch(/^atlas: .*edges\.csv: refused, nothing was written \(1 problem\):\n {2}- the table has no geometry column/)
    })
  })
})
