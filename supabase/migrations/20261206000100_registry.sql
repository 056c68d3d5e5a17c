-- One registry of the atlas's tables. Each domain registers its tables in atlas.api_target: the
-- name the API gives a table, what a write to it must refresh (the circles' coverage, the zones,
-- the indicators) and which roles of the app write it. What the caller may write (my_access()),
-- the tables behind the map's layers (layer_table()) and the triggers that count the writes the
-- indicators depend on all read it, so a new domain adds rows and calls
-- atlas.install_data_version_triggers(), instead of copying a list into a new my_access() and a
-- new set of triggers. Until now basemap features counted as feeding the indicators only, though
-- the city's outline (a basemap feature of kind city) bounds the zones: an edit of it now
-- refreshes the zones too.
-- The defaults are read from one place each: the walk the circles are measured by when a caller
-- names none from the standards (the service circle's minutes, and now the walking speed), the
-- grids' households band from its standard, and the zones' noise thresholds from their one row,
-- which can be reset but is never missing.
-- Sections: tables · RLS · data · helpers · triggers · functions · grants

set search_path = atlas, extensions, public;

-- ── tables ───────────────────────────────────────────────────────────────────────────────
create table atlas.api_target (
  -- a table of the atlas schema
  table_name text primary key check (table_name ~ '^[a-z][a-z0-9_]{0,49}$'),
  -- the domain it belongs to, as the migrations are named: units, ground, circles, zones, backlog…
  domain text not null check (domain ~ '^[a-z][a-z0-9_]*$'),
  -- the name the API gives it: its key in my_access().write and, for a layer of the map, the layer
  -- map_layer(), unit_record() and `atlas import` take; null when the API names it nowhere
  layer text unique check (layer ~ '^[a-z][a-z0-9_]*$'),
  -- its place among the layers of the map; null when it is not one
  map_order smallint unique check (map_order > 0),
  -- the answers a write to it changes: coverage() (circles), zone_summary() (zones), indicators();
  -- the indicators read the other two, so whatever feeds one of them feeds the indicators
  feeds text[] not null default '{}'
    check (feeds <@ array['circles', 'zones', 'indicators'] and (feeds = '{}' or 'indicators' = any (feeds))),
  -- the roles of the app whose inserts row level security lets through (tests/db/registry.test.ts
  -- holds the policies to it)
  writers atlas.app_role[] not null default '{}',
  check (map_order is null or layer is not null)
);
comment on table atlas.api_target is
  'Every table of the atlas: the name the API gives it, what a write to it refreshes, and who writes it. Read by my_access(), layer_table() and the data-version triggers; written by migrations only';

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
-- No policy and no grant to the API's roles: they reach it only through the functions below.
alter table atlas.api_target enable row level security;

-- ── data ─────────────────────────────────────────────────────────────────────────────────
insert into atlas.api_target (table_name, domain, layer, map_order, feeds, writers) values
  ('street', 'units', 'street', 1, '{circles,zones,indicators}', '{planner}'),
  ('community', 'units', 'community', 2, '{circles,zones,indicators}', '{planner}'),
  ('grid', 'units', 'grid', 3, '{circles,zones,indicators}', '{planner}'),
  ('micro_grid', 'units', 'micro_grid', 4, '{circles,zones,indicators}', '{planner}'),
  ('former_village', 'units', 'former_village', 5, '{circles,zones,indicators}', '{planner}'),
  ('management_area', 'units', 'management_area', 6, '{circles,zones,indicators}', '{planner}'),
  ('standard', 'units', null, null, '{indicators}', '{}'),
  ('facility', 'ground', 'facility', 7, '{circles,indicators}', '{planner}'),
  ('walk_node', 'ground', null, null, '{circles,indicators}', '{planner}'),
  ('walk_edge', 'ground', 'walk_edge', 8, '{circles,indicators}', '{planner}'),
  ('residence', 'ground', 'residence', 9, '{circles,indicators}', '{planner}'),
  ('service_circle', 'ground', null, null, '{circles,indicators}', '{planner}'),
  ('basemap_feature', 'ground', 'basemap', 11, '{zones,indicators}', '{planner}'),
  ('facility_type', 'circles', null, null, '{circles,indicators}', '{planner}'),
  ('access_time', 'circles', null, null, '{circles,indicators}', '{planner}'),
  ('proposed_facility', 'circles', 'proposed_facility', null, '{circles,indicators}', '{planner}'),
  ('zone_setting', 'zones', null, null, '{zones,indicators}', '{planner}'),
  ('zone_decision', 'zones', 'zone_decision', null, '{zones,indicators}', '{planner}'),
  ('backlog_item', 'backlog', 'backlog', 10, '{indicators}', '{works}'),
  ('backlog_dependency', 'backlog', null, null, '{indicators}', '{works}'),
  ('backlog_weight', 'backlog', null, null, '{indicators}', '{works}'),
  -- the items' history, written by their own trigger in the statement that changes the item
  ('backlog_change', 'backlog', null, null, '{}', '{works}'),
  ('indicator_catalogue', 'leader', null, null, '{indicators}', '{}'),
  -- the indicators' own bookkeeping: the version itself and the answers it keeps
  ('data_version', 'leader', null, null, '{}', '{}'),
  ('indicator_snapshot', 'leader', null, null, '{}', '{}'),
  ('indicator_part', 'leader', null, null, '{}', '{}'),
  ('api_target', 'registry', null, null, '{}', '{}');

-- A standard of one value keeps it in value_min, as the service circle's minutes do.
insert into atlas.standard (key, value_min, value_max, unit, label_zh, label_en, source) values
  ('walking_speed_m_per_min', 66.7, null, 'm/min', '步行速度', 'walking speed',
   'GB 50180-2018《城市居住区规划设计标准》：5、10、15 分钟生活圈约 300、500、800–1,000 m，折合步行约 4 km/h（66.7 m/min）');

-- The grids' band is read from its standard (atlas.indicator_entries below), not kept here too.
update atlas.indicator_catalogue set thresholds = thresholds - 'households_min' - 'households_max'
where key = 'grids_outside_band';

-- ── helpers ──────────────────────────────────────────────────────────────────────────────
-- The registry's named tables, for the functions that run as the caller. Definer: the caller may
-- not read the registry itself.
create function atlas.api_layers()
returns table (layer text, table_name text, map_order smallint)
language sql stable security definer
set search_path = ''
as $$ select t.layer, t.table_name, t.map_order from atlas.api_target t where t.layer is not null $$;

-- Whether row level security lets the caller insert into a table of the atlas: the insert
-- policies of the table, read from the catalog and evaluated as the caller.
create function atlas.may_write(table_name text) returns boolean
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  allowed boolean := false;
  policy record;
begin
  if not has_table_privilege(format('atlas.%I', table_name), 'INSERT') then
    return false;
  end if;
  for policy in
    select p.with_check from pg_catalog.pg_policies p
    where p.schemaname = 'atlas' and p.tablename = may_write.table_name and p.cmd in ('INSERT', 'ALL')
      and p.roles && array['authenticated', 'public']::name[]
  loop
    execute format('select coalesce((%s)::boolean, false)', coalesce(policy.with_check, 'true')) into allowed;
    exit when allowed;
  end loop;
  return allowed;
end
$$;

-- The table behind a layer of the map; null for a name that is none.
create or replace function atlas.layer_table(layer text) returns text
language sql stable
set search_path = ''
as $$ select l.table_name from atlas.api_layers() l where l.layer = layer_table.layer and l.map_order is not null $$;

create or replace function atlas.unknown_layer(layer text) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  raise exception using
    errcode = '22023',
    message = format('unknown layer %L', layer),
    hint = 'Layers: ' || (select string_agg(l.layer, ', ' order by l.map_order) from atlas.api_layers() l where l.map_order is not null) || '.';
end
$$;

-- The walk the circles are measured by when a caller names none: the standards' minutes and speed.
create function atlas.default_walk(out minutes numeric, out speed numeric)
language sql stable
set search_path = ''
as $$
  select (select s.value_min from atlas.standard s where s.key = 'service_circle_minutes'),
         (select s.value_min from atlas.standard s where s.key = 'walking_speed_m_per_min')
$$;

-- ── triggers ─────────────────────────────────────────────────────────────────────────────
-- What a write feeds is read from the registry when it happens, so the triggers only have to
-- exist. Statement-level and before the statement, as before: an import bumps once, and a writer
-- takes the version's row lock before any row of its own. Definer, because the writer may read
-- data_version but not write it.
create or replace function atlas.bump_data_version() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  feeds text[] := (select t.feeds from atlas.api_target t where t.table_name = tg_table_name and tg_table_schema = 'atlas');
begin
  if cardinality(feeds) > 0 then
    update atlas.data_version
    set n = n + 1,
        n_circles = n_circles + case when 'circles' = any (feeds) then 1 else 0 end,
        n_zones = n_zones + case when 'zones' = any (feeds) then 1 else 0 end,
        changed_at = clock_timestamp();
  end if;
  return null;
end
$$;

-- Gives every registered table that feeds an answer its trigger, and takes it from any table that
-- no longer does. A migration that registers tables calls it.
create function atlas.install_data_version_triggers() returns void
language plpgsql
set search_path = ''
as $$
declare
  t record;
begin
  for t in
    select g.tgname, c.relname from pg_catalog.pg_trigger g
    join pg_catalog.pg_class c on c.oid = g.tgrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where g.tgfoid = 'atlas.bump_data_version()'::pg_catalog.regprocedure and not g.tgisinternal
      and not exists (select 1 from atlas.api_target a where a.table_name = c.relname and n.nspname = 'atlas' and a.feeds <> '{}')
  loop
    execute format('drop trigger %I on atlas.%I', t.tgname, t.relname);
  end loop;
  for t in select a.table_name from atlas.api_target a where a.feeds <> '{}' order by a.table_name loop
    execute format('create or replace trigger %I before insert or update or delete or truncate on atlas.%I
                    for each statement execute function atlas.bump_data_version()', t.table_name || '_data_version', t.table_name);
  end loop;
end
$$;
select atlas.install_data_version_triggers();

-- The zones' noise thresholds are one row, which planners may change or delete: a delete (or a
-- truncate) resets it to the columns' defaults, so the thresholds are never missing and are
-- written down once, in the table.
create function atlas.restore_zone_setting() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  insert into atlas.zone_setting default values on conflict (id) do nothing;
  return null;
end
$$;
create trigger zone_setting_restored after delete or truncate on atlas.zone_setting
  for each statement execute function atlas.restore_zone_setting();
insert into atlas.zone_setting default values on conflict (id) do nothing;

-- ── functions ────────────────────────────────────────────────────────────────────────────
-- What the caller may write, per name the API gives a table: one entry per registered name.
create or replace function public.my_access()
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  role atlas.app_role := atlas.require_app_role();
begin
  return jsonb_build_object('role', role, 'write',
    (select coalesce(jsonb_object_agg(l.layer, atlas.may_write(l.table_name)), '{}'::jsonb) from atlas.api_layers() l));
end
$$;
comment on function public.my_access is 'The caller''s role and, per table the API names (atlas.api_target), whether row level security lets it write';

-- The circles' functions and the indicators take the standards' walk when the caller names none
-- (null, as the API's default now is).
create or replace function public.service_circles(minutes numeric default null, speed numeric default null,
  west double precision default -180, south double precision default -90, east double precision default 180,
  north double precision default 90, zoom double precision default 14, bands boolean default true)
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  tolerance double precision;
  result json;
begin
  perform atlas.require_app_role();
  select coalesce(service_circles.minutes, w.minutes), coalesce(service_circles.speed, w.speed) into minutes, speed from atlas.default_walk() w;
  perform atlas.check_walk_params(minutes, speed);
  -- half a pixel of a 512-px tile at this zoom, as map_layer simplifies
  tolerance := 360.0 / (512 * power(2, greatest(zoom, 0))) / 2;
  select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
      'type', 'Feature',
      'id', c.facility_code || '/' || c.minutes,
      'geometry', st_asgeojson(st_simplifypreservetopology(c.geom, tolerance), 6)::json,
      'properties', json_build_object('facility_code', c.facility_code, 'name', f.name, 'type', f.facility_type,
        'minutes', c.minutes, 'speed', c.speed_m_per_min, 'stale', c.stale, 'computed_at', c.computed_at,
        'reached_km', round(c.reached_km::numeric, 2), 'method', c.method::json))
      order by c.minutes desc, f.facility_type, c.facility_code), '[]'::json))
  into result
  from atlas.service_circle c join atlas.facility f on f.code = c.facility_code
  where c.speed_m_per_min = service_circles.speed
    and (c.minutes = service_circles.minutes or (service_circles.bands and c.minutes in (5, 10, 15)))
    and c.geom && st_makeenvelope(west, south, east, north, 4326);
  return result;
