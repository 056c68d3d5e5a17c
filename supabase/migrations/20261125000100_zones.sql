-- 三不管 zones: land inside a parent that none of its children holds (gaps), land that two units
-- of one level, or two managing bodies, both claim (overlaps); children that stick out of their
-- parent (nesting); the owner each zone should fall to and why; the planners' decisions, kept as
-- history and applied to the boundaries.
-- Detection uses nothing newer than PostGIS 3.3 / GEOS 3.11 (no ST_Coverage*), so it runs the
-- same on PGlite's PostGIS 3.6 and on Debian's or Supabase's 3.3.
-- Sections: types · tables · triggers · RLS · helpers · policies · functions · grants

set search_path = atlas, extensions, public;

-- ── types ────────────────────────────────────────────────────────────────────────────────
-- A zone as detection gives it: its land, its measures, its status and who could own it.
create type atlas.zone as (
  id text, kind text, level text, parent_layer text, parent_code text, geom extensions.geometry,
  area_m2 double precision, width_m double precision, status text, claimants text[], candidates jsonb,
  suggested_owner text, reason jsonb, decision_id bigint
);

-- ── tables ───────────────────────────────────────────────────────────────────────────────
alter table atlas.grid add column micro_grids_tile boolean not null default false;
comment on column atlas.grid.micro_grids_tile is
  'Whether the grid''s micro-grids are meant to tile it: then land in none of them is a gap. Off where micro-grids are buildings.';

-- The city's own outline (kind city): the land its street offices must tile, and inside which
-- land that no managing body holds is 三不管. The county outline (kind outline) is only drawn.
alter table atlas.basemap_feature drop constraint basemap_feature_kind_check;
alter table atlas.basemap_feature add constraint basemap_feature_kind_check
  check (kind in ('outline', 'city', 'river', 'water', 'park', 'road'));

create table atlas.zone_setting (
  id boolean primary key default true check (id),
  min_width_m numeric not null default 1 check (min_width_m >= 0 and min_width_m <= 1000),
  min_area_m2 numeric not null default 50 check (min_area_m2 >= 0 and min_area_m2 <= 10000000),
  updated_by text,
  updated_at timestamptz not null default now()
);
comment on table atlas.zone_setting is 'Below these a zone is noise (kept and listed, not open): width in metres, area in m²';
insert into atlas.zone_setting default values;

create table atlas.zone_decision (
  id bigint generated always as identity primary key,
  zone_id text not null check (zone_id ~ '^[go]-[0-9a-f]{10}$'),
  kind text not null check (kind in ('gap', 'overlap')),
  level text not null check (level in ('street', 'community', 'grid', 'micro_grid', 'management')),
  geom extensions.geometry(MultiPolygon, 4326) not null check (extensions.st_isvalid(geom)),
  area_m2 double precision not null check (area_m2 >= 0),
  owner_layer text not null check (owner_layer in ('city', 'street', 'community', 'grid', 'micro_grid', 'management_area')),
  owner_code text not null,
  suggested_owner text,
  remark text check (length(remark) <= 2000),
  decided_by text not null,
  decided_at timestamptz not null default now(),
  applied_at timestamptz,
  applied_by text,
  superseded_at timestamptz
);
comment on table atlas.zone_decision is
  'A planner''s decision on a 三不管 zone: who owns the land, why, who decided and when; applied or not. Never deleted: the history.';
create index zone_decision_geom_idx on atlas.zone_decision using gist (geom);
create index zone_decision_zone_idx on atlas.zone_decision (zone_id);

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
alter table atlas.zone_setting enable row level security;
alter table atlas.zone_decision enable row level security;

-- ── helpers ──────────────────────────────────────────────────────────────────────────────
-- Every overlay below runs on a fixed grid of 1e-9° (0.1 mm), GEOS's snap-rounding mode. It
-- leaves coordinates of nine decimals or fewer as they are, and it is the mode that needs no
-- fallback: PGlite's GEOS cannot recover from the exceptions the floating mode uses to retry,
-- and a query that hits one there returns no rows instead of an error.
create function atlas.zone_grid() returns double precision
language sql immutable parallel safe
set search_path = ''
as $$ select 0.000000001::double precision $$;

-- A piece narrower on average than this (2 × area ÷ perimeter) is arithmetic, not land: two
-- copies of one boundary that differ in the ninth decimal of a degree leave such slivers.
-- Survey data is not that precise; real slivers, however thin, are reported as noise.
create function atlas.zone_residue_m() returns double precision
language sql immutable parallel safe
set search_path = ''
as $$ select 0.01::double precision $$;

-- Metres east and north of (lon0, lat0) on the ellipsoid's local scale: enough for widths of
-- zones a few kilometres across, without depending on PROJ's tables.
create function atlas.local_metres(g extensions.geometry, lon0 double precision, lat0 double precision)
returns extensions.geometry
language sql immutable parallel safe
set search_path = extensions, pg_temp
as $$
  select st_setsrid(st_scale(st_translate(g, -lon0, -lat0),
    111412.84 * cos(radians(lat0)) - 93.5 * cos(3 * radians(lat0)) + 0.118 * cos(5 * radians(lat0)),
    111132.954 - 559.822 * cos(2 * radians(lat0)) + 1.175 * cos(4 * radians(lat0))), 0)
$$;

-- Twice the radius of the largest inscribed circle, in metres. GEOS stops refining the centre at
-- 1/1000 of the envelope's longer side; on a long thin zone that is coarser than the width
-- itself, so there the radius is narrowed by bisection: a circle of radius r fits inside the
-- zone exactly when the zone shrunk by r (a negative buffer) is not empty.
create function atlas.zone_width_m(g extensions.geometry) returns double precision
language plpgsql immutable parallel safe
set search_path = extensions, pg_temp
as $$
declare
  c extensions.geometry := st_centroid(g);
  m extensions.geometry := atlas.local_metres(g, st_x(c), st_y(c));
  side double precision := greatest(st_xmax(m) - st_xmin(m), st_ymax(m) - st_ymin(m));
  tolerance double precision := side / 1000;
  low double precision := (st_maximuminscribedcircle(m)).radius;
  high double precision;
  middle double precision;
