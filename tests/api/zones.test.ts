// The 三不管 API (zones, zone_summary, settle_zone, apply_zone, zone_decisions,
// set_zone_settings) called as the app's roles call it, on a private copy of the sample city, each
// test in a transaction rolled back after it: its three planted cases are found, decisions are
// kept as history and follow the land, applying one changes exactly the land it should, and bad
// input is refused in words with nothing written.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../../src/db/database.ts'
import { asCaller, userClaims, type JwtClaims } from '../../src/db/session.ts'
import type { DecisionRecord, SettleResult, Zone, ZoneApplication, ZoneSummary, ZonesResult } from '../../src/zones/types.ts'
import { sampleCityRolledBack } from '../helpers/databases.ts'

type Role = 'leader' | 'planner' | 'works'

const 江南社区 = '331181003012'
const 剑池街道 = '331181003'

/** One API function called as a signed-in role (or any claims), the way PostgREST calls it. */
async function rpc<T>(db: Database, who: Role | JwtClaims, sql: string, params: unknown[] = []): Promise<T> {
  const claims = typeof who === 'string' ? userClaims(who) : who
  const { rows } = await asCaller(db, claims, (tx) => tx.query<{ r: T }>(`select ${sql} as r`, params))
  // PGlite answers a GEOS failure with no rows rather than an error: say so instead of reading undefined
  if (rows.length !== 1) throw new Error(`${sql} returned ${rows.length} rows`)
  return rows[0].r
}

async function refusal(db: Database, who: Role | JwtClaims, sql: string, params: unknown[] = []): Promise<{ code?: string; message: string; hint?: string }> {
  const error = await rpc(db, who, sql, params).then(
    () => undefined,
    (e: unknown) => e as { code?: string; message: string; hint?: string },
  )
  if (!error) throw new Error(`${sql} was accepted`)
  return error
}

const zonesOf = (db: Database, who: Role = 'planner', args = 'with_geometry => false') => rpc<ZonesResult>(db, who, `public.zones(${args})`)

/** Reads as the database owner, past row level security: what is really stored. */
async function scalar<T>(db: Database, sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.query<{ v: T }>(sql, params)
  if (rows.length !== 1) throw new Error(`${sql} returned ${rows.length} rows`)
  return rows[0].v
}
const areaOf = (db: Database, table: string, code: string) =>
  scalar<number>(db, `select extensions.st_area(geom::extensions.geography) as v from atlas.${table} where code = $1`, [code])

/** Everything a refused call must leave as it was: the decisions, the settings and every boundary. */
const fingerprint = (db: Database) =>
  scalar<string>(db, `select md5(concat_ws('|',
      (select count(*) from atlas.zone_decision),
      (select string_agg(concat_ws(',', id, owner_code, superseded_at, applied_at), ';' order by id) from atlas.zone_decision),
      (select concat_ws(',', min_width_m, min_area_m2, updated_at) from atlas.zone_setting),
      (select md5(string_agg(code || encode(extensions.st_asbinary(geom), 'hex'), '' order by code)) from atlas.street),
      (select md5(string_agg(code || encode(extensions.st_asbinary(geom), 'hex'), '' order by code)) from atlas.community),
      (select md5(string_agg(code || encode(extensions.st_asbinary(geom), 'hex'), '' order by code)) from atlas.grid),
      (select md5(string_agg(code || encode(extensions.st_asbinary(geom), 'hex'), '' order by code)) from atlas.management_area))) as v`)

/** The three planted cases, each looked up when asked for (one may be gone once applied). */
function planted(zones: Zone[]) {
  const one = (what: string, pick: (z: Zone) => boolean) => {
    const found = zones.filter(pick)
    if (found.length !== 1) throw new Error(`${what}: ${found.length} zones match`)
    return found[0]
  }
  return {
    get 林场() {
      return one('林场', (z) => z.kind === 'gap' && z.level === 'management' && Math.abs(z.area_m2 - 166_917) < 1_669)
    },
    get 水南犁山() {
      return one('水南犁山', (z) => z.kind === 'overlap' && z.level === 'management')
    },
    get 吴处() {
      return one('吴处', (z) => z.kind === 'gap' && z.level === 'community')
    },
  }
}

