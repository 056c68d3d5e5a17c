-- A home inside a compound is reached through the compound's ways in. Where a city gives its
-- buildings (or addresses) as residences of their own inside a compound drawn as its outline, a
-- building's households walk out through the compound's gates (or, with none, where a road crosses
-- its outline) and then straight to their building: their place is the building's, their ways in
-- the compound's. A residence's ways in are its own gates; else those of the smallest compound
-- around its point (with ways in); else where a road crosses its own outline; else its own point.
-- A compound or a gate written or removed makes the homes inside it stale.
-- Sections: functions · triggers

set search_path = atlas, extensions, public;

-- ── functions ────────────────────────────────────────────────────────────────────────────
-- Where a road of the network crosses an outline, as [lon, lat, the road's code]; null when none does.
create function atlas.outline_crossings(outline extensions.geometry) returns json
language sql stable
set search_path = atlas, extensions, pg_temp
as $$
  select json_agg(json_build_array(round(st_x(c.geom)::numeric, 7), round(st_y(c.geom)::numeric, 7), c.code)
                  order by c.code, st_x(c.geom), st_y(c.geom))
  from (select e.code, (st_dump(st_intersection(st_boundary(outline), e.geom))).geom
        from atlas.walk_edge e
        where e.geom && outline and st_intersects(st_boundary(outline), e.geom)) c
  where geometrytype(c.geom) = 'POINT'
$$;

-- As before, each residence with its ways in: its own gates; else those of the smallest compound
-- around its point that has any; else the crossings of its own outline; null for a home reached
-- from its own point. Set-based: the gates grouped once, the compounds around a point found
-- through the residences' spatial index.
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
    'residences', (
      with gated as (
        select g.compound_code as code, json_agg(json_build_array(round(st_x(g.geom)::numeric, 7), round(st_y(g.geom)::numeric, 7)) order by g.code) as ways
        from atlas.gate g group by g.compound_code
      ),
      compound as (
        select r.code, st_area(r.geom) as area, coalesce(g.ways, atlas.outline_crossings(r.geom)) as ways
        from atlas.residence r left join gated g on g.code = r.code
        where geometrytype(r.geom) in ('POLYGON', 'MULTIPOLYGON')
      ),
      home as (
        select r.code, r.geom, st_pointonsurface(r.geom) as p, r.households, r.residents, r.community_code from atlas.residence r
      ),
      host as (
        select distinct on (r.code) r.code, c.ways
        from home r
        join atlas.residence h on h.geom && r.p and h.code <> r.code and geometrytype(h.geom) in ('POLYGON', 'MULTIPOLYGON')
                               and st_covers(h.geom, r.p)
        join compound c on c.code = h.code and c.ways is not null and c.area > st_area(r.geom)
        order by r.code, c.area, c.code
      )
      select coalesce(json_agg(json_build_array(r.code, round(st_x(r.p)::numeric, 7), round(st_y(r.p)::numeric, 7),
               r.households, r.residents, r.community_code, coalesce(g.ways, h.ways, c.ways)) order by r.code), '[]'::json)
      from home r left join gated g on g.code = r.code left join host h on h.code = r.code left join compound c on c.code = r.code),
    'types', (select json_agg(json_build_object('type', t.facility_type, 'basic', t.basic, 'name_zh', t.name_zh,
        'name_en', t.name_en, 'source', t.source) order by t.facility_type) from atlas.facility_type t));
end
$$;
comment on function public.circle_points is
  'Facilities and residences for the isochrone engine: a point on each, and its ways in (its gates, the compound''s around it, or its outline''s road crossings)';

-- ── triggers ─────────────────────────────────────────────────────────────────────────────
-- The homes whose point lies in one of the given outlines, beside the outlines' own residences.
create function atlas.stale_homes_within(outlines extensions.geometry[]) returns void
language sql
set search_path = ''
as $$
  update atlas.access_time a set stale = true
  where not a.stale and a.residence_code in (
    select r.code from atlas.residence r, unnest(outlines) o
    where extensions.geometrytype(o) in ('POLYGON', 'MULTIPOLYGON') and r.geom operator(extensions.&&) o
      and extensions.st_covers(o, extensions.st_pointonsurface(r.geom)))
