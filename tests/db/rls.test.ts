// Row level security, every role × every table × select/insert/update/delete, asserted both
// ways (what is allowed succeeds, what is not is refused), on the embedded database and on the
// Debian PostgreSQL. Each attempt runs as the API's callers do (set local role + JWT claims)
// and is rolled back. The accounts' schema (atlas_auth) is closed to every caller, service_role
// included: not one row read or written, whatever the policies.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../../src/db/database.ts'
import { asCaller, userClaims, type JwtClaims } from '../../src/db/session.ts'
import { emptyDatabaseOn } from '../helpers/databases.ts'

const box = (w: number, s: number, e: number, n: number) =>
  `extensions.st_geomfromtext('MULTIPOLYGON(((${w} ${s}, ${e} ${s}, ${e} ${n}, ${w} ${n}, ${w} ${s})))', 4326)`
const point = (x: number, y: number) => `extensions.st_setsrid(extensions.st_point(${x}, ${y}), 4326)`
const line = `extensions.st_geomfromtext('LINESTRING(119.141 28.071, 119.142 28.072)', 4326)`

// Two rows per table: "kept" rows are parents of others; "victim" rows have no dependents and
// are the ones updated and deleted.
const fixtures = `
  insert into atlas.standard_change (standard_key, changed_by, before, after) values ('grid_households', 'fixture', '{}', '{}');
  insert into atlas.street (code, name, kind, geom) values
    ('331181001', '龙渊街道', '街道', ${box(119.13, 28.06, 119.17, 28.1)}),
    ('331181002', '西街街道', '街道', ${box(119.1, 28.06, 119.13, 28.1)});
  insert into atlas.community (code, street_code, name, community_type, geom) values
    ('331181001001', '331181001', '大洋社区', '纯居型', ${box(119.13, 28.06, 119.15, 28.1)}),
    ('331181001002', '331181001', '金乐社区', '村改居型', ${box(119.15, 28.06, 119.17, 28.1)});
  insert into atlas.grid (code, community_code, name, households, geom) values
    ('331181001001001', '331181001001', '第1网格', 600, ${box(119.13, 28.06, 119.14, 28.08)}),
    ('331181001001002', '331181001001', '第2网格', 700, ${box(119.14, 28.06, 119.15, 28.08)});
  insert into atlas.micro_grid (code, grid_code, name, households, geom) values
    ('331181001001001001', '331181001001001', '1号楼', 40, ${box(119.131, 28.061, 119.132, 28.062)}),
    ('331181001001001002', '331181001001001', '2号楼', 30, ${box(119.133, 28.061, 119.134, 28.062)});
  insert into atlas.former_village (code, name, geom) values
    ('331181001201', '吴岭村', ${box(119.13, 28.06, 119.16, 28.08)}),
    ('331181001202', '七村', ${box(119.1, 28.06, 119.12, 28.08)});
  insert into atlas.management_area (code, name, kind, geom) values
    ('MA-1', '龙渊街道办事处', 'street_office', ${box(119.13, 28.06, 119.17, 28.1)}),
    ('MA-2', '龙泉经济开发区', 'development_zone', ${box(119.16, 28.06, 119.18, 28.08)});
  insert into atlas.co_management (area_code, partner_code, arrangement, declared_by, withdrawn_by, withdrawn_at) values ('MA-1', 'MA-2', 'entrusted', 'fixture', 'fixture', now());
  insert into atlas.facility (code, name, facility_type, community_code, geom) values
    ('F-1', '大洋社区党群服务中心', 'party_service_centre', '331181001001', ${point(119.14, 28.07)}),
    ('F-2', '大洋社区康养驿站', 'elderly_care', '331181001001', ${point(119.141, 28.071)});
  insert into atlas.walk_node (geom) values (${point(119.141, 28.071)}), (${point(119.142, 28.072)});
  insert into atlas.walk_edge (code, highway, length_m, geom) values ('E-1', 'footway', 140, ${line}), ('E-2', 'steps', 140, ${line});
  insert into atlas.residence (code, community_code, households, residents, geom) values
    ('R-1', '331181001001', 20, 56, ${point(119.1405, 28.0705)}), ('R-2', '331181001001', 10, 28, ${point(119.1406, 28.0706)}),
    ('R-C', '331181001001', 300, 900, ${box(119.1404, 28.0704, 119.1406, 28.0706)});
  insert into atlas.gate (code, compound_code, geom) values ('G-1', 'R-C', ${point(119.1404, 28.0705)});
  insert into atlas.backlog_item (code, name, category, community_code, cost_yuan, geom) values
    ('BL-1', '大洋路硬化', '硬化', '331181001001', 1200000, ${line}), ('BL-2', '大洋路亮化', '亮化', '331181001001', 300000, ${line}),
    ('BL-5', '大洋路排污', '排污', '331181001001', 2300000, ${line});
  insert into atlas.backlog_dependency (item_code, depends_on) values ('BL-1', 'BL-2'), ('BL-1', 'BL-5');
  insert into atlas.service_circle (facility_code, minutes, speed_m_per_min, method, geom) values
    ('F-1', 8, 75, 'test', ${box(119.135, 28.065, 119.145, 28.075)}), ('F-2', 8, 75, 'test', ${box(119.136, 28.066, 119.146, 28.076)});
  insert into atlas.basemap_feature (code, name, kind, geom) values
    ('BM-1', '龙泉溪', 'river', ${box(119.1, 28.07, 119.2, 28.071)}), ('BM-2', '公园', 'park', ${box(119.14, 28.08, 119.141, 28.081)});
  insert into atlas.access_time (residence_code, facility_type, seconds, facility_code, connector_m, speed_m_per_min, params) values
    ('R-1', 'canteen', 300, null, 5, 66.7, '{}'), ('R-2', 'canteen', 400, null, 5, 66.7, '{}');
  insert into atlas.proposed_facility (name, facility_type, minutes, speed_m_per_min, geom) values
    ('试点', 'canteen', 8, 66.7, ${point(119.14, 28.07)}), ('试点二', 'canteen', 8, 66.7, ${point(119.141, 28.07)});
  insert into atlas.zone_decision (zone_id, kind, level, geom, area_m2, owner_layer, owner_code, decided_by) values
    ('g-0000000001', 'gap', 'community', ${box(119.15, 28.09, 119.151, 28.091)}, 9800, 'community', '331181001001', 'fixture'),
    ('o-0000000002', 'overlap', 'management', ${box(119.16, 28.07, 119.17, 28.08)}, 980000, 'management_area', 'MA-1', 'fixture');
  insert into atlas.indicator_snapshot (minutes, speed_m_per_min, version, result, computed_at) values (8, 66.7, 0, '{}', now());
  insert into atlas.indicator_part (part, minutes, speed_m_per_min, version, result) values ('zones', 0, 0, 0, '{}');`
