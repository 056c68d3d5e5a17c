// The migrations apply on both databases the atlas runs on, record themselves where the Supabase
// CLI looks, apply once only, and leave the schema in the shape Supabase's advisors ask for.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { listMigrations, migrate } from '../../src/db/migrate.ts'
import { createPostgresDatabase, tempDir, type ThrowawayPostgres } from '../helpers/databases.ts'

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
       where n.nspname = 'atlas' and c.relkind = 'r' and not c.relrowsecurity`,
    )
    expect(rows).toEqual([])
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
      'apply_zone', 'circle_points', 'circle_status', 'coverage', 'layer_stats', 'map_layer', 'my_access', 'proposals', 'remove_proposal',
      'save_proposal', 'search_units', 'service_circles', 'set_zone_settings', 'settle_zone', 'uncovered_residences', 'unit_record', 'walk_graph',
      'zone_decisions', 'zone_summary', 'zones',
    ])
    for (const fn of api) expect(fn).toMatchObject({ anon: true, authenticated: true, public: false })
  })

  if (target === 'postgres') {
    test('pgRouting is there for the isochrone engine’s oracle', async () => {
      await db.exec('create extension if not exists pgrouting with schema extensions')
      const { rows } = await db.query<{ version: string }>('select extensions.pgr_version() as version')
      expect(rows[0].version).toMatch(/^\d+\.\d+/)
    })
  }
})
