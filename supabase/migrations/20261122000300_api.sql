-- The API: the only things the browser calls (supabase.rpc). Each returns JSON, runs as the
-- caller (security invoker) so row level security decides what it sees, and refuses an
-- anonymous caller with words rather than an empty answer.
-- Sections: helpers · functions · grants

set search_path = atlas, extensions, public;

-- ── helpers ──────────────────────────────────────────────────────────────────────────────
create function atlas.require_app_role() returns atlas.app_role
language plpgsql stable
set search_path = ''
as $$
declare
  role atlas.app_role := atlas.current_app_role();
begin
  if role is null then
    raise exception using
      errcode = '42501',
      message = 'sign in first: the atlas is open to the roles leader, planner and works',
      hint = 'Send a JWT whose app_metadata.app_role is leader, planner or works.';
  end if;
  return role;
end
$$;

-- Which columns of each layer the map and the inspector show, as one jsonb per row. The layer
-- names are those of `atlas import`.
create function atlas.layer_table(layer text) returns text
language sql immutable parallel safe
set search_path = ''
as $$
  select case layer
    when 'street' then 'street' when 'community' then 'community' when 'grid' then 'grid'
    when 'micro_grid' then 'micro_grid' when 'former_village' then 'former_village'
    when 'management_area' then 'management_area' when 'facility' then 'facility'
    when 'walk_edge' then 'walk_edge' when 'residence' then 'residence'
    when 'backlog' then 'backlog_item' when 'basemap' then 'basemap_feature'
  end
$$;

create function atlas.layer_parent(layer text) returns text
language sql immutable parallel safe
set search_path = ''
as $$
  select case layer
    when 'community' then 'street_code' when 'grid' then 'community_code' when 'micro_grid' then 'grid_code'
    when 'facility' then 'community_code' when 'residence' then 'community_code' when 'backlog' then 'community_code'
  end
$$;

create function atlas.unknown_layer(layer text) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  raise exception using
    errcode = '22023',
    message = format('unknown layer %L', layer),
    hint = 'Layers: street, community, grid, micro_grid, former_village, management_area, facility, walk_edge, residence, backlog, basemap.';
end
$$;

-- The households band of a grid against the 500–800 standard: under, in or over.
create function atlas.grid_band(households integer) returns text
language sql stable
set search_path = ''
as $$
  select case
    when households is null then null
    when households < s.value_min then 'under'
    when households > s.value_max then 'over'
    else 'in'
  end
  from atlas.standard s where s.key = 'grid_households'
$$;

-- ── functions ────────────────────────────────────────────────────────────────────────────
-- One layer as a GeoJSON FeatureCollection for a bounding box, simplified for the zoom
-- (half a 512-px tile pixel), each feature's id its code. Built as json, not jsonb: the map
-- fetches thousands of features a view, and jsonb's parsing of every geometry costs 3× the time.
create function public.map_layer(layer text, west double precision, south double precision,
  east double precision, north double precision, zoom double precision default 12)
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  tbl text := atlas.layer_table(layer);
  tolerance double precision;
  props text;
  result json;