end
$$;

create or replace function public.coverage(minutes numeric default null, speed numeric default null, community text default null)
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  result jsonb;
begin
  perform atlas.require_app_role();
  select coalesce(coverage.minutes, w.minutes), coalesce(coverage.speed, w.speed) into minutes, speed from atlas.default_walk() w;
  perform atlas.check_walk_params(minutes, speed);
  with rc as (
    select c.*, m.street_code from atlas.residence_coverage(coverage.minutes, coverage.speed) c
    left join atlas.community m on m.code = c.community_code
    where coverage.community is null or c.community_code = coverage.community
  ),
  figures as (
    select grouping(street_code) as g_street, grouping(community_code) as g_community, street_code, community_code, facility_type,
           sum(households) filter (where covered) as households_covered, sum(households) filter (where not covered) as households_not_covered,
           sum(residents) filter (where covered) as residents_covered, sum(residents) filter (where not covered) as residents_not_covered,
           count(*) filter (where covered) as residences_covered, count(*) filter (where not covered) as residences_not_covered
    from rc
    group by grouping sets ((street_code, community_code, facility_type), (street_code, facility_type), (facility_type))
  ),
  rows as (
    select g_street, g_community, street_code, community_code,
           jsonb_object_agg(facility_type, jsonb_build_object(
             'households_covered', coalesce(households_covered, 0), 'households_not_covered', coalesce(households_not_covered, 0),
             'residents_covered', coalesce(residents_covered, 0), 'residents_not_covered', coalesce(residents_not_covered, 0),
             'residences_covered', residences_covered, 'residences_not_covered', residences_not_covered)) as by_type
    from figures group by g_street, g_community, street_code, community_code
  )
  select jsonb_build_object(
    'params', jsonb_build_object('minutes', coverage.minutes, 'speed_m_per_min', coverage.speed),
    'basic_types', (select coalesce(jsonb_agg(facility_type order by facility_type), '[]'::jsonb) from atlas.facility_type where basic),
    'city', coalesce((select by_type from rows where g_street = 1), '{}'::jsonb),
    'streets', coalesce((select jsonb_agg(jsonb_build_object('code', r.street_code, 'name', s.name, 'coverage', r.by_type) order by r.street_code)
        from rows r left join atlas.street s on s.code = r.street_code where r.g_street = 0 and r.g_community = 1), '[]'::jsonb),
    'communities', coalesce((select jsonb_agg(jsonb_build_object('code', r.community_code, 'name', c.name, 'street_code', r.street_code, 'coverage', r.by_type) order by r.community_code)
        from rows r left join atlas.community c on c.code = r.community_code where r.g_community = 0), '[]'::jsonb),
    'status', public.circle_status())
  into result;
  return result;
