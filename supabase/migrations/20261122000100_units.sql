-- Units of governance: street offices, communities, grids, micro-grids; the former-village
-- overlay and the management areas that 三不管 detection compares; the standards they are checked
-- against; the role helper every policy calls.
-- Sections: types · tables · triggers · RLS · helpers · policies · functions · grants

create schema if not exists extensions;
create extension if not exists postgis with schema extensions;
create schema if not exists atlas;
grant usage on schema atlas to anon, authenticated, service_role;
grant usage on schema extensions to anon, authenticated, service_role;

set search_path = atlas, extensions, public;

-- ── types ────────────────────────────────────────────────────────────────────────────────
create type atlas.app_role as enum ('leader', 'planner', 'works');

-- ── tables ───────────────────────────────────────────────────────────────────────────────
create table atlas.street (
  code text primary key check (code ~ '^\d{9}$'),
  name text not null check (length(name) between 1 and 100),
  kind text not null check (kind in ('街道', '镇', '乡')),
  geom extensions.geometry(MultiPolygon, 4326) not null check (extensions.st_isvalid(geom)),
  updated_at timestamptz not null default now()
);
comment on table atlas.street is '街道 / 乡镇: street office or township, the layer above communities';

create table atlas.community (
  code text primary key check (code ~ '^\d{12}$'),
  street_code text not null references atlas.street (code) on update cascade on delete restrict,
  name text not null check (length(name) between 1 and 100),
  community_type text not null check (community_type in ('纯居型', '村改居型')),
  registered_population integer check (registered_population >= 0),
  resident_population integer check (resident_population >= 0),
  households integer check (households >= 0),
  service_area_m2 numeric check (service_area_m2 >= 0),
  full_time_workers integer check (full_time_workers >= 0),
  geom extensions.geometry(MultiPolygon, 4326) not null check (extensions.st_isvalid(geom)),
  updated_at timestamptz not null default now(),
  check (left(code, 9) = street_code)
);
comment on table atlas.community is '社区: the unit of service';

create table atlas.grid (
  code text primary key check (code ~ '^\d{15}$'),
  community_code text not null references atlas.community (code) on update cascade on delete restrict,
  name text not null check (length(name) between 1 and 100),
  households integer check (households >= 0),
  grid_worker text,
  worker_full_time boolean,
  geom extensions.geometry(MultiPolygon, 4326) not null check (extensions.st_isvalid(geom)),
  updated_at timestamptz not null default now(),
  check (left(code, 12) = community_code)
);
comment on table atlas.grid is '网格: one grid worker; 500–800 households by the Yulin standard';

create table atlas.micro_grid (
  code text primary key check (code ~ '^\d{18}$'),
  grid_code text not null references atlas.grid (code) on update cascade on delete restrict,
  name text not null check (length(name) between 1 and 100),
  households integer check (households >= 0),
  building_head text,
  geom extensions.geometry(MultiPolygon, 4326) not null check (extensions.st_isvalid(geom)),
  updated_at timestamptz not null default now(),
  check (left(code, 15) = grid_code)
);
comment on table atlas.micro_grid is '微网格: a building, stairwell or compound with a building head';

create table atlas.former_village (
  code text primary key check (code ~ '^\d{12}$'),
  name text not null check (length(name) between 1 and 100),
  converted_year integer check (converted_year between 1949 and 2100),
  geom extensions.geometry(MultiPolygon, 4326) not null check (extensions.st_isvalid(geom)),
  updated_at timestamptz not null default now()
);
comment on table atlas.former_village is '原行政村: village boundaries before 村改居, an overlay';

create table atlas.management_area (
  code text primary key check (code ~ '^[A-Za-z0-9_-]{2,32}$'),
  name text not null check (length(name) between 1 and 100),
  kind text not null check (kind in ('street_office', 'development_zone', 'construction_bureau', 'other')),
  manager text,
  geom extensions.geometry(MultiPolygon, 4326) not null check (extensions.st_isvalid(geom)),
  updated_at timestamptz not null default now()
);
comment on table atlas.management_area is 'Areas claimed by a managing body; where they cross or lapse lie the 三不管 zones';