begin
  perform atlas.require_app_role();
  if tbl is null then
    perform atlas.unknown_layer(layer);
  end if;
  if west is null or south is null or east is null or north is null
     or west < -180 or east > 180 or south < -90 or north > 90 or west >= east or south >= north then
    raise exception using errcode = '22023',
      message = format('bounding box (%s, %s, %s, %s) is not west, south, east, north in degrees', west, south, east, north);
  end if;
  if zoom is null or zoom < 0 or zoom > 24 then
    raise exception using errcode = '22023', message = format('zoom %s is outside 0–24', zoom);
  end if;
  tolerance := case when layer in ('facility', 'residence') then 0
                    else 360.0 / (512 * power(2, zoom)) / 2 end;
  props := case layer
    when 'street' then $p$json_build_object('code', t.code, 'name', t.name, 'kind', t.kind)$p$
    when 'community' then $p$json_build_object('code', t.code, 'name', t.name, 'parent_code', t.street_code,
        'type', t.community_type, 'households', t.households, 'resident_population', t.resident_population)$p$
    when 'grid' then $p$json_build_object('code', t.code, 'name', t.name, 'parent_code', t.community_code,
        'households', t.households, 'band', atlas.grid_band(t.households))$p$
    when 'micro_grid' then $p$json_build_object('code', t.code, 'name', t.name, 'parent_code', t.grid_code,
        'households', t.households)$p$
    when 'former_village' then $p$json_build_object('code', t.code, 'name', t.name, 'converted_year', t.converted_year)$p$
    when 'management_area' then $p$json_build_object('code', t.code, 'name', t.name, 'kind', t.kind, 'manager', t.manager)$p$
    when 'facility' then $p$json_build_object('code', t.code, 'name', t.name, 'type', t.facility_type,
        'parent_code', t.community_code, 'floor_area_m2', t.floor_area_m2)$p$
    when 'walk_edge' then $p$json_build_object('code', t.code, 'name', t.name, 'highway', t.highway, 'steps', t.steps,
        'length_m', round(t.length_m::numeric, 1))$p$
    when 'residence' then $p$json_build_object('code', t.code, 'name', t.name, 'parent_code', t.community_code,
        'households', t.households, 'residents', t.residents)$p$
    when 'backlog' then $p$json_build_object('code', t.code, 'name', t.name, 'category', t.category,
        'parent_code', t.community_code, 'cost_yuan', t.cost_yuan, 'households_served', t.households_served,
        'complaints', t.complaints, 'severity', t.severity, 'status', t.status)$p$
    when 'basemap' then $p$json_build_object('code', t.code, 'name', t.name, 'kind', t.kind)$p$
  end;
  execute format($q$
    select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f order by code), '[]'::json))
    from (
      select t.code, json_build_object(
        'type', 'Feature',
        'id', t.code,
        'geometry', st_asgeojson(case when $5 > 0 then st_simplifypreservetopology(t.geom, $5) else t.geom end, 6)::json,
        'properties', %s) as f
      from atlas.%I t
      where t.geom && st_makeenvelope($1, $2, $3, $4, 4326)
    ) features
  $q$, props, tbl)
  into result
  using west, south, east, north, tolerance;
  return result;
end
$$;
comment on function public.map_layer is 'A layer as a GeoJSON FeatureCollection for a bounding box, simplified for the zoom';

-- The inspector's record of one feature: its attributes, the chain of its parents, the counts
-- of what it holds, and its figures against the standards.
create function public.unit_record(layer text, code text)
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  tbl text := atlas.layer_table(layer);
  parent_column text := atlas.layer_parent(layer);
  row jsonb;
  geom geometry;
  parents jsonb := '[]'::jsonb;
  children jsonb := '{}'::jsonb;
  checks jsonb := '[]'::jsonb;
  up_layer text;
  up_code text;
  up_name text;
  c record;
