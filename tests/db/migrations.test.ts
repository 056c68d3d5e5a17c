// The migrations apply on both databases the atlas runs on, record themselves where the Supabase
// CLI looks, apply once only, and leave the schema in the shape Supabase's advisors ask for; what
// they compute (the backlog's scores) comes out the same on both.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BacklogScores } from '../../src/backlog/types.ts'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { importFile } from '../../src/db/import.ts'
import { listMigrations, migrate } from '../../src/db/migrate.ts'
import { sampleDir } from '../../src/db/sample.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { copySampleDatabase, createPostgresDatabase, tempDir, type ThrowawayPostgres } from '../helpers/databases.ts'

describe.each(['embedded', 'postgres'] as const)('migrations on the %s database', (target) => {
  let db: Database
  let throwaway: ThrowawayPostgres | undefined
  let applied: string[]

  beforeAll(async () => {
    if (target === 'embedded') db = await openDatabase(`${tempDir('migrate')}/db`)
    else {
      throwaway = await createPostgresDatabase()
      db = await openDatabase(throwaway.url)
    }
    applied = await migrate(db)
  })
  afterAll(async () => {
    await db?.close()
    await throwaway?.drop()
  })

  test('apply in order on a new database, and are recorded for the Supabase CLI', async () => {
    expect(applied).toEqual(listMigrations().map((m) => m.version))
    const { rows } = await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations order by version')
    expect(rows.map((r) => r.version)).toEqual(applied)
  })

  test('apply once: a second run changes nothing', async () => {
    expect(await migrate(db)).toEqual([])
  })

  test('PostGIS lives in the extensions schema, as on Supabase', async () => {
    const { rows } = await db.query<{ schema: string }>(
      `select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'postgis'`,
    )
    expect(rows).toEqual([{ schema: 'extensions' }])
  })

  test('every table has row level security on', async () => {
    const { rows } = await db.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('atlas', 'atlas_auth') and c.relkind = 'r' and not c.relrowsecurity`,
    )
    expect(rows).toEqual([])
  })

  test('the accounts live in atlas_auth, where no API role has any privilege, and no API function speaks of them', async () => {
    const { rows: tables } = await db.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'atlas_auth' order by 1`)
    expect(tables.map((t) => t.name)).toEqual(['account', 'session', 'sign_in', 'spent_refresh'])
    for (const role of ['anon', 'authenticated', 'service_role']) {
      const { rows } = await db.query<{ schema: boolean; privileges: string[] }>(
        `select has_schema_privilege($1, 'atlas_auth', 'usage') or has_schema_privilege($1, 'atlas_auth', 'create') as schema,
                array(select c.relname || ':' || p from pg_class c join pg_namespace n on n.oid = c.relnamespace
                      cross join unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']) p
                      where n.nspname = 'atlas_auth' and c.relkind = 'r' and has_table_privilege($1, c.oid, p)) as privileges`,
        [role],
      )
      expect(rows, role).toEqual([{ schema: false, privileges: [] }])
    }
    // nor PUBLIC, which every role is a member of
    const { rows: grantedToPublic } = await db.query(
      `select 1 from pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a where n.nspname = 'atlas_auth' and a.grantee = 0
       union all
       select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
       where n.nspname = 'atlas_auth' and a.grantee = 0`,
    )
    expect(grantedToPublic).toEqual([])
    const { rows: functions } = await db.query(
      `select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and (p.prosrc ilike '%atlas_auth%' or p.proname ilike '%password%' or p.proname ilike '%account%')`,
    )
    expect(functions).toEqual([])
  })

  test('accounts, sessions and sign-ins are not data: writing them moves no data version', async () => {
    const version = async () => (await db.query<{ v: string }>('select row(n, n_circles, n_zones, changed_at)::text as v from atlas.data_version')).rows[0].v
    const before = await version()
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `insert into atlas_auth.account (email, role, password_hash) values ('probe@longquan.gov.cn', 'works', 'scrypt$32768$8$1$c2FsdA==$aGFzaA==') returning id`,
      )
      await tx.query(`insert into atlas_auth.session (account_id, refresh_hash, expires_at) values ($1, repeat('a', 64), now() + interval '1 day')`, [rows[0].id])
      await tx.query(`insert into atlas_auth.sign_in (address, email, account_id, outcome) values ('127.0.0.1', 'probe@longquan.gov.cn', $1, 'ok')`, [rows[0].id])
      await tx.query(`update atlas_auth.session set ended_at = now(), ended_why = 'signed_out'`)
      await tx.query(`delete from atlas_auth.account where id = $1`, [rows[0].id])
    })
    expect(await version()).toBe(before)
    // a password that is not a hash, or an email not stored in its one shape, cannot get in
    for (const [email, hash] of [['Probe@longquan.gov.cn', 'scrypt$32768$8$1$c2FsdA==$aGFzaA=='], ['probe@longquan.gov.cn', 'Correct-horse-9']]) {
      const error = await db.query(`insert into atlas_auth.account (email, role, password_hash) values ($1, 'works', $2)`, [email, hash]).catch((e: { code?: string }) => e)
      expect((error as { code?: string }).code).toBe('23514')
    }
  })

  test('every function has a fixed search_path, and every API function a grant to the app roles', async () => {
    const { rows: mutable } = await db.query<{ name: string }>(
      `select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('atlas', 'public') and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
         and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')`,
    )
    expect(mutable).toEqual([])
    const { rows: api } = await db.query<{ name: string; anon: boolean; authenticated: boolean; public: boolean }>(
      `select p.proname as name,
              has_function_privilege('anon', p.oid, 'execute') as anon,
              has_function_privilege('authenticated', p.oid, 'execute') as authenticated,
              exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0) as public
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
       order by 1`,
    )
    expect(api.map((f) => f.name)).toEqual([
      'apply_zone', 'backlog_history', 'backlog_scores', 'backlog_weight_history', 'circle_points', 'circle_status', 'city_profile', 'co_managed', 'compound_land', 'coverage',
      'declare_co_management', 'edit_backlog_item', 'import_layer', 'import_placement', 'indicators', 'layer_stats', 'map_layer', 'my_access', 'proposals', 'remove_proposal', 'save_proposal', 'search_units',
      'service_circles', 'set_backlog_status', 'set_backlog_weights', 'set_city_profile', 'set_standard', 'set_zone_settings', 'settle_zone', 'standard_history',
      'standards', 'uncovered_residences', 'unit_record', 'walk_graph', 'withdraw_co_management', 'zone_decisions', 'zone_summary', 'zones',
    ])
    for (const fn of api) expect(fn).toMatchObject({ anon: true, authenticated: true, public: false })
  })

  if (target === 'postgres') {
    test('the backlog scores of the sample city are the same as on the embedded database, to the last hundredth', async () => {
      for (const layer of ['street', 'community', 'backlog'] as const) await importFile(db, layer, path.join(sampleDir, `${layer}.geojson`))
      const embedded = await openDatabase(copySampleDatabase())
      try {
        // the stored weights, and others passed in: every item, every factor, every part
        for (const weights of [null, { households: 3, complaints: 1, severity: 0.5, cost_per_household: 7, village: 0, waiting: 1.25 }]) {
          const scored = async (on: Database) =>
            asCaller(on, userClaims('leader'), async (tx) =>
              (await tx.query<{ s: BacklogScores }>('select public.backlog_scores($1::jsonb) as s', [weights && JSON.stringify(weights)])).rows[0].s)
          const figures = (s: BacklogScores) => s.items.map((i) => ({ code: i.code, score: i.score, depends_on: i.depends_on, factors: i.factors }))
          const [here, there] = [await scored(db), await scored(embedded)]
          expect(here.items).toHaveLength(56)
          // waiting days count from each server's today, which may differ across midnight; the
          // min–max value does not
          const normalised = (s: BacklogScores) => figures(s).map((i) => ({ ...i, factors: { ...i.factors, waiting: { ...i.factors.waiting, raw: null } } }))
          expect(normalised(here)).toEqual(normalised(there))
          expect(here.total_cost_yuan).toBe(there.total_cost_yuan)
        }
      } finally {
        await embedded.close()
      }
    })

    test('pgRouting is there for the isochrone engine’s oracle', async () => {
      await db.exec('create extension if not exists pgrouting with schema extensions')
      const { rows } = await db.query<{ version: string }>('select extensions.pgr_version() as version')
      expect(rows[0].version).toMatch(/^\d+\.\d+/)
    })
  }
})
