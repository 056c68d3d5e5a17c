// A line network's junctions against PostGIS's ST_Node (the Debian PostgreSQL): on random networks
// (crossings, ends on another line, shared vertices) and on the real Futian network, the lines cut
// where ST_Node cuts them. Then the importer: a network whose lines cross uncut is refused with
// where, imported with --node as ST_Node would cut it, a bridge never joined to the road below, a
// shared vertex always cut, a line written forward and back imported once.
import Flatbush from 'flatbush'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { countKinds, cutLines, cutsAt, findJunctions } from '../../src/circles/network/noding.ts'
import { describeParts } from '../../src/circles/network/parts.ts'
import { readNetwork } from '../../src/circles/network/read.ts'
import { projectRoot } from '../../src/db/embedded.ts'
import { importText, networkParts } from '../../src/db/import.ts'
import type { Feature } from '../../src/db/validate.ts'
import { createPostgresDatabase, emptyDatabaseOn, type ThrowawayPostgres } from '../helpers/databases.ts'
import { random as seeded } from '../../src/circles/engine/testing.ts'

type Point = [number, number]
const futian = path.resolve(projectRoot, '../shared/data/shenzhen-futian/walk_network.graphml')

const edge = (code: string, coordinates: number[][], properties: Record<string, unknown> = {}): Feature => ({
  type: 'Feature',
  properties: { code, highway: 'footway', ...properties },
  geometry: { type: 'LineString', coordinates },
})

/**
 * Lines in a 1 km box: random ones (which cross), lines from a vertex inside another (shared
 * vertices), and lines ending on a level line between its vertices (ends on another line).
 */
function randomNetwork(seed: number, count: number): Feature[] {
  const random = seeded(seed)
  const at = (): Point => [114.05 + random() * 0.01, 22.53 + random() * 0.01]
  const features: Feature[] = []
  for (let i = 0; i < count; i++) {
    const line = Array.from({ length: 2 + Math.floor(random() * 3) }, at)
    features.push(edge(`r${i}`, line))
  }
  for (let i = 0; i < count / 5; i++) {
    const from = (features[Math.floor(random() * count)].geometry as GeoJSON.LineString).coordinates
    features.push(edge(`v${i}`, [from[Math.floor(random() * from.length)], at()]))
    // a level line, and a line ending on it between its vertices: exactly on it
    const [x1, x2, y] = [114.05 + random() * 0.005, 114.055 + random() * 0.005, 22.53 + random() * 0.01]
    features.push(edge(`h${i}`, [[x1, y], [x2, y]]))
    features.push(edge(`t${i}`, [at(), [x1 + (x2 - x1) * random(), y]]))
  }
  return features
}

/** The end points of the pieces: where the lines are cut, and where they ended. */
function ends(features: Feature[]): Point[] {
  return features.flatMap((f) => {
    const c = (f.geometry as GeoJSON.LineString).coordinates
    return [c[0] as Point, c[c.length - 1] as Point]
  })
}

/** Every point of `ours` within `tolerance` of one of `theirs`, and the other way round. */
function sameEnds(ours: Point[], theirs: Point[], tolerance = 1e-9): { missing: Point[]; extra: Point[] } {
  const near = (points: Point[], others: Point[]) => {
    const index = new Flatbush(others.length)
    for (const [x, y] of others) index.add(x, y, x, y)
    index.finish()
    return points.filter(([x, y]) => index.neighbors(x, y, 1, tolerance).length === 0)
  }
  return { missing: near(theirs, ours), extra: near(ours, theirs) }
}

let postgres: ThrowawayPostgres
let client: pg.Client

beforeAll(async () => {
  postgres = await createPostgresDatabase()
  client = new pg.Client({ connectionString: postgres.url })
  await client.connect()
  await client.query('create extension postgis')
})
afterAll(async () => {
  await client?.end()
  await postgres?.drop()
})

/** ST_Node's pieces' end points, the lines given as GeoJSON. */
async function stNodeEnds(features: Feature[]): Promise<Point[]> {
  const { rows } = await client.query<{ x: number; y: number }>(
    `with noded as (select (st_dump(st_node(st_collect(st_geomfromgeojson(g))))).geom from jsonb_array_elements_text($1::jsonb) g)
     select st_x(p) as x, st_y(p) as y from (select st_startpoint(geom) p from noded union all select st_endpoint(geom) from noded) e`,
    [JSON.stringify(features.map((f) => JSON.stringify(f.geometry)))],
  )
  return rows.map((r) => [r.x, r.y])
}

