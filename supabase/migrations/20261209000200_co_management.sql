-- Co-managed areas: a management area (a development zone, a scenic area, an industrial park) that
-- a city manages together with the units it lies in, by a declared arrangement — 托管 (entrusted
-- to the street office of the place), 联合管理 (joint) or 独管 (the area's own body alone) — is not
-- nobody's land. A planner declares it, with who, when and why, as a decision on a zone is made;
-- the land the two share is then listed as declared, with its arrangement, not as a 三不管
-- overlap, and counted apart in the leader's figures. An undeclared overlap stays a zone. A
-- declaration is withdrawn, never deleted: the history.
-- Sections: tables · RLS · registry · functions · zones · grants

set search_path = atlas, extensions, public;

-- ── tables ───────────────────────────────────────────────────────────────────────────────
create table atlas.co_management (
  id bigint generated always as identity primary key,
  area_code text not null references atlas.management_area (code) on update cascade on delete cascade,
  partner_code text not null references atlas.management_area (code) on update cascade on delete cascade,
  arrangement text not null check (arrangement in ('entrusted', 'joint', 'exclusive')),
  reason text check (length(reason) <= 2000),
  declared_by text not null,
  declared_at timestamptz not null default now(),
  withdrawn_by text,
  withdrawn_at timestamptz,
  withdraw_reason text check (length(withdraw_reason) <= 2000),
  check (area_code <> partner_code),
  check ((withdrawn_at is null) = (withdrawn_by is null))
);
comment on table atlas.co_management is
  'A declared arrangement between a management area and a unit it lies in (托管, joint, exclusive): their shared land is no 三不管 overlap. Withdrawn, never deleted: the history.';
-- one standing declaration for a pair, whichever way round it was named
create unique index co_management_standing_idx on atlas.co_management (least(area_code, partner_code), greatest(area_code, partner_code))
  where withdrawn_at is null;

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
-- Read by every role of the app; planners declare and withdraw, as they settle zones.
alter table atlas.co_management enable row level security;
select atlas.create_role_policies('atlas.co_management', 'planner');

-- ── registry ─────────────────────────────────────────────────────────────────────────────
insert into atlas.api_target (table_name, domain, layer, map_order, feeds, writers) values
  ('co_management', 'zones', 'co_management', null, '{zones,indicators}', '{planner}');
select atlas.install_data_version_triggers();

-- ── functions ────────────────────────────────────────────────────────────────────────────
-- Whether a standing declaration covers the pair, either way round.
create function atlas.co_managed_pair(a text, b text) returns boolean
language sql stable
set search_path = ''
as $$
  select exists (select 1 from atlas.co_management d
                 where d.withdrawn_at is null and least(d.area_code, d.partner_code) = least(a, b)
                   and greatest(d.area_code, d.partner_code) = greatest(a, b))
$$;

create function atlas.co_management_json(d atlas.co_management, with_geometry boolean) returns jsonb
language sql stable
set search_path = atlas, extensions, pg_temp
as $$
  select jsonb_build_object(
    'id', d.id, 'area_code', d.area_code, 'area_name', a.name, 'area_kind', a.kind,
    'partner_code', d.partner_code, 'partner_name', p.name, 'partner_kind', p.kind,
    'arrangement', d.arrangement, 'reason', d.reason, 'declared_by', d.declared_by, 'declared_at', d.declared_at,
    'withdrawn_by', d.withdrawn_by, 'withdrawn_at', d.withdrawn_at, 'withdraw_reason', d.withdraw_reason,
    'shared_m2', round(st_area(s.g::geography)::numeric, 1),
    'share_of_area', case when st_area(a.geom) > 0 then round((st_area(s.g) / st_area(a.geom))::numeric, 4) end)
    || case when with_geometry then jsonb_build_object('geometry', st_asgeojson(s.g, 6)::jsonb) else '{}'::jsonb end
  from atlas.management_area a, atlas.management_area p,
       lateral (select st_intersection(a.geom, p.geom, atlas.zone_grid()) as g) s
  where a.code = d.area_code and p.code = d.partner_code
$$;

-- The declarations, standing first, then the withdrawn; each with the land the two share.
create function public.co_managed(with_geometry boolean default true)
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  return (select coalesce(jsonb_agg(atlas.co_management_json(d, with_geometry)
            order by d.withdrawn_at is not null, coalesce(d.withdrawn_at, d.declared_at) desc, d.id desc), '[]'::jsonb)
          from atlas.co_management d);
end
$$;
comment on function public.co_managed is 'The declared co-managed areas (托管, joint, exclusive) with the land each pair shares, standing first, then the withdrawn: the history';

-- A planner declares that a management area is managed with a unit it lies in. Checked in words
-- before the write: both areas exist and differ, the arrangement is known, the two share land
-- (more than the zones' noise area), and no declaration of the pair stands.
create function public.declare_co_management(area text, partner text, arrangement text, reason text default null)
returns jsonb
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  role atlas.app_role := atlas.require_app_role();
  a atlas.management_area;
  p atlas.management_area;
  shared_m2 double precision;
  noise_m2 double precision := (select s.min_area_m2 from atlas.zone_setting s);
  made atlas.co_management;
begin
  if role <> 'planner' then
    raise exception using errcode = '42501', message = format('only a planner declares a co-managed area; you are signed in as %s', role);
  end if;
  select * into a from atlas.management_area m where m.code = declare_co_management.area;
  if a is null then
    raise exception using errcode = '22023', message = format('no management area %L', declare_co_management.area);
  end if;
  select * into p from atlas.management_area m where m.code = declare_co_management.partner;
  if p is null then
    raise exception using errcode = '22023', message = format('no management area %L to manage %s (%s) with', declare_co_management.partner, a.name, a.code);
  end if;
  if a.code = p.code then
    raise exception using errcode = '22023', message = format('%s (%s) is named twice: a co-management is between two bodies', a.name, a.code);
  end if;
  if declare_co_management.arrangement is null or declare_co_management.arrangement not in ('entrusted', 'joint', 'exclusive') then
    raise exception using errcode = '22023',
      message = format('unknown arrangement %L: entrusted (托管, by the unit it lies in), joint (联合管理) or exclusive (独管, the area''s own body alone)', declare_co_management.arrangement);
  end if;
  if length(declare_co_management.reason) > 2000 then
    raise exception using errcode = '22023', message = format('the reason has %s characters; at most 2000', length(declare_co_management.reason));
  end if;
  shared_m2 := case when a.geom && p.geom then st_area(st_intersection(a.geom, p.geom, atlas.zone_grid())::geography) else 0 end;
  if shared_m2 <= greatest(coalesce(noise_m2, 0), 1) then
    raise exception using errcode = '22023',
      message = format('%s (%s) does not lie in %s (%s): they share %s m² of land, not more than the zones'' noise (%s m²); a co-management is declared with a unit the area lies in',
        a.name, a.code, p.name, p.code, round(shared_m2::numeric, 1), coalesce(noise_m2, 0));
  end if;
  if atlas.co_managed_pair(a.code, p.code) then
    raise exception using errcode = '23505',
      message = format('%s (%s) and %s (%s) are already declared co-managed; withdraw that declaration first to change it', a.name, a.code, p.name, p.code);
  end if;
  insert into atlas.co_management (area_code, partner_code, arrangement, reason, declared_by)
  values (a.code, p.code, declare_co_management.arrangement, nullif(btrim(declare_co_management.reason), ''), atlas.current_user_label())
  returning * into made;
  return atlas.co_management_json(made, false);
end
$$;
comment on function public.declare_co_management is 'A planner declares a management area co-managed with a unit it lies in (entrusted/托管, joint, exclusive), with why; their shared land is then no 三不管 overlap';

create function public.withdraw_co_management(id bigint, reason text default null)
returns jsonb
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  role atlas.app_role := atlas.require_app_role();
  was atlas.co_management;
  changed atlas.co_management;
begin
  if role <> 'planner' then
    raise exception using errcode = '42501', message = format('only a planner withdraws a co-managed area; you are signed in as %s', role);
  end if;
  select * into was from atlas.co_management d where d.id = withdraw_co_management.id;
  if was is null then
    raise exception using errcode = '22023', message = format('no declaration %s', withdraw_co_management.id);
  end if;
  if was.withdrawn_at is not null then
    raise exception using errcode = '22023', message = format('declaration %s was withdrawn already, by %s at %s', was.id, was.withdrawn_by, was.withdrawn_at);
  end if;
  if length(withdraw_co_management.reason) > 2000 then
    raise exception using errcode = '22023', message = format('the reason has %s characters; at most 2000', length(withdraw_co_management.reason));
  end if;
  update atlas.co_management d set withdrawn_by = atlas.current_user_label(), withdrawn_at = now(),
    withdraw_reason = nullif(btrim(withdraw_co_management.reason), '')
  where d.id = was.id
  returning * into changed;
  if changed is null then
    raise exception using errcode = '42501', message = format('declaration %s was not withdrawn: row level security refused the write', was.id);
  end if;
  return atlas.co_management_json(changed, false);
end
$$;
comment on function public.withdraw_co_management is 'A planner withdraws a declared co-management, with why; the overlap, if any, is a 三不管 zone again';

-- ── zones ────────────────────────────────────────────────────────────────────────────────
-- Detection as before, but two management areas whose arrangement is declared are no pair.
create or replace function atlas.detect_zones(untiled_keys text[] default null)
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
      -- a declared arrangement is no overlap (atlas.co_management)
      and not atlas.co_managed_pair(a.code, b.code)
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

-- The zones' figures as before, with the declared co-managed land counted apart: how many
-- declarations, and their shared land (counted once), per street office, community and city.
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
  -- the land of each standing declaration, placed as a zone is
  declared as (
    select d.id, s.g, st_pointonsurface(s.g) as p
    from atlas.co_management d
    join atlas.management_area a on a.code = d.area_code
    join atlas.management_area b on b.code = d.partner_code
    cross join lateral (select st_intersection(a.geom, b.geom, atlas.zone_grid()) as g) s
    where d.withdrawn_at is null and not st_isempty(s.g)
  ),
  declared_figures as (
    select grouping(street_code) as g_street, grouping(community_code) as g_community, street_code, community_code,
           count(*) as declared_count, coalesce(st_area(st_union(g, atlas.zone_grid())::geography), 0) as declared_m2
    from (select d.g,
                 (select s.code from atlas.street s where s.geom && d.p and st_intersects(s.geom, d.p) limit 1) as street_code,
                 (select c.code from atlas.community c where c.geom && d.p and st_intersects(c.geom, d.p) limit 1) as community_code
          from declared d) x
    group by grouping sets ((street_code), (community_code), ())
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
    'city', (select jsonb_build_object('open', coalesce(f.open_count, 0), 'open_m2', round(coalesce(f.open_m2, 0)::numeric, 1),
                  'settled', coalesce(f.settled_count, 0), 'noise', coalesce(f.noise_count, 0),
                  'declared', coalesce(d.declared_count, 0), 'declared_m2', round(coalesce(d.declared_m2, 0)::numeric, 1))
             from (select 1) one
             left join figures f on f.g_street = 1 and f.g_community = 1
             left join declared_figures d on d.g_street = 1 and d.g_community = 1),
    'streets', (select coalesce(jsonb_agg(jsonb_build_object('code', s.code, 'name', s.name,
                  'open', coalesce(f.open_count, 0), 'open_m2', round(coalesce(f.open_m2, 0)::numeric, 1),
                  'settled', coalesce(f.settled_count, 0), 'noise', coalesce(f.noise_count, 0),
                  'declared', coalesce(d.declared_count, 0), 'declared_m2', round(coalesce(d.declared_m2, 0)::numeric, 1)) order by s.code), '[]'::jsonb)
                from atlas.street s left join figures f on f.g_street = 0 and f.street_code = s.code
                left join declared_figures d on d.g_street = 0 and d.street_code = s.code),
    'communities', (select coalesce(jsonb_agg(jsonb_build_object('code', c.code, 'name', c.name, 'street_code', c.street_code,
                  'open', coalesce(f.open_count, 0), 'open_m2', round(coalesce(f.open_m2, 0)::numeric, 1),
                  'declared', coalesce(d.declared_count, 0), 'declared_m2', round(coalesce(d.declared_m2, 0)::numeric, 1)) order by c.code), '[]'::jsonb)
                from atlas.community c left join figures f on f.g_community = 0 and f.community_code = c.code
                left join declared_figures d on d.g_community = 0 and d.community_code = c.code))
  into result;
  return result;
end
$$;
comment on function public.zone_summary is 'Open 三不管 zones, their number and the area of their land (counted once), per street office and per community, and the declared co-managed land apart';

-- ── grants ───────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on atlas.co_management to authenticated;
grant all on atlas.co_management to service_role;
revoke all on function atlas.co_managed_pair(text, text), atlas.co_management_json(atlas.co_management, boolean) from public;
grant execute on function atlas.co_managed_pair(text, text), atlas.co_management_json(atlas.co_management, boolean) to authenticated, service_role;
revoke all on function public.co_managed(boolean), public.declare_co_management(text, text, text, text), public.withdraw_co_management(bigint, text) from public;
grant execute on function public.co_managed(boolean), public.declare_co_management(text, text, text, text), public.withdraw_co_management(bigint, text)
  to anon, authenticated, service_role;
