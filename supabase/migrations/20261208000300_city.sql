-- The city is data: its name, its administrative code, the attribution of its data, an example for
-- the search box and the view the map opens on, in one row a leader edits (the page's form,
-- `atlas city set`), so that nothing of the product names one city. A new database's row is empty:
-- the page then says only what it knows (the product's name, the units' own extent); the sample
-- city's load writes Longquan's, and the import of a city's first units gives the search box its
-- example while it has none (the map's extent is the units' own, read as the page opens).
-- Sections: tables · RLS · registry · functions · grants

set search_path = atlas, extensions, public;

-- ── tables ───────────────────────────────────────────────────────────────────────────────
create table atlas.city (
  -- one row, never missing (see atlas.restore_city)
  id boolean primary key default true check (id),
  name text not null default '' check (length(name) <= 60),
  -- the administrative division code (GB/T 2260) of the city or county: six digits
  adcode text check (adcode ~ '^[1-9][0-9]{5}$'),
  -- who the data are from, as the map's corner and the reports say it
  attribution text not null default '' check (length(attribution) <= 300),
  -- what the search box suggests: a unit's name and code, as a user of this city would type them
  search_example text not null default '' check (length(search_example) <= 80),
  -- the view the map opens on; null: fitted to the units
  view_lon double precision check (view_lon between -180 and 180),
  view_lat double precision check (view_lat between -90 and 90),
  view_zoom double precision check (view_zoom between 0 and 22),
  updated_by text,
  updated_at timestamptz,
  check ((view_lon is null) = (view_lat is null) and (view_lon is null) = (view_zoom is null))
);
comment on table atlas.city is 'The city the atlas is of: its name, code, attribution, search example and opening view; one row';
insert into atlas.city default values;