end
$$;

create or replace function public.uncovered_residences(minutes numeric default null, speed numeric default null, facility_type text default 'basic')
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  result json;
begin
  perform atlas.require_app_role();
  select coalesce(uncovered_residences.minutes, w.minutes), coalesce(uncovered_residences.speed, w.speed) into minutes, speed from atlas.default_walk() w;
  perform atlas.check_walk_params(minutes, speed);
  if facility_type <> 'basic' and not exists (select 1 from atlas.facility_type t where t.facility_type = uncovered_residences.facility_type) then
    raise exception using errcode = '22023', message = format('unknown facility type %L', facility_type),
      hint = 'One of basic, ' || (select string_agg(t.facility_type, ', ' order by t.facility_type) from atlas.facility_type t);
  end if;
  select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
      'type', 'Feature', 'id', r.code,
      'geometry', st_asgeojson(st_pointonsurface(r.geom), 6)::json,
      'properties', json_build_object('code', r.code, 'name', r.name, 'parent_code', r.community_code,
        'households', r.households, 'residents', r.residents,
        'minutes', case when c.seconds is null then null else round((c.seconds / 60)::numeric, 1) end))
      order by r.code), '[]'::json))
  into result
  from atlas.residence_coverage(minutes, speed) c join atlas.residence r on r.code = c.residence_code
  where c.facility_type = uncovered_residences.facility_type and not c.covered;
  return result;
