-- Service circles (8分钟服务圈): which facility types count as basic, every residence's walking
-- time to the nearest facility of each type, the circles' staleness, planners' proposed
-- facilities, and the API that reads coverage from them. The circles and times are computed by
-- the atlas's own engine (TypeScript, over the walking network) and stored here, so coverage is
-- SQL under RLS like everything else.
-- Sections: tables · triggers · RLS · helpers · policies · functions · grants

set search_path = atlas, extensions, public;

-- ── tables ───────────────────────────────────────────────────────────────────────────────
-- OSM's foot=* and access=*: the pedestrian rules read them (src/circles/engine/rules.ts).
alter table atlas.walk_edge add column foot text, add column access text;

create table atlas.facility_type (
  facility_type text primary key,
  name_zh text not null,
  name_en text not null,
  -- one of the basic services whose 8-minute circle every home should be inside
  basic boolean not null default false,
  source text
);
comment on table atlas.facility_type is 'Facility types, and which of them are basic: a home is covered when it is inside the circle of every basic type';
insert into atlas.facility_type (facility_type, name_zh, name_en, basic, source) values
  ('party_service_centre', '党群服务中心', 'Party-and-people service centre', true, '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》(2023): 以党群服务中心为主阵地'),
  ('health_station', '卫生服务站', 'Health station', true, '《榆林市城市社区治理研究报告》: health among the basic services'),
  ('elderly_care', '康养驿站', 'Elderly-care station', true, '龙泉市政协《…调研报告》(2023): 康养驿站、共享餐厅进社区，构建“8分钟服务圈”'),
  ('canteen', '共享餐厅', 'Community canteen', true, '龙泉市政协《…调研报告》(2023): 康养驿站、共享餐厅进社区，构建“8分钟服务圈”'),
  ('children', '儿童之家', 'Children''s home', false, null),
  ('culture', '文化家园', 'Culture centre', false, null),
  ('employment', '就业服务站', 'Employment service', false, null),
  ('pioneer_station', '先锋驿站', 'Pioneer station', false, null);

alter table atlas.service_circle
  add column stale boolean not null default false,
  add column reached_nodes integer,
  add column reached_km double precision;
comment on column atlas.service_circle.method is 'How the polygon was drawn, with its parameters (JSON: name, radius_m, cell_m, tolerance_m)';

