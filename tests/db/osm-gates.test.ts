// `atlas import gate <file.osm | file.osm.pbf>`: an OSM file's entrances and gates become the gates
// of the compounds whose outlines they lie on. Compounds of a small city (walled blocks) are
// imported first; the OSM file holds gates on their outlines, a gate closed to pedestrians, an
// emergency exit, a building's door inside a compound and a shop's door on a street: the open
// gates on outlines are written with their compounds, the rest left out and counted; the same
// file as PBF (osmium) gives the same; a file with no gate, or gates on no compound, is refused in
// words and nothing is written.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { importFile, importText } from '../../src/db/import.ts'
import { ImportError } from '../../src/db/validate.ts'
import { openAtlas, type AtlasSession } from '../helpers/cli.ts'
import { at, box, feature } from '../helpers/compounds.ts'
import { copyEmptyDatabase, tempDir } from '../helpers/databases.ts'

const collection = (features: object[]) => JSON.stringify({ type: 'FeatureCollection', features })

/** Two compounds, C-A (0–200 m) and C-B (300–500 m), and a point residence. */
const ground = {
  street: [feature({ code: '440304901', name: '试验街道', kind: '街道' }, box(-100, -100, 700, 400))],
  community: [feature({ code: '440304901001', parent_code: '440304901', name: '试验社区', type: '纯居型' }, box(-100, -100, 700, 400))],
  residence: [
    feature({ code: 'C-A', parent_code: '440304901001', households: 320, residents: 960 }, box(0, 0, 200, 200)),
    feature({ code: 'C-B', parent_code: '440304901001', households: 210, residents: 630 }, box(300, 0, 500, 200)),
    feature({ code: 'P-1', parent_code: '440304901001', households: 12, residents: 30 }, { type: 'Point', coordinates: at(250, 250) }),
  ],
}