const city = sampleCityRolledBack()

describe('the planted cases of the sample city', () => {
  test('are found with their areas, open, each with a suggested owner and a reason that names it', async () => {
    const result = await zonesOf(city.db, 'leader', '')
    expect(result.settings).toMatchObject({ min_width_m: 1, min_area_m2: 50 })
    expect(result.nesting).toEqual([])
    const { 林场, 水南犁山, 吴处 } = planted(result.zones)

    expect(林场.area_m2).toBeGreaterThan(166_917 * 0.99)
    expect(林场.area_m2).toBeLessThan(166_917 * 1.01)
    expect(林场).toMatchObject({ status: 'open', parent: { layer: 'street', code: 剑池街道 }, suggested_owner: 'SO-331181003', claimants: null })
    expect(林场.units).toEqual(expect.arrayContaining(['SO-331181003', 'CB-CHENGNAN']))

    expect(水南犁山.area_m2).toBeGreaterThan(53_466 * 0.99)
    expect(水南犁山.area_m2).toBeLessThan(53_466 * 1.01)
    expect(水南犁山).toMatchObject({ status: 'open', suggested_owner: 'SO-331181003' })
    expect(水南犁山.claimants).toEqual(['DZ-LQ', 'SO-331181003'])

    expect(吴处.area_m2).toBeGreaterThan(43_261 * 0.99)
    expect(吴处.area_m2).toBeLessThan(43_261 * 1.01)
    expect(吴处).toMatchObject({ status: 'open', parent: { layer: 'street', code: 剑池街道 }, suggested_owner: 江南社区 })

    for (const zone of [林场, 水南犁山, 吴处]) {
      expect(zone.id).toMatch(zone.kind === 'gap' ? /^g-[0-9a-f]{10}$/ : /^o-[0-9a-f]{10}$/)
      const owner = zone.candidates[0]
      expect(owner.code).toBe(zone.suggested_owner)
      expect(zone.reason).toContain(`${owner.name} (${owner.code})`)
      expect(zone.reason_zh).toContain(owner.name)
      expect(zone.decision).toBeNull()
      expect(zone.geometry?.type).toMatch(/Polygon$/)
    }
    // the 吴处 land is also in no management area: the same land, found a second time at that level
    const managed = result.zones.filter((z) => z.level === 'management' && z.kind === 'gap' && z.id !== 林场.id)
    expect(managed).toHaveLength(1)
    expect(managed[0].area_m2).toBeCloseTo(吴处.area_m2, 0)
    // and nothing else is open in the sample city
    expect(result.zones.filter((z) => z.status === 'open')).toHaveLength(4)
  })

  test('zone_summary counts per street what zones() lists, each zone placed by its label point, and the land of its open zones once', async () => {
    const { zones } = await zonesOf(city.db, 'leader', '')
    const summary = await rpc<ZoneSummary>(city.db, 'leader', 'public.zone_summary()')
    const streetOf = async (z: Zone) =>
      (await city.db.query<{ code: string }>(
        `select code from atlas.street where extensions.st_intersects(geom, extensions.st_setsrid(extensions.st_point($1, $2), 4326))`,
        z.label,
      )).rows[0]?.code
    // the land, not the sum of zones: the 吴处 land is a community gap and a management gap at once
    const landOf = async (open: Zone[]) =>
      open.length
        ? (await city.db.query<{ m2: number }>(
            `select extensions.st_area(extensions.st_union(extensions.st_setsrid(extensions.st_geomfromgeojson(g), 4326))::extensions.geography) m2
               from unnest($1::text[]) g`,
            [open.map((z) => JSON.stringify(z.geometry))],
          )).rows[0].m2
        : 0
    const expected = new Map<string, { open: number; open_m2: number; settled: number; noise: number }>()
    const openBy = new Map<string, Zone[]>()
    for (const zone of zones) {
      const code = await streetOf(zone)
      if (!code) continue
      const row = expected.get(code) ?? { open: 0, open_m2: 0, settled: 0, noise: 0 }
      if (zone.status === 'open') {
        row.open += 1
        openBy.set(code, [...(openBy.get(code) ?? []), zone])
      } else row[zone.status] += 1
      expected.set(code, row)
    }
    for (const [code, open] of openBy) expected.get(code)!.open_m2 = await landOf(open)
    expect(summary.streets.map((s) => s.code).sort()).toEqual(['331181001', '331181002', '331181003', '331181004'])
    for (const street of summary.streets) {
      const mine = expected.get(street.code) ?? { open: 0, open_m2: 0, settled: 0, noise: 0 }
      expect(street, street.code).toMatchObject({ open: mine.open, settled: mine.settled, noise: mine.noise })
      expect(street.open_m2, street.code).toBeCloseTo(mine.open_m2, 0)
    }
    expect(expected.get(剑池街道)?.open).toBe(4)
    expect(summary.city).toMatchObject({ open: zones.filter((z) => z.status === 'open').length, settled: 0, noise: 0 })
    const open = zones.filter((z) => z.status === 'open')
    expect(summary.city.open_m2).toBeCloseTo(await landOf(open), 0)
    expect(summary.city.open_m2).toBeLessThan(open.reduce((s, z) => s + z.area_m2, 0) - 40_000)
  })
})