// atlas.zone_setting, atlas.backlog_weight and atlas.data_version hold their one row from the
// migrations; the backlog items' first history rows come from the trigger.

const hash = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g='
const authFixtures = `
  insert into atlas_auth.account (email, role, password_hash) values ('zhang.wei@longquan.gov.cn', 'leader', '${hash}');
  insert into atlas_auth.session (account_id, refresh_hash, expires_at) select id, repeat('a', 64), now() + interval '1 day' from atlas_auth.account;
  insert into atlas_auth.sign_in (address, email, account_id, outcome) select '127.0.0.1', email, id, 'ok' from atlas_auth.account;`

const authTables = [
  { table: 'account', set: `role = 'works'`, insert: `insert into atlas_auth.account (email, role, password_hash) values ('li.na@longquan.gov.cn', 'planner', '${hash}')` },
  { table: 'session', set: `ended_at = now(), ended_why = 'signed_out'`,
    insert: `insert into atlas_auth.session (demo_role, refresh_hash, expires_at) values ('works', repeat('b', 64), now() + interval '1 day')` },
  { table: 'sign_in', set: `outcome = 'failed'`, insert: `insert into atlas_auth.sign_in (address, email, outcome) values ('203.0.113.7', 'x@y.cn', 'failed')` },
  { table: 'spent_refresh', set: `spent_at = now()`,
    insert: `insert into atlas_auth.spent_refresh (refresh_hash, session_id) select repeat('c', 64), id from atlas_auth.session limit 1` },
]