/** Our pieces, every junction cut. */
function nodedByUs(features: Feature[]) {
  const { report, kept } = findJunctions(features)
  return { report, ...cutLines(kept, cutsAt(report.junctions)) }
}

describe('the lines cut where ST_Node cuts them', () => {
  test.each([1, 2, 3, 4, 5])('a random network of crossings, shared vertices and ends on lines (seed %i)', async (seed) => {
    const features = randomNetwork(seed, 60)
    const ours = nodedByUs(features)
    const kinds = countKinds(ours.report.junctions)
    expect(kinds.cross, 'random lines cross').toBeGreaterThan(50)
    expect(kinds.vertex, 'lines from a vertex of another').toBeGreaterThan(0)
    expect(kinds.touch, 'lines ending on a level line').toBeGreaterThan(0)
    expect(ours.features.length).toBeGreaterThan(features.length + kinds.cross)
    // pieces meet end to end: every cut point ends pieces of both lines
    const { missing, extra } = sameEnds(ends(ours.features), await stNodeEnds(features))
    expect({ missing, extra }).toEqual({ missing: [], extra: [] })
  })

  test('the real Futian network (OSMnx GraphML): its uncut crossings are where ST_Node cuts it', async () => {
    const { features } = await readNetwork(futian)
    const ours = nodedByUs(features)
    const kinds = countKinds(ours.report.junctions)
    const { missing, extra } = sameEnds(ends(ours.features), await stNodeEnds(features))
    expect({ missing: missing.length, extra: extra.length }).toEqual({ missing: 0, extra: 0 })
    // OSM joins ways at shared nodes, which OSMnx makes edge ends: what is left crosses (bridges, tunnels)
    expect(kinds.vertex).toBe(0)
    expect(kinds.cross).toBeGreaterThan(0)
    console.log(`Futian: ${features.length} edges, ${kinds.cross} crossings, ${kinds.touch} ends on another line, as ST_Node`)
  })
})