create table atlas.standard (
  key text primary key,
  value_min numeric,
  value_max numeric,
  unit text not null,
  label_zh text not null,
  label_en text not null,
  source text not null
);
comment on table atlas.standard is 'The standards the map checks, with their source (DOMAIN.md)';

-- ── indexes ──────────────────────────────────────────────────────────────────────────────
create index street_geom_idx on atlas.street using gist (geom);
create index community_geom_idx on atlas.community using gist (geom);
create index community_street_idx on atlas.community (street_code);
create index grid_geom_idx on atlas.grid using gist (geom);
create index grid_community_idx on atlas.grid (community_code);
create index micro_grid_geom_idx on atlas.micro_grid using gist (geom);
create index micro_grid_grid_idx on atlas.micro_grid (grid_code);
create index former_village_geom_idx on atlas.former_village using gist (geom);
create index management_area_geom_idx on atlas.management_area using gist (geom);

-- ── triggers ─────────────────────────────────────────────────────────────────────────────
-- How far outside its parent a child may reach, in metres: digitising noise, not a claim.
create function atlas.nesting_tolerance_m() returns double precision
language sql immutable parallel safe
set search_path = ''
as $$ select 5.0::double precision $$;

-- A child must lie within its parent: checked on every write, so a violation is refused with
-- the child's code rather than kept.
create function atlas.check_within_parent() returns trigger
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  parent_table text := tg_argv[0];
  parent_column text := tg_argv[1];
  parent_code text;
  parent_geom geometry;
  outside_m2 double precision;
begin
  execute format('select ($1).%I', parent_column) into parent_code using new;
  execute format('select geom from atlas.%I where code = $1', parent_table) into parent_geom using parent_code;
  if parent_geom is null then
    return new; -- the foreign key reports a missing parent
  end if;
  if not st_coveredby(new.geom, st_buffer(parent_geom::geography, atlas.nesting_tolerance_m())::geometry) then
    outside_m2 := st_area(st_difference(new.geom, parent_geom)::geography);
    raise exception using
      errcode = '23514',
      message = format('%s %s lies outside its parent %s %s', tg_table_name, new.code, parent_table, parent_code),
      detail = format('%s m² of it lies more than %s m outside the parent', round(outside_m2::numeric, 1), atlas.nesting_tolerance_m()),
      hint = 'Correct the boundary, or give it the parent it lies in.';
  end if;
  return new;
end
$$;

create trigger community_within_street before insert or update of geom, street_code on atlas.community
  for each row execute function atlas.check_within_parent('street', 'street_code');
create trigger grid_within_community before insert or update of geom, community_code on atlas.grid
  for each row execute function atlas.check_within_parent('community', 'community_code');
create trigger micro_grid_within_grid before insert or update of geom, grid_code on atlas.micro_grid
  for each row execute function atlas.check_within_parent('grid', 'grid_code');

create function atlas.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger street_touch before update on atlas.street for each row execute function atlas.touch_updated_at();
create trigger community_touch before update on atlas.community for each row execute function atlas.touch_updated_at();
create trigger grid_touch before update on atlas.grid for each row execute function atlas.touch_updated_at();
create trigger micro_grid_touch before update on atlas.micro_grid for each row execute function atlas.touch_updated_at();
create trigger former_village_touch before update on atlas.former_village for each row execute function atlas.touch_updated_at();
create trigger management_area_touch before update on atlas.management_area for each row execute function atlas.touch_updated_at();

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
alter table atlas.street enable row level security;
alter table atlas.community enable row level security;
alter table atlas.grid enable row level security;
alter table atlas.micro_grid enable row level security;
alter table atlas.former_village enable row level security;
alter table atlas.management_area enable row level security;
alter table atlas.standard enable row level security;

-- ── helpers ──────────────────────────────────────────────────────────────────────────────
-- The app's role comes from the JWT Supabase issues: app_metadata.app_role, which only the
-- service role can set (users cannot edit their app_metadata). Every policy asks this one function.
create function atlas.current_app_role() returns atlas.app_role
language plpgsql stable security definer
set search_path = ''
as $$
declare
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  claimed text := coalesce(claims -> 'app_metadata' ->> 'app_role', '');
begin
  if coalesce(claims ->> 'role', '') <> 'authenticated' then
    return null;
  end if;
  if claimed in ('leader', 'planner', 'works') then
    return claimed::atlas.app_role;
  end if;
  return null;
