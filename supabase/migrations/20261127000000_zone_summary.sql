-- zone_summary() picked the city's row as the one whose street and community are both null, but a
-- zone outside every street office (or every community) makes such a row of its own in the
-- street (or community) grouping, and `limit 1` could return either. The city's row is now the
-- one grouped over nothing, by grouping(); the rest is unchanged.
set search_path = atlas, extensions, public;

create or replace function public.zone_summary()
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
set jit = off
as $$
declare
  result jsonb;
begin
  perform atlas.require_app_role();
  with z as (
    select c.*, st_pointonsurface(c.geom) as p from atlas.current_zones() c
  ),
  placed as (
    select z.status, z.area_m2, z.kind, z.geom,
           (select s.code from atlas.street s where s.geom && z.p and st_intersects(s.geom, z.p) limit 1) as street_code,
           (select c.code from atlas.community c where c.geom && z.p and st_intersects(c.geom, z.p) limit 1) as community_code
    from z
  ),
  figures as (
    select grouping(street_code) as g_street, grouping(community_code) as g_community, street_code, community_code,
           count(*) filter (where status = 'open') as open_count,
           -- the land, counted once: one piece can be a gap at two levels
           coalesce(st_area((st_union(geom, atlas.zone_grid()) filter (where status = 'open'))::geography), 0) as open_m2,
           count(*) filter (where status = 'settled') as settled_count,
           count(*) filter (where status = 'noise') as noise_count
    from placed group by grouping sets ((street_code), (community_code), ())
  )
  select jsonb_build_object(
    'city', (select jsonb_build_object('open', open_count, 'open_m2', round(open_m2::numeric, 1), 'settled', settled_count, 'noise', noise_count)
             from figures where g_street = 1 and g_community = 1),
    'streets', (select coalesce(jsonb_agg(jsonb_build_object('code', s.code, 'name', s.name,
                  'open', coalesce(f.open_count, 0), 'open_m2', round(coalesce(f.open_m2, 0)::numeric, 1),
                  'settled', coalesce(f.settled_count, 0), 'noise', coalesce(f.noise_count, 0)) order by s.code), '[]'::jsonb)
                from atlas.street s left join figures f on f.g_street = 0 and f.street_code = s.code),
    'communities', (select coalesce(jsonb_agg(jsonb_build_object('code', c.code, 'name', c.name, 'street_code', c.street_code,
                  'open', coalesce(f.open_count, 0), 'open_m2', round(coalesce(f.open_m2, 0)::numeric, 1)) order by c.code), '[]'::jsonb)
                from atlas.community c left join figures f on f.g_community = 0 and f.community_code = c.code))
  into result;
  return result;
end
$$;
comment on function public.zone_summary is 'Open 三不管 zones, their number and the area of their land (counted once), per street office and per community (zones outside every street count for the city only)';
