// A line network's noding (`atlas import walk_edge --node`): 200,000 short lines over a district,
// crossing one another as roads drawn uncut do, cut where they meet by ours
// (src/circles/network/noding.ts) and by PostGIS's ST_Node on the Debian PostgreSQL, on the same
// lines in the same run. The rival's lines are in a table already: its time is ST_Node's alone.
import pg from 'pg'
import { countKinds, cutLines, cutsAt, findJunctions } from '../src/circles/network/noding.ts'
import type { Feature } from '../src/db/validate.ts'
import { compare, time, withThrowawayPostgres, type BenchResult } from './harness.ts'
import { random as seeded } from '../src/circles/engine/testing.ts'

/**
 * `count` lines of 3–5 vertices and about 300 m, scattered over a square sized so that a line
 * meets two or three others: a district's roads drawn without their junctions.
 */
export function scatteredLines(count: number, seed = 7): Feature[] {
  const random = seeded(seed)
  const side = 0.7 * Math.sqrt(count / 200_000) // degrees
  const step = 0.001 // ~100 m
  return Array.from({ length: count }, (_, i) => {
    let [x, y] = [114 + random() * side, 22.3 + random() * side]
    let heading = random() * 2 * Math.PI
    const coordinates = [[x, y]]
    for (let k = 0, n = 2 + Math.floor(random() * 3); k < n; k++) {
      heading += (random() - 0.5) * 0.8
      x += Math.cos(heading) * step * (0.6 + random() * 0.8)
      y += Math.sin(heading) * step * (0.6 + random() * 0.8)
      coordinates.push([x, y])
    }
    return { type: 'Feature', properties: { code: `L${i}`, highway: 'residential' }, geometry: { type: 'LineString', coordinates } }
  })
}

/** Our noding of the lines: junctions found, lines cut; the pieces and the junctions by kind. */
function node(lines: Feature[]) {
  const { report, kept } = findJunctions(lines)
  return { kinds: countKinds(report.junctions), pieces: cutLines(kept, cutsAt(report.junctions)).features.length }
}

/**
 * ST_Node's time grows about as the square of the lines here (5,000: 2.4 s, 20,000: 39 s, 50,000:
 * 251 s), and GEOS cannot be interrupted: no statement_timeout stops it. So it nodes the 20,000 lines
 * whole, and the 200,000 tile by tile (8 × 8 tiles by each line's first vertex, each noded alone,
 * crossings between tiles missed): less work than the whole, so that ratio is a lower bound.
 */
const tiles = 8

export async function runNetworkBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  await withThrowawayPostgres('atlas_bench_node', async (url) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query('create extension postgis')
      for (const count of [20_000, 200_000]) {
        const lines = scatteredLines(count)
        const runs = count > 50_000 ? 3 : 5
        let ours = node(lines)
        const oursMs = await time(runs, () => Promise.resolve((ours = node(lines))))
        await client.query('drop table if exists line; create table line (tile int, geom geometry(LineString, 4326))')
        const side = 0.7 * Math.sqrt(count / 200_000)
        const tileOf = (f: Feature) => {
          const [x, y] = (f.geometry as GeoJSON.LineString).coordinates[0]
          const i = Math.min(tiles - 1, Math.max(0, Math.floor(((x - 114) / side) * tiles)))
          const j = Math.min(tiles - 1, Math.max(0, Math.floor(((y - 22.3) / side) * tiles)))
          return count > 50_000 ? j * tiles + i : 0
        }
        for (let i = 0; i < lines.length; i += 20_000)
          await client.query(
            `insert into line select (g ->> 'tile')::int, st_setsrid(st_geomfromgeojson(g ->> 'geometry'), 4326) from jsonb_array_elements($1::jsonb) g`,
            [JSON.stringify(lines.slice(i, i + 20_000).map((f) => ({ tile: tileOf(f), geometry: JSON.stringify(f.geometry) })))],
          )
        let theirs = 0
        const rivalMs = await time(1, async () => {
          theirs = (await client.query<{ n: number }>('select sum(n)::int as n from (select st_numgeometries(st_node(st_collect(geom))) as n from line group by tile) t')).rows[0].n
        })
        const name = `import_network_node_${count / 1000}k`
        const whole = count <= 50_000
        console.error(
          `${name}: ${count} lines, ${ours.kinds.cross} crossings, ${ours.kinds.touch} ends on another line → ${ours.pieces} pieces; ` +
            `ST_Node ${theirs} pieces${whole ? '' : ` in ${tiles * tiles} tiles, crossings between tiles missed`}`,
        )
        const baseline = whole
          ? 'ST_Node on the same lines, PostgreSQL 15 + PostGIS 3.3'
          : `ST_Node on the same lines in ${tiles}×${tiles} tiles, each alone (less work than the whole: the ratio is a lower bound), PostgreSQL 15 + PostGIS 3.3`
        results.push(compare(name, oursMs, rivalMs, baseline, runs))
      }
    } finally {
      await client.end()
    }
  })
  return results
}
