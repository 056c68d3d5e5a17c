// Co-managed areas with `atlas gaps declare | declared | withdraw`: a development zone inside the
// street office of the place is an open 三不管 overlap until a planner declares it entrusted (托管)
// to that office; then it is listed as declared with its arrangement and its shared land, counted
// apart in the leader's figures, while an undeclared overlap beside it stays a zone; withdrawn, it
// is a zone again, and both steps are kept. Bad input and other roles are refused in words with
// nothing written.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { callApi } from '../../src/db/api.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import type { Indicators } from '../../src/leader/types.ts'
import type { CoManagement, ZoneSummary, ZonesResult } from '../../src/zones/types.ts'
import { copyEmptyDatabase, tempDir } from '../helpers/databases.ts'
import { openAtlas, type AtlasSession } from '../helpers/cli.ts'
import { futianFixtures } from '../helpers/futian.ts'

const box = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] })
const areas = [
  { code: 'SO-1', name: '园岭街道办事处', kind: 'street_office', manager: '园岭街道办事处', geometry: box(114.085, 22.545, 114.105, 22.56) },
  { code: 'DZ-1', name: '园岭科技园', kind: 'development_zone', manager: '科技园管委会', geometry: box(114.09, 22.55, 114.1, 22.555) },
  { code: 'CB-1', name: '住建局片区', kind: 'construction_bureau', manager: '区住建局', geometry: box(114.101, 22.546, 114.104, 22.549) },
  { code: 'FAR-1', name: '远郊园区', kind: 'development_zone', manager: '远郊管委会', geometry: box(114.2, 22.6, 114.21, 22.61) },
]

let session: AtlasSession
const atlas = (...args: string[]) => session.run(...args)
const zones = async () => (JSON.parse((await atlas('gaps', '--json')).out) as ZonesResult).zones.filter((z) => z.level === 'management' && z.kind === 'overlap' && z.status === 'open')
const declared = async () => JSON.parse((await atlas('gaps', 'declared', '--json')).out) as CoManagement[]
const summary = (): Promise<ZoneSummary> => asCaller(session.db, userClaims('leader'), (tx) => callApi(tx, 'zone_summary', {}), true)
const indicators = (): Promise<Indicators> => asCaller(session.db, userClaims('leader'), (tx) => callApi(tx, 'indicators', {}))
/** The oracle: the land two areas share, m², computed here from the table. */
const shared = async (a: string, b: string) =>
  Number((await session.db.query<{ m2: number }>(
    `select extensions.st_area(extensions.st_intersection(a.geom, b.geom)::extensions.geography) as m2 from atlas.management_area a, atlas.management_area b where a.code = $1 and b.code = $2`, [a, b])).rows[0].m2)

beforeAll(async () => {
  session = await openAtlas(copyEmptyDatabase())
  const file = path.join(tempDir('atlas-co-management-'), 'management_area.geojson')
  fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: areas.map(({ geometry, ...properties }) => ({ type: 'Feature', properties, geometry })) }))
  for (const [layer, from] of [['street', path.join(futianFixtures, 'street.geojson')], ['management_area', file]]) {
    const run = await atlas('import', layer, from)
    if (run.code !== 0) throw new Error(run.err)
  }
}, 120_000)
afterAll(() => session?.close())