describe('importing a line network', () => {
  const atlas = emptyDatabaseOn('embedded')
  const geojson = (features: Feature[]) => JSON.stringify({ type: 'FeatureCollection', features })
  const count = async (sql: string) => Number((await atlas.db.query<{ n: string }>(sql)).rows[0].n)
  // a street crossed by another, neither cut there; a bridge over the first; a path from a vertex inside the second
  const street = edge('street-a', [[114.050, 22.530], [114.052, 22.530]], { highway: 'residential' })
  const crossing = edge('street-b', [[114.051, 22.529], [114.051, 22.5305], [114.051, 22.531]], { highway: 'residential' })
  const bridge = edge('bridge-c', [[114.0515, 22.529], [114.0515, 22.531]], { highway: 'footway', bridge: 'yes' })
  const path = edge('path-d', [[114.051, 22.5305], [114.0505, 22.5312]])
  const reverse = edge('street-a-back', [[114.052, 22.530], [114.050, 22.530]], { highway: 'residential' })

  test('uncut crossings are refused with how many and where, and nothing is written', async () => {
    const refused = importText(atlas.db, 'walk_edge', 'streets.geojson', geojson([street, crossing, bridge, path]))
    await expect(refused).rejects.toThrow(/meet 1 time where neither is cut \(1 crossing\), so a walk could not turn there: first at street-a × street-b at 114\.051000, 22\.530000.*--node/)
    expect(await count('select count(*) n from atlas.walk_edge')).toBe(0)
  })

  test('with --node: cut where ST_Node cuts, the bridge left unjoined, the shared vertex cut, a line written back and forth once', async () => {
    const result = await importText(atlas.db, 'walk_edge', 'streets.geojson', geojson([street, crossing, bridge, path, reverse]), { node: true })
    expect(result.noding).toEqual({ duplicates: 1, cut: { cross: 1, touch: 0, vertex: 1 }, split: 2, pieces: 5, levelled: 1 })
    const rows = (await atlas.db.query<{ code: string; source: number; target: number; length_m: number }>('select code, source, target, length_m from atlas.walk_edge order by code')).rows
    expect(rows.map((r) => r.code)).toEqual(['bridge-c', 'path-d', 'street-a-1', 'street-a-2', 'street-b-1', 'street-b-2', 'street-b-3'])
    // the crossing is one node of four edges; the bridge shares no node with anything
    const degree = new Map<number, number>()
    for (const r of rows) for (const n of [r.source, r.target]) degree.set(n, (degree.get(n) ?? 0) + 1)
    const bridgeRow = rows.find((r) => r.code === 'bridge-c')!
    expect([degree.get(bridgeRow.source), degree.get(bridgeRow.target)]).toEqual([1, 1])
    expect([...degree.values()].sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 3, 4])
    // the pieces' lengths add up to the lines'
    const a = rows.filter((r) => r.code.startsWith('street-a-')).reduce((sum, r) => sum + Number(r.length_m), 0)
    const whole = await count(`select extensions.st_length(extensions.st_geomfromgeojson('${JSON.stringify(street.geometry)}')::extensions.geography) n`)
    expect(a).toBeCloseTo(whole, 6)
    // the same cut as ST_Node's on the lines that may join
    const stored = (await atlas.db.query<{ g: string }>(`select extensions.st_asgeojson(geom) g from atlas.walk_edge where code <> 'bridge-c'`)).rows
    const storedEnds = stored.map((r) => JSON.parse(r.g) as GeoJSON.LineString).flatMap((l) => [l.coordinates[0], l.coordinates[l.coordinates.length - 1]] as Point[])
    const { missing, extra } = sameEnds(storedEnds, await stNodeEnds([street, crossing, path]))
    expect({ missing, extra }).toEqual({ missing: [], extra: [] })
  })

  test('its connected parts: an island of road holding more than 5 % of the length is warned of', async () => {
    const island = edge('island-e', [[114.060, 22.540], [114.0605, 22.540]], { highway: 'residential' })
    const result = await importText(atlas.db, 'walk_edge', 'island.geojson', geojson([island]))
    expect(result.parts).toMatchObject({ parts: 3, edges: 8 })
    // the bridge is an island of its own too: 222 m, and the island 51 m, of 794 m
    expect(result.parts!.largestShare).toBeCloseTo((result.parts!.lengthM - 222.4 - 51.4) / result.parts!.lengthM, 2)
    const said = describeParts(result.parts!)
    expect(said[0]).toBe('the network has 3 connected parts (8 edges, 0.8 km); the largest holds 65.6 % of the length')
    expect(said[1]).toMatch(/^warning: the largest part holds less than 95 % of the length/)
    expect(await networkParts(atlas.db)).toEqual(result.parts)
  })

  test('a bridge told by a field of another name (是否桥梁) is not joined either, and --map names any other', async () => {
    const over = (code: string, properties: Record<string, unknown>) =>
      edge(code, [[114.0525, 22.5295], [114.0525, 22.5305]], { highway: 'footway', ...properties })
    // each file a road and a footway over it
    const road = (code: string) => edge(code, [[114.0520, 22.5300], [114.0530, 22.5300]], { highway: 'residential' })
    const named = await importText(atlas.db, 'walk_edge', 'bridges.geojson', geojson([road('road-f'), over('bridge-g', { 是否桥梁: 'yes' })]), { node: true })
    expect(named).toMatchObject({ fields: { bridge: '是否桥梁' }, noding: { levelled: 1, split: 0 } })
    const mapped = await importText(atlas.db, 'walk_edge', 'bridges.geojson', geojson([road('road-h'), over('bridge-h', { overpass: 'yes' })]), { node: true, map: { bridge: 'overpass' } })
    expect(mapped).toMatchObject({ fields: { bridge: 'overpass' }, noding: { levelled: 1, split: 0 } })
    // unmapped, the same crossing is a junction: refused without --node
    await expect(importText(atlas.db, 'walk_edge', 'bridges.geojson', geojson([road('road-i'), over('bridge-i', { overpass: 'yes' })]))).rejects.toThrow(/meet 1 time where neither is cut/)
  })
})