begin
  if side = 0 or low > 20 * tolerance then
    return 2 * low;
  end if;
  high := low + tolerance;
  while not st_isempty(st_buffer(m, -high, 'quad_segs=16')) loop
    low := high;
    high := 2 * high;
  end loop;
  -- to a millimetre, or a thousandth of the width
  while high - low > greatest(0.0005, low * 0.0005) loop
    middle := (low + high) / 2;
    if st_isempty(st_buffer(m, -middle, 'quad_segs=16')) then
      high := middle;
    else
      low := middle;
    end if;
  end loop;
  return low + high;
end
$$;

-- The polygonal parts of a geometry that are land, not arithmetic.
create function atlas.zone_parts(g extensions.geometry)
returns setof extensions.geometry
language sql immutable parallel safe
set search_path = extensions, pg_temp
as $$
  select d.geom from st_dump(st_collectionextract(g, 3)) d
  where 2 * st_area(d.geom::geography) > atlas.zone_residue_m() * st_perimeter(d.geom::geography)
$$;

-- Every unit a zone may be given to, by layer: the hierarchy, the managing bodies and the city.
create function atlas.zone_unit(layer text, unit_code text)
returns table (code text, name text, parent_code text, geom extensions.geometry)
language sql stable
set search_path = atlas, extensions, pg_temp
as $$
  select code, name, null, geom from atlas.street where layer = 'street' and code = unit_code
  union all select code, name, street_code, geom from atlas.community where layer = 'community' and code = unit_code
  union all select code, name, community_code, geom from atlas.grid where layer = 'grid' and code = unit_code
  union all select code, name, grid_code, geom from atlas.micro_grid where layer = 'micro_grid' and code = unit_code
  union all select code, name, null, geom from atlas.management_area where layer = 'management_area' and code = unit_code
  union all select code, coalesce(name, code), null, geom from atlas.basemap_feature where layer = 'city' and kind = 'city' and code = unit_code
$$;

-- The length in metres of a zone's border that runs along a unit (within 10 cm of it).
create function atlas.shared_border_m(zone extensions.geometry, unit extensions.geometry)
returns double precision
language sql immutable parallel safe
set search_path = extensions, pg_temp
as $$
  select coalesce(st_length(st_intersection(
    st_boundary(zone),
    st_buffer(st_clipbybox2d(unit, st_expand(zone::box2d, 0.0001)), 0.000001, 'quad_segs=2'), atlas.zone_grid())::geography), 0)
$$;

-- The parents whose children may not tile them exactly. Each child's boundary is cut into its
-- segments (outer rings anticlockwise, holes clockwise) and the parent's boundary is subtracted;
-- a segment shared by two neighbours cancels, as it runs once each way. Where every segment
-- cancels, the children sum to the parent exactly, so there is no gap, no overlap and no child
-- outside it, and detection skips the overlays for that parent. Coordinates are compared to
-- 1e-7° (1 cm), the scale below which pieces are residue anyway. A parent whose unit overlaps
-- another of its level is added by the caller: its children can overlap the other's.
create function atlas.untiled_parents()
returns table (level text, parent_code text)
language sql stable security definer
set search_path = atlas, extensions, pg_temp
as $$
  with
  caller as materialized (select atlas.require_app_role() as role),
  rings as (
    select 'community'::text as level, c.street_code as parent, 1 as w, c.geom from atlas.community c
    union all select 'community', s.code, -1, s.geom from atlas.street s
    union all select 'grid', g.community_code, 1, g.geom from atlas.grid g
    union all select 'grid', c.code, -1, c.geom from atlas.community c
    union all select 'micro_grid', m.grid_code, 1, m.geom from atlas.micro_grid m
    union all select 'micro_grid', g.code, -1, g.geom from atlas.grid g
  ),
  segments as (
    select r.level, r.parent, r.w,
           round(st_x(st_startpoint(d.geom)) * 1e7)::bigint as x1, round(st_y(st_startpoint(d.geom)) * 1e7)::bigint as y1,
           round(st_x(st_endpoint(d.geom)) * 1e7)::bigint as x2, round(st_y(st_endpoint(d.geom)) * 1e7)::bigint as y2
    from rings r cross join lateral st_dumpsegments(st_forcepolygonccw(r.geom)) d
  ),
  keyed as (
    select level, parent,
           case when (x1, y1) < (x2, y2) then w else -w end as w,
           least((x1, y1), (x2, y2)) as a, greatest((x1, y1), (x2, y2)) as b
    from segments where (x1, y1) <> (x2, y2)
  )
  select distinct k.level, k.parent from keyed k cross join caller
  group by k.level, k.parent, k.a, k.b having sum(k.w) <> 0
$$;

