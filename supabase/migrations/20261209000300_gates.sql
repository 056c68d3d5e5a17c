-- Compounds reached through their gates. A residence drawn as its outline is a compound (小区);
-- its households are reached through its gates: the gate layer (points naming their compound), or,
-- where a compound has none, the points where a road crosses its outline (the engine keeps those
-- on walkable roads). A household's walk is the best, over the gates, of the walk to the gate and
-- the straight walk from the gate to its place in the compound (src/circles/engine/model.ts);
-- circle_points() hands the engine each compound's ways in. A gate lies on its compound: within
-- the nesting tolerance of its outline, never a point residence's; a gate written or removed makes
-- its compound's walking times stale.
-- Sections: tables · RLS · registry · triggers · functions · grants

set search_path = atlas, extensions, public;

-- ── tables ───────────────────────────────────────────────────────────────────────────────
create table atlas.gate (
  code text primary key check (code ~ '^[A-Za-z0-9_-]{2,40}$'),
  compound_code text not null references atlas.residence (code) on update cascade on delete cascade,
  name text check (length(name) <= 100),
  geom extensions.geometry(Point, 4326) not null,
  updated_at timestamptz not null default now()
);
comment on table atlas.gate is 'The gates of compounds (小区出入口): the ways in a household''s walk goes through';
create index gate_geom_idx on atlas.gate using gist (geom);
create index gate_compound_idx on atlas.gate (compound_code);

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
alter table atlas.gate enable row level security;
select atlas.create_role_policies('atlas.gate', 'planner');

-- ── registry ─────────────────────────────────────────────────────────────────────────────
insert into atlas.api_target (table_name, domain, layer, map_order, feeds, writers) values
  ('gate', 'ground', 'gate', 12, '{circles,indicators}', '{planner}');
select atlas.install_data_version_triggers();

-- ── triggers ─────────────────────────────────────────────────────────────────────────────
-- A gate lies on its compound, which is drawn as an outline: refused in words otherwise.
create function atlas.gate_on_compound() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  outline extensions.geometry;
  away double precision;
begin
  select r.geom into outline from atlas.residence r where r.code = new.compound_code;
  if outline is null then
    return new; -- the foreign key says it
  end if;
  if extensions.geometrytype(outline) not in ('POLYGON', 'MULTIPOLYGON') then
    raise exception using errcode = '23514',
      message = format('gate %s: residence %s is a point, not a compound; gates belong to a compound drawn as its outline', new.code, new.compound_code);
  end if;
  away := extensions.st_distance(new.geom::extensions.geography, outline::extensions.geography);
  if away > atlas.nesting_tolerance_m() then
    raise exception using errcode = '23514',
      message = format('gate %s lies %s m outside its compound %s (more than %s m from its outline)', new.code, round(away::numeric, 1),
        new.compound_code, atlas.nesting_tolerance_m());
  end if;
  return new;
end
$$;
create trigger gate_on_compound before insert or update on atlas.gate for each row execute function atlas.gate_on_compound();
create trigger gate_touch before update on atlas.gate for each row execute function atlas.touch_updated_at();

-- A gate written or removed: its compound's walking times are stale.
create function atlas.gate_changed() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update atlas.access_time a set stale = true
   where not a.stale and a.residence_code in (select compound_code from changed_rows);
  return null;
end
$$;
create trigger gate_inserted after insert on atlas.gate
  referencing new table as changed_rows for each statement execute function atlas.gate_changed();
create trigger gate_updated after update on atlas.gate
  referencing new table as changed_rows for each statement execute function atlas.gate_changed();
create trigger gate_deleted after delete on atlas.gate
  referencing old table as changed_rows for each statement execute function atlas.gate_changed();