end
$$;

create function atlas.has_app_role(variadic allowed atlas.app_role[]) returns boolean
language sql stable security definer
set search_path = ''
as $$ select coalesce(atlas.current_app_role() = any (allowed), false) $$;

revoke all on function atlas.current_app_role() from public;
revoke all on function atlas.has_app_role(atlas.app_role[]) from public;
grant execute on function atlas.current_app_role() to anon, authenticated, service_role;
grant execute on function atlas.has_app_role(atlas.app_role[]) to anon, authenticated, service_role;

-- ── policies ─────────────────────────────────────────────────────────────────────────────
-- Every role of the app reads every unit; planners edit them; anonymous reads nothing. One
-- policy per action (so no two permissive policies overlap), and the role check wrapped in a
-- sub-select so it runs once per statement, not once per row.
create function atlas.create_role_policies(target regclass, writer atlas.app_role) returns void
language plpgsql
set search_path = ''
as $$
declare
  name text := (select c.relname from pg_catalog.pg_class c where c.oid = target);
  reads text := '(select atlas.has_app_role(''leader'', ''planner'', ''works''))';
  writes text := format('(select atlas.has_app_role(%L))', writer);
begin
  execute format('create policy %I on %s for select to authenticated using (%s)', name || '_read', target, reads);
  if writer is not null then
    execute format('create policy %I on %s for insert to authenticated with check (%s)', name || '_insert', target, writes);
    execute format('create policy %I on %s for update to authenticated using (%s) with check (%s)', name || '_update', target, writes, writes);
    execute format('create policy %I on %s for delete to authenticated using (%s)', name || '_delete', target, writes);
  end if;
end
$$;
revoke all on function atlas.create_role_policies(regclass, atlas.app_role) from public;

select atlas.create_role_policies(t, 'planner') from unnest(array[
  'atlas.street', 'atlas.community', 'atlas.grid', 'atlas.micro_grid', 'atlas.former_village', 'atlas.management_area'
]::regclass[]) t;
-- The standards are read by all and changed only by a migration.
select atlas.create_role_policies('atlas.standard', null);

-- ── data: the standards (DOMAIN.md) ──────────────────────────────────────────────────────
insert into atlas.standard (key, value_min, value_max, unit, label_zh, label_en, source) values
  ('grid_households', 500, 800, '户', '每个网格户数', 'households per grid', 'seeds/004 (Yulin): 500–800 households per grid'),
  ('workers_per_10k', 18, null, '人/万人', '每万常住人口专职社区工作者', 'full-time community workers per 10,000 residents', 'seeds/000 (Longquan): ≥ 18 per 10,000 resident population'),
  ('service_area_per_100_households', 30, null, 'm²/百户', '每百户服务用房面积', 'service floor area per 100 households', 'seeds/004 (Yulin): ≥ 30 m² per 100 households'),
  ('service_area_provincial', 300, null, 'm²', '社区服务用房面积（省标）', 'community service floor area (provincial)', 'seeds/004: ≥ 300 m² (provincial)'),
  ('service_area_target', 500, null, 'm²', '社区服务用房面积（目标）', 'community service floor area (target)', 'seeds/004: target ≥ 500 m²'),
  ('service_circle_minutes', 8, null, '分钟', '步行服务圈', 'walking service circle', 'seeds/000 (Longquan): 8-minute service circle'),
  ('rural_service_radius_m', null, 3000, 'm', '农村社区服务半径', 'rural service radius', 'seeds/004: ≤ 3 km');

-- ── grants ───────────────────────────────────────────────────────────────────────────────
-- Tables live outside the exposed schema: the browser reaches them only through the API
-- functions, which run as the caller so the policies above decide.
grant select, insert, update, delete on atlas.street, atlas.community, atlas.grid, atlas.micro_grid,
  atlas.former_village, atlas.management_area to authenticated;
grant select on atlas.standard to authenticated;
grant all on all tables in schema atlas to service_role;
