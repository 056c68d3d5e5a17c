-- Where a file's features would land, for the import's checks of coordinates (src/db/offsets.ts):
-- a sample of its points in one or more readings (as WGS-84, as GCJ-02, as BD-09…, index for index),
-- measured against the city the database holds — its extent, the units the points name, the
-- nearest road. The command line and the page ask the same question and judge the same answer, so
-- a file in Amap's coordinates that declares nothing is refused in both.
-- Sections: functions · grants

set search_path = atlas, extensions, public;

-- ── functions ────────────────────────────────────────────────────────────────────────────
create or replace function public.import_placement(readings jsonb, parent_layer text default null) returns jsonb
language plpgsql
stable
security invoker
set search_path = atlas, extensions, public
as $$
declare
  city record;
  parent_table text;
  measured jsonb;
begin
  if jsonb_typeof(readings) is distinct from 'array' then
    raise exception 'readings must be a JSON array of {"name", "points": [{"x", "y", "parent"}]}' using errcode = '22023';
  end if;
  select st_xmin(x.e) as west, st_ymin(x.e) as south, st_xmax(x.e) as east, st_ymax(x.e) as north,
         exists (select 1 from atlas.walk_edge) as roads
    into city
    from (select st_extent(geom)::geometry as e from (
            select geom from atlas.street union all select geom from atlas.community union all select geom from atlas.walk_edge) held) x;
  if city.west is null then
    return jsonb_build_object('extent', null, 'roads', false, 'readings', '[]'::jsonb);
  end if;
  if parent_layer is not null then
    parent_table := atlas.layer_table(parent_layer);
    if parent_table is null then
      perform atlas.unknown_layer(parent_layer);
    end if;
  end if;
  -- a point counts where the first reading's point lies within about 5 km of the city
  execute format($q$
    with point as (
      select (r.ordinality - 1)::integer as k, r.value ->> 'name' as name, p.ordinality as i,
             st_setsrid(st_makepoint((p.value ->> 'x')::float8, (p.value ->> 'y')::float8), 4326) as g,
             nullif(p.value ->> 'parent', '') as parent
      from jsonb_array_elements($1) with ordinality r, jsonb_array_elements(r.value -> 'points') with ordinality p),
    flagged as (
      select point.*, st_x(g) between $2 - 0.05 and $4 + 0.05 and st_y(g) between $3 - 0.05 and $5 + 0.05 as inside from point),
    counted as (
      select f.*, b.inside as counts from flagged f join flagged b on b.k = 0 and b.i = f.i),
    measured as (
      select c.k, c.name,
             count(*) filter (where c.inside) as inside,
             count(*) filter (where c.counts and c.parent is not null) as named,
             %s as known,
             %s as within,
             (select percentile_cont(0.5) within group (order by d.m) from (
                select (select st_distance(e.geom::geography, c2.g::geography) from atlas.walk_edge e order by e.geom <-> c2.g limit 1) as m
                from counted c2 where c2.k = c.k and c2.counts) d where $6) as median_m
      from counted c %s
      group by c.k, c.name)
    select coalesce(jsonb_agg(jsonb_build_object('name', name, 'inside', inside, 'named', named, 'known', known, 'within', within, 'median_m', median_m) order by k), '[]')
    from measured $q$,
    case when parent_table is null then '0' else 'count(u.code) filter (where c.counts)' end,
    case when parent_table is null then '0' else 'count(u.code) filter (where c.counts and st_dwithin(u.geom, c.g, 0.00005))' end,
    case when parent_table is null then '' else format('left join atlas.%I u on u.code = c.parent', parent_table) end)
  into measured
  using readings, city.west, city.south, city.east, city.north, city.roads;
  return jsonb_build_object('extent', jsonb_build_array(city.west, city.south, city.east, city.north), 'roads', city.roads, 'readings', measured);
end
$$;
comment on function public.import_placement(jsonb, text) is
  'Where sampled points of a file would land in each reading: within the city, in the units they name, how far from the roads';

-- ── grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function public.import_placement(jsonb, text) from public;
grant execute on function public.import_placement(jsonb, text) to anon, authenticated, service_role;
