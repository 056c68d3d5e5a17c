// The registry of tables (atlas.api_target) against the schema it describes: every table is in
// it, its writers are what row level security lets write, its layers are the map's, and every
// table that feeds an answer has the trigger that keeps the indicators fresh. A domain added as
// the registry asks (a table, its policies, a row, the installer) appears in my_access() and
// refreshes the indicators, with no function rewritten. The defaults the SQL and the TypeScript
// both hold are the standards' own. On the embedded database and on the Debian PostgreSQL.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../../src/db/database.ts'
import { asCaller, userClaims, type JwtClaims } from '../../src/db/session.ts'
import { defaultWalk } from '../../src/shared/defaults.ts'
import { layerNames, layers } from '../../src/shared/layers.ts'
import { emptyDatabaseOn } from '../helpers/databases.ts'

interface Target {
  table_name: string
  layer: string | null
  map_order: number | null
  feeds: string[]
  writers: string[]
}

interface Access {
  role: string
  write: Record<string, boolean>
}

const roles = ['leader', 'planner', 'works'] as const

describe.each(['embedded', 'postgres'] as const)('the registry of tables on the %s database', (target) => {
  const opened = emptyDatabaseOn(target)
  let db: Database
  beforeAll(() => {
    db = opened.db
  })

  const registry = async () =>
    (await db.query<Target>(`select table_name, layer, map_order, feeds, writers::text[] as writers from atlas.api_target order by table_name`)).rows
  const as = <T>(claims: JwtClaims, sql: string, params: unknown[] = []) =>
    asCaller(db, claims, async (tx) => (await tx.query<{ v: T }>(sql, params)).rows[0].v)
  const version = async () =>
    (await db.query<{ n: string; n_circles: string; n_zones: string }>('select n::text, n_circles::text, n_zones::text from atlas.data_version')).rows[0]

  test('lists every table of the atlas schema, and only tables that exist', async () => {
    const { rows } = await db.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'atlas' order by 1`)
    const registered = (await registry()).map((t) => t.table_name)
    expect(registered.length).toBeGreaterThan(25)
    expect(registered).toEqual(rows.map((r) => r.name))
  })

  test.each(roles)('says of every table what row level security lets a %s write', async (role) => {
    const targets = await registry()
    const allowed = await as<Record<string, boolean>>(
      userClaims(role),
      `select jsonb_object_agg(t, atlas.may_write(t)) as v from unnest($1::text[]) t`,
      [targets.map((t) => t.table_name)],
    )
    expect(allowed).toEqual(Object.fromEntries(targets.map((t) => [t.table_name, t.writers.includes(role)])))
    // a leader writes the city's profile and nothing of the data; the others write data
    const written = Object.keys(allowed).filter((t) => allowed[t])
    if (role === 'leader') expect(written).toEqual(['city'])
    else expect(written.length).toBeGreaterThan(0)
  })

  test('the API’s roles cannot read or change the registry itself', async () => {
    for (const claims of [{ role: 'anon' }, userClaims('planner')]) {
      const refused = await as(claims, 'select count(*) as v from atlas.api_target').catch((error: { code?: string }) => error.code)
      expect(refused).toBe('42501')
    }
  })

  test.each(roles)('my_access() gives a %s one entry per table the API names, as the registry says', async (role) => {
    const named = (await registry()).filter((t) => t.layer !== null)
    const access = await as<Access>(userClaims(role), 'select public.my_access() as v')
    expect(access.role).toBe(role)
    expect(access.write).toEqual(Object.fromEntries(named.map((t) => [t.layer, t.writers.includes(role)])))
    expect(Object.keys(access.write)).toContain('zone_decision')
  })

  test('the map’s layers are src/shared/layers.ts’s, in its order, each in its table', async () => {
    const mapped = (await registry()).filter((t) => t.map_order !== null).sort((a, b) => a.map_order! - b.map_order!)
    expect(mapped.map((t) => [t.layer, t.table_name])).toEqual(layerNames.map((name) => [name, layers[name].table]))
    const unknown = await as(userClaims('leader'), `select public.map_layer('proposed_facility', 119, 28, 120, 29) as v`).catch((error: { code?: string; hint?: string }) => error)
    expect(unknown).toMatchObject({ code: '22023', hint: `Layers: ${layerNames.join(', ')}.` })
  })

  test('every table that feeds an answer has the data-version trigger, and no other table has one', async () => {
    const { rows } = await db.query<{ name: string }>(
      `select c.relname as name from pg_trigger g join pg_class c on c.oid = g.tgrelid
       where g.tgfoid = 'atlas.bump_data_version()'::regprocedure and not g.tgisinternal order by 1`,
    )
    const feeding = (await registry()).filter((t) => t.feeds.length > 0).map((t) => t.table_name)
    expect(feeding).toHaveLength(24)
    expect(rows.map((r) => r.name)).toEqual(feeding)
  })

  test('the city’s outline feeds the zones: editing a basemap feature moves the zones’ version', async () => {
    const before = await version()
    await db.query(`insert into atlas.basemap_feature (code, kind, geom) values ('CITY', 'city', extensions.st_geomfromtext('POLYGON((119 28, 119.1 28, 119.1 28.1, 119 28.1, 119 28))', 4326))`)
    const after = await version()
    expect(BigInt(after.n_zones)).toBe(BigInt(before.n_zones) + 1n)
    expect(after.n_circles).toBe(before.n_circles)
    await db.query(`delete from atlas.basemap_feature where code = 'CITY'`)
  })

  test('a domain added as the registry asks is in my_access() and refreshes the indicators; unregistered, it no longer does', async () => {
    const leader = userClaims('leader')
    const indicatorsComputedAt = () => as<string>(leader, `select public.indicators() ->> 'computed_at' as v`)
    await db.exec(`
      create table atlas.street_lamp (
        code text primary key,
        community_code text references atlas.community (code),
        geom extensions.geometry(Point, 4326) not null
      );
      alter table atlas.street_lamp enable row level security;
      select atlas.create_role_policies('atlas.street_lamp', 'works');
      grant select, insert, update, delete on atlas.street_lamp to authenticated;`)
    try {
      expect(Object.keys((await as<Access>(userClaims('works'), 'select public.my_access() as v')).write)).not.toContain('street_lamp')

      await db.exec(`
        insert into atlas.api_target (table_name, domain, layer, feeds, writers) values ('street_lamp', 'lighting', 'street_lamp', '{indicators}', '{works}');
        select atlas.install_data_version_triggers();`)
      for (const role of roles) {
        const access = await as<Access>(userClaims(role), 'select public.my_access() as v')
        expect(access.write.street_lamp, role).toBe(role === 'works')
      }

      const first = await indicatorsComputedAt()
      expect(await indicatorsComputedAt()).toBe(first)
      const before = await version()
      await asCaller(db, userClaims('works'), (tx) =>
        tx.query(`insert into atlas.street_lamp (code, geom) values ('L-1', extensions.st_setsrid(extensions.st_point(119.14, 28.07), 4326))`))
      const after = await version()
      expect(BigInt(after.n)).toBe(BigInt(before.n) + 1n)
      expect({ n_circles: after.n_circles, n_zones: after.n_zones }).toEqual({ n_circles: before.n_circles, n_zones: before.n_zones })
      const recomputed = await indicatorsComputedAt()
      expect(recomputed).not.toBe(first)

      // feeding nothing any more, the installer takes its trigger away and a write moves nothing
      await db.exec(`update atlas.api_target set feeds = '{}' where table_name = 'street_lamp'; select atlas.install_data_version_triggers();`)
      const still = await version()
      await db.query(`delete from atlas.street_lamp`)
      expect(await version()).toEqual(still)
      expect(await indicatorsComputedAt()).toBe(recomputed)
    } finally {
      await db.exec(`delete from atlas.api_target where table_name = 'street_lamp'; drop table atlas.street_lamp;`)
    }
  })

  test('the walk the SQL defaults to is the standards’, and the TypeScript’s is the same', async () => {
    const { rows } = await db.query<{ minutes: number; speed: number }>(
      `select (select value_min::float8 from atlas.standard where key = 'service_circle_minutes') as minutes,
              (select value_min::float8 from atlas.standard where key = 'walking_speed_m_per_min') as speed`,
    )
    expect(rows[0]).toEqual({ minutes: defaultWalk.minutes, speed: defaultWalk.speed })
    const params = await as<{ minutes: number; speed_m_per_min: number }>(userClaims('leader'), `select public.coverage() -> 'params' as v`)
    expect(params).toEqual({ minutes: defaultWalk.minutes, speed_m_per_min: defaultWalk.speed })
    // no API function keeps a walk of its own
    const { rows: defaults } = await db.query<{ name: string; args: string }>(
      `select p.proname as name, pg_get_function_arguments(p.oid) as args from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and pg_get_function_arguments(p.oid) ~ '\\mspeed numeric' order by 1`,
    )
    expect(defaults.map((d) => d.name)).toEqual(['coverage', 'indicators', 'save_proposal', 'service_circles', 'uncovered_residences'])
    for (const { args } of defaults) expect(args).not.toMatch(/DEFAULT (8|66\.7)\b/)
  })

  test('the grids’ band of the indicators is the standard’s', async () => {
    const { rows } = await db.query<{ thresholds: Record<string, number>; min: number; max: number }>(
      `select e.thresholds, s.value_min::float8 as min, s.value_max::float8 as max
       from atlas.indicator_entries() e, atlas.standard s where e.key = 'grids_outside_band' and s.key = 'grid_households'`,
    )
    expect(rows).toHaveLength(1)
    expect(rows[0].thresholds).toMatchObject({ households_min: rows[0].min, households_max: rows[0].max })
    const { rows: catalogue } = await db.query<{ thresholds: Record<string, number> }>(`select thresholds from atlas.indicator_catalogue where key = 'grids_outside_band'`)
    expect(Object.keys(catalogue[0].thresholds)).not.toContain('households_min')
  })

  test('the zones’ noise thresholds are never missing: a delete resets them to the table’s defaults', async () => {
    const planner = userClaims('planner')
    const settings = () => as<{ min_width_m: number; min_area_m2: number }>(planner, `select public.zones(with_geometry => false) -> 'settings' as v`)
    // the row a new table of the same columns gets by default
    const defaults = await db.transaction(async (tx) => {
      await tx.exec('create temporary table fresh_setting (like atlas.zone_setting including defaults) on commit drop; insert into fresh_setting default values')
      return (await tx.query<{ min_width_m: number; min_area_m2: number }>('select min_width_m::float8, min_area_m2::float8 from fresh_setting')).rows[0]
    })
    await asCaller(db, planner, (tx) => tx.query('select public.set_zone_settings(7, 700)'))
    expect(await settings()).toMatchObject({ min_width_m: 7, min_area_m2: 700 })
    await asCaller(db, planner, (tx) => tx.query('delete from atlas.zone_setting'))
    expect(await settings()).toMatchObject(defaults)
    expect((await db.query('select 1 from atlas.zone_setting')).rows).toHaveLength(1)
  })
})