interface TableCase {
  table: string
  insert: string
  /** A where-clause picking the victim row. */
  victim: string
  /** A harmless column update. */
  set: string
  writers: string[]
  /** Who may update and delete, when not the writers: a history is only added to. */
  rewriters?: string[]
  /** Who may delete, when not the rewriters: a standard is changed, never removed. */
  deleters?: string[]
  /** Who may read, when not every role of the app. */
  readers?: string[]
}

const units = ['planner']
const tables: TableCase[] = [
  { table: 'street', victim: `code = '331181002'`, set: `name = name`, writers: units,
    insert: `insert into atlas.street (code, name, kind, geom) values ('331181003', '剑池街道', '街道', ${box(119.13, 28.02, 119.17, 28.05)})` },
  { table: 'community', victim: `code = '331181001002'`, set: `households = 1`, writers: units,
    insert: `insert into atlas.community (code, street_code, name, community_type, geom) values ('331181001003', '331181001', '贤良社区', '纯居型', ${box(119.15, 28.06, 119.16, 28.07)})` },
  { table: 'grid', victim: `code = '331181001001002'`, set: `households = 1`, writers: units,
    insert: `insert into atlas.grid (code, community_code, name, geom) values ('331181001001003', '331181001001', '第3网格', ${box(119.13, 28.08, 119.14, 28.09)})` },
  { table: 'micro_grid', victim: `code = '331181001001001002'`, set: `households = 1`, writers: units,
    insert: `insert into atlas.micro_grid (code, grid_code, name, geom) values ('331181001001001003', '331181001001001', '3号楼', ${box(119.135, 28.061, 119.136, 28.062)})` },
  { table: 'former_village', victim: `code = '331181001202'`, set: `name = name`, writers: units,
    insert: `insert into atlas.former_village (code, name, geom) values ('331181001203', '宏山村', ${box(119.1, 28.08, 119.11, 28.09)})` },
  { table: 'management_area', victim: `code = 'MA-2'`, set: `manager = 'x'`, writers: units,
    insert: `insert into atlas.management_area (code, name, kind, geom) values ('MA-3', '住建局片区', 'construction_bureau', ${box(119.1, 28.08, 119.11, 28.09)})` },
  // a leader changes the standards; added and removed by migrations only, and its history by its trigger only
  { table: 'standard', victim: `key = 'rural_service_radius_m'`, set: `value_max = 3000`, writers: [], rewriters: ['leader'], deleters: [],
    insert: `insert into atlas.standard (key, value_min, unit, label_zh, label_en, city_rule) values ('x', 1, 'm', 'x', 'x', true)` },
  { table: 'standard_change', victim: `standard_key = 'grid_households'`, set: `reason = 'x'`, writers: [], rewriters: [],
    insert: `insert into atlas.standard_change (standard_key, changed_by, before, after) values ('grid_households', 'test', '{}', '{}')` },
  { table: 'facility', victim: `code = 'F-2'`, set: `floor_area_m2 = 1`, writers: units,
    insert: `insert into atlas.facility (code, name, facility_type, geom) values ('F-3', '共享餐厅', 'canteen', ${point(119.142, 28.072)})` },
  { table: 'walk_node', victim: `id = (select max(id) from atlas.walk_node)`, set: `geom = geom`, writers: units,
    insert: `insert into atlas.walk_node (geom) values (${point(119.143, 28.073)})` },
  { table: 'walk_edge', victim: `code = 'E-2'`, set: `name = 'x'`, writers: units,
    insert: `insert into atlas.walk_edge (code, highway, length_m, geom) values ('E-3', 'path', 1, ${line})` },
  { table: 'residence', victim: `code = 'R-2'`, set: `households = 1`, writers: units,
    insert: `insert into atlas.residence (code, households, residents, geom) values ('R-3', 1, 3, ${point(119.1407, 28.0707)})` },
  { table: 'gate', victim: `code = 'G-1'`, set: `name = 'x'`, writers: units,
    insert: `insert into atlas.gate (code, compound_code, geom) values ('G-2', 'R-C', ${point(119.1405, 28.0705)})` },
  { table: 'backlog_item', victim: `code = 'BL-2'`, set: `status = 'approved'`, writers: ['works'],
    insert: `insert into atlas.backlog_item (code, name, category, community_code, cost_yuan, geom) values ('BL-3', '供水管网', '供水', '331181001001', 5, ${line})` },
  { table: 'backlog_dependency', victim: `item_code = 'BL-1' and depends_on = 'BL-5'`, set: `depends_on = depends_on`, writers: ['works'],
    insert: `insert into atlas.backlog_dependency (item_code, depends_on) values ('BL-2', 'BL-5')` },
  { table: 'backlog_change', victim: `item_code = 'BL-2'`, set: `remark = 'x'`, writers: ['works'], rewriters: [],
    insert: `insert into atlas.backlog_change (item_code, version, changes, changed_by) values ('BL-1', 2, '{"cost_yuan": [1, 2]}', 'test')` },
  { table: 'backlog_weight', victim: `set_by = 'default'`, set: `set_by = 'x'`, writers: ['works'], rewriters: [],
    insert: `insert into atlas.backlog_weight (weights, set_by) values ('{"households": 1, "complaints": 1, "severity": 1, "cost_per_household": 1, "village": 1, "waiting": 1}', 'test')` },
  { table: 'service_circle', victim: `facility_code = 'F-2'`, set: `method = 'x'`, writers: units,
    insert: `insert into atlas.service_circle (facility_code, minutes, speed_m_per_min, method, geom) values ('F-1', 5, 75, 'test', ${box(119.135, 28.065, 119.145, 28.075)})` },
  { table: 'facility_type', victim: `facility_type = 'pioneer_station'`, set: `basic = true`, writers: units,
    insert: `insert into atlas.facility_type (facility_type, name_zh, name_en) values ('library', '图书室', 'Library')` },
  { table: 'access_time', victim: `residence_code = 'R-2'`, set: `stale = true`, writers: units,
    insert: `insert into atlas.access_time (residence_code, facility_type, seconds, connector_m, speed_m_per_min, params) values ('R-1', 'health_station', 60, 1, 66.7, '{}')` },
  { table: 'proposed_facility', victim: `name = '试点二'`, set: `note = 'x'`, writers: units,
    insert: `insert into atlas.proposed_facility (name, facility_type, minutes, speed_m_per_min, geom) values ('试点三', 'canteen', 8, 66.7, ${point(119.142, 28.07)})` },
  { table: 'basemap_feature', victim: `code = 'BM-2'`, set: `name = 'x'`, writers: units,
    insert: `insert into atlas.basemap_feature (code, kind, geom) values ('BM-3', 'water', ${box(119.15, 28.08, 119.151, 28.081)})` },
  // one row only: an insert that meets it updates it, so it needs both the insert and the update policy
  { table: 'zone_setting', victim: `id`, set: `min_width_m = 2`, writers: units,
    insert: `insert into atlas.zone_setting (id, min_width_m) values (true, 2) on conflict (id) do update set min_width_m = excluded.min_width_m` },
  // the city's profile: one row too, which leaders change
  { table: 'city', victim: `id`, set: `name = 'x'`, writers: ['leader'],
    insert: `insert into atlas.city (id, name) values (true, 'x') on conflict (id) do update set name = excluded.name` },
  // written by the data-version trigger and by migrations only
  { table: 'data_version', victim: `id`, set: `n = n + 1`, writers: [],
    insert: `insert into atlas.data_version (id, n) values (true, 0) on conflict (id) do update set n = excluded.n` },
  { table: 'indicator_catalogue', victim: `key = 'zones_open'`, set: `amber = 1`, writers: [],
    insert: `insert into atlas.indicator_catalogue (key, sort_order, "group", label_zh, label_en, unit, direction, standard_zh, standard_en, source, rule_zh, rule_en) values ('x', 999, 'zones', 'x', 'x', '处', 'max', 'x', 'x', 'x', 'x', 'x')` },
  // public.indicators() keeps its answers here, as definer: no caller reads or writes it
  { table: 'indicator_snapshot', victim: `minutes = 8`, set: `version = version`, writers: [], readers: [],
    insert: `insert into atlas.indicator_snapshot (minutes, speed_m_per_min, version, result, computed_at) values (5, 66.7, 0, '{}', now())` },
  { table: 'indicator_part', victim: `part = 'zones'`, set: `version = version`, writers: [], readers: [],
    insert: `insert into atlas.indicator_part (part, minutes, speed_m_per_min, version, result) values ('coverage', 5, 66.7, 0, '{}')` },
  // the registry of tables: read through my_access() and layer_table() only, written by migrations
  { table: 'api_target', victim: `table_name = 'street'`, set: `writers = writers`, writers: [], readers: [],
    insert: `insert into atlas.api_target (table_name, domain) values ('street_lamp', 'lighting')` },
  // a planner's declaration of a co-managed area, withdrawn by an update
  { table: 'co_management', victim: `area_code = 'MA-1'`, set: `reason = 'x'`, writers: units,
    insert: `insert into atlas.co_management (area_code, partner_code, arrangement, declared_by) values ('MA-2', 'MA-1', 'joint', 'test')` },
  { table: 'zone_decision', victim: `zone_id = 'o-0000000002'`, set: `remark = 'x'`, writers: units,
    insert: `insert into atlas.zone_decision (zone_id, kind, level, geom, area_m2, owner_layer, owner_code, decided_by) values ('g-0000000003', 'gap', 'grid', ${box(119.13, 28.08, 119.131, 28.081)}, 9800, 'grid', '331181001001001', 'test')` },
]