describe('settling a zone without applying it', () => {
  test('keeps the decision with who and when; the zone is settled under the same id; settling again supersedes', async () => {
    const { 林场 } = planted((await zonesOf(city.db)).zones)
    const before = await areaOf(city.db, 'management_area', 'SO-331181003')
    const first = await rpc<SettleResult>(city.db, 'planner', `public.settle_zone($1, $2, $3)`, [林场.id, 'SO-331181003', '属地兜底，剑池街道负责'])
    expect(first).toMatchObject({ zone: 林场.id, owner: 'SO-331181003', owner_layer: 'management_area', suggested_owner: 'SO-331181003', applied: false })
    const stored = (await city.db.query<{ decided_by: string; age_s: number; remark: string; applied_at: string | null }>(
      `select decided_by, extract(epoch from now() - decided_at) as age_s, remark, applied_at from atlas.zone_decision where id = $1`,
      [first.decision],
    )).rows
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ decided_by: 'local-planner', remark: '属地兜底，剑池街道负责', applied_at: null })
    expect(Number(stored[0].age_s)).toBeLessThan(120)
    expect(await areaOf(city.db, 'management_area', 'SO-331181003')).toBe(before)

    const settled = (await zonesOf(city.db, 'leader')).zones.find((z) => z.id === 林场.id)
    expect(settled).toMatchObject({ status: 'settled', decision: { id: first.decision, owner_code: 'SO-331181003', owner_layer: 'management_area', decided_by: 'local-planner' } })
    const history = await rpc<DecisionRecord[]>(city.db, 'works', 'public.zone_decisions()')
    expect(history).toEqual([expect.objectContaining({ id: first.decision, zone_id: 林场.id, kind: 'gap', level: 'management', owner_code: 'SO-331181003', superseded_at: null, applied_at: null })])

    // a signed-in user with an email is recorded by it
    const second = await rpc<SettleResult>(city.db, { ...userClaims('planner'), email: 'planner@atlas.local' },
      `public.settle_zone($1, $2)`, [林场.id, 'CB-CHENGNAN'])
    expect(second).toMatchObject({ zone: 林场.id, owner: 'CB-CHENGNAN', suggested_owner: 'SO-331181003', applied: false })
    const again = await rpc<DecisionRecord[]>(city.db, 'leader', 'public.zone_decisions()')
    expect(again.map((d) => d.id)).toEqual([second.decision, first.decision])
    expect(again[0]).toMatchObject({ owner_code: 'CB-CHENGNAN', decided_by: 'planner@atlas.local', superseded_at: null })
    expect(again[1].superseded_at).not.toBeNull()
    const now = (await zonesOf(city.db)).zones.find((z) => z.id === 林场.id)
    expect(now).toMatchObject({ status: 'settled', decision: { id: second.decision, owner_code: 'CB-CHENGNAN' } })

    const summary = await rpc<ZoneSummary>(city.db, 'leader', 'public.zone_summary()')
    expect(summary.streets.find((s) => s.code === 剑池街道)).toMatchObject({ open: 3, settled: 1 })
  })
})