$$;

-- A residence written or removed: its own times, and, where it is a compound, those of the homes inside it.
create or replace function atlas.residence_changed() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update atlas.access_time a set stale = true
   where not a.stale and a.residence_code in (select code from changed_rows);
  perform atlas.stale_homes_within((select array_agg(geom) from changed_rows));
  return null;
end
$$;
create trigger residence_inserted after insert on atlas.residence
  referencing new table as changed_rows for each statement execute function atlas.residence_changed();
create trigger residence_updated_old after update on atlas.residence
  referencing old table as changed_rows for each statement execute function atlas.residence_changed();
create trigger residence_deleted after delete on atlas.residence
  referencing old table as changed_rows for each statement execute function atlas.residence_changed();

-- A gate written or removed: its compound's times, and those of the homes inside the compound.
create or replace function atlas.gate_changed() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update atlas.access_time a set stale = true
   where not a.stale and a.residence_code in (select compound_code from changed_rows);
  perform atlas.stale_homes_within((select array_agg(r.geom) from atlas.residence r where r.code in (select compound_code from changed_rows)));
  return null;
end
$$;

revoke all on function atlas.outline_crossings(extensions.geometry), atlas.stale_homes_within(extensions.geometry[]) from public;
grant execute on function atlas.outline_crossings(extensions.geometry), atlas.stale_homes_within(extensions.geometry[]) to authenticated, service_role;

-- ── compound land ────────────────────────────────────────────────────────────────────────
-- The land of the compounds a walk enters through a gate: each compound's part within what is
-- left of the walk at the gate (`entered`: [[compound code, gate lon, gate lat, metres left], …]),
-- as one (multi)polygon, or null. The stored circles add it to the roads' polygon
-- (src/circles/store.ts), and the page adds the same to a trial facility's circle.
create function atlas.compound_land(entered json) returns extensions.geometry
language sql stable
set search_path = atlas, extensions, pg_temp
as $$
  select st_multi(st_collectionextract(st_union(st_intersection(r.geom, st_buffer(
           st_setsrid(st_makepoint((e ->> 1)::float8, (e ->> 2)::float8), 4326)::geography, (e ->> 3)::float8)::geometry)), 3))
  from json_array_elements(entered) e join atlas.residence r on r.code = e ->> 0
  where geometrytype(r.geom) in ('POLYGON', 'MULTIPOLYGON') and (e ->> 3)::float8 > 0
$$;

-- For the page's trial facility: the land of the compounds its walk enters, as GeoJSON (null for none).
create function public.compound_land(entered json)
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  land geometry;
begin
  perform atlas.require_app_role();
  if json_typeof(entered) is distinct from 'array' then
    raise exception 'entered must be a JSON array of [compound code, gate lon, gate lat, metres left]' using errcode = '22023';
  end if;
  if json_array_length(entered) > 10000 then
    raise exception 'at most 10000 compounds at once, not %', json_array_length(entered) using errcode = '22023';
  end if;
  if exists (select 1 from json_array_elements(entered) e
             where json_typeof(e) <> 'array' or json_array_length(e) <> 4 or json_typeof(e -> 0) <> 'string'
               or json_typeof(e -> 1) <> 'number' or json_typeof(e -> 2) <> 'number' or json_typeof(e -> 3) <> 'number'
               or abs((e ->> 1)::float8) > 180 or abs((e ->> 2)::float8) > 90 or (e ->> 3)::float8 not between 0 and 10000) then
    raise exception 'each entered compound is [its code, the gate''s lon (−180…180), lat (−90…90), the metres left (0…10000)]' using errcode = '22023';
  end if;
  land := atlas.compound_land(entered);
  return case when land is null or st_isempty(land) then null else st_asgeojson(land, 7)::json end;
end
$$;
comment on function public.compound_land is 'The land of the compounds a walk enters through a gate, within what is left of the walk there: a trial facility''s circle takes it in as the stored ones do';

revoke all on function atlas.compound_land(json), public.compound_land(json) from public;
grant execute on function atlas.compound_land(json) to authenticated, service_role;
grant execute on function public.compound_land(json) to anon, authenticated, service_role;