end
$$;

create or replace function public.indicators(minutes numeric default null, speed numeric default null)
returns jsonb
language plpgsql volatile security definer
set search_path = atlas, extensions, pg_temp
set jit = off
as $$
declare
  current_version atlas.data_version;
  kept atlas.indicator_snapshot;
  answer jsonb;
begin
  perform atlas.require_app_role();
  select coalesce(indicators.minutes, w.minutes), coalesce(indicators.speed, w.speed) into minutes, speed from atlas.default_walk() w;
  perform atlas.check_walk_params(minutes, speed);
  -- the version first: data newer than it only makes the next call compute again
  select * into current_version from atlas.data_version limit 1;
  select * into kept from atlas.indicator_snapshot s where s.minutes = indicators.minutes and s.speed_m_per_min = indicators.speed;
  if kept.version is not distinct from current_version.n and kept.result is not null then
    return kept.result;
  end if;
  answer := atlas.compute_indicators(indicators.minutes, indicators.speed,
      atlas.indicator_part('coverage', indicators.minutes, indicators.speed, current_version.n_circles),
      atlas.indicator_part('zones', 0, 0, current_version.n_zones))
    || jsonb_build_object('data_timestamp', current_version.changed_at);
  if current_setting('transaction_read_only') = 'on' then
    return answer;
  end if;
  insert into atlas.indicator_snapshot as s (minutes, speed_m_per_min, version, result, computed_at)
  values (indicators.minutes, indicators.speed, current_version.n, answer, (answer ->> 'computed_at')::timestamptz)
  on conflict on constraint indicator_snapshot_pkey do update set version = excluded.version, result = excluded.result, computed_at = excluded.computed_at
    where s.version <= excluded.version;
  -- answers for other walks at older versions are no use any more
  delete from atlas.indicator_snapshot s where s.version < current_version.n;
  return answer;