const callers: Record<string, JwtClaims> = {
  anon: { role: 'anon' },
  leader: userClaims('leader'),
  planner: userClaims('planner'),
  works: userClaims('works'),
  // Signed in, but with no role of the atlas: reads nothing.
  stranger: { role: 'authenticated', sub: 'someone', app_metadata: { provider: 'email' } },
}
const readers = ['leader', 'planner', 'works']

class Rollback extends Error {}

/** Runs one statement as a caller: "rows" or "none" as it returned, or the error's code. Always rolls back. */
async function outcomeOf(db: Database, claims: JwtClaims, sql: string): Promise<string> {
  let outcome = 'none'
  try {
    await asCaller(db, claims, async (tx) => {
      outcome = (await tx.query(sql)).rows.length > 0 ? 'rows' : 'none'
      throw new Rollback()
    })
  } catch (error) {
    if (error instanceof Rollback) return outcome
    return String((error as { code?: string }).code ?? error)
  }
  return outcome
}

/** Runs one statement as a caller; "allowed" if it returned rows, else "denied". Always rolls back. */
async function attempt(db: Database, claims: JwtClaims, sql: string): Promise<'allowed' | 'denied'> {
  let outcome: 'allowed' | 'denied' = 'denied'
  try {
    await asCaller(db, claims, async (tx) => {
      const { rows } = await tx.query(sql)
      outcome = rows.length > 0 ? 'allowed' : 'denied'
      throw new Rollback()
    })
  } catch (error) {
    if (error instanceof Rollback) return outcome
    const code = (error as { code?: string }).code
    // 42501: no privilege, or a row that row level security refuses
    if (code === '42501') return 'denied'
    throw error
  }
  return outcome
}