-- ── functions ────────────────────────────────────────────────────────────────────────────
-- As before, with each compound's ways in: its gates as [lon, lat], or, with none, the points
-- where a road of the network crosses its outline as [lon, lat, the road's code]; null for a
-- residence drawn as a point.
create or replace function public.circle_points()
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  return json_build_object(
    'facilities', (select coalesce(json_agg(json_build_array(f.code, f.name, f.facility_type, round(st_x(f.geom)::numeric, 7),
        round(st_y(f.geom)::numeric, 7), f.community_code) order by f.code), '[]'::json) from atlas.facility f),
    'residences', (select coalesce(json_agg(json_build_array(r.code, round(st_x(r.p)::numeric, 7), round(st_y(r.p)::numeric, 7),
        r.households, r.residents, r.community_code, r.gates) order by r.code), '[]'::json)
        from (select r.*, st_pointonsurface(r.geom) p,
                     case when geometrytype(r.geom) in ('POLYGON', 'MULTIPOLYGON') then coalesce(
                       (select json_agg(json_build_array(round(st_x(g.geom)::numeric, 7), round(st_y(g.geom)::numeric, 7)) order by g.code)
                        from atlas.gate g where g.compound_code = r.code),
                       (select json_agg(json_build_array(round(st_x(c.geom)::numeric, 7), round(st_y(c.geom)::numeric, 7), c.code)
                                        order by c.code, st_x(c.geom), st_y(c.geom))
                        from (select e.code, (st_dump(st_intersection(st_boundary(r.geom), e.geom))).geom
                              from atlas.walk_edge e
                              where e.geom && r.geom and st_intersects(st_boundary(r.geom), e.geom)) c
                        where geometrytype(c.geom) = 'POINT'))
                     end as gates
              from atlas.residence r) r),
    'types', (select json_agg(json_build_object('type', t.facility_type, 'basic', t.basic, 'name_zh', t.name_zh,
        'name_en', t.name_en, 'source', t.source) order by t.facility_type) from atlas.facility_type t));
end
$$;
comment on function public.circle_points is 'Facilities and residences (a point on each, and a compound''s gates or road crossings) for the isochrone engine';

-- The layers' figures as before, with the gates counted.
create or replace function public.layer_stats()
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  result jsonb;
  extent geometry;
begin
  perform atlas.require_app_role();
  select st_extent(geom)::geometry into extent from (
    select geom from atlas.street union all select geom from atlas.community union all select geom from atlas.basemap_feature where kind = 'outline'
  ) u;
  result := jsonb_build_object(
    'street', (select jsonb_build_object('count', count(*), 'area_km2', round(coalesce(sum(st_area(geom::geography)), 0)::numeric / 1e6, 2)) from atlas.street),
    'community', (select jsonb_build_object('count', count(*), 'area_km2', round(coalesce(sum(st_area(geom::geography)), 0)::numeric / 1e6, 2),
        'households', coalesce(sum(households), 0), 'resident_population', coalesce(sum(resident_population), 0),
        'registered_population', coalesce(sum(registered_population), 0), 'full_time_workers', coalesce(sum(full_time_workers), 0)) from atlas.community),
    'grid', (select jsonb_build_object('count', count(*), 'households', coalesce(sum(households), 0),
        'under_band', count(*) filter (where atlas.grid_band(households) = 'under'),
        'over_band', count(*) filter (where atlas.grid_band(households) = 'over')) from atlas.grid),
    'micro_grid', (select jsonb_build_object('count', count(*), 'households', coalesce(sum(households), 0)) from atlas.micro_grid),
    'former_village', (select jsonb_build_object('count', count(*)) from atlas.former_village),
    'management_area', (select jsonb_build_object('count', count(*)) from atlas.management_area),
    'facility', (select jsonb_build_object('count', count(*), 'floor_area_m2', coalesce(sum(floor_area_m2), 0)) from atlas.facility),
    'walk_edge', (select jsonb_build_object('count', count(*), 'length_km', round(coalesce(sum(length_m), 0)::numeric / 1000, 1),
        'nodes', (select count(*) from atlas.walk_node)) from atlas.walk_edge),
    'residence', (select jsonb_build_object('count', count(*), 'households', coalesce(sum(households), 0),
        'residents', coalesce(sum(residents), 0)) from atlas.residence),
    'backlog', (select jsonb_build_object('count', count(*), 'cost_yuan', coalesce(sum(cost_yuan), 0)) from atlas.backlog_item),
    'basemap', (select jsonb_build_object('count', count(*)) from atlas.basemap_feature),
    'gate', (select jsonb_build_object('count', count(*)) from atlas.gate),
    'service_circle', (select jsonb_build_object('count', count(*)) from atlas.service_circle),
    'bbox', case when extent is null then null else jsonb_build_array(round(st_xmin(extent)::numeric, 6), round(st_ymin(extent)::numeric, 6),
        round(st_xmax(extent)::numeric, 6), round(st_ymax(extent)::numeric, 6)) end);
  return result;
end
$$;

-- ── grants ───────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on atlas.gate to authenticated;
grant all on atlas.gate to service_role;
revoke all on function atlas.gate_on_compound(), atlas.gate_changed() from public;