describe('applying a decision', () => {
  test('a community gap merged into 江南社区: valid, still nested, grown by exactly the gap; the grid-level gap follows', async () => {
    const { 吴处 } = planted((await zonesOf(city.db)).zones)
    const before = await areaOf(city.db, 'community', 江南社区)
    const total = () => scalar<number>(city.db, `select sum(extensions.st_area(geom::extensions.geography)) as v from atlas.community`)
    const totalBefore = await total()
    const result = await rpc<SettleResult>(city.db, 'planner', `public.settle_zone($1, $2, $3, apply => true)`, [吴处.id, 江南社区, '并入江南社区'])
    expect(result).toMatchObject({ zone: 吴处.id, owner: 江南社区, owner_layer: 'community', applied: true, changed: [江南社区] })

    const shape = (await city.db.query<{ valid: boolean; within: boolean }>(
      `select extensions.st_isvalid(c.geom) as valid, extensions.st_coveredby(c.geom, s.geom) as within
       from atlas.community c join atlas.street s on s.code = c.street_code where c.code = $1`, [江南社区])).rows[0]
    expect(shape).toEqual({ valid: true, within: true })
    expect((await areaOf(city.db, 'community', 江南社区)) - before).toBeCloseTo(吴处.area_m2, 0)
    expect(Math.abs((await areaOf(city.db, 'community', 江南社区)) - before - 吴处.area_m2)).toBeLessThan(0.5)
    expect(Math.abs((await total()) - totalBefore - 吴处.area_m2)).toBeLessThan(0.5)

    const next = await zonesOf(city.db)
    expect(next.nesting).toEqual([])
    expect(next.zones.find((z) => z.id === 吴处.id)).toBeUndefined()
    expect(next.zones.filter((z) => z.level === 'community')).toEqual([])
    // the community's grids do not cover the land it was given: that is now a gap among its grids
    const cascade = next.zones.filter((z) => z.level === 'grid')
    expect(cascade).toHaveLength(1)
    expect(cascade[0]).toMatchObject({ kind: 'gap', status: 'open', parent: { layer: 'community', code: 江南社区 } })
    expect(Math.abs(cascade[0].area_m2 - 吴处.area_m2)).toBeLessThan(0.5)
    expect(cascade[0].candidates[0]).toMatchObject({ layer: 'grid', same_parent: true })

    const [decision] = await rpc<DecisionRecord[]>(city.db, 'leader', 'public.zone_decisions()')
    expect(decision).toMatchObject({ id: result.decision, zone_id: 吴处.id, owner_code: 江南社区, applied_by: 'local-planner', superseded_at: null })
    expect(decision.applied_at).not.toBeNull()
  })

  test('an overlap cut from the development zone: DZ-LQ loses the zone, the street office keeps its land, the managed land is the same', async () => {
    const { 水南犁山 } = planted((await zonesOf(city.db)).zones)
    const managed = () => scalar<number>(city.db, `select extensions.st_area(extensions.st_union(geom)::extensions.geography) as v from atlas.management_area`)
    const streetOffice = await scalar<string>(city.db, `select encode(extensions.st_asbinary(geom), 'hex') as v from atlas.management_area where code = 'SO-331181003'`)
    const zoneBefore = await areaOf(city.db, 'management_area', 'DZ-LQ')
    const unionBefore = await managed()
    const result = await rpc<SettleResult>(city.db, 'planner', `public.settle_zone($1, 'SO-331181003', apply => true)`, [水南犁山.id])
    expect(result).toMatchObject({ applied: true, changed: ['DZ-LQ'], owner: 'SO-331181003' })
    expect(Math.abs(zoneBefore - (await areaOf(city.db, 'management_area', 'DZ-LQ')) - 水南犁山.area_m2)).toBeLessThan(0.5)
    expect(await scalar<string>(city.db, `select encode(extensions.st_asbinary(geom), 'hex') as v from atlas.management_area where code = 'SO-331181003'`)).toBe(streetOffice)
    expect(Math.abs((await managed()) - unionBefore)).toBeLessThan(0.5)
    expect(Number(await scalar<string>(city.db, `select count(*) as v from atlas.management_area where not extensions.st_isvalid(geom)`))).toBe(0)
    const next = await zonesOf(city.db)
    expect(next.zones.filter((z) => z.kind === 'overlap')).toEqual([])
  })

  test('apply_zone applies the standing decision of a zone settled earlier, and refuses an unsettled one', async () => {
    const { 林场 } = planted((await zonesOf(city.db)).zones)
    const unsettled = await refusal(city.db, 'planner', `public.apply_zone($1)`, [林场.id])
    expect(unsettled).toMatchObject({ code: '22023', message: `zone ${林场.id} is not settled: settle it first, naming its owner` })
    const before = await areaOf(city.db, 'management_area', 'SO-331181003')
    const settled = await rpc<SettleResult>(city.db, 'planner', `public.settle_zone($1, 'SO-331181003')`, [林场.id])
    expect(settled.applied).toBe(false)
    expect(await areaOf(city.db, 'management_area', 'SO-331181003')).toBe(before)
    const leader = await refusal(city.db, 'leader', `public.apply_zone($1)`, [林场.id])
    expect(leader.code).toBe('42501')
    expect(leader.message).toMatch(/only a planner applies/)
    const applied = await rpc<ZoneApplication>(city.db, 'planner', `public.apply_zone($1)`, [林场.id])
    expect(applied).toMatchObject({ zone: 林场.id, decision: settled.decision, applied: true, changed: ['SO-331181003'] })
    expect(Math.abs((await areaOf(city.db, 'management_area', 'SO-331181003')) - before - 林场.area_m2)).toBeLessThan(0.5)
    expect(await scalar<boolean>(city.db, `select extensions.st_isvalid(geom) as v from atlas.management_area where code = 'SO-331181003'`)).toBe(true)
    expect((await zonesOf(city.db)).zones.find((z) => z.id === 林场.id)).toBeUndefined()
    const history = await rpc<DecisionRecord[]>(city.db, 'planner', 'public.zone_decisions()')
    expect(history.find((d) => d.id === settled.decision)?.applied_at).not.toBeNull()
    const gone = await refusal(city.db, 'planner', `public.apply_zone($1)`, [林场.id])
    expect(gone).toMatchObject({ code: 'P0002', message: `there is no zone ${林场.id} now` })
  })
})