describe('a development zone co-managed with the street office it lies in', () => {
  test('undeclared, its land is an open overlap of the two, beside the construction bureau’s', async () => {
    const open = await zones()
    expect(open.map((z) => z.claimants).sort()).toEqual([['CB-1', 'SO-1'], ['DZ-1', 'SO-1']])
    const zone = open.find((z) => z.claimants!.includes('DZ-1'))!
    expect(zone.area_m2).toBeCloseTo(await shared('DZ-1', 'SO-1'), -1)
    expect(await declared()).toEqual([])
  })

  test('declared entrusted (托管): no open zone, listed as declared with its arrangement and land, counted apart by the leader', async () => {
    const before = await indicators()
    const run = await atlas('gaps', 'declare', 'DZ-1', '--with', 'SO-1', '--arrangement', 'entrusted', '--remark', '区政府批复：科技园委托街道属地管理', '--json')
    expect(run.code, run.err).toBe(0)
    const made = JSON.parse(run.out) as CoManagement
    expect(made).toMatchObject({ area_code: 'DZ-1', partner_code: 'SO-1', arrangement: 'entrusted', reason: '区政府批复：科技园委托街道属地管理', withdrawn_at: null })
    expect(made.declared_by).toMatch(/^atlas-cli:/)
    expect(made.shared_m2).toBeCloseTo(await shared('DZ-1', 'SO-1'), -1)
    expect(made.share_of_area).toBeCloseTo(1, 3)

    expect((await zones()).map((z) => z.claimants)).toEqual([['CB-1', 'SO-1']])
    const [listed] = await declared()
    expect(listed).toMatchObject({ id: made.id, area_name: '园岭科技园', partner_name: '园岭街道办事处', arrangement: 'entrusted' })
    expect((await atlas('gaps', 'declared')).out).toContain('园岭科技园 (DZ-1) entrusted (托管) to 园岭街道办事处 (SO-1)')

    const figures = await summary()
    expect(figures.city).toMatchObject({ open: 1, declared: 1 })
    expect(figures.city.declared_m2).toBeCloseTo(made.shared_m2, 0)
    expect(figures.streets[0]).toMatchObject({ code: '440304001', declared: 1 })
    const after = await indicators()
    expect(after.city.indicators.zones_open.value).toBe(before.city.indicators.zones_open.value! - 1)
    expect(after.city.indicators.zones_open.parts).toMatchObject({ declared: 1 })
    expect(before.city.indicators.zones_open.parts).toMatchObject({ declared: 0 })
  })

  test('withdrawn, the overlap is a zone again, and both steps are the history', async () => {
    const [standing] = await declared()
    const run = await atlas('gaps', 'withdraw', String(standing.id), '--remark', '托管协议到期')
    expect(run.code, run.err).toBe(0)
    expect((await zones()).map((z) => z.claimants).sort()).toEqual([['CB-1', 'SO-1'], ['DZ-1', 'SO-1']])
    const [history] = await declared()
    expect(history).toMatchObject({ id: standing.id, withdraw_reason: '托管协议到期', withdrawn_by: expect.stringMatching(/^atlas-cli:/) as string })
    expect((await summary()).city).toMatchObject({ open: 2, declared: 0 })
    // declared again, the other way round: one standing declaration of the pair
    expect((await atlas('gaps', 'declare', 'SO-1', '--with', 'DZ-1', '--arrangement', 'joint')).code).toBe(0)
    expect((await declared()).map((d) => [d.arrangement, d.withdrawn_at === null])).toEqual([['joint', true], ['entrusted', false]])
  })
})

describe('bad input is refused in words, with nothing written', () => {
  test.each([
    [['declare', 'FAR-1', '--with', 'SO-1', '--arrangement', 'entrusted'], '远郊园区 (FAR-1) does not lie in 园岭街道办事处 (SO-1)'],
    [['declare', 'CB-1', '--with', 'SO-1', '--arrangement', 'shared'], "unknown arrangement 'shared'"],
    [['declare', 'NO-1', '--with', 'SO-1', '--arrangement', 'joint'], "no management area 'NO-1'"],
    [['declare', 'CB-1', '--with', 'NO-2', '--arrangement', 'joint'], "no management area 'NO-2' to manage 住建局片区 (CB-1) with"],
    [['declare', 'CB-1', '--with', 'CB-1', '--arrangement', 'joint'], 'is named twice'],
    [['declare', 'DZ-1', '--with', 'SO-1', '--arrangement', 'entrusted'], 'are already declared co-managed'],
    [['withdraw', '999'], 'no declaration 999'],
    [['withdraw', '1'], 'was withdrawn already'],
  ])('%j', async (args, words) => {
    const [list, open] = [await declared(), await zones()]
    const { code, err } = await atlas('gaps', ...args)
    expect(code).toBe(1)
    expect(err).toContain(words)
    expect(await declared()).toEqual(list)
    expect(await zones()).toEqual(open)
  })

  test('without --with or --arrangement: the usage', async () => {
    const run = await atlas('gaps', 'declare', 'CB-1', '--with', 'SO-1')
    expect([run.code, run.err]).toEqual([2, expect.stringContaining('gaps declare needs --with <unit> and --arrangement') as string])
  })

  test('a leader and the construction bureau are refused; past the functions, row level security lets them write nothing', async () => {
    const list = await declared()
    for (const role of ['leader', 'works'] as const) {
      await expect(asCaller(session.db, userClaims(role), (tx) => callApi(tx, 'declare_co_management', { area: 'CB-1', partner: 'SO-1', arrangement: 'joint' }))).rejects.toMatchObject({
        code: '42501',
        message: `only a planner declares a co-managed area; you are signed in as ${role}`,
      })
      await expect(asCaller(session.db, userClaims(role), (tx) => callApi(tx, 'withdraw_co_management', { id: list[0].id }))).rejects.toMatchObject({ code: '42501' })
      await expect(asCaller(session.db, userClaims(role), (tx) => tx.query(`update atlas.co_management set withdrawn_at = now(), withdrawn_by = 'x' returning id`))).resolves.toMatchObject({ rows: [] })
    }
    expect(await declared()).toEqual(list)
  })
})