const targets = ['embedded', 'postgres'] as const

describe.each(targets)('row level security on the %s database', (target) => {
  const opened = emptyDatabaseOn(target)
  let db: Database
  beforeAll(async () => {
    db = opened.db
    await db.exec(fixtures)
    await db.exec(authFixtures)
  })

  for (const t of tables) {
    for (const [who, claims] of Object.entries(callers)) {
      const canRead = (t.readers ?? readers).includes(who)
      const canWrite = t.writers.includes(who)
      const canRewrite = (t.rewriters ?? t.writers).includes(who)
      const canDelete = (t.deleters ?? t.rewriters ?? t.writers).includes(who)
      const expected = (allowed: boolean) => (allowed ? 'allowed' : 'denied')
      const title = t.deleters
        ? `insert ${expected(canWrite)}, update ${expected(canRewrite)}, delete ${expected(canDelete)}`
        : t.rewriters
          ? `insert ${expected(canWrite)}, update/delete ${expected(canRewrite)}`
          : `insert/update/delete ${expected(canWrite)}`
      test(`${who} × ${t.table}: select ${expected(canRead)}, ${title}`, async () => {
        expect(await attempt(db, claims, `select * from atlas.${t.table}`)).toBe(expected(canRead))
        expect(await attempt(db, claims, `${t.insert} returning 1`)).toBe(expected(canWrite))
        expect(await attempt(db, claims, `update atlas.${t.table} set ${t.set} where ${t.victim} returning 1`)).toBe(expected(canRewrite))
        expect(await attempt(db, claims, `delete from atlas.${t.table} where ${t.victim} returning 1`)).toBe(expected(canDelete))
      })
    }
  }

  // every caller the API knows, and the service role, which bypasses row level security: refused at the schema
  for (const t of authTables) {
    for (const [who, claims] of Object.entries({ ...callers, service_role: { role: 'service_role' } })) {
      test(`${who} × atlas_auth.${t.table}: select/insert/update/delete refused (no privilege)`, async () => {
        const outcomes = await Promise.all([
          outcomeOf(db, claims, `select * from atlas_auth.${t.table}`),
          outcomeOf(db, claims, `${t.insert} returning 1`),
          outcomeOf(db, claims, `update atlas_auth.${t.table} set ${t.set} returning 1`),
          outcomeOf(db, claims, `delete from atlas_auth.${t.table} returning 1`),
        ])
        expect(outcomes).toEqual(['42501', '42501', '42501', '42501'])
      })
    }
  }

  test('the owner, as the server is, sees the rows the callers may not', async () => {
    const { rows } = await db.query<{ n: number }>(
      `select (select count(*) from atlas_auth.account) + (select count(*) from atlas_auth.session) + (select count(*) from atlas_auth.sign_in) as n`,
    )
    expect(Number(rows[0].n)).toBe(3)
  })

  test('the matrix covers every table of the schema', async () => {
    const { rows } = await db.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'atlas' order by 1`)
    expect(rows.map((r) => r.name)).toEqual(tables.map((t) => t.table).sort())
    const { rows: auth } = await db.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'atlas_auth' order by 1`)
    expect(auth.map((r) => r.name)).toEqual(authTables.map((t) => t.table).sort())
  })

  test('the API functions refuse an anonymous caller in words', async () => {
    const error: unknown = await asCaller(db, callers.anon, (tx) => tx.query('select public.layer_stats()')).then(() => null, (e: unknown) => e)
    expect(error).toMatchObject({ code: '42501' })
    expect(error instanceof Error && error.message).toMatch(/sign in first/)
  })
})