describe('decisions follow the land', () => {
  test('a neighbour edited so that the zone grows a little: still settled, same decision, same id', async () => {
    const { 吴处 } = planted((await zonesOf(city.db)).zones)
    const { decision } = await rpc<SettleResult>(city.db, 'planner', `public.settle_zone($1, $2)`, [吴处.id, 江南社区])
    // 吴处 is a hole in 江南社区: move the hole's easternmost vertex 2 m further east
    const east = 吴处.bbox[2]
    const { rows: moved } = await city.db.query<{ n: number }>(
      `with c as (select geom from atlas.community where code = $1),
            v as (select (p).geom as p from c, extensions.st_dumppoints(c.geom) p
                  where abs(extensions.st_x((p).geom) - $2) < 1e-6 order by abs(extensions.st_x((p).geom) - $2) limit 1)
       update atlas.community set geom = extensions.st_multi(extensions.st_geomfromtext(replace(
           extensions.st_astext(atlas.community.geom),
           extensions.st_x(v.p)::text || ' ' || extensions.st_y(v.p)::text,
           (extensions.st_x(v.p) + 2.0 / (111320 * cos(radians(extensions.st_y(v.p)))))::text || ' ' || extensions.st_y(v.p)::text), 4326))
       from v where code = $1 returning extensions.st_npoints(geom) as n`,
      [江南社区, east],
    )
    expect(moved).toHaveLength(1)
    const after = (await zonesOf(city.db)).zones.filter((z) => z.level === 'community')
    expect(after).toHaveLength(1)
    const zone = after[0]
    expect(zone.bbox[2] - east).toBeGreaterThan(1.5e-5)
    expect(zone.area_m2).toBeGreaterThan(吴处.area_m2 + 1)
    expect(zone.area_m2).toBeLessThan(吴处.area_m2 + 300)
    // the land's own name has changed with its outline; the decision keeps the zone's
    const fresh = await scalar<string>(city.db, `select atlas.zone_id('gap', 'community', $1, extensions.st_geomfromgeojson($2)) as v`,
      [剑池街道, JSON.stringify((await zonesOf(city.db, 'planner', '')).zones.find((z) => z.level === 'community')!.geometry)])
    expect(fresh).not.toBe(吴处.id)
    expect(zone).toMatchObject({ id: 吴处.id, status: 'settled', decision: { id: decision, owner_code: 江南社区 } })
  })
})