-- The units a zone could be given to, best first: for a gap, the units of its level that border
-- it (under the zone's own parent first, then by the longest shared border, then by the larger
-- area), then what encloses it: the street office first (属地兜底), then the parent. For an
-- overlap, its claimants: the one whose parent holds the zone first (for managing bodies, the
-- street office of the place), then the one whose own land surrounds more of the zone's border,
-- then the larger.
create function atlas.zone_candidates(kind text, level text, parent_code text, zone extensions.geometry, claimants text[])
returns jsonb
language sql stable security definer
set search_path = atlas, extensions, pg_temp
as $$
  with
  near as (
    select 'street'::text as layer, s.code, s.name, null::text as parent, null::text as body, s.geom from atlas.street s
    where level = 'street' and s.geom && st_expand(zone, 0.00001)
    union all
    select 'community', c.code, c.name, c.street_code, null, c.geom from atlas.community c
    where level = 'community' and c.geom && st_expand(zone, 0.00001)
    union all
    select 'grid', g.code, g.name, g.community_code, null, g.geom from atlas.grid g
    where level = 'grid' and g.geom && st_expand(zone, 0.00001)
    union all
    select 'micro_grid', m.code, m.name, m.grid_code, null, m.geom from atlas.micro_grid m
    where level = 'micro_grid' and m.geom && st_expand(zone, 0.00001)
    union all
    select 'management_area', a.code, a.name, null, a.kind, a.geom from atlas.management_area a
    where level = 'management' and a.geom && st_expand(zone, 0.00001)
  ),
  perimeter as (select st_perimeter(zone::geography) as m),
  measured as (
    select n.layer, n.code, n.name,
           case when kind = 'overlap' then 'claims' else 'borders' end as relation,
           case when level = 'management' then n.body = 'street_office'
                when kind = 'gap' then n.parent is not distinct from parent_code
                else n.parent is null or exists (
                  select 1 from atlas.zone_unit(case level when 'community' then 'street' when 'grid' then 'community' else 'grid' end, n.parent) p
                  where st_coveredby(st_pointonsurface(zone), p.geom)) end as same_parent,
           case when kind = 'overlap'
                -- the zone's border that does not run along this claimant's own edge lies inside it
                then greatest((select m from perimeter) - atlas.shared_border_m(zone, st_boundary(n.geom)), 0)
                else atlas.shared_border_m(zone, n.geom) end as border_m,
           st_area(n.geom::geography) as area_m2
    from near n
    where (kind = 'overlap' and n.code = any (claimants))
       or (kind = 'gap' and st_dwithin(n.geom, zone, 0.000001))
  ),
  ranked as (
    select layer, code, name, relation, same_parent, round(border_m::numeric, 1) as border_m, round(area_m2::numeric) as area_m2,
           0 as tier
    from measured where relation = 'claims' or border_m >= 0.5
    union all
    -- what encloses the zone: its street office, then its parent
    select 'street', s.code, s.name, 'encloses', false, null, round(st_area(s.geom::geography)::numeric), 1
    from atlas.street s
    where level <> 'street' and s.geom && zone and st_intersects(s.geom, st_pointonsurface(zone))
    union all
    select l.layer, u.code, u.name, 'encloses', false, null, round(st_area(u.geom::geography)::numeric), 2
    from (select (case level when 'street' then 'city' when 'grid' then 'community' when 'micro_grid' then 'grid' end) as layer) l
    cross join lateral atlas.zone_unit(l.layer, parent_code) u
    where kind = 'gap' and level in ('street', 'grid', 'micro_grid')
  )
  select coalesce(jsonb_agg(jsonb_build_object('layer', layer, 'code', code, 'name', name, 'relation', relation,
           'same_parent', same_parent, 'border_m', border_m, 'area_m2', area_m2)
         order by tier, same_parent desc, near_longest desc nulls last, area_m2 desc, border_m desc nulls last, code), '[]'::jsonb)
  -- borders within half a metre of the longest are a tie, which the larger area breaks (as the reason says)
  from (select r.*, r.border_m >= max(r.border_m) over (partition by r.tier, r.same_parent) - 0.5 as near_longest from ranked r) r
$$;

-- The units of one level (community, grid, micro-grid) whose interiors meet, in pairs, with the
-- land each pair shares. Only the children of the suspect parents are tested, each against every
-- neighbour the spatial index finds; a pair of two suspects' children once.
create function atlas.level_overlaps(unit_level text, suspect_parents text[])
returns table (level text, a text, b text, g extensions.geometry)
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  tbl text := atlas.layer_table(unit_level);
  parent text := atlas.layer_parent(unit_level);
begin
  return query execute format(
    'select %L::text, least(a.code, b.code), greatest(a.code, b.code), st_intersection(a.geom, b.geom, atlas.zone_grid())
     from (select * from atlas.%I x where x.%I = any ($1)) a
     join atlas.%I b on b.geom && a.geom and b.code <> a.code
     where (a.code < b.code or not b.%I = any ($1)) and st_relate(a.geom, b.geom, ''2********'')',
    unit_level, tbl, parent, tbl, parent)
  using suspect_parents;
end
$$;