-- A table of one row keyed by id = true (the city, the zones' thresholds) is never left without it:
-- a delete or a truncate puts back the row of the columns' defaults. One function for both, which
-- takes over the zones' own.
create function atlas.restore_one_row() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  execute format('insert into %I.%I default values on conflict (id) do nothing', tg_table_schema, tg_table_name);
  return null;
end
$$;
create trigger city_restored after delete or truncate on atlas.city for each statement execute function atlas.restore_one_row();
create or replace trigger zone_setting_restored after delete or truncate on atlas.zone_setting
  for each statement execute function atlas.restore_one_row();
drop function atlas.restore_zone_setting();

-- The first units written (by an import, or by the sample's load) give the search box its example
-- while the city has none: the first community by code, else the first street office, as
-- "名称、代码". Definer: the planner who imports may not write the city's profile itself.
create function atlas.fill_city_example() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  update atlas.city c set search_example = u.example
  from (select coalesce(
          (select m.name || '、' || m.code from atlas.community m order by m.code limit 1),
          (select s.name || '、' || s.code from atlas.street s order by s.code limit 1)) as example) u
  where c.search_example = '' and u.example is not null;
  return null;
end
$$;
create trigger street_city_example after insert on atlas.street for each statement execute function atlas.fill_city_example();
create trigger community_city_example after insert on atlas.community for each statement execute function atlas.fill_city_example();

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
-- Read by every role of the app, written by leaders.
alter table atlas.city enable row level security;
select atlas.create_role_policies('atlas.city', 'leader');

-- ── registry ─────────────────────────────────────────────────────────────────────────────
-- No answer of the analyses reads it.
insert into atlas.api_target (table_name, domain, layer, map_order, feeds, writers) values
  ('city', 'city', null, null, '{}', '{leader}');

-- ── functions ────────────────────────────────────────────────────────────────────────────
create function atlas.city_json(c atlas.city) returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'name', c.name, 'adcode', c.adcode, 'attribution', c.attribution, 'search_example', c.search_example,
    'view', case when c.view_lon is null then null else jsonb_build_object('lon', c.view_lon, 'lat', c.view_lat, 'zoom', c.view_zoom) end,
    'updated_by', c.updated_by, 'updated_at', c.updated_at)
$$;

create function public.city_profile()
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  return (select atlas.city_json(c) from atlas.city c);
end
$$;
comment on function public.city_profile is 'The city the atlas is of: name, adcode, attribution, search example, opening view (null: fitted to the units), who changed it and when';

-- A leader's change of the profile. Each argument left null keeps what is there; an empty text
-- clears it. The view is set whole or cleared with clear_view.
create function public.set_city_profile(
  name text default null, adcode text default null, attribution text default null, search_example text default null,
  view_lon double precision default null, view_lat double precision default null, view_zoom double precision default null,
  clear_view boolean default false)
returns jsonb
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  role atlas.app_role := atlas.require_app_role();
  changed atlas.city;
begin
  if role <> 'leader' then
    raise exception using errcode = '42501', message = format('only a leader sets the city''s profile; you are signed in as %s', role);
  end if;
  if set_city_profile.name is not null and length(btrim(set_city_profile.name)) > 60 then
    raise exception using errcode = '22023', message = format('the city''s name has %s characters; at most 60', length(btrim(set_city_profile.name)));
  end if;
  if set_city_profile.adcode is not null and btrim(set_city_profile.adcode) <> '' and btrim(set_city_profile.adcode) !~ '^[1-9][0-9]{5}$' then
    raise exception using errcode = '22023',
      message = format('administrative code %L is not six digits (GB/T 2260: a city''s or county''s, such as 331181)', set_city_profile.adcode);
  end if;
  if set_city_profile.attribution is not null and length(btrim(set_city_profile.attribution)) > 300 then
    raise exception using errcode = '22023', message = format('the attribution has %s characters; at most 300', length(btrim(set_city_profile.attribution)));
  end if;
  if set_city_profile.search_example is not null and length(btrim(set_city_profile.search_example)) > 80 then
    raise exception using errcode = '22023', message = format('the search example has %s characters; at most 80', length(btrim(set_city_profile.search_example)));
  end if;
  if (view_lon is null) <> (view_lat is null) or (view_lon is null) <> (view_zoom is null) then
    raise exception using errcode = '22023', message = 'the opening view needs its longitude, latitude and zoom together';
  end if;
  if view_lon is not null and (view_lon not between -180 and 180 or view_lat not between -90 and 90 or view_zoom not between 0 and 22) then
    raise exception using errcode = '22023',
      message = format('the opening view %s, %s at zoom %s is off the world: longitude −180…180, latitude −90…90, zoom 0…22', view_lon, view_lat, view_zoom);
  end if;
  update atlas.city c set
    name = coalesce(btrim(set_city_profile.name), c.name),
    adcode = case when set_city_profile.adcode is null then c.adcode else nullif(btrim(set_city_profile.adcode), '') end,
    attribution = coalesce(btrim(set_city_profile.attribution), c.attribution),
    search_example = coalesce(btrim(set_city_profile.search_example), c.search_example),
    view_lon = case when clear_view then null else coalesce(set_city_profile.view_lon, c.view_lon) end,
    view_lat = case when clear_view then null else coalesce(set_city_profile.view_lat, c.view_lat) end,
    view_zoom = case when clear_view then null else coalesce(set_city_profile.view_zoom, c.view_zoom) end,
    updated_by = atlas.current_user_label(), updated_at = now()
  returning * into changed;
  if changed is null then
    raise exception using errcode = '42501', message = 'the city''s profile was not changed: row level security refused the write';
  end if;
  return atlas.city_json(changed);
end
$$;
comment on function public.set_city_profile is 'A leader sets the city''s name, adcode, attribution, search example or opening view; null keeps a value, an empty text clears it';

-- ── grants ───────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on atlas.city to authenticated;
grant all on atlas.city to service_role;
revoke all on function atlas.restore_one_row(), atlas.fill_city_example(), atlas.city_json(atlas.city) from public;
grant execute on function atlas.city_json(atlas.city) to authenticated, service_role;
revoke all on function public.city_profile(), public.set_city_profile(text, text, text, text, double precision, double precision, double precision, boolean) from public;
grant execute on function public.city_profile(), public.set_city_profile(text, text, text, text, double precision, double precision, double precision, boolean) to anon, authenticated, service_role;