-- Each residence's walking time to the nearest facility of each type: along the network from
-- the facility's road point to the residence's road point, then straight to the residence.
create table atlas.access_time (
  residence_code text not null references atlas.residence (code) on update cascade on delete cascade,
  facility_type text not null references atlas.facility_type (facility_type),
  -- null: no facility of the type is reachable (another network component, or none at all)
  seconds double precision check (seconds >= 0),
  facility_code text references atlas.facility (code) on update cascade on delete set null,
  -- the straight walk from the road point to the residence, metres; null: the residence is off
  -- the network (farther than the engine's cap from every walkable road), so it has no time
  connector_m double precision check (connector_m >= 0),
  speed_m_per_min numeric not null check (speed_m_per_min > 0 and speed_m_per_min <= 200),
  -- the parameters the engine ran with (steps factor, connector cap, …)
  params jsonb not null,
  computed_at timestamptz not null default now(),
  stale boolean not null default false,
  primary key (residence_code, facility_type)
);
comment on table atlas.access_time is 'Walking time from each residence to the nearest facility of each type, with the parameters that made it';
create index access_time_type_idx on atlas.access_time (facility_type);
create index access_time_facility_idx on atlas.access_time (facility_code);

-- A facility a planner is trying out: not built, not counted in coverage, kept to compare.
create table atlas.proposed_facility (
  id bigint generated always as identity primary key,
  name text not null check (length(name) between 1 and 100),
  facility_type text not null references atlas.facility_type (facility_type),
  note text check (length(note) <= 1000),
  minutes numeric not null check (minutes >= 1 and minutes <= 60),
  speed_m_per_min numeric not null check (speed_m_per_min > 0 and speed_m_per_min <= 200),
  -- what it adds, as the engine measured it when saved
  new_households integer not null default 0 check (new_households >= 0),
  new_residents integer not null default 0 check (new_residents >= 0),
  created_by text,
  created_at timestamptz not null default now(),
  geom extensions.geometry(Point, 4326) not null
);
comment on table atlas.proposed_facility is 'Facilities planners propose, with the households and residents their circle would newly cover';
create index proposed_facility_geom_idx on atlas.proposed_facility using gist (geom);

-- ── triggers ─────────────────────────────────────────────────────────────────────────────
-- A change to a facility, a residence or the network makes what was computed from it stale;
-- `atlas isochrones` recomputes. Statement-level, so a whole import costs one update.
create function atlas.facility_changed() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update atlas.service_circle c set stale = true
   where not c.stale and c.facility_code in (select code from changed_rows);
  update atlas.access_time a set stale = true
   where not a.stale and a.facility_type in (select facility_type from changed_rows);
  return null;
end
$$;

create function atlas.residence_changed() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update atlas.access_time a set stale = true
   where not a.stale and a.residence_code in (select code from changed_rows);
  return null;
end
$$;

create function atlas.network_changed() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update atlas.service_circle set stale = true where not stale;
  update atlas.access_time set stale = true where not stale;
  return null;
end
$$;

create trigger facility_inserted after insert on atlas.facility
  referencing new table as changed_rows for each statement execute function atlas.facility_changed();
create trigger facility_updated after update on atlas.facility
  referencing new table as changed_rows for each statement execute function atlas.facility_changed();
create trigger facility_updated_old after update on atlas.facility
  referencing old table as changed_rows for each statement execute function atlas.facility_changed();
create trigger facility_deleted after delete on atlas.facility
  referencing old table as changed_rows for each statement execute function atlas.facility_changed();
create trigger residence_updated after update on atlas.residence
  referencing new table as changed_rows for each statement execute function atlas.residence_changed();
create trigger walk_edge_changed after insert or update or delete or truncate on atlas.walk_edge
  for each statement execute function atlas.network_changed();

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
alter table atlas.facility_type enable row level security;
alter table atlas.access_time enable row level security;
alter table atlas.proposed_facility enable row level security;

-- ── helpers ──────────────────────────────────────────────────────────────────────────────
-- Whether an access time stored at one speed is within `minutes` at another: walking time is
-- distance over speed, so a time scales by the ratio of the speeds.
create function atlas.within_minutes(seconds double precision, stored_speed numeric, minutes numeric, speed numeric)
returns boolean
language sql immutable parallel safe
set search_path = ''
as $$ select seconds is not null and seconds * stored_speed::double precision / speed::double precision <= minutes::double precision * 60 + 1e-9 $$;

create function atlas.check_walk_params(minutes numeric, speed numeric) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if minutes is null or minutes < 1 or minutes > 60 then
    raise exception using errcode = '22023', message = format('minutes %s must be between 1 and 60', minutes);
  end if;
  if speed is null or speed <= 0 or speed > 200 then
    raise exception using errcode = '22023', message = format('walking speed %s m/min must be above 0 and at most 200', speed);
  end if;
end
$$;

-- Each residence with its coverage per type at the given minutes and speed, and 'basic': inside
-- the circle of every basic type. A residence with no stored time for a type is not covered.
create function atlas.residence_coverage(minutes numeric, speed numeric)
returns table (residence_code text, community_code text, households integer, residents integer, facility_type text, covered boolean, seconds double precision)
language sql stable
set search_path = ''
as $$
  with per_type as (
    select r.code, r.community_code, r.households, r.residents, t.facility_type, t.basic,
           a.seconds * a.speed_m_per_min::double precision / speed::double precision as seconds,
           coalesce(atlas.within_minutes(a.seconds, a.speed_m_per_min, minutes, speed), false) as covered
    from atlas.residence r
    cross join atlas.facility_type t
    left join atlas.access_time a on a.residence_code = r.code and a.facility_type = t.facility_type
  )
  select code, community_code, households, residents, facility_type, covered, seconds from per_type
  union all
  select code, min(community_code), min(households), min(residents), 'basic', bool_and(covered),
         case when bool_and(seconds is not null) then max(seconds) end
  from per_type where basic group by code
$$;

-- ── policies ─────────────────────────────────────────────────────────────────────────────
select atlas.create_role_policies(t, 'planner') from unnest(array[
  'atlas.facility_type', 'atlas.access_time', 'atlas.proposed_facility'
]::regclass[]) t;

-- ── functions ────────────────────────────────────────────────────────────────────────────
-- The walking network for the engine: every edge with its end nodes, cost inputs and line, as
-- compact arrays ([code, source, target, length_m, steps, highway, foot, access, [[lon, lat], …]]).
create function public.walk_graph()
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  result json;
begin
  perform atlas.require_app_role();
  select json_build_object(
    'edges', coalesce(json_agg(json_build_array(e.code, e.source, e.target, e.length_m, e.steps, e.highway, e.foot, e.access,
        (st_asgeojson(e.geom, 7)::json) -> 'coordinates') order by e.code), '[]'::json))
  into result
  from atlas.walk_edge e
  where e.source is not null and e.target is not null;
  return result;
end
$$;
comment on function public.walk_graph is 'The walking network as the isochrone engine reads it';

-- Facilities and residences as points, with the basic types: what the engine starts from and
-- whom it measures.
create function public.circle_points()
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  return json_build_object(
    'facilities', (select coalesce(json_agg(json_build_array(f.code, f.name, f.facility_type, round(st_x(f.geom)::numeric, 7),
        round(st_y(f.geom)::numeric, 7), f.community_code) order by f.code), '[]'::json) from atlas.facility f),
    'residences', (select coalesce(json_agg(json_build_array(r.code, round(st_x(p)::numeric, 7), round(st_y(p)::numeric, 7),
        r.households, r.residents, r.community_code) order by r.code), '[]'::json)
        from (select r.*, st_pointonsurface(r.geom) p from atlas.residence r) r),
    'types', (select json_agg(json_build_object('type', t.facility_type, 'basic', t.basic, 'name_zh', t.name_zh,
        'name_en', t.name_en, 'source', t.source) order by t.facility_type) from atlas.facility_type t));
end
$$;
comment on function public.circle_points is 'Facilities and residences (a point on each) for the isochrone engine';

-- The stored circles of the given minutes and speed in a bounding box (with the 5/10/15-minute
-- bands unless told not to), simplified for the zoom, with their facility and staleness.
create function public.service_circles(minutes numeric default 8, speed numeric default 66.7,
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
comment on function public.service_circles is 'Stored service circles (and the 5/10/15-minute life-circle bands) for a bounding box';

-- Households and residents covered and not covered, per community, per street office and for the
-- city, per facility type and for all basic types together.
create function public.coverage(minutes numeric default 8, speed numeric default 66.7, community text default null)
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  result jsonb;
begin
  perform atlas.require_app_role();
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
comment on function public.coverage is 'Households and residents inside and outside the service circles, per community, street office and city';

-- Residences outside the circle of a facility type (or of any basic type: 'basic'), as points
-- sized by households, for the map.
create function public.uncovered_residences(minutes numeric default 8, speed numeric default 66.7, facility_type text default 'basic')
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  result json;
begin
  perform atlas.require_app_role();
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
comment on function public.uncovered_residences is 'Residences outside the service circle of a type, or of any basic type';

-- Whether what is stored is up to date: circles and access times marked stale by an edit, and
-- facilities or residences that have none yet.
create function public.circle_status()
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  return jsonb_build_object(
    'circles', (select count(*) from atlas.service_circle),
    'circles_stale', (select count(*) from atlas.service_circle where stale),
    'facilities_without_circle', (select count(*) from atlas.facility f where not exists (select 1 from atlas.service_circle c where c.facility_code = f.code)),
    'access_times', (select count(*) from atlas.access_time),
    'access_times_stale', (select count(*) from atlas.access_time where stale),
    'residences_without_times', (select count(*) from atlas.residence r where not exists (select 1 from atlas.access_time a where a.residence_code = r.code)),
    'computed_at', (select max(computed_at) from atlas.access_time),
    'params', (select jsonb_build_object('speed_m_per_min', a.speed_m_per_min) || a.params from atlas.access_time a order by a.computed_at desc limit 1),
    'circle_params', (select coalesce(jsonb_agg(distinct jsonb_build_object('minutes', c.minutes, 'speed_m_per_min', c.speed_m_per_min)), '[]'::jsonb) from atlas.service_circle c),
    'stale', exists (select 1 from atlas.service_circle where stale) or exists (select 1 from atlas.access_time where stale)
      or exists (select 1 from atlas.facility f where not exists (select 1 from atlas.service_circle c where c.facility_code = f.code))
      or exists (select 1 from atlas.residence r where not exists (select 1 from atlas.access_time a where a.residence_code = r.code)));
end
$$;
comment on function public.circle_status is 'Whether the stored service circles and access times are up to date';

-- Proposed facilities: save (planner), list (everyone), remove (planner). RLS decides.
create function public.save_proposal(name text, facility_type text, lon double precision, lat double precision,
  minutes numeric, speed numeric, new_households integer default 0, new_residents integer default 0, note text default null)
returns jsonb
language plpgsql volatile
set search_path = atlas, extensions, pg_temp
as $$
declare
  saved atlas.proposed_facility;
begin
  perform atlas.require_app_role();
  perform atlas.check_walk_params(minutes, speed);
  if lon is null or lat is null or lon < -180 or lon > 180 or lat < -90 or lat > 90 then
    raise exception using errcode = '22023', message = format('(%s, %s) is not a longitude and latitude in degrees', lon, lat);
  end if;
  insert into atlas.proposed_facility (name, facility_type, note, minutes, speed_m_per_min, new_households, new_residents, created_by, geom)
  values (save_proposal.name, save_proposal.facility_type, save_proposal.note, save_proposal.minutes, save_proposal.speed,
    save_proposal.new_households, save_proposal.new_residents,
    (select coalesce(c ->> 'email', c ->> 'sub') from (select nullif(current_setting('request.jwt.claims', true), '')::jsonb c) claims),
    st_setsrid(st_makepoint(lon, lat), 4326))
  returning * into saved;
  return to_jsonb(saved) - 'geom' || jsonb_build_object('lon', lon, 'lat', lat);
end
$$;

create function public.proposals()
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  return (select coalesce(jsonb_agg(to_jsonb(p) - 'geom' || jsonb_build_object('lon', st_x(p.geom), 'lat', st_y(p.geom)) order by p.id), '[]'::jsonb)
          from atlas.proposed_facility p);
end
$$;

create function public.remove_proposal(id bigint)
returns boolean
language plpgsql volatile
set search_path = atlas, extensions, pg_temp
as $$
declare
  removed integer;
begin
  perform atlas.require_app_role();
  delete from atlas.proposed_facility p where p.id = remove_proposal.id;
  get diagnostics removed = row_count;
  if removed = 0 then
    raise exception using errcode = 'P0002', message = format('no proposal %s you may remove', remove_proposal.id);
  end if;
  return true;
end
$$;

-- What the caller may write, now with the planners' proposed facilities beside the layers: the
-- insert policies of each table, read from the catalog and evaluated as the caller.
create or replace function public.my_access()
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  role atlas.app_role := atlas.require_app_role();
  target record;
  allowed boolean;
  policy record;
  writes jsonb := '{}'::jsonb;
begin
  for target in
    select l.layer as key, atlas.layer_table(l.layer) as tbl
    from unnest(array['street', 'community', 'grid', 'micro_grid', 'former_village', 'management_area',
                      'facility', 'walk_edge', 'residence', 'backlog', 'basemap']) l (layer)
    union all select 'proposed_facility', 'proposed_facility'
  loop
    allowed := false;
    if has_table_privilege(format('atlas.%I', target.tbl), 'INSERT') then
      for policy in
        select p.with_check from pg_catalog.pg_policies p
        where p.schemaname = 'atlas' and p.tablename = target.tbl and p.cmd in ('INSERT', 'ALL')
          and p.roles && array['authenticated', 'public']::name[]
      loop
        execute format('select coalesce((%s)::boolean, false)', coalesce(policy.with_check, 'true')) into allowed;
        exit when allowed;
      end loop;
    end if;
    writes := writes || jsonb_build_object(target.key, allowed);
  end loop;
  return jsonb_build_object('role', role, 'write', writes);
end
$$;
comment on function public.my_access is 'The caller''s role and, per layer and for proposed facilities, whether row level security lets it write';

-- ── grants ───────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on atlas.facility_type, atlas.access_time, atlas.proposed_facility to authenticated;
grant all on atlas.facility_type, atlas.access_time, atlas.proposed_facility to service_role;
grant usage on all sequences in schema atlas to authenticated, service_role;
grant execute on function atlas.within_minutes(double precision, numeric, numeric, numeric), atlas.check_walk_params(numeric, numeric),
  atlas.residence_coverage(numeric, numeric) to anon, authenticated, service_role;
revoke all on function public.walk_graph() from public;
grant execute on function public.walk_graph() to anon, authenticated, service_role;
revoke all on function public.circle_points() from public;
grant execute on function public.circle_points() to anon, authenticated, service_role;
revoke all on function public.service_circles(numeric, numeric, double precision, double precision, double precision, double precision, double precision, boolean) from public;
grant execute on function public.service_circles(numeric, numeric, double precision, double precision, double precision, double precision, double precision, boolean) to anon, authenticated, service_role;
revoke all on function public.coverage(numeric, numeric, text) from public;
grant execute on function public.coverage(numeric, numeric, text) to anon, authenticated, service_role;
revoke all on function public.uncovered_residences(numeric, numeric, text) from public;
grant execute on function public.uncovered_residences(numeric, numeric, text) to anon, authenticated, service_role;
revoke all on function public.circle_status() from public;
grant execute on function public.circle_status() to anon, authenticated, service_role;
revoke all on function public.save_proposal(text, text, double precision, double precision, numeric, numeric, integer, integer, text) from public;
grant execute on function public.save_proposal(text, text, double precision, double precision, numeric, numeric, integer, integer, text) to anon, authenticated, service_role;
revoke all on function public.proposals() from public;
grant execute on function public.proposals() to anon, authenticated, service_role;
revoke all on function public.remove_proposal(bigint) from public;
grant execute on function public.remove_proposal(bigint) to anon, authenticated, service_role;