-- Detection reads every unit of the city, which every role of the app may read; it runs as the
-- owner (after checking the caller's role) because PostGIS's && is not leakproof, so under row
-- level security no spatial index would serve the joins (measured: 480 ms against 13 ms for the
-- sample city's micro-grid pairs).
-- The raw zones, before decisions: gaps per parent, overlaps per level, management gaps and
-- overlaps; each with its parent, the units that border or claim it and the owners it could
-- fall to, ranked.
create function atlas.detect_zones(untiled_keys text[] default null)
returns table (
  kind text, level text, parent_layer text, parent_code text, geom extensions.geometry,
  area_m2 double precision, claimants text[], candidates jsonb
)
language sql stable security definer
set search_path = atlas, extensions, pg_temp
as $$
  with
  caller as materialized (select atlas.require_app_role() as role),
  empty as (select st_setsrid('POLYGON EMPTY'::geometry, 4326) as g),
  untiled as materialized (
    -- the caller may pass what untiled_parents() gave it, as 'level:code', to spare a second pass
    select split_part(k, ':', 1) as level, split_part(k, ':', 2) as parent_code
    from unnest(coalesce(untiled_keys, array(select u.level || ':' || u.parent_code from atlas.untiled_parents() u))) k
  ),
  city as (
    select code, coalesce(name, code) as name, st_union(geom, atlas.zone_grid()) as geom
    from atlas.basemap_feature where kind = 'city' group by code, name
  ),
  extent as (
    -- where land should be managed: the city's outline, or else its street offices
    select coalesce((select st_union(geom, atlas.zone_grid()) from city), (select st_union(geom, atlas.zone_grid()) from atlas.street)) as geom
  ),
  gap_raw as (
    select 'street'::text as level, 'city'::text as parent_layer, c.code as parent_code,
           st_difference(c.geom, coalesce((select st_union(s.geom, atlas.zone_grid()) from atlas.street s where s.geom && c.geom), (select g from empty)), atlas.zone_grid()) as g
    from city c
    where exists (select 1 from atlas.street)
    union all
    select 'community', 'street', s.code,
           st_difference(s.geom, coalesce((select st_union(x.geom, atlas.zone_grid()) from atlas.community x where x.street_code = s.code), (select g from empty)), atlas.zone_grid())
    from atlas.street s
    where exists (select 1 from atlas.community) and s.code in (select parent_code from untiled where level = 'community')
    union all
    select 'grid', 'community', c.code,
           st_difference(c.geom, coalesce((select st_union(x.geom, atlas.zone_grid()) from atlas.grid x where x.community_code = c.code), (select g from empty)), atlas.zone_grid())
    from atlas.community c
    where exists (select 1 from atlas.grid) and c.code in (select parent_code from untiled where level = 'grid')
    union all
    select 'micro_grid', 'grid', g.code,
           st_difference(g.geom, coalesce((select st_union(x.geom, atlas.zone_grid()) from atlas.micro_grid x where x.grid_code = g.code), (select g from empty)), atlas.zone_grid())
    from atlas.grid g
    where g.micro_grids_tile and g.code in (select parent_code from untiled where level = 'micro_grid')
    union all
    select 'management', null, null,
           st_difference(e.geom, coalesce((select st_union(m.geom, atlas.zone_grid()) from atlas.management_area m), (select g from empty)), atlas.zone_grid())
    from extent e
    where e.geom is not null and exists (select 1 from atlas.management_area)
  ),
  gaps as (
    select r.level, r.parent_layer, r.parent_code, p.geom
    from gap_raw r cross join lateral atlas.zone_parts(r.g) p (geom)
  ),
  street_pairs as (
    select 'street'::text as level, a.code as a, b.code as b, st_intersection(a.geom, b.geom, atlas.zone_grid()) as g
    from atlas.street a join atlas.street b on a.geom && b.geom and a.code < (b.code || '') and st_relate(a.geom, b.geom, '2********')
  ),
  -- a parent is suspect when its children may not tile it, or when it overlaps a unit of its level
  community_pairs as (
    select * from atlas.level_overlaps('community', array(
      select parent_code from untiled where level = 'community' union select a from street_pairs union select b from street_pairs))
  ),
  grid_pairs as (
    select * from atlas.level_overlaps('grid', array(
      select parent_code from untiled where level = 'grid' union select a from community_pairs union select b from community_pairs))
  ),
  micro_grid_pairs as (
    select * from atlas.level_overlaps('micro_grid', array(
      select parent_code from untiled where level = 'micro_grid' union select a from grid_pairs union select b from grid_pairs))
  ),
  pairs as (
    select * from street_pairs
    union all select * from community_pairs
    union all select * from grid_pairs
    union all select * from micro_grid_pairs
    union all
    -- two bodies, not one body's two areas
    select 'management', a.code, b.code, st_intersection(a.geom, b.geom, atlas.zone_grid())
    from atlas.management_area a join atlas.management_area b
      on a.code < (b.code || '') and coalesce(a.manager, a.code) <> coalesce(b.manager, b.code)
      and a.geom && b.geom and st_relate(a.geom, b.geom, '2********')
  ),
  pair_parts as (
    select p.level, p.a, p.b, z.geom
    from pairs p cross join lateral atlas.zone_parts(p.g) z (geom)
  ),
  overlap_zones as (
    -- pieces claimed by several pairs at once (three claimants) become one zone
    select m.level, m.geom,
           (select array_agg(distinct c order by c) from pair_parts q, unnest(array[q.a, q.b]) c
             where q.level = m.level and q.geom && m.geom and st_relate(q.geom, m.geom, '2********')) as claimants
    from (select level, (st_dump(st_union(geom, atlas.zone_grid()))).geom as geom from pair_parts group by level) m
  ),
  zones as (
    select 'gap'::text as kind, level, parent_layer, parent_code, geom, null::text[] as claimants from gaps
    union all
    select 'overlap', level, null, null, geom, claimants from overlap_zones
  )
  select z.kind, z.level,
         coalesce(z.parent_layer, e.parent_layer), coalesce(z.parent_code, e.parent_code),
         z.geom, st_area(z.geom::geography), z.claimants, atlas.zone_candidates(z.kind, z.level, coalesce(z.parent_code, e.parent_code), z.geom, z.claimants)
  from zones z
  cross join caller
  left join lateral (
    -- what encloses a zone with no parent of its own: the street its land lies in most
    select 'street'::text as parent_layer, s.code as parent_code from atlas.street s
    where z.parent_code is null and z.level <> 'street' and s.geom && z.geom and st_intersects(s.geom, st_pointonsurface(z.geom))
    limit 1
  ) e on true
$$;

-- Why the first candidate is suggested, in words (English and Chinese).
create function atlas.zone_reason(kind text, level text, candidates jsonb, perimeter_m double precision)
returns jsonb
language plpgsql immutable
set search_path = pg_temp
as $$
declare
  first jsonb := candidates -> 0;
  second jsonb := candidates -> 1;
  who text := format('%s (%s)', first ->> 'name', first ->> 'code');
  peers int := (select count(*) from jsonb_array_elements(candidates) c
                where c ->> 'relation' = first ->> 'relation' and (c ->> 'same_parent')::boolean = (first ->> 'same_parent')::boolean);
  tie boolean := second is not null and second ->> 'relation' = first ->> 'relation'
                 and (second ->> 'same_parent')::boolean = (first ->> 'same_parent')::boolean
                 and abs((second ->> 'border_m')::numeric - (first ->> 'border_m')::numeric) < 0.5;
  border text := coalesce(first ->> 'border_m', '0');
  per text := round(perimeter_m::numeric, 1)::text;
  en text;
  zh text;
begin
  if first is null then
    return jsonb_build_object('en', 'nothing borders, claims or encloses it', 'zh', '无相邻、主张或包含它的单元');
  end if;
  if first ->> 'relation' = 'encloses' then
    en := format('no unit of its level borders it: it falls to %s, which encloses it (属地兜底)', who);
    zh := format('无同级单元与其相邻，由所在的%s兜底（属地兜底）', first ->> 'name');
  elsif kind = 'gap' and level = 'management' then
    en := format('%s %s: it borders the zone for %s m of its %s m%s',
      who, case when (first ->> 'same_parent')::boolean then 'is the street office of the place (属地)' else 'is the body with the longest shared border' end,
      border, per, case when tie then ', as long as another''s: the larger area decides' else '' end);
    zh := format('%s%s：共边 %s 米（周长 %s 米）%s', first ->> 'name',
      case when (first ->> 'same_parent')::boolean then '为所在地街道办事处（属地）' else '与其共边最长' end, border, per,
      case when tie then '；共边相同，取面积较大者' else '' end);
  elsif kind = 'gap' then
    en := format('%s %s: %s m of the zone''s %s m border%s',
      who,
      case when (first ->> 'same_parent')::boolean
           then case when peers = 1 then 'is the only unit under the same parent that borders it'
                     else format('has the longest border of the %s units under the same parent that border it', peers) end
           else 'has the longest border (no unit under the same parent borders it)' end,
      border, per, case when tie then ', as long as another''s: the larger area decides' else '' end);
    zh := format('%s%s：共边 %s 米（周长 %s 米）%s', first ->> 'name',
      case when (first ->> 'same_parent')::boolean
           then case when peers = 1 then '是同一上级下唯一相邻的单元' else format('在同一上级下 %s 个相邻单元中共边最长', peers) end
           else '共边最长（同一上级下无相邻单元）' end,
      border, per, case when tie then '；共边相同，取面积较大者' else '' end);
  else
    en := format('claimed by %s; suggested primary %s: %s%s m of the zone''s %s m border lies inside its own land%s',
      (select string_agg(format('%s (%s)', c ->> 'name', c ->> 'code'), ', ') from jsonb_array_elements(candidates) c where c ->> 'relation' = 'claims'),
      who,
      case when (first ->> 'same_parent')::boolean and not coalesce((second ->> 'same_parent')::boolean, true)
           then case when level = 'management' then 'it is the street office of the place (属地), and ' else 'its parent holds the zone, and ' end
           else '' end,
      border, per, case when tie then ', as much as another''s: the larger area decides' else '' end);
    zh := format('%s 均主张；建议以%s为主：%s其自有土地包围该区 %s 米边界（周长 %s 米）%s',
      (select string_agg(c ->> 'name', '、') from jsonb_array_elements(candidates) c where c ->> 'relation' = 'claims'),
      first ->> 'name',
      case when (first ->> 'same_parent')::boolean and not coalesce((second ->> 'same_parent')::boolean, true)
           then case when level = 'management' then '为所在地街道办事处（属地），且' else '其上级包含该区，且' end
           else '' end,
      border, per, case when tie then '；相同则取面积较大者' else '' end);
  end if;
  return jsonb_build_object('en', en, 'zh', zh);
end
$$;

-- A stable name for a piece of land: kind and level, what encloses it, and its envelope to
-- about a metre, so that the same land detected again gets the same id.
create function atlas.zone_id(kind text, level text, parent_code text, g extensions.geometry) returns text
language sql immutable parallel safe
set search_path = extensions, pg_temp
as $$
  select left(kind, 1) || '-' || left(md5(concat_ws('|', kind, level, parent_code,
    round(st_xmin(g)::numeric, 5), round(st_ymin(g)::numeric, 5), round(st_xmax(g)::numeric, 5), round(st_ymax(g)::numeric, 5))), 10)
$$;

create function atlas.current_user_label() returns text
language sql stable
set search_path = ''
as $$
  select coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email',
                  nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub', current_user)
$$;

-- The zones as they stand: detected now, each with its width, status and, where the land is
-- mostly the land of a standing decision, that decision and the decision's zone id.
create function atlas.current_zones(min_width_m numeric default null, min_area_m2 numeric default null, untiled_keys text[] default null)
returns setof atlas.zone
language sql stable security definer
set search_path = atlas, extensions, pg_temp
as $$
  with
  setting as (
    select coalesce(current_zones.min_width_m, s.min_width_m) as w, coalesce(current_zones.min_area_m2, s.min_area_m2) as a
    from atlas.zone_setting s
    union all select coalesce(current_zones.min_width_m, 1), coalesce(current_zones.min_area_m2, 50) where not exists (select 1 from atlas.zone_setting)
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

-- Children that reach out of their parent by more than the importer's tolerance, with the piece
-- that sticks out: the triggers refuse such a child when it is written, but a parent edited
-- later can still leave its children outside.
create function atlas.nesting_violations(untiled_keys text[] default null)
returns table (layer text, code text, name text, parent_layer text, parent_code text, geom extensions.geometry, outside_m2 double precision)
language sql stable security definer
set search_path = atlas, extensions, pg_temp
as $$
  -- a parent its children tile exactly has none outside it
  with caller as materialized (select atlas.require_app_role() as role),
  untiled as materialized (
    select split_part(k, ':', 1) as level, split_part(k, ':', 2) as parent_code
    from unnest(coalesce(untiled_keys, array(select u.level || ':' || u.parent_code from atlas.untiled_parents() u))) k
  ),
  outside as (
    select 'community'::text as layer, c.code, c.name, 'street'::text as parent_layer, p.code as parent_code, c.geom as child, p.geom as parent
    from atlas.community c join atlas.street p on p.code = c.street_code
    where p.code in (select parent_code from untiled where level = 'community') and not st_coveredby(c.geom, p.geom)
    union all
    select 'grid', g.code, g.name, 'community', p.code, g.geom, p.geom
    from atlas.grid g join atlas.community p on p.code = g.community_code
    where p.code in (select parent_code from untiled where level = 'grid') and not st_coveredby(g.geom, p.geom)
    union all
    select 'micro_grid', m.code, m.name, 'grid', p.code, m.geom, p.geom
    from atlas.micro_grid m join atlas.grid p on p.code = m.grid_code
    where p.code in (select parent_code from untiled where level = 'micro_grid') and not st_coveredby(m.geom, p.geom)
  )
  select o.layer, o.code, o.name, o.parent_layer, o.parent_code, st_multi(piece.g), st_area(piece.g::geography)
  from outside o
  cross join caller
  cross join lateral (select st_collectionextract(st_difference(o.child, o.parent, atlas.zone_grid()), 3) as g) piece
  where not st_coveredby(o.child, st_buffer(o.parent::geography, atlas.nesting_tolerance_m())::geometry)
$$;

-- The levels detection could not check, and why: a city with no outline, no grid whose
-- micro-grids tile it, no managing bodies.
create function atlas.zone_levels_skipped() returns jsonb
language sql stable
set search_path = atlas, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('level', level, 'why', why) order by n), '[]'::jsonb) from (
    select 1 as n, 'street' as level, 'no city outline (a basemap feature of kind city): the street offices are not checked against it' as why
    where not exists (select 1 from atlas.basemap_feature where kind = 'city')
    union all select 2, 'community', 'no communities' where not exists (select 1 from atlas.community)
    union all select 3, 'grid', 'no grids' where not exists (select 1 from atlas.grid)
    union all select 4, 'micro_grid', 'no grid is marked micro_grids_tile: micro-grids are checked for overlaps only'
    where not exists (select 1 from atlas.grid where micro_grids_tile)
    union all select 5, 'management', 'no management areas' where not exists (select 1 from atlas.management_area)
  ) s
$$;

-- One zone as the API gives it.
create function atlas.zone_json(z atlas.zone, with_geometry boolean) returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  label extensions.geometry := st_pointonsurface(z.geom);
  decision jsonb;
begin
  select jsonb_build_object('id', d.id, 'owner_layer', d.owner_layer, 'owner_code', d.owner_code, 'remark', d.remark,
           'decided_by', d.decided_by, 'decided_at', d.decided_at)
    into decision from atlas.zone_decision d where d.id = z.decision_id;
  return jsonb_build_object(
    'id', z.id, 'kind', z.kind, 'level', z.level,
    'parent', case when z.parent_code is null then null else jsonb_build_object('layer', z.parent_layer, 'code', z.parent_code) end,
    'area_m2', round(z.area_m2::numeric, 1), 'width_m', round(z.width_m::numeric, 2), 'status', z.status,
    'units', (select coalesce(jsonb_agg(c ->> 'code'), '[]'::jsonb) from jsonb_array_elements(z.candidates) c),
    'claimants', to_jsonb(z.claimants),
    'suggested_owner', z.suggested_owner, 'reason', z.reason ->> 'en', 'reason_zh', z.reason ->> 'zh',
    'candidates', z.candidates, 'decision', decision,
    'label', jsonb_build_array(round(st_x(label)::numeric, 6), round(st_y(label)::numeric, 6)),
    'bbox', jsonb_build_array(round(st_xmin(z.geom)::numeric, 6), round(st_ymin(z.geom)::numeric, 6),
                              round(st_xmax(z.geom)::numeric, 6), round(st_ymax(z.geom)::numeric, 6)))
    || case when with_geometry then jsonb_build_object('geometry', st_asgeojson(z.geom, 7)::jsonb) else '{}'::jsonb end;
end
$$;

-- A decision applied: a gap merged into its owner; an overlap cut from every other claimant.
-- Refused, with the reason, where that would break nesting or leave a unit with no land.
create function atlas.apply_zone_decision(decision_id bigint, zone_geom extensions.geometry, zone_parent text, candidates jsonb)
returns jsonb
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  d atlas.zone_decision := (select z from atlas.zone_decision z where z.id = decision_id);
  tbl text := case d.level when 'management' then 'management_area' else d.level end;
  owner_parent text;
  other jsonb;
  remaining extensions.geometry;
  stuck text;
  changed text[] := '{}';
begin
  if d.kind = 'gap' then
    if d.owner_layer <> tbl then
      raise exception using errcode = '22023',
        message = format('%s encloses the zone already: to close the gap its land must go to a %s that borders it', d.owner_code, replace(tbl, '_', '-')),
        hint = format('Choose one of: %s; or settle without applying.', (select string_agg(c ->> 'code', ', ') from jsonb_array_elements(candidates) c where c ->> 'relation' = 'borders'));
    end if;
    if d.level in ('community', 'grid', 'micro_grid') then
      select u.parent_code into owner_parent from atlas.zone_unit(d.level, d.owner_code) u;
      if owner_parent is distinct from zone_parent then
        raise exception using errcode = '23514',
          message = format('%s lies under %s, the zone under %s: merging the zone into it would break nesting', d.owner_code, owner_parent, zone_parent),
          hint = 'Give the zone to a unit under the same parent, or settle without applying.';
      end if;
    end if;
    execute format('update atlas.%I set geom = st_multi(st_collectionextract(st_makevalid(st_union(geom, $1, atlas.zone_grid())), 3)) where code = $2', tbl)
      using zone_geom, d.owner_code;
    changed := array[d.owner_code];
  else
    if not exists (select 1 from jsonb_array_elements(candidates) c where c ->> 'code' = d.owner_code and c ->> 'relation' = 'claims') then
      raise exception using errcode = '22023',
        message = format('%s does not claim the overlap: applying keeps the land with one of its claimants', d.owner_code),
        hint = 'Choose a claimant as primary, or settle without applying.';
    end if;
    for other in select c from jsonb_array_elements(candidates) c where c ->> 'relation' = 'claims' and c ->> 'code' <> d.owner_code loop
      execute format('select st_multi(st_collectionextract(st_makevalid(st_difference(geom, $1, atlas.zone_grid())), 3)) from atlas.%I where code = $2', tbl)
        into remaining using zone_geom, other ->> 'code';
      if remaining is null or st_isempty(remaining) then
        raise exception using errcode = '23514',
          message = format('%s lies wholly in the zone: removing the zone from it would leave it no land', other ->> 'code');
      end if;
      stuck := case d.level
        when 'street' then (select string_agg(c.code, ', ') from atlas.community c where c.street_code = other ->> 'code'
                            and c.geom && zone_geom and st_area(st_intersection(c.geom, zone_geom, atlas.zone_grid())::geography) > 1)
        when 'community' then (select string_agg(g.code, ', ') from atlas.grid g where g.community_code = other ->> 'code'
                            and g.geom && zone_geom and st_area(st_intersection(g.geom, zone_geom, atlas.zone_grid())::geography) > 1)
        when 'grid' then (select string_agg(m.code, ', ') from atlas.micro_grid m where m.grid_code = other ->> 'code'
                            and m.geom && zone_geom and st_area(st_intersection(m.geom, zone_geom, atlas.zone_grid())::geography) > 1)
      end;
      if stuck is not null then
        raise exception using errcode = '23514',
          message = format('removing the zone from %s would leave its %s outside it: %s', other ->> 'code',
            case d.level when 'street' then 'communities' when 'community' then 'grids' else 'micro-grids' end, stuck),
          hint = 'Move those units off the zone first, or settle without applying.';
      end if;
      execute format('update atlas.%I set geom = $1 where code = $2', tbl) using remaining, other ->> 'code';
      changed := changed || (other ->> 'code');
    end loop;
  end if;
  update atlas.zone_decision z set applied_at = now(), applied_by = atlas.current_user_label() where z.id = decision_id;
  return jsonb_build_object('applied', true, 'changed', to_jsonb(changed));
end
$$;

-- ── policies ─────────────────────────────────────────────────────────────────────────────
-- Planners decide and set the thresholds; every role reads.
select atlas.create_role_policies(t, 'planner') from unnest(array['atlas.zone_setting', 'atlas.zone_decision']::regclass[]) t;

-- ── functions ────────────────────────────────────────────────────────────────────────────
create function public.zones(min_width_m numeric default null, min_area_m2 numeric default null, with_geometry boolean default true)
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
    'settings', jsonb_build_object('min_width_m', coalesce(min_width_m, setting.min_width_m, 1), 'min_area_m2', coalesce(min_area_m2, setting.min_area_m2, 50),
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
comment on function public.zones is '三不管 zones (gaps and overlaps) with their status, units and suggested owner, and nesting violations';

-- Open zones per street office and per community, counted and summed, for leaders.
create function public.zone_summary()
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
    select street_code, community_code,
           count(*) filter (where status = 'open') as open_count,
           -- the land, counted once: one piece can be a gap at two levels
           coalesce(st_area((st_union(geom, atlas.zone_grid()) filter (where status = 'open'))::geography), 0) as open_m2,
           count(*) filter (where status = 'settled') as settled_count,
           count(*) filter (where status = 'noise') as noise_count
    from placed group by grouping sets ((street_code), (community_code), ())
  )
  select jsonb_build_object(
    'city', (select jsonb_build_object('open', open_count, 'open_m2', round(open_m2::numeric, 1), 'settled', settled_count, 'noise', noise_count)
             from figures where street_code is null and community_code is null limit 1),
    'streets', (select coalesce(jsonb_agg(jsonb_build_object('code', s.code, 'name', s.name,
                  'open', coalesce(f.open_count, 0), 'open_m2', round(coalesce(f.open_m2, 0)::numeric, 1),
                  'settled', coalesce(f.settled_count, 0), 'noise', coalesce(f.noise_count, 0)) order by s.code), '[]'::jsonb)
                from atlas.street s left join figures f on f.street_code = s.code),
    'communities', (select coalesce(jsonb_agg(jsonb_build_object('code', c.code, 'name', c.name, 'street_code', c.street_code,
                  'open', coalesce(f.open_count, 0), 'open_m2', round(coalesce(f.open_m2, 0)::numeric, 1)) order by c.code), '[]'::jsonb)
                from atlas.community c left join figures f on f.community_code = c.code))
  into result;
  return result;
end
$$;
comment on function public.zone_summary is 'Open 三不管 zones, their number and the area of their land (counted once), per street office and per community (zones outside every street count for the city only)';

create function public.settle_zone(zone_id text, owner text, remark text default null, apply boolean default false)
returns jsonb
language plpgsql
set search_path = atlas, extensions, pg_temp
set jit = off
as $$
declare
  role atlas.app_role := atlas.require_app_role();
  z record;
  chosen jsonb;
  decision_id bigint;
  applied jsonb := jsonb_build_object('applied', false);
begin
  if role <> 'planner' then
    raise exception using errcode = '42501', message = format('only a planner settles a 三不管 zone; you are signed in as %s', role);
  end if;
  if zone_id is null or zone_id !~ '^[go]-[0-9a-f]{10}$' then
    raise exception using errcode = '22023', message = format('%s is not a zone id: ids look like g-0123456789 (a gap) or o-0123456789 (an overlap)', coalesce(zone_id, 'null'));
  end if;
  if owner is null or btrim(owner) = '' then
    raise exception using errcode = '22023', message = 'name the owner: the code of a unit that borders, claims or encloses the zone';
  end if;
  if length(remark) > 2000 then
    raise exception using errcode = '22023', message = format('the remark has %s characters; at most 2,000', length(remark));
  end if;
  select * into z from atlas.current_zones() c where c.id = settle_zone.zone_id;
  if not found then
    raise exception using errcode = 'P0002', message = format('there is no zone %s now', zone_id),
      hint = 'It may have been applied, or the boundaries changed: list the zones again (atlas gaps).';
  end if;
  select c into chosen from jsonb_array_elements(z.candidates) c where c ->> 'code' = owner limit 1;
  if chosen is null then
    if not exists (select 1 from atlas.street where code = owner union all select 1 from atlas.community where code = owner
                   union all select 1 from atlas.grid where code = owner union all select 1 from atlas.micro_grid where code = owner
                   union all select 1 from atlas.management_area where code = owner union all select 1 from atlas.basemap_feature where kind = 'city' and code = owner) then
      raise exception using errcode = '22023', message = format('there is no unit %s', owner);
    end if;
    raise exception using errcode = '22023', message = format('%s neither borders, claims nor encloses zone %s', owner, zone_id),
      hint = format('It may go to: %s.', (select string_agg(c ->> 'code', ', ') from jsonb_array_elements(z.candidates) c));
  end if;
  update atlas.zone_decision set superseded_at = now() where id = z.decision_id;
  insert into atlas.zone_decision (zone_id, kind, level, geom, area_m2, owner_layer, owner_code, suggested_owner, remark, decided_by)
  values (z.id, z.kind, z.level, st_multi(z.geom), z.area_m2, chosen ->> 'layer', owner, z.suggested_owner, nullif(btrim(remark), ''),
          atlas.current_user_label())
  returning id into decision_id;
  if apply then
    applied := atlas.apply_zone_decision(decision_id, z.geom, z.parent_code, z.candidates);
  end if;
  return jsonb_build_object('zone', z.id, 'decision', decision_id, 'owner', owner, 'owner_layer', chosen ->> 'layer',
                            'suggested_owner', z.suggested_owner) || applied;
end
$$;
comment on function public.settle_zone is 'A planner settles a 三不管 zone: its owner and a remark, kept with who and when; apply merges or cuts the land';

-- Applies the standing decision on a settled zone.
create function public.apply_zone(zone_id text)
returns jsonb
language plpgsql
set search_path = atlas, extensions, pg_temp
set jit = off
as $$
declare
  role atlas.app_role := atlas.require_app_role();
  z record;
begin
  if role <> 'planner' then
    raise exception using errcode = '42501', message = format('only a planner applies a decision on a 三不管 zone; you are signed in as %s', role);
  end if;
  select * into z from atlas.current_zones() c where c.id = zone_id;
  if not found then
    raise exception using errcode = 'P0002', message = format('there is no zone %s now', coalesce(zone_id, 'null')),
      hint = 'It may have been applied, or the boundaries changed: list the zones again (atlas gaps).';
  end if;
  if z.decision_id is null then
    raise exception using errcode = '22023', message = format('zone %s is not settled: settle it first, naming its owner', zone_id);
  end if;
  return jsonb_build_object('zone', z.id, 'decision', z.decision_id)
    || atlas.apply_zone_decision(z.decision_id, z.geom, z.parent_code, z.candidates);
end
$$;

create function public.zone_decisions()
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  return (select coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'zone_id', d.zone_id, 'kind', d.kind, 'level', d.level,
           'area_m2', round(d.area_m2::numeric, 1), 'owner_layer', d.owner_layer, 'owner_code', d.owner_code,
           'suggested_owner', d.suggested_owner, 'remark', d.remark, 'decided_by', d.decided_by, 'decided_at', d.decided_at,
           'applied_at', d.applied_at, 'applied_by', d.applied_by, 'superseded_at', d.superseded_at) order by d.decided_at desc, d.id desc), '[]'::jsonb)
          from atlas.zone_decision d);