begin
  perform atlas.require_app_role();
  if tbl is null then
    perform atlas.unknown_layer(layer);
  end if;
  execute format('select to_jsonb(t) - ''geom'', t.geom from atlas.%I t where t.code = $1', tbl)
    into row, geom using code;
  if row is null then
    raise exception using errcode = 'P0002', message = format('no %s with code %s', layer, code);
  end if;

  -- parents, nearest first, then reversed so the chain reads from the top
  up_layer := layer;
  up_code := case when parent_column is null then null else row ->> parent_column end;
  while up_code is not null loop
    up_layer := case
      when up_layer in ('community') then 'street'
      when up_layer in ('grid', 'facility', 'residence', 'backlog') then 'community'
      when up_layer = 'micro_grid' then 'grid'
      else null end;
    exit when up_layer is null;
    execute format('select name from atlas.%I where code = $1', atlas.layer_table(up_layer)) into up_name using up_code;
    parents := jsonb_build_array(jsonb_build_object('layer', up_layer, 'code', up_code, 'name', up_name)) || parents;
    execute format('select (to_jsonb(t) ->> %L) from atlas.%I t where t.code = $1',
      coalesce(atlas.layer_parent(up_layer), 'none'), atlas.layer_table(up_layer)) into up_code using up_code;
  end loop;

  if layer = 'street' then
    children := jsonb_build_object(
      'community', (select count(*) from atlas.community x where x.street_code = unit_record.code),
      'grid', (select count(*) from atlas.grid x join atlas.community p on p.code = x.community_code where p.street_code = unit_record.code));
  elsif layer = 'community' then
    children := jsonb_build_object(
      'grid', (select count(*) from atlas.grid x where x.community_code = unit_record.code),
      'micro_grid', (select count(*) from atlas.micro_grid x join atlas.grid p on p.code = x.grid_code where p.community_code = unit_record.code),
      'facility', (select count(*) from atlas.facility x where x.community_code = unit_record.code),
      'residence', (select count(*) from atlas.residence x where x.community_code = unit_record.code),
      'backlog', (select count(*) from atlas.backlog_item x where x.community_code = unit_record.code));
    for c in
      select s.*, v.value from atlas.standard s
      join (values
        ('workers_per_10k', case when (row ->> 'resident_population')::numeric > 0
            then round((row ->> 'full_time_workers')::numeric * 10000 / (row ->> 'resident_population')::numeric, 1) end),
        ('service_area_per_100_households', case when (row ->> 'households')::numeric > 0
            then round((row ->> 'service_area_m2')::numeric * 100 / (row ->> 'households')::numeric, 1) end),
        ('service_area_provincial', (row ->> 'service_area_m2')::numeric),
        ('service_area_target', (row ->> 'service_area_m2')::numeric)
      ) as v (key, value) on v.key = s.key
      order by s.key
    loop
      checks := checks || jsonb_build_object('key', c.key, 'label_zh', c.label_zh, 'label_en', c.label_en,
        'value', c.value, 'unit', c.unit, 'min', c.value_min, 'max', c.value_max, 'source', c.source,
        'ok', case when c.value is null then null
                   else (c.value_min is null or c.value >= c.value_min) and (c.value_max is null or c.value <= c.value_max) end);
    end loop;
  elsif layer = 'grid' then
    children := jsonb_build_object(
      'micro_grid', (select count(*) from atlas.micro_grid x where x.grid_code = unit_record.code),
      'micro_grid_households', (select coalesce(sum(x.households), 0) from atlas.micro_grid x where x.grid_code = unit_record.code));
    select checks || jsonb_build_object('key', s.key, 'label_zh', s.label_zh, 'label_en', s.label_en,
        'value', (row ->> 'households')::numeric, 'unit', s.unit, 'min', s.value_min, 'max', s.value_max, 'source', s.source,
        'ok', atlas.grid_band((row ->> 'households')::integer) = 'in', 'band', atlas.grid_band((row ->> 'households')::integer))
      into checks from atlas.standard s where s.key = 'grid_households';
  end if;

  return jsonb_build_object(
    'layer', layer,
    'code', code,
    'name', row ->> 'name',
    'attributes', row,
    'parents', parents,
    'children', children,
    'checks', checks,
    'area_m2', case when geometrytype(geom) in ('POLYGON', 'MULTIPOLYGON') then round(st_area(geom::geography)::numeric) end,
    'length_m', case when geometrytype(geom) in ('LINESTRING', 'MULTILINESTRING') then round(st_length(geom::geography)::numeric, 1) end,
    'bbox', jsonb_build_array(round(st_xmin(geom)::numeric, 6), round(st_ymin(geom)::numeric, 6),
                              round(st_xmax(geom)::numeric, 6), round(st_ymax(geom)::numeric, 6)),
    'center', st_asgeojson(st_pointonsurface(geom), 6)::jsonb -> 'coordinates');