end
$$;

-- The grids' households band of the indicators is the standard's.
create or replace function atlas.indicator_entries()
returns table (key text, base_key text, "group" text, facility_type text, direction text, green numeric, amber numeric,
               thresholds jsonb, info jsonb, sort_order integer, type_order bigint)
language sql stable
set search_path = ''
as $$
  with band as (
    -- the grids' households band is the standard's, not a copy of it
    select coalesce((select jsonb_build_object('households_min', s.value_min, 'households_max', s.value_max)
                     from atlas.standard s where s.key = 'grid_households'), '{}'::jsonb) as bounds
  )
  select c.key, c.key, c."group", null::text, c.direction, c.green, c.amber,
         c.thresholds || case when c."group" = 'grids' then b.bounds else '{}'::jsonb end,
         to_jsonb(c) - 'sort_order' - 'thresholds', c.sort_order, 0::bigint
  from atlas.indicator_catalogue c
  cross join band b
  union all
  select c.key || '.' || t.facility_type, c.key, c."group", t.facility_type, c.direction, c.green, c.amber, c.thresholds,
         to_jsonb(c) - 'sort_order' - 'thresholds' || jsonb_build_object(
           'key', c.key || '.' || t.facility_type,
           'label_zh', t.name_zh || '覆盖率' || w.suffix_zh,
           'label_en', t.name_en || ' coverage' || w.suffix_en,
           'rule_zh', format('住宅在所选步行时间（默认 8 分钟）内能走到最近的%s即为覆盖；覆盖率 = 覆盖的%s ÷ 全部%s × 100，'
             '合计社区、街道或全市的住宅。≥ %s 为绿，≥ %s 为黄，其余为红；没有住宅为无数据。%s 与 %s 是本图对“人人 8 分钟可达”的解读。',
             t.name_zh, w.what_zh, w.what_zh, c.green, c.amber, c.green, c.amber),
           'rule_en', format('A residence is covered when the nearest %s is within the chosen walk (8 minutes by default); '
             'value = %s covered ÷ all %s × 100, over the residences of the community, street office or city. Green ≥ %s, '
             'amber ≥ %s, else red; none without residences. %s and %s are the atlas''s reading of "everyone within 8 minutes".',
             lower(t.name_en), w.what_en, w.what_en, c.green, c.amber, c.green, c.amber),
           'facility_type', t.facility_type),
         c.sort_order, row_number() over (partition by c.key order by t.facility_type)
  from atlas.indicator_catalogue c
  cross join lateral (
    select case c.key when 'coverage_households' then '（户）' else '（人）' end as suffix_zh,
           case c.key when 'coverage_households' then ' (households)' else ' (residents)' end as suffix_en,
           case c.key when 'coverage_households' then '户数' else '常住人口' end as what_zh,
           case c.key when 'coverage_households' then 'households' else 'residents' end as what_en
  ) w
  join atlas.facility_type t on t.basic
  where c."group" = 'coverage'
$$;