end
$$;
comment on function public.zone_decisions is 'Every decision on a 三不管 zone, newest first: the history';

create function public.set_zone_settings(min_width_m numeric, min_area_m2 numeric)
returns jsonb
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  role atlas.app_role := atlas.require_app_role();
begin
  if role <> 'planner' then
    raise exception using errcode = '42501', message = format('only a planner sets the noise thresholds; you are signed in as %s', role);
  end if;
  if min_width_m is null or min_width_m < 0 or min_width_m > 1000 then
    raise exception using errcode = '22023', message = format('minimum width %s m is not between 0 and 1000 m', coalesce(min_width_m::text, 'null'));
  end if;
  if min_area_m2 is null or min_area_m2 < 0 or min_area_m2 > 10000000 then
    raise exception using errcode = '22023', message = format('minimum area %s m² is not between 0 and 10,000,000 m²', coalesce(min_area_m2::text, 'null'));
  end if;
  update atlas.zone_setting s set min_width_m = set_zone_settings.min_width_m, min_area_m2 = set_zone_settings.min_area_m2,
    updated_by = atlas.current_user_label(), updated_at = now();
  return jsonb_build_object('min_width_m', min_width_m, 'min_area_m2', min_area_m2);
end
$$;

-- What the caller may write, now with decisions on 三不管 zones.
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
    union all select 'zone_decision', 'zone_decision'
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
comment on function public.my_access is 'The caller''s role and, per layer, for proposed facilities and for decisions on zones, whether row level security lets it write';