describe('bad input is refused in words, and nothing is written', () => {
  let zones: ReturnType<typeof planted>

  beforeAll(async () => {
    zones = planted((await zonesOf(city.db)).zones)
  })

  const cases: [string, Role | JwtClaims, () => [string, unknown[]], () => Record<string, unknown>][] = [
    ['an unknown zone', 'planner', () => [`public.settle_zone('g-0000000000', 'SO-331181003')`, []],
      () => ({ code: 'P0002', message: 'there is no zone g-0000000000 now' })],
    ['a malformed zone id', 'planner', () => [`public.settle_zone('zone-7', 'SO-331181003')`, []],
      () => ({ code: '22023', message: expect.stringMatching(/^zone-7 is not a zone id/) })],
    ['an unknown owner', 'planner', () => [`public.settle_zone($1, 'XX-9')`, [zones.吴处.id]],
      () => ({ code: '22023', message: 'there is no unit XX-9' })],
    ['an owner that neither borders nor encloses the zone', 'planner', () => [`public.settle_zone($1, '331181001001')`, [zones.吴处.id]],
      () => ({ code: '22023', message: `331181001001 neither borders, claims nor encloses zone ${zones.吴处.id}`, hint: expect.stringContaining(江南社区) })],
    ['a leader settling', 'leader', () => [`public.settle_zone($1, $2)`, [zones.吴处.id, 江南社区]],
      () => ({ code: '42501', message: 'only a planner settles a 三不管 zone; you are signed in as leader' })],
    ['the construction bureau settling', 'works', () => [`public.settle_zone($1, $2)`, [zones.吴处.id, 江南社区]],
      () => ({ code: '42501', message: 'only a planner settles a 三不管 zone; you are signed in as works' })],
    ['an anonymous caller', { role: 'anon' }, () => [`public.settle_zone($1, $2)`, [zones.吴处.id, 江南社区]],
      () => ({ code: '42501', message: expect.stringMatching(/^sign in first/) })],
    ['a gap applied to the street that encloses it', 'planner', () => [`public.settle_zone($1, $2, apply => true)`, [zones.吴处.id, 剑池街道]],
      () => ({ code: '22023', message: `${剑池街道} encloses the zone already: to close the gap its land must go to a community that borders it`, hint: expect.stringContaining(江南社区) })],
    ['a remark over 2,000 characters', 'planner', () => [`public.settle_zone($1, $2, $3)`, [zones.吴处.id, 江南社区, '说'.repeat(2001)]],
      () => ({ code: '22023', message: 'the remark has 2001 characters; at most 2,000' })],
    ['a negative minimum width', 'planner', () => [`public.set_zone_settings(-1, 50)`, []],
      () => ({ code: '22023', message: 'minimum width -1 m is not between 0 and 1000 m' })],
    ['a leader changing the thresholds', 'leader', () => [`public.set_zone_settings(5, 50)`, []],
      () => ({ code: '42501', message: expect.stringMatching(/^only a planner sets the noise thresholds/) })],
    ['zones() with a negative minimum width', 'leader', () => [`public.zones(min_width_m => -1)`, []],
      () => ({ code: '22023', message: 'minimum width -1 m is not between 0 and 1000 m' })],
    ['an anonymous caller listing zones', { role: 'anon' }, () => [`public.zones()`, []],
      () => ({ code: '42501', message: expect.stringMatching(/^sign in first/) })],
    ['an anonymous caller asking for the summary', { role: 'anon' }, () => [`public.zone_summary()`, []],
      () => ({ code: '42501', message: expect.stringMatching(/^sign in first/) })],
    ['an anonymous caller reading the decisions', { role: 'anon' }, () => [`public.zone_decisions()`, []],
      () => ({ code: '42501', message: expect.stringMatching(/^sign in first/) })],
    ['an anonymous caller applying', { role: 'anon' }, () => [`public.apply_zone($1)`, [zones.吴处.id]],
      () => ({ code: '42501', message: expect.stringMatching(/^sign in first/) })],
    ['an anonymous caller changing the thresholds', { role: 'anon' }, () => [`public.set_zone_settings(5, 50)`, []],
      () => ({ code: '42501', message: expect.stringMatching(/^sign in first/) })],
    ['a caller signed in with no role of the atlas', { role: 'authenticated', sub: 'someone', app_metadata: { provider: 'email' } },
      () => [`public.zones()`, []], () => ({ code: '42501', message: expect.stringMatching(/^sign in first/) })],
    ['apply_zone of an open zone', 'planner', () => [`public.apply_zone($1)`, [zones.吴处.id]],
      () => ({ code: '22023', message: `zone ${zones.吴处.id} is not settled: settle it first, naming its owner` })],
  ]
  test.each(cases)('%s', async (_, who, call, expected) => {
    const before = await fingerprint(city.db)
    const [sql, params] = call()
    expect(await refusal(city.db, who, sql, params)).toMatchObject(expected())
    expect(await fingerprint(city.db)).toBe(before)
  })

  test('an apply that would break nesting is refused and leaves everything as it was', async () => {
    // cut a notch out of a grid where it meets a grid of another community: the notch borders both
    const [pair] = (await city.db.query<{ inner: string; outer: string; centre: string }>(
      `select a.code as inner, b.code as outer,
              extensions.st_astext(extensions.st_lineinterpolatepoint(extensions.st_geometryn(extensions.st_linemerge(
                extensions.st_collectionextract(extensions.st_intersection(a.geom, b.geom), 2)), 1), 0.5)) as centre
       from atlas.grid a join atlas.grid b on a.community_code <> b.community_code and extensions.st_intersects(a.geom, b.geom)
       where extensions.st_length(extensions.st_collectionextract(extensions.st_intersection(a.geom, b.geom), 2)::extensions.geography) > 200
       order by a.code, b.code limit 1`)).rows
    expect(pair).toBeDefined()
    await city.db.query(
      `update atlas.grid set geom = extensions.st_multi(extensions.st_difference(geom,
         extensions.st_expand(extensions.st_geomfromtext($2, 4326), 0.00015))) where code = $1`,
      [pair.inner, pair.centre],
    )
    const notch = (await zonesOf(city.db)).zones.find((z) => z.level === 'grid' && z.units.includes(pair.outer))
    expect(notch).toMatchObject({ kind: 'gap', status: 'open', suggested_owner: pair.inner })
    expect(notch!.candidates.find((c) => c.code === pair.outer)).toMatchObject({ relation: 'borders', same_parent: false })
    const before = await fingerprint(city.db)
    const refused = await refusal(city.db, 'planner', `public.settle_zone($1, $2, apply => true)`, [notch!.id, pair.outer])
    expect(refused.code).toBe('23514')
    expect(refused.message).toMatch(/would break nesting/)
    expect(await fingerprint(city.db)).toBe(before)
    expect((await zonesOf(city.db)).zones.find((z) => z.id === notch!.id)).toMatchObject({ status: 'open', decision: null })
  })
})