-- The noise thresholds come from their row alone, which is never missing.
create or replace function atlas.current_zones(min_width_m numeric default null, min_area_m2 numeric default null, untiled_keys text[] default null)
returns setof atlas.zone
language sql stable security definer
set search_path = atlas, extensions, pg_temp
as $$
  with
  setting as (
    select coalesce(current_zones.min_width_m, s.min_width_m) as w, coalesce(current_zones.min_area_m2, s.min_area_m2) as a
    from (select) one left join atlas.zone_setting s on true
    limit 1
  ),
  detected as (
    select d.*, atlas.zone_width_m(d.geom) as width_m, st_perimeter(d.geom::geography) as perimeter_m
    from atlas.detect_zones(untiled_keys) d
  ),
  matched as (
    select d.*, m.decision_id, m.decision_zone,
           row_number() over (partition by m.decision_id order by m.shared desc) as nth
    from detected d
    left join lateral (
      select z.id as decision_id, z.zone_id as decision_zone, st_area(st_intersection(z.geom, d.geom, atlas.zone_grid())::geography) as shared
      from atlas.zone_decision z
      where z.kind = d.kind and z.level = d.level and z.applied_at is null and z.superseded_at is null
        and z.geom && d.geom and st_intersects(z.geom, d.geom)
      order by 3 desc
      limit 1
    ) m on m.shared > 0.5 * d.area_m2
  )
  select case when m.decision_id is not null and m.nth = 1 then m.decision_zone else atlas.zone_id(m.kind, m.level, m.parent_code, m.geom) end,
         m.kind, m.level, m.parent_layer, m.parent_code, m.geom, m.area_m2, m.width_m,
         case when m.decision_id is not null then 'settled'
              when m.width_m < s.w or m.area_m2 < s.a then 'noise'
              else 'open' end,
         m.claimants, m.candidates, m.candidates -> 0 ->> 'code',
         atlas.zone_reason(m.kind, m.level, m.candidates, m.perimeter_m), m.decision_id
  from matched m cross join setting s
$$;

create or replace function public.zones(min_width_m numeric default null, min_area_m2 numeric default null, with_geometry boolean default true)
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
set jit = off
as $$
declare
  setting atlas.zone_setting;
  untiled text[];
  result jsonb;
begin
  perform atlas.require_app_role();
  select * into setting from atlas.zone_setting limit 1;
  untiled := array(select u.level || ':' || u.parent_code from atlas.untiled_parents() u);
  if min_width_m is not null and (min_width_m < 0 or min_width_m > 1000) then
    raise exception using errcode = '22023', message = format('minimum width %s m is not between 0 and 1000 m', min_width_m);
  end if;
  if min_area_m2 is not null and (min_area_m2 < 0 or min_area_m2 > 10000000) then
    raise exception using errcode = '22023', message = format('minimum area %s m² is not between 0 and 10,000,000 m²', min_area_m2);
  end if;
  select jsonb_build_object(
    'settings', jsonb_build_object('min_width_m', coalesce(min_width_m, setting.min_width_m), 'min_area_m2', coalesce(min_area_m2, setting.min_area_m2),
                                   'residue_m', atlas.zone_residue_m(), 'nesting_tolerance_m', atlas.nesting_tolerance_m()),
    'skipped', atlas.zone_levels_skipped(),
    'zones', coalesce((select jsonb_agg(atlas.zone_json(z, with_geometry) order by z.area_m2 desc, z.id)
                       from atlas.current_zones(min_width_m, min_area_m2, untiled) z), '[]'::jsonb),
    'nesting', coalesce((select jsonb_agg(jsonb_build_object('layer', n.layer, 'code', n.code, 'name', n.name,
                           'parent_layer', n.parent_layer, 'parent_code', n.parent_code, 'outside_m2', round(n.outside_m2::numeric, 1))
                           || case when with_geometry then jsonb_build_object('geometry', st_asgeojson(n.geom, 7)::jsonb) else '{}'::jsonb end
                           order by n.outside_m2 desc, n.code)
                         from atlas.nesting_violations(untiled) n), '[]'::jsonb),
    'computed_at', now())
  into result;
  return result;
end
$$;

-- ── grants ───────────────────────────────────────────────────────────────────────────────
grant all on atlas.api_target to service_role;
revoke all on function atlas.api_layers(), atlas.may_write(text), atlas.default_walk() from public;
grant execute on function atlas.api_layers(), atlas.may_write(text), atlas.default_walk() to anon, authenticated, service_role;
revoke all on function atlas.install_data_version_triggers(), atlas.restore_zone_setting() from public;