-- ── grants ───────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on atlas.zone_setting, atlas.zone_decision to authenticated;
grant all on atlas.zone_setting, atlas.zone_decision to service_role;
grant usage on all sequences in schema atlas to authenticated, service_role;
grant execute on function atlas.zone_grid(), atlas.zone_residue_m(), atlas.local_metres(extensions.geometry, double precision, double precision),
  atlas.zone_width_m(extensions.geometry), atlas.zone_parts(extensions.geometry), atlas.zone_unit(text, text),
  atlas.shared_border_m(extensions.geometry, extensions.geometry), atlas.untiled_parents(), atlas.level_overlaps(text, text[]), atlas.detect_zones(text[]),
  atlas.zone_candidates(text, text, text, extensions.geometry, text[]), atlas.zone_reason(text, text, jsonb, double precision),
  atlas.zone_id(text, text, text, extensions.geometry), atlas.current_user_label(), atlas.current_zones(numeric, numeric, text[]),
  atlas.nesting_violations(text[]), atlas.zone_levels_skipped(), atlas.zone_json(atlas.zone, boolean),
  atlas.apply_zone_decision(bigint, extensions.geometry, text, jsonb) to authenticated, service_role;
revoke all on function public.zones(numeric, numeric, boolean) from public;
grant execute on function public.zones(numeric, numeric, boolean) to anon, authenticated, service_role;
revoke all on function public.zone_summary() from public;
grant execute on function public.zone_summary() to anon, authenticated, service_role;
revoke all on function public.settle_zone(text, text, text, boolean) from public;
grant execute on function public.settle_zone(text, text, text, boolean) to anon, authenticated, service_role;
revoke all on function public.apply_zone(text) from public;
grant execute on function public.apply_zone(text) to anon, authenticated, service_role;
revoke all on function public.zone_decisions() from public;
grant execute on function public.zone_decisions() to anon, authenticated, service_role;
revoke all on function public.set_zone_settings(numeric, numeric) from public;
grant execute on function public.set_zone_settings(numeric, numeric) to anon, authenticated, service_role;