/** An OSM XML file of nodes (id, x, y, tags) and one way through the first two. */
function osmXml(nodes: [number, number, number, Record<string, string>][]): string {
  const tag = (tags: Record<string, string>) => Object.entries(tags).map(([k, v]) => `<tag k="${k}" v="${v}"/>`).join('')
  const lines = nodes.map(([id, x, y, tags]) => {
    const [lon, lat] = at(x, y)
    return Object.keys(tags).length ? `  <node id="${id}" lat="${lat}" lon="${lon}">${tag(tags)}</node>` : `  <node id="${id}" lat="${lat}" lon="${lon}"/>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="hand">\n${lines.join('\n')}\n  <way id="1"><nd ref="${nodes[0][0]}"/><nd ref="${nodes[1][0]}"/><tag k="highway" v="footway"/></way>\n</osm>\n`
}

const gatesFile = osmXml([
  [11, 100, 0, { barrier: 'gate', name: '南门' }], // on C-A's south outline
  [12, 200.5, 120, { entrance: 'main', access: 'private' }], // 0.5 m outside C-A's east outline: a residents' gate
  [13, 300, 100, { barrier: 'lift_gate' }], // on C-B's west outline
  [14, 0, 50, { barrier: 'gate', foot: 'no' }], // on C-A, closed to pedestrians
  [15, 500, 50, { entrance: 'emergency' }], // on C-B, an emergency exit
  [16, 100, 100, { entrance: 'yes', 'addr:housenumber': '3' }], // a building's door inside C-A
  [17, 250, 300, { entrance: 'shop' }], // a shop's door on the street
  [18, 250, 0, {}], // a plain node
])

let dir: string
let work: string
beforeAll(async () => {
  work = tempDir('osm-gates')
  dir = copyEmptyDatabase()
  const atlas = await openAtlas(dir)
  try {
    for (const [layer, features] of Object.entries(ground)) await importText(atlas.db, layer as 'street', `${layer}.geojson`, collection(features))
  } finally {
    await atlas.close()
  }
  fs.writeFileSync(path.join(work, 'gates.osm'), gatesFile)
  execFileSync('osmium', ['cat', path.join(work, 'gates.osm'), '-o', path.join(work, 'gates.osm.pbf'), '--overwrite'])
})

describe('OSM entrances and gates as the gates of compounds', () => {
  let atlas: AtlasSession
  beforeAll(async () => {
    atlas = await openAtlas(dir)
  })
  afterAll(async () => {
    await atlas.close()
  })
  const gates = async () =>
    (await atlas.db.query<{ code: string; compound_code: string; name: string | null }>('select code, compound_code, name from atlas.gate order by code')).rows

  test('a file with gates on no compound is refused in words before the compounds are there; nothing is written', async () => {
    const empty = await openAtlas(copyEmptyDatabase())
    try {
      await importText(empty.db, 'street', 'street.geojson', collection(ground.street))
      await importText(empty.db, 'community', 'community.geojson', collection(ground.community))
      const run = await empty.run('import', 'gate', path.join(work, 'gates.osm'))
      expect(run.code).toBe(1)
      expect(run.err).toContain("none of the file's 5 gates lies on the outline of a compound (a residence drawn as its outline, within 5 m): import the compounds (the residence layer) first")
      expect(run.err).toContain('left out, closed to a pedestrian: entrance=emergency 1, foot=no 1')
      expect((await empty.db.query('select * from atlas.gate')).rows).toEqual([])
    } finally {
      await empty.close()
    }
  })

  test('OSM XML: the open gates on outlines are written with their compounds; the rest left out, counted and said', async () => {
    const run = await atlas.run('import', 'gate', path.join(work, 'gates.osm'))
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    expect(run.out.split('\n')).toEqual([
      `gate: 3 features imported from ${path.join(work, 'gates.osm')} (OSM XML)`,
      'left out 2 entrances and gates a pedestrian cannot use: entrance=emergency 1, foot=no 1',
      "warning: 2 of the file's 5 gates lie on no compound's outline (more than 5 m from every outline: a shop's or a building's door, or a compound not loaded): left out",
    ])
    expect(await gates()).toEqual([
      { code: 'osm-n11', compound_code: 'C-A', name: '南门' },
      { code: 'osm-n12', compound_code: 'C-A', name: null },
      { code: 'osm-n13', compound_code: 'C-B', name: null },
    ])
  })

  test('the same file as OSM PBF gives the same gates; again without --upsert it is refused, with it the gates are replaced', async () => {
    const pbf = path.join(work, 'gates.osm.pbf')
    await expect(importFile(atlas.db, 'gate', pbf)).rejects.toThrow(ImportError)
    const before = await gates()
    const result = await importFile(atlas.db, 'gate', pbf, { upsert: true })
    expect(result).toMatchObject({ layer: 'gate', format: 'pbf', features: 5, updated: 3, excluded: { 'foot=no': 1, 'entrance=emergency': 1 } })
    expect(await gates()).toEqual(before)
  })

  test('a network file with no entrance or gate is refused for the gate layer, saying what it looked for', async () => {
    const plain = path.join(work, 'plain.osm')
    fs.writeFileSync(plain, osmXml([[21, 0, 300, {}], [22, 100, 300, {}]]))
    const run = await atlas.run('import', 'gate', plain)
    expect(run.code).toBe(1)
    expect(run.err).toContain('the OSM XML file holds no gate: no node tagged entrance=* or barrier=gate|entrance|lift_gate')
  })

  test('a GraphML network is still refused for the gate layer, naming the layers an OSM file goes to', async () => {
    const graphml = path.join(work, 'net.graphml')
    fs.writeFileSync(graphml, '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed"></graph></graphml>')
    const run = await atlas.run('import', 'gate', graphml)
    expect(run.code).toBe(1)
    expect(run.err).toContain('this is an OSMnx GraphML file, a walking network: it can only be imported into walk_edge; the gate layer takes GeoJSON')
  })
})