describe('noise thresholds', () => {
  test('zones narrower than min_width_m are noise; the planner’s setting becomes the default and the summary follows', async () => {
    const defaults = await zonesOf(city.db, 'leader')
    expect(defaults.zones.length).toBeGreaterThan(0)
    expect(defaults.zones.every((z) => z.width_m < 500 && z.status === 'open')).toBe(true)
    const wide = await zonesOf(city.db, 'leader', 'min_width_m => 500, with_geometry => false')
    expect(wide.settings.min_width_m).toBe(500)
    expect(wide.zones.map((z) => [z.id, z.status])).toEqual(defaults.zones.map((z) => [z.id, 'noise']))
    // a width between the zones' widths splits them: the narrower ones noise, the others open
    const widths = defaults.zones.map((z) => z.width_m).sort((a, b) => a - b)
    expect(widths[0]).toBeLessThan(widths[widths.length - 1])
    const cut = (widths[0] + widths[widths.length - 1]) / 2
    const split = await zonesOf(city.db, 'works', `min_width_m => ${cut}, with_geometry => false`)
    expect(split.zones.map((z) => z.id)).toEqual(defaults.zones.map((z) => z.id))
    for (const zone of split.zones) expect(zone.status, zone.id).toBe(zone.width_m < cut ? 'noise' : 'open')
    const narrow = split.zones.filter((z) => z.status === 'noise').length
    expect(narrow).toBe(widths.filter((w) => w < cut).length)
    expect(narrow).toBeGreaterThan(0)
    expect(narrow).toBeLessThan(split.zones.length)
    // the same by area: 林场 (16.7 ha) stays open, 吴处 (4.3 ha) is noise
    const small = await zonesOf(city.db, 'leader', 'min_area_m2 => 100000, with_geometry => false')
    expect(small.zones.map((z) => z.id)).toEqual(defaults.zones.map((z) => z.id))
    for (const zone of small.zones) expect(zone.status, zone.id).toBe(zone.area_m2 < 100000 ? 'noise' : 'open')
    const { 林场, 吴处 } = planted(small.zones)
    expect([林场.status, 吴处.status]).toEqual(['open', 'noise'])
    // the parameters of one call changed nothing stored
    expect((await zonesOf(city.db, 'leader')).zones.every((z) => z.status === 'open')).toBe(true)

    expect(await rpc(city.db, 'planner', 'public.set_zone_settings(500, 50)')).toEqual({ min_width_m: 500, min_area_m2: 50 })
    const stored = (await city.db.query(`select min_width_m::float8 as w, min_area_m2::float8 as a, updated_by from atlas.zone_setting`)).rows
    expect(stored).toEqual([{ w: 500, a: 50, updated_by: 'local-planner' }])
    const now = await zonesOf(city.db, 'leader')
    expect(now.settings.min_width_m).toBe(500)
    expect(now.zones.every((z) => z.status === 'noise')).toBe(true)
    const summary = await rpc<ZoneSummary>(city.db, 'leader', 'public.zone_summary()')
    expect(summary.city).toMatchObject({ open: 0, open_m2: 0, noise: defaults.zones.length })
    expect(summary.streets.find((s) => s.code === 剑池街道)).toMatchObject({ open: 0, noise: 4 })

    await rpc(city.db, 'planner', 'public.set_zone_settings(1, 50)')
    const back = await rpc<ZoneSummary>(city.db, 'leader', 'public.zone_summary()')
    expect(back.city).toMatchObject({ open: defaults.zones.length, noise: 0 })
  })
})