end
$$;
comment on function public.unit_record is 'The inspector record of one feature: attributes, parents, child counts, standards';

-- Search units by name (any part, Chinese or pinyin-free text) or code (a prefix of digits).
create function public.search_units(query text, max_results integer default 10)
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  q text := btrim(coalesce(query, ''));
  result jsonb;
begin
  perform atlas.require_app_role();
  if length(q) = 0 then
    return '[]'::jsonb;
  end if;
  if length(q) > 100 then
    raise exception using errcode = '22023', message = 'a search is at most 100 characters';
  end if;
  max_results := least(greatest(coalesce(max_results, 10), 1), 50);
  with hits as (
    select 'street' as layer, 1 as rank, t.code, t.name, null::text as parent_name, t.geom from atlas.street t
      where t.name like '%' || q || '%' or t.code like q || '%'
    union all
    select 'community', 2, t.code, t.name, p.name, t.geom from atlas.community t join atlas.street p on p.code = t.street_code
      where t.name like '%' || q || '%' or t.code like q || '%'
    union all
    select 'grid', 3, t.code, t.name, p.name, t.geom from atlas.grid t join atlas.community p on p.code = t.community_code
      where t.name like '%' || q || '%' or t.code like q || '%'
    union all
    select 'micro_grid', 4, t.code, t.name, p.name, t.geom from atlas.micro_grid t join atlas.grid p on p.code = t.grid_code
      where t.name like '%' || q || '%' or t.code like q || '%'
    union all
    select 'facility', 5, t.code, t.name, p.name, t.geom from atlas.facility t left join atlas.community p on p.code = t.community_code
      where t.name like '%' || q || '%' or t.code ilike q || '%'
  ), ranked as (
    select * from hits
    order by (code = q) desc, (name = q) desc, rank, length(name), code
    limit max_results
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'layer', layer, 'code', code, 'name', name, 'parent_name', parent_name,
      'bbox', jsonb_build_array(round(st_xmin(geom)::numeric, 6), round(st_ymin(geom)::numeric, 6),
                                round(st_xmax(geom)::numeric, 6), round(st_ymax(geom)::numeric, 6)),
      'center', st_asgeojson(st_pointonsurface(geom), 6)::jsonb -> 'coordinates')), '[]'::jsonb)
    into result from ranked;
  return result;
end
$$;
comment on function public.search_units is 'Units and facilities whose name contains the query or whose code starts with it';

-- Feature counts and totals per layer, and the extent of the city.
create function public.layer_stats()
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
    'service_circle', (select jsonb_build_object('count', count(*)) from atlas.service_circle),
    'bbox', case when extent is null then null else jsonb_build_array(round(st_xmin(extent)::numeric, 6), round(st_ymin(extent)::numeric, 6),
        round(st_xmax(extent)::numeric, 6), round(st_ymax(extent)::numeric, 6)) end);
  return result;
end
$$;
comment on function public.layer_stats is 'Feature counts and totals per layer, and the extent of the city';

-- ── grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function public.map_layer(text, double precision, double precision, double precision, double precision, double precision) from public;
grant execute on function public.map_layer(text, double precision, double precision, double precision, double precision, double precision) to anon, authenticated, service_role;
revoke all on function public.unit_record(text, text) from public;
grant execute on function public.unit_record(text, text) to anon, authenticated, service_role;
revoke all on function public.search_units(text, integer) from public;
grant execute on function public.search_units(text, integer) to anon, authenticated, service_role;
revoke all on function public.layer_stats() from public;
grant execute on function public.layer_stats() to anon, authenticated, service_role;
grant execute on function atlas.require_app_role(), atlas.layer_table(text), atlas.layer_parent(text),
  atlas.unknown_layer(text), atlas.grid_band(integer) to anon, authenticated, service_role;
