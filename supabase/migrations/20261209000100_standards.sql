-- The standards are the city's: each with its value, unit and comparison, the document it comes
-- from (code, title, issuer, year, clause) or the city's own word that no document backs it
-- (本市设定), and whether the city applies it. Leaders change them (the page's form, `atlas
-- standards set`); every change is kept with who, when, why and the row before and after, and
-- moves the indicators as any write does. The national ones ship by their real titles (GB
-- 50180-2018, TD/T 1062-2021), the report-derived ones cite their reports by title and issuer.
-- The indicators read their thresholds, their standards' words and their sources from here, and
-- their rules are written without any one city's places; an indicator whose data a city has not
-- loaded says which data it needs.
-- Sections: tables · history · RLS · registry · data · functions · indicators · grants

set search_path = atlas, extensions, public;

-- ── tables ───────────────────────────────────────────────────────────────────────────────
-- A citation as a reader says it: 'GB 50180-2018《城市居住区规划设计标准》（住房和城乡建设部，2018）：clause',
-- '《title》（issuer，year）：clause', or the city's own word. One function: the column below and the API.
create function atlas.standard_citation(code text, title text, issuer text, year integer, clause text, city_rule boolean, lang text)
returns text
language sql immutable parallel safe
set search_path = ''
as $$
  select case
    when city_rule then case when lang = 'en' then 'set by the city' else '本市设定' end
    else coalesce(code, '') || '《' || title || '》'
         || case when issuer is not null or year is not null
                 then case when lang = 'en' then ' (' else '（' end
                      || concat_ws(case when lang = 'en' then ', ' else '，' end, issuer, year::text)
                      || case when lang = 'en' then ')' else '）' end
                 else '' end
         || coalesce(case when lang = 'en' then ': ' else '：' end || clause, '')
  end
$$;

-- The units a standard may be stated in.
create function atlas.standard_units() returns text[]
language sql immutable parallel safe
set search_path = ''
as $$ select array['分钟', 'm/min', 'm', 'km', 'm²', 'km²', '户', '人', '套', '人/万人', 'm²/百户', '%'] $$;

alter table atlas.standard
  drop column source,
  -- ≥ (at_least: value_min), ≤ (at_most: value_max), a band (between: both), a setting the atlas
  -- measures by (equals: value_min), or a size given as about (about: value_min, or value_min–value_max)
  add column comparison text not null default 'equals' check (comparison in ('at_least', 'at_most', 'between', 'equals', 'about')),
  add column source_code text check (length(source_code) <= 40),
  add column source_title text check (length(source_title) <= 200),
  add column source_issuer text check (length(source_issuer) <= 100),
  add column source_year integer check (source_year between 1949 and 2100),
  add column source_clause text check (length(source_clause) <= 300),
  -- no document backs it: the city set it itself (本市设定)
  add column city_rule boolean not null default false,
  add column applied boolean not null default true,
  -- what of the atlas reads it: circles, grids, indicators, inspector; empty: listed for reference
  add column used_by text[] not null default '{}' check (used_by <@ array['circles', 'grids', 'indicators', 'inspector']),
  add column "group" text not null default 'other'
    check ("group" in ('walk', 'grids', 'workers', 'service_area', 'life_circle', 'rural', 'estates', 'other')),
  add column sort_order integer not null default 1000,
  add column updated_by text,
  add column updated_at timestamptz;

comment on table atlas.standard is 'The standards the atlas checks: value, unit, comparison, the document each comes from or 本市设定, and whether the city applies it; leaders change them';

-- ── history ──────────────────────────────────────────────────────────────────────────────
create table atlas.standard_change (
  id bigint generated always as identity primary key,
  standard_key text not null references atlas.standard (key) on delete cascade,
  changed_by text not null,
  changed_at timestamptz not null default now(),
  reason text,
  -- the row's values and source before and after (without who and when)
  before jsonb not null,
  after jsonb not null
);
create index standard_change_key_idx on atlas.standard_change (standard_key, changed_at desc);
comment on table atlas.standard_change is 'Every change of a standard: who, when, why, before and after; written by its trigger only';

-- The fields of a standard a change is about.
create function atlas.standard_fields(s atlas.standard) returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object('value_min', s.value_min, 'value_max', s.value_max, 'unit', s.unit, 'comparison', s.comparison,
    'source_code', s.source_code, 'source_title', s.source_title, 'source_issuer', s.source_issuer, 'source_year', s.source_year,
    'source_clause', s.source_clause, 'city_rule', s.city_rule, 'applied', s.applied)
$$;

-- Written in the statement that changes the standard, so a change and its record stand or fall
-- together. Definer: the leader may not write the history itself.
create function atlas.standard_recorded() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if atlas.standard_fields(old) is distinct from atlas.standard_fields(new) then
    insert into atlas.standard_change (standard_key, changed_by, reason, before, after)
    values (new.key, coalesce(new.updated_by, atlas.current_user_label()),
            nullif(current_setting('atlas.standard_reason', true), ''),
            atlas.standard_fields(old), atlas.standard_fields(new));
  end if;
  return null;
end
$$;
create trigger standard_recorded after update on atlas.standard for each row execute function atlas.standard_recorded();

-- A standard is never deleted: a city that does not apply one says so (applied = false).
create function atlas.standard_kept() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = '42501',
    message = format('standard %s is not deleted: a city that does not apply it sets it as not applied', old.key);
end
$$;
create trigger standard_kept before delete on atlas.standard for each row execute function atlas.standard_kept();

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
-- Read by every role of the app; a leader updates; added to and removed by migrations only (the
-- indicators name them). The history is read by all and written by the trigger.
create policy standard_update on atlas.standard for update to authenticated
  using ((select atlas.has_app_role('leader'))) with check ((select atlas.has_app_role('leader')));
alter table atlas.standard_change enable row level security;
select atlas.create_role_policies('atlas.standard_change', null);

-- ── registry ─────────────────────────────────────────────────────────────────────────────
update atlas.api_target set domain = 'standards' where table_name = 'standard';
insert into atlas.api_target (table_name, domain, layer, map_order, feeds, writers) values
  ('standard_change', 'standards', null, null, '{}', '{}');

-- ── data ─────────────────────────────────────────────────────────────────────────────────
-- What a migration writes is where the history starts, not a change in it.
alter table atlas.standard disable trigger standard_recorded;
-- The documents, once each.
create temporary table document (id text primary key, code text, title text, issuer text, year integer) on commit drop;
insert into document values
  ('gb50180', 'GB 50180-2018', '城市居住区规划设计标准', '住房和城乡建设部', 2018),
  ('tdt1062', 'TD/T 1062-2021', '社区生活圈规划技术指南', '自然资源部', 2021),
  ('longquan', null, '关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告', '龙泉市政协', 2023),
  ('yulin', null, '榆林市城市社区治理研究报告', '榆林市', null),
  ('xinluo', null, '关于社区建设工作的调研报告', '新罗区政协', null);

insert into atlas.standard (key, value_min, value_max, unit, label_zh, label_en) values
  ('life_circle_15_distance_m', 800, 1000, 'm', '15 分钟生活圈步行距离', '15-minute life circle: walking distance'),
  ('life_circle_15_residents', 50000, 100000, '人', '15 分钟生活圈居住人口', '15-minute life circle: residents'),
  ('life_circle_10_distance_m', 500, null, 'm', '10 分钟生活圈步行距离', '10-minute life circle: walking distance'),
  ('life_circle_10_residents', 15000, 25000, '人', '10 分钟生活圈居住人口', '10-minute life circle: residents'),
  ('life_circle_5_distance_m', 300, null, 'm', '5 分钟生活圈步行距离', '5-minute life circle: walking distance'),
  ('life_circle_5_residents', 5000, 12000, '人', '5 分钟生活圈居住人口', '5-minute life circle: residents'),
  ('community_life_circle_minutes', null, 15, '分钟', '社区生活圈（基本需求）步行时间', 'community life circle (basic needs): walking time'),
  ('community_life_circle_residents', 50000, 100000, '人', '社区生活圈常住人口', 'community life circle: resident population'),
  ('community_life_circle_area_km2', 3, null, 'km²', '社区生活圈面积', 'community life circle: area'),
  ('estate_space_share_small', 3, null, '%', '新建小区社区用房配建比例（建筑面积 5 万 m² 以下）', 'community space reserved in new estates (under 50,000 m²)'),
  ('estate_space_share_large', 2, null, '%', '新建小区社区用房配建比例（建筑面积 5 万 m² 及以上）', 'community space reserved in new estates (50,000 m² and over)');

update atlas.standard s set
  comparison = v.comparison, "group" = v."group", sort_order = v.sort_order, used_by = v.used_by::text[],
  source_code = d.code, source_title = d.title, source_issuer = d.issuer, source_year = d.year, source_clause = v.clause
from (values
  ('service_circle_minutes', 'equals', 'walk', 10, '{circles,indicators}', 'longquan', '构建“8分钟服务圈”'),
  ('walking_speed_m_per_min', 'equals', 'walk', 20, '{circles,indicators}', 'gb50180',
   '居住区分级控制规模：5、10、15 分钟步行距离约 300、500、800–1,000 m，折合约 4 km/h'),
  ('grid_households', 'between', 'grids', 30, '{grids,indicators,inspector}', 'yulin', '每个网格 500–800 户'),
  ('workers_per_10k', 'at_least', 'workers', 40, '{indicators,inspector}', 'longquan', '每万常住人口不少于 18 名专职社区工作者'),
  ('service_area_per_100_households', 'at_least', 'service_area', 50, '{indicators,inspector}', 'yulin', '社区服务用房每百户不少于 30 m²'),
  ('service_area_provincial', 'at_least', 'service_area', 60, '{indicators,inspector}', 'yulin', '社区服务用房不少于 300 m²（省标）'),
  ('service_area_target', 'at_least', 'service_area', 70, '{indicators,inspector}', 'yulin', '社区服务用房目标不少于 500 m²'),
  ('life_circle_15_distance_m', 'about', 'life_circle', 100, '{}', 'gb50180', '居住区分级控制规模：十五分钟生活圈居住区'),
  ('life_circle_15_residents', 'between', 'life_circle', 110, '{}', 'gb50180', '居住区分级控制规模：十五分钟生活圈居住区'),
  ('life_circle_10_distance_m', 'about', 'life_circle', 120, '{}', 'gb50180', '居住区分级控制规模：十分钟生活圈居住区'),
  ('life_circle_10_residents', 'between', 'life_circle', 130, '{}', 'gb50180', '居住区分级控制规模：十分钟生活圈居住区'),
  ('life_circle_5_distance_m', 'about', 'life_circle', 140, '{}', 'gb50180', '居住区分级控制规模：五分钟生活圈居住区'),
  ('life_circle_5_residents', 'between', 'life_circle', 150, '{}', 'gb50180', '居住区分级控制规模：五分钟生活圈居住区'),
  ('community_life_circle_minutes', 'at_most', 'life_circle', 160, '{}', 'tdt1062', '城镇社区生活圈：15 分钟步行可达范围满足基本需求'),
  ('community_life_circle_residents', 'between', 'life_circle', 170, '{}', 'tdt1062', '城镇社区生活圈：常住人口约 5 万–10 万人'),
  ('community_life_circle_area_km2', 'about', 'life_circle', 180, '{}', 'tdt1062', '城镇社区生活圈：面积约 3 km²'),
  ('rural_service_radius_m', 'at_most', 'rural', 200, '{}', 'yulin', '农村社区服务半径不超过 3 km'),
  ('estate_space_share_small', 'at_least', 'estates', 300, '{}', 'xinluo', '新建住宅小区按建筑面积 3% 配建社区用房（5 万 m² 以下）'),
  ('estate_space_share_large', 'at_least', 'estates', 310, '{}', 'xinluo', '新建住宅小区按建筑面积 2% 配建社区用房（5 万 m² 及以上）')
) v (key, comparison, "group", sort_order, used_by, document, clause)
join document d on d.id = v.document
where s.key = v.key;

alter table atlas.standard enable trigger standard_recorded;

do $$
begin
  if exists (select 1 from atlas.standard s where s.source_title is null and not s.city_rule) then
    raise exception 'a standard without its document: %', (select string_agg(s.key, ', ') from atlas.standard s where s.source_title is null);
  end if;
end
$$;

-- The values are checked here as well as by set_standard(), which says what is wrong in words.
alter table atlas.standard
  add constraint standard_values check (
    coalesce(value_min, 0) >= 0 and coalesce(value_max, 0) >= 0
    and case comparison
      when 'at_least' then value_min is not null and value_max is null
      when 'at_most' then value_max is not null and value_min is null
      when 'between' then value_min is not null and value_max is not null and value_min <= value_max
      when 'equals' then value_min is not null and value_max is null
      else value_min is not null and (value_max is null or value_min <= value_max) end),
  add constraint standard_unit check (unit = any (atlas.standard_units())),
  add constraint standard_source check (
    case when city_rule then source_title is null and source_code is null and source_issuer is null and source_year is null
         else source_title is not null and source_issuer is not null end),
  add column source text generated always as (
    atlas.standard_citation(source_code, source_title, source_issuer, source_year, source_clause, city_rule, 'zh')) stored;

-- ── functions ────────────────────────────────────────────────────────────────────────────
-- A number as the standards' words write it: 18, 16.2, 100,000.
create function atlas.standard_number(n numeric) returns text
language sql immutable parallel safe
set search_path = ''
as $$
  select case when n is null then null else
    regexp_replace(regexp_replace(to_char(round(n, 2), 'FM999,999,999,990.99'), '0+$', ''), '\.$', '') end
$$;

-- The value as a reader says it: '≥ 18 人/万人', '500–800 户', '约 800–1,000 m', '8 分钟'.
create function atlas.standard_text(comparison text, value_min numeric, value_max numeric, unit text, lang text) returns text
language sql immutable parallel safe
set search_path = ''
as $$
  select case comparison
    when 'at_least' then '≥ ' || atlas.standard_number(value_min)
    when 'at_most' then '≤ ' || atlas.standard_number(value_max)
    when 'between' then atlas.standard_number(value_min) || '–' || atlas.standard_number(value_max)
    when 'about' then case when lang = 'en' then 'about ' else '约 ' end || atlas.standard_number(value_min)
                      || coalesce('–' || atlas.standard_number(value_max), '')
    else atlas.standard_number(value_min) end
    || case when unit = '%' then '%' else ' ' || unit end
$$;

create function atlas.standard_json(s atlas.standard) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'key', s.key, 'group', s."group", 'label_zh', s.label_zh, 'label_en', s.label_en,
    'comparison', s.comparison, 'value_min', s.value_min, 'value_max', s.value_max, 'unit', s.unit,
    'text_zh', atlas.standard_text(s.comparison, s.value_min, s.value_max, s.unit, 'zh'),
    'text_en', atlas.standard_text(s.comparison, s.value_min, s.value_max, s.unit, 'en'),
    'source_code', s.source_code, 'source_title', s.source_title, 'source_issuer', s.source_issuer,
    'source_year', s.source_year, 'source_clause', s.source_clause, 'city_rule', s.city_rule,
    'citation_zh', s.source,
    'citation_en', atlas.standard_citation(s.source_code, s.source_title, s.source_issuer, s.source_year, s.source_clause, s.city_rule, 'en'),
    'applied', s.applied, 'used_by', to_jsonb(s.used_by),
    'updated_by', s.updated_by, 'updated_at', s.updated_at,
    'changes', (select count(*) from atlas.standard_change c where c.standard_key = s.key))
$$;

create function public.standards()
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  return (select coalesce(jsonb_agg(atlas.standard_json(s) order by s.sort_order, s.key), '[]'::jsonb) from atlas.standard s);
end
$$;
comment on function public.standards is 'The standards the atlas checks, each with its value, unit, comparison, source (or 本市设定), whether the city applies it and what reads it';

create function public.standard_history(standard_key text default null)
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  if standard_key is not null and not exists (select 1 from atlas.standard s where s.key = standard_history.standard_key) then
    raise exception using errcode = '22023', message = format('no standard %L', standard_key),
      hint = 'Standards: ' || (select string_agg(s.key, ', ' order by s.sort_order) from atlas.standard s) || '.';
  end if;
  return (select coalesce(jsonb_agg(jsonb_build_object(
      'id', c.id, 'key', c.standard_key, 'changed_by', c.changed_by, 'changed_at', c.changed_at, 'reason', c.reason,
      'before', c.before || jsonb_build_object('text_zh', atlas.standard_text(c.before ->> 'comparison', (c.before ->> 'value_min')::numeric,
                  (c.before ->> 'value_max')::numeric, c.before ->> 'unit', 'zh'),
                'citation_zh', atlas.standard_citation(c.before ->> 'source_code', c.before ->> 'source_title', c.before ->> 'source_issuer',
                  (c.before ->> 'source_year')::integer, c.before ->> 'source_clause', (c.before ->> 'city_rule')::boolean, 'zh')),
      'after', c.after || jsonb_build_object('text_zh', atlas.standard_text(c.after ->> 'comparison', (c.after ->> 'value_min')::numeric,
                  (c.after ->> 'value_max')::numeric, c.after ->> 'unit', 'zh'),
                'citation_zh', atlas.standard_citation(c.after ->> 'source_code', c.after ->> 'source_title', c.after ->> 'source_issuer',
                  (c.after ->> 'source_year')::integer, c.after ->> 'source_clause', (c.after ->> 'city_rule')::boolean, 'zh')))
      order by c.changed_at desc, c.id desc), '[]'::jsonb)
    from atlas.standard_change c
    where standard_history.standard_key is null or c.standard_key = standard_history.standard_key);
end
$$;
comment on function public.standard_history is 'Every change of the standards (or of one), newest first: who, when, why, before and after';

-- A leader's change of one standard. Arguments left null keep what is there, with two rules: a
-- comparison given takes the values it needs as given (a value it does not use is cleared), and a
-- new value needs its source: a document (title and issuer; code, year and clause as given) or
-- city_rule, the city's own word. Checked in words before the write; the history is written by
-- the same statement.
create function public.set_standard(
  key text, value_min numeric default null, value_max numeric default null, comparison text default null, unit text default null,
  source_title text default null, source_issuer text default null, source_code text default null, source_year integer default null,
  source_clause text default null, city_rule boolean default null, applied boolean default null, reason text default null)
returns jsonb
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  role atlas.app_role := atlas.require_app_role();
  was atlas.standard;
  next_comparison text;
  next_min numeric;
  next_max numeric;
  next_unit text;
  value_changed boolean;
  missing boolean;
  source_given boolean := set_standard.source_title is not null or set_standard.source_issuer is not null or set_standard.source_code is not null
    or set_standard.source_year is not null or set_standard.source_clause is not null or set_standard.city_rule is not null;
  changed atlas.standard;
  names jsonb := '{"at_least": "≥", "at_most": "≤", "between": "a band", "equals": "a setting", "about": "about"}';
begin
  if role <> 'leader' then
    raise exception using errcode = '42501', message = format('only a leader sets the standards; you are signed in as %s', role);
  end if;
  select * into was from atlas.standard s where s.key = set_standard.key;
  if was is null then
    raise exception using errcode = '22023', message = format('no standard %L', set_standard.key),
      hint = 'Standards: ' || (select string_agg(s.key, ', ' order by s.sort_order) from atlas.standard s) || '.';
  end if;
  if set_standard.comparison is not null and not names ? set_standard.comparison then
    raise exception using errcode = '22023', message = format('unknown comparison %L: at_least (≥), at_most (≤), between, equals or about', set_standard.comparison);
  end if;
  if set_standard.unit is not null and not set_standard.unit = any (atlas.standard_units()) then
    raise exception using errcode = '22023', message = format('unknown unit %L: %s', set_standard.unit, array_to_string(atlas.standard_units(), ', '));
  end if;
  if set_standard.unit is not null and set_standard.unit <> was.unit and cardinality(was.used_by) > 0 then
    raise exception using errcode = '22023', message = format('standard %s is computed in %s by the atlas (%s); its unit stays %s',
      was.key, was.unit, array_to_string(was.used_by, ', '), was.unit);
  end if;
  if coalesce(set_standard.value_min, 0) < 0 or coalesce(set_standard.value_max, 0) < 0 then
    raise exception using errcode = '22023', message = format('standard %s: a value cannot be negative (%s)', was.key,
      concat_ws(', ', set_standard.value_min, set_standard.value_max));
  end if;

  next_comparison := coalesce(set_standard.comparison, was.comparison);
  next_unit := coalesce(set_standard.unit, was.unit);
  if set_standard.comparison is not null then
    next_min := case when next_comparison = 'at_most' then null else set_standard.value_min end;
    next_max := case when next_comparison in ('at_least', 'equals') then null else set_standard.value_max end;
    -- at_most reads its one value from either argument
    if next_comparison = 'at_most' then next_max := coalesce(set_standard.value_max, set_standard.value_min); end if;
  else
    next_min := coalesce(set_standard.value_min, was.value_min);
    next_max := coalesce(set_standard.value_max, was.value_max);
    if next_comparison = 'at_most' and set_standard.value_max is null and set_standard.value_min is not null then
      next_max := set_standard.value_min;
      next_min := null;
    end if;
  end if;
  missing := case next_comparison
       when 'at_least' then next_min is null
       when 'at_most' then next_max is null
       when 'between' then next_min is null or next_max is null
       else next_min is null end;
  if missing then
    raise exception using errcode = '22023', message = case next_comparison
      when 'between' then format('standard %s is a band: give both ends (value_min and value_max)', was.key)
      when 'at_most' then format('standard %s is a ceiling (≤): give its value', was.key)
      else format('standard %s (%s) needs its value', was.key, names ->> next_comparison) end;
  end if;
  if next_min is not null and next_max is not null and next_min > next_max then
    raise exception using errcode = '22023', message = format('standard %s: the band''s low end %s is above its high end %s', was.key,
      atlas.standard_number(next_min), atlas.standard_number(next_max));
  end if;
  if next_min = 0 and next_comparison = 'between' and next_max = 0 then
    raise exception using errcode = '22023', message = format('standard %s: a band of 0–0 checks nothing', was.key);
  end if;
  if was.key = 'service_circle_minutes' then
    perform atlas.check_walk_params(next_min, 66.7);
  elsif was.key = 'walking_speed_m_per_min' then
    perform atlas.check_walk_params(8, next_min);
  end if;
  if set_standard.applied = false and 'circles' = any (was.used_by) then
    raise exception using errcode = '22023',
      message = format('standard %s is what the service circles are measured by and is always applied; change its value instead', was.key);
  end if;

  value_changed := next_comparison is distinct from was.comparison or next_min is distinct from was.value_min
    or next_max is distinct from was.value_max or next_unit is distinct from was.unit;
  if value_changed and not source_given then
    raise exception using errcode = '22023',
      message = format('standard %s: a new value needs its source — the document it comes from (title and issuer) or the city''s own word that it set it (本市设定); %s no longer backs it',
        was.key, was.source);
  end if;
  if source_given and coalesce(set_standard.city_rule, false) and (set_standard.source_title is not null or set_standard.source_issuer is not null
      or set_standard.source_code is not null or set_standard.source_year is not null) then
    raise exception using errcode = '22023',
      message = format('standard %s: either a document backs it (title, issuer) or the city set it (本市设定), not both', was.key);
  end if;
  if source_given and not coalesce(set_standard.city_rule, false)
     and (nullif(btrim(set_standard.source_title), '') is null or nullif(btrim(set_standard.source_issuer), '') is null) then
    raise exception using errcode = '22023',
      message = format('standard %s: a source is a document''s title and its issuer (such as 《某市网格化服务管理办法》, 某市人民政府); without one, say the city set it (本市设定)',
        was.key);
  end if;
  if set_standard.source_year is not null and set_standard.source_year not between 1949 and extract(year from now())::integer + 1 then
    raise exception using errcode = '22023', message = format('standard %s: year %s of its source is not a year of a document', was.key, set_standard.source_year);
  end if;
  if length(set_standard.source_title) > 200 or length(set_standard.source_issuer) > 100 or length(set_standard.source_code) > 40
     or length(set_standard.source_clause) > 300 or length(set_standard.reason) > 500 then
    raise exception using errcode = '22023',
      message = format('standard %s: too long — title ≤ 200, issuer ≤ 100, code ≤ 40, clause ≤ 300, reason ≤ 500 characters', was.key);
  end if;

  perform set_config('atlas.standard_reason', coalesce(btrim(set_standard.reason), ''), true);
  update atlas.standard s set
    comparison = next_comparison, value_min = next_min, value_max = next_max, unit = next_unit,
    city_rule = case when source_given then coalesce(set_standard.city_rule, false) else s.city_rule end,
    source_title = case when source_given then nullif(btrim(set_standard.source_title), '') else s.source_title end,
    source_issuer = case when source_given then nullif(btrim(set_standard.source_issuer), '') else s.source_issuer end,
    source_code = case when source_given then nullif(btrim(set_standard.source_code), '') else s.source_code end,
    source_year = case when source_given then set_standard.source_year else s.source_year end,
    source_clause = case when source_given then nullif(btrim(set_standard.source_clause), '') else s.source_clause end,
    applied = coalesce(set_standard.applied, s.applied),
    updated_by = atlas.current_user_label(), updated_at = now()
  where s.key = set_standard.key
  returning * into changed;
  perform set_config('atlas.standard_reason', '', true);
  if changed is null then
    raise exception using errcode = '42501', message = format('standard %s was not changed: row level security refused the write', was.key);
  end if;
  return atlas.standard_json(changed);
end
$$;
comment on function public.set_standard is 'A leader sets a standard''s value, comparison, unit, source (a document or 本市设定) or whether the city applies it; recorded in its history';

-- The households band of a grid against its standard; none while the city does not apply it.
create or replace function atlas.grid_band(households integer) returns text
language sql stable
set search_path = ''
as $$
  select case
    when households is null then null
    when households < s.value_min then 'under'
    when households > s.value_max then 'over'
    else 'in'
  end
  from atlas.standard s where s.key = 'grid_households' and s.applied
$$;

-- ── indicators ───────────────────────────────────────────────────────────────────────────
-- The catalogue's words are templates: {minutes}, {speed}, {green}, {amber}, {min}, {max} are
-- filled from the standards when the catalogue is read, so the words never disagree with the
-- values; each indicator names the standards it checks and the data it needs.
alter table atlas.indicator_catalogue
  add column standard_keys text[] not null default '{}',
  add column needs_zh text,
  add column needs_en text;

create function atlas.fill_words(template text, fills jsonb) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  answer text := template;
  fill record;
begin
  for fill in select f.key, f.value from jsonb_each_text(fills) f loop
    answer := replace(answer, '{' || fill.key || '}', coalesce(atlas.standard_number(fill.value::numeric), '—'));
  end loop;
  return answer;
end
$$;

update atlas.indicator_catalogue c set
  standard_keys = v.keys, green = v.green, amber = v.amber, thresholds = c.thresholds || v.thresholds,
  label_zh = v.label_zh, label_en = v.label_en, standard_zh = v.standard_zh, standard_en = v.standard_en,
  rule_zh = v.rule_zh, rule_en = v.rule_en, needs_zh = v.needs_zh, needs_en = v.needs_en
from (values
  ('coverage_households', '{service_circle_minutes,walking_speed_m_per_min}'::text[], 95::numeric, 80::numeric, '{}'::jsonb,
   '基本服务覆盖率（户）', 'Basic services coverage (households)',
   '步行 {minutes} 分钟内可达每一类基本服务设施', 'every basic service within a {minutes}-minute walk',
   '住宅在所选步行时间（默认 {minutes} 分钟，每分钟 {speed} m）内能走到每一类基本服务设施即为覆盖；覆盖率 = 覆盖的户数 ÷ 全部户数 × 100，'
   '合计社区、街道或全市的住宅。≥ {green} 为绿，≥ {amber} 为黄，其余为红；没有住宅时说明需要哪些数据。{green} 与 {amber} 是本图对“人人 {minutes} 分钟可达”的解读。',
   'A residence is covered when every basic facility type is within the chosen walk ({minutes} minutes at {speed} m/min by default); '
   'value = households covered ÷ all households × 100, over the residences of the community, street office or city. Green ≥ {green}, '
   'amber ≥ {amber}, else red; without residences it says which data it needs. {green} and {amber} are the atlas''s reading of "everyone within {minutes} minutes".',
   '住宅（户数、常住人口）、服务设施与步行路网', 'residences (households, residents), facilities and the walking network'),
  ('coverage_residents', '{service_circle_minutes,walking_speed_m_per_min}', 95, 80, '{}',
   '基本服务覆盖率（人）', 'Basic services coverage (residents)',
   '步行 {minutes} 分钟内可达每一类基本服务设施', 'every basic service within a {minutes}-minute walk',
   '住宅在所选步行时间（默认 {minutes} 分钟，每分钟 {speed} m）内能走到每一类基本服务设施即为覆盖；覆盖率 = 覆盖的常住人口 ÷ 全部常住人口 × 100，'
   '合计社区、街道或全市的住宅。≥ {green} 为绿，≥ {amber} 为黄，其余为红；没有住宅时说明需要哪些数据。{green} 与 {amber} 是本图对“人人 {minutes} 分钟可达”的解读。',
   'A residence is covered when every basic facility type is within the chosen walk ({minutes} minutes at {speed} m/min by default); '
   'value = residents covered ÷ all residents × 100, over the residences of the community, street office or city. Green ≥ {green}, '
   'amber ≥ {amber}, else red; without residences it says which data it needs. {green} and {amber} are the atlas''s reading of "everyone within {minutes} minutes".',
   '住宅（户数、常住人口）、服务设施与步行路网', 'residences (households, residents), facilities and the walking network'),
  ('grids_outside_band', '{grid_households}', 0, null, '{}',
   '户数不在 {min}–{max} 的网格', 'Grids outside {min}–{max} households',
   '每个网格 {min}–{max} 户', '{min}–{max} households per grid',
   '数户数少于 {min} 或多于 {max} 的网格（户数不明的网格两头都不算）。0 个为绿；不超过本单位网格数的 25% 为黄；超过为红；没有已知户数的网格时说明需要哪些数据。',
   'The grids with fewer than {min} or more than {max} households (a grid of unknown households counts neither way). Green at 0; amber '
   'while they are at most 25 % of the unit''s grids; red above; without a grid of known households it says which data it needs.',
   '网格及其户数（grid 层的 households）', 'the grids and their households (the grid layer''s households)'),
  ('workers_per_10k', '{workers_per_10k}', null, null, '{"amber_ratio": 0.9}',
   '每万常住人口专职社区工作者', 'Full-time community workers per 10,000 residents',
   '≥ {green} 人/万人', '≥ {green} per 10,000 residents',
   'Σ 专职社区工作者 × 10000 ÷ Σ 常住人口，合计两项都有数据的社区。≥ {green} 为绿，≥ {amber}（差距在 10% 以内）为黄，其余为红；没有数据时说明需要哪些数据。',
   'Σ full-time workers × 10,000 ÷ Σ resident population, over the communities that have both. Green ≥ {green}, amber ≥ {amber} (within 10 %), '
   'else red; without data it says which data it needs.',
   '社区的专职社区工作者数与常住人口（community 层的 full_time_workers、resident_population）',
   'the communities'' full-time workers and resident population (the community layer''s full_time_workers, resident_population)'),
  ('service_area_per_100_households', '{service_area_per_100_households}', null, null, '{"amber_ratio": 0.9}',
   '每百户服务用房面积', 'Service floor area per 100 households',
   '≥ {green} m²/百户', '≥ {green} m² per 100 households',
   'Σ 服务用房面积 × 100 ÷ Σ 户数，合计两项都有数据的社区。≥ {green} 为绿，≥ {amber}（差距在 10% 以内）为黄，其余为红；没有数据时说明需要哪些数据。',
   'Σ service floor area × 100 ÷ Σ households, over the communities that have both. Green ≥ {green}, amber ≥ {amber} (within 10 %), else red; '
   'without data it says which data it needs.',
   '社区的服务用房面积与户数（community 层的 service_area_m2、households）',
   'the communities'' service floor area and households (the community layer''s service_area_m2, households)'),
  ('service_area', '{service_area_target,service_area_provincial}', null, null, '{}',
   '社区服务用房面积', 'Community service floor area',
   '≥ {amber} m²（底线），目标 ≥ {green} m²', '≥ {amber} m² (floor), target ≥ {green} m²',
   '社区：数值为服务用房面积，≥ {green} 为绿，≥ {amber} 为黄，不足 {amber} 为红。街道与全市：数值为面积不足 {amber} m² 的社区数；有社区不足 {amber} 为红，'
   '有社区不足 {green} 为黄，否则为绿。没有面积数据时说明需要哪些数据。',
   'A community: the value is its service floor area; green ≥ {green}, amber ≥ {amber}, red below {amber}. A street office or the city: the value '
   'is the number of its communities below {amber} m²; red if any is below {amber}, amber if any is below {green}, else green. Without areas it says which data it needs.',
   '社区的服务用房面积（community 层的 service_area_m2）', 'the communities'' service floor area (the community layer''s service_area_m2)'),
  ('zones_open', '{}', 0, null, '{}',
   '无人负责的三不管区域', 'Open 三不管 zones (nobody responsible)',
   '没有三不管区域', 'no land that nobody manages',
   '数尚未认定归属的缺口与重叠。0 处为绿；有但合计不足 1 公顷（10,000 m²）为黄；否则为红。',
   'The gaps and overlaps not yet settled. Green at 0; amber when there are some but together under 1 ha (10,000 m²); else red.',
   '街道、社区、网格等单元的边界', 'the units'' boundaries (street offices, communities, grids)'),
  ('backlog_funded', '{}', 80, 50, '{}',
   '基础设施欠账落实比例', 'Backlog funded or done',
   '基础设施欠账落实', 'the infrastructure works owed, funded',
   '（已完成 + 在建 + 已批准项目的费用）÷ 全部未驳回项目的费用 × 100。≥ {green} 为绿，≥ {amber} 为黄，其余为红；没有项目或费用为 0 时说明缺少的数据。'
   '{green} 与 {amber} 是本图的复核线。',
   '(cost done + in progress + approved) ÷ the cost of every item not rejected × 100. Green ≥ {green}, amber ≥ {amber}, else red; without '
   'items or cost it says which data it needs. {green} and {amber} are the atlas''s review thresholds.',
   '基础设施欠账项目及其费用（backlog 层的 cost_yuan 与状态）', 'the backlog''s items with their cost and status (the backlog layer)'),
  ('household_separation', '{}', 20, 50, '{}',
   '人户分离率', 'Registered population living elsewhere (人户分离)',
   '户籍与常住人口之差不超过户籍人口的 {green}%', 'registered and resident population within {green} % of the registered',
   '（户籍人口 − 常住人口）÷ 户籍人口 × 100，带正负号，合计两项都有数据且户籍人口大于 0 的社区。绝对值 ≤ {green} 为绿，≤ {amber} 为黄，其余为红。'
   '来源报告指出人户分离问题而未给出标准；{green} 与 {amber} 是本图的复核线。',
   '(registered − resident) ÷ registered × 100, signed, over the communities that have both and a registered population above 0. '
   'Green when its size is ≤ {green}, amber ≤ {amber}, else red. The report that raises it gives no number; {green} and {amber} are the '
   'atlas''s review thresholds.',
   '社区的户籍人口与常住人口（community 层的 registered_population、resident_population）',
   'the communities'' registered and resident population (the community layer''s registered_population, resident_population)')
) v (key, keys, green, amber, thresholds, label_zh, label_en, standard_zh, standard_en, rule_zh, rule_en, needs_zh, needs_en)
where c.key = v.key;

-- The indicators no standard backs cite the report that raises their problem, as the standards do.
update atlas.indicator_catalogue c
set source = atlas.standard_citation(null, '关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告', '龙泉市政协', 2023, null, false, 'zh')
where c.key in ('zones_open', 'backlog_funded', 'household_separation');

-- The catalogue as the API gives it, its thresholds and words from the standards: green and
-- amber of a floor standard (workers, floor area per 100 households) are its value and the value
-- × the catalogue's amber_ratio; the floor area's are the target and the floor; the grids' band is
-- the grid standard's. An indicator whose standard the city does not apply is listed with
-- applied = false and has no light. Its source is its standards' citations, else the catalogue's.
drop function atlas.indicator_entries();
create function atlas.indicator_entries()
returns table (key text, base_key text, "group" text, facility_type text, direction text, green numeric, amber numeric,
               thresholds jsonb, info jsonb, sort_order integer, type_order bigint, applied boolean)
language sql stable
set search_path = ''
as $$
  with
  walk as (select w.minutes, w.speed from atlas.default_walk() w),
  base as (
    select c.*, x.green as set_green, x.amber as set_amber, x.thresholds as set_thresholds, x.applied as set_applied, x.source as set_source,
           jsonb_build_object('minutes', w.minutes, 'speed', w.speed, 'green', x.green, 'amber', x.amber,
             'min', x.thresholds ->> 'households_min', 'max', x.thresholds ->> 'households_max') as fills
    from atlas.indicator_catalogue c
    cross join walk w
    cross join lateral (
      select case c.key
               when 'workers_per_10k' then s1.value_min
               when 'service_area_per_100_households' then s1.value_min
               when 'service_area' then s1.value_min
               else c.green end as green,
             case c.key
               when 'workers_per_10k' then round(s1.value_min * (c.thresholds ->> 'amber_ratio')::numeric, 1)
               when 'service_area_per_100_households' then round(s1.value_min * (c.thresholds ->> 'amber_ratio')::numeric, 1)
               when 'service_area' then s2.value_min
               else c.amber end as amber,
             c.thresholds || case when c."group" = 'grids'
               then jsonb_build_object('households_min', s1.value_min, 'households_max', s1.value_max) else '{}'::jsonb end as thresholds,
             coalesce((select bool_and(s.applied) from atlas.standard s where s.key = any (c.standard_keys)), true) as applied,
             coalesce((select string_agg(s.source, '；' order by array_position(c.standard_keys, s.key)) from atlas.standard s where s.key = any (c.standard_keys)), c.source) as source
      from (select 1) one
      left join atlas.standard s1 on s1.key = c.standard_keys[1]
      left join atlas.standard s2 on s2.key = c.standard_keys[2]
    ) x
  ),
  words as (
    select b.*, to_jsonb(b) - 'sort_order' - 'thresholds' - 'set_green' - 'set_amber' - 'set_thresholds' - 'set_applied' - 'set_source' - 'fills'
           || jsonb_build_object(
             'green', b.set_green, 'amber', b.set_amber, 'applied', b.set_applied, 'source', b.set_source,
             'label_zh', atlas.fill_words(b.label_zh, b.fills), 'label_en', atlas.fill_words(b.label_en, b.fills),
             'standard_zh', atlas.fill_words(b.standard_zh, b.fills), 'standard_en', atlas.fill_words(b.standard_en, b.fills),
             'rule_zh', atlas.fill_words(b.rule_zh, b.fills), 'rule_en', atlas.fill_words(b.rule_en, b.fills)) as info
    from base b
  )
  select c.key, c.key, c."group", null::text, c.direction, c.set_green, c.set_amber, c.set_thresholds, c.info, c.sort_order, 0::bigint, c.set_applied
  from words c
  union all
  select c.key || '.' || t.facility_type, c.key, c."group", t.facility_type, c.direction, c.set_green, c.set_amber, c.set_thresholds,
         c.info || jsonb_build_object(
           'key', c.key || '.' || t.facility_type,
           'label_zh', t.name_zh || '覆盖率' || w.suffix_zh,
           'label_en', t.name_en || ' coverage' || w.suffix_en,
           'rule_zh', atlas.fill_words(format('住宅在所选步行时间（默认 {minutes} 分钟）内能走到最近的%s即为覆盖；覆盖率 = 覆盖的%s ÷ 全部%s × 100，'
             '合计社区、街道或全市的住宅。≥ {green} 为绿，≥ {amber} 为黄，其余为红；没有住宅时说明需要哪些数据。{green} 与 {amber} 是本图对“人人 {minutes} 分钟可达”的解读。',
             t.name_zh, w.what_zh, w.what_zh), c.fills),
           'rule_en', atlas.fill_words(format('A residence is covered when the nearest %s is within the chosen walk ({minutes} minutes by default); '
             'value = %s covered ÷ all %s × 100, over the residences of the community, street office or city. Green ≥ {green}, '
             'amber ≥ {amber}, else red; without residences it says which data it needs. {green} and {amber} are the atlas''s reading of "everyone within {minutes} minutes".',
             lower(t.name_en), w.what_en, w.what_en), c.fills),
           'facility_type', t.facility_type),
         c.sort_order, row_number() over (partition by c.key order by t.facility_type), c.set_applied
  from words c
  cross join lateral (
    select case c.key when 'coverage_households' then '（户）' else '（人）' end as suffix_zh,
           case c.key when 'coverage_households' then ' (households)' else ' (residents)' end as suffix_en,
           case c.key when 'coverage_households' then '户数' else '常住人口' end as what_zh,
           case c.key when 'coverage_households' then 'households' else 'residents' end as what_en
  ) w
  join atlas.facility_type t on t.basic
  where c."group" = 'coverage'
$$;

-- The indicators as before, with the city's name from its profile, no light where the city does
-- not apply the standard, and the declared co-managed land beside the open zones.
create or replace function atlas.compute_indicators(minutes numeric, speed numeric, circles jsonb, zoning jsonb)
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
set jit = off
as $$
declare
  answer jsonb;
begin
  with
  cat as materialized (select * from atlas.indicator_entries()),
  threshold as materialized (
    select (select e.thresholds from cat e where e.key = 'grids_outside_band') as grids,
           (select e.thresholds from cat e where e.key = 'zones_open') as zones,
           (select e.green from cat e where e.key = 'service_area') as area_target,
           (select e.amber from cat e where e.key = 'service_area') as area_provincial
  ),
  units as materialized (
    select 'city'::text as level, ''::text as code,
           coalesce((select nullif(c.name, '') from atlas.city c),
                    (select b.name from atlas.basemap_feature b where b.kind = 'city' and b.name is not null order by b.code limit 1), '全市') as name,
           null::text as street_code, null::text as community_type
    union all select 'street', s.code, s.name, null, null from atlas.street s
    union all select 'community', c.code, c.name, c.street_code, c.community_type from atlas.community c
  ),
  -- the communities' own figures, summed per street office and for the city
  people as materialized (
    select case when grouping(c.street_code) = 1 then 'city' when grouping(c.code) = 1 then 'street' else 'community' end as level,
           case when grouping(c.street_code) = 1 then '' when grouping(c.code) = 1 then c.street_code else c.code end as code,
           sum(c.households) as households, sum(c.resident_population) as residents, sum(c.registered_population) as registered,
           sum(c.full_time_workers) filter (where c.full_time_workers is not null and c.resident_population is not null) as workers,
           sum(c.resident_population) filter (where c.full_time_workers is not null and c.resident_population is not null) as workers_residents,
           sum(c.service_area_m2) filter (where c.service_area_m2 is not null and c.households is not null) as area_m2,
           sum(c.households) filter (where c.service_area_m2 is not null and c.households is not null) as area_households,
           sum(c.service_area_m2) as own_area_m2,
           count(c.service_area_m2) as area_known,
           count(*) filter (where c.service_area_m2 < t.area_provincial) as below_provincial,
           count(*) filter (where c.service_area_m2 < t.area_target) as below_target,
           sum(c.registered_population) filter (where c.registered_population > 0 and c.resident_population is not null) as sep_registered,
           sum(c.resident_population) filter (where c.registered_population > 0 and c.resident_population is not null) as sep_resident
    from atlas.community c cross join threshold t
    group by grouping sets ((c.street_code, c.code), (c.street_code), ())
  ),
  grids as materialized (
    select case when grouping(c.street_code) = 1 then 'city' when grouping(g.community_code) = 1 then 'street' else 'community' end as level,
           case when grouping(c.street_code) = 1 then '' when grouping(g.community_code) = 1 then c.street_code else g.community_code end as code,
           count(*) as grids, count(g.households) as known,
           count(*) filter (where g.households < (t.grids ->> 'households_min')::numeric) as below,
           count(*) filter (where g.households > (t.grids ->> 'households_max')::numeric) as above,
           min(g.households) as households_min,
           round(percentile_cont(0.5) within group (order by g.households)::numeric, 1) as households_median,
           max(g.households) as households_max
    from atlas.grid g join atlas.community c on c.code = g.community_code cross join threshold t
    group by grouping sets ((c.street_code, g.community_code), (c.street_code), ())
  ),
  -- rejected items are left out; proposed ones are the unfunded
  backlog as materialized (
    select case when grouping(c.street_code) = 1 then 'city' when grouping(b.community_code) = 1 then 'street' else 'community' end as level,
           case when grouping(c.street_code) = 1 then '' when grouping(b.community_code) = 1 then c.street_code else b.community_code end as code,
           count(*) as items,
           count(*) filter (where b.status = 'done') as done_items, coalesce(sum(b.cost_yuan) filter (where b.status = 'done'), 0) as done_cost,
           count(*) filter (where b.status = 'in_progress') as in_progress_items,
           coalesce(sum(b.cost_yuan) filter (where b.status = 'in_progress'), 0) as in_progress_cost,
           count(*) filter (where b.status = 'approved') as approved_items, coalesce(sum(b.cost_yuan) filter (where b.status = 'approved'), 0) as approved_cost,
           count(*) filter (where b.status = 'proposed') as unfunded_items, coalesce(sum(b.cost_yuan) filter (where b.status = 'proposed'), 0) as unfunded_cost,
           sum(b.cost_yuan) as total_cost
    from atlas.backlog_item b join atlas.community c on c.code = b.community_code
    where b.status <> 'rejected'
    group by grouping sets ((c.street_code, b.community_code), (c.street_code), ())
  ),
  coverage_of as (
    select 'city'::text as level, ''::text as code, circles -> 'city' as by_type
    union all select 'street', s ->> 'code', s -> 'coverage' from jsonb_array_elements(circles -> 'streets') s where s ->> 'code' is not null
    union all select 'community', c ->> 'code', c -> 'coverage' from jsonb_array_elements(circles -> 'communities') c where c ->> 'code' is not null
  ),
  -- with the declared co-managed land, counted apart (zone_summary() gives it from …_co_management.sql on)
  zones_of as (
    select 'city'::text as level, ''::text as code, (zoning -> 'city' ->> 'open')::numeric as open_zones, (zoning -> 'city' ->> 'open_m2')::numeric as open_m2,
           (zoning -> 'city' ->> 'declared')::numeric as declared, (zoning -> 'city' ->> 'declared_m2')::numeric as declared_m2
    union all select 'street', s ->> 'code', (s ->> 'open')::numeric, (s ->> 'open_m2')::numeric, (s ->> 'declared')::numeric, (s ->> 'declared_m2')::numeric
      from jsonb_array_elements(zoning -> 'streets') s
    union all select 'community', c ->> 'code', (c ->> 'open')::numeric, (c ->> 'open_m2')::numeric, (c ->> 'declared')::numeric, (c ->> 'declared_m2')::numeric
      from jsonb_array_elements(zoning -> 'communities') c
  ),
  measured (level, code, key, value, light, parts) as (
    select u.level, u.code, e.key, v.value, atlas.indicator_light(v.value, e.direction, e.green, e.amber),
           jsonb_build_object('covered', v.covered, 'total', v.total)
    from units u
    cross join cat e
    left join coverage_of o on o.level = u.level and o.code = u.code
    cross join lateral (
      select x.covered, x.total, case when x.total > 0 then round(x.covered * 100 / x.total, 1) end as value
      from (select coalesce((f ->> (w || '_covered'))::numeric, 0) as covered,
                   coalesce((f ->> (w || '_covered'))::numeric, 0) + coalesce((f ->> (w || '_not_covered'))::numeric, 0) as total
            from (select o.by_type -> coalesce(e.facility_type, 'basic') as f,
                         case e.base_key when 'coverage_households' then 'households' else 'residents' end as w) y) x
    ) v
    where e."group" = 'coverage'
    union all
    select u.level, u.code, e.key, v.value,
           case when coalesce(g.known, 0) = 0 then 'none'
                when v.value <= e.green then 'green'
                when v.value <= (t.grids ->> 'amber_share')::numeric * g.grids then 'amber'
                else 'red' end,
           jsonb_build_object('grids', coalesce(g.grids, 0), 'below', coalesce(g.below, 0), 'above', coalesce(g.above, 0),
             'households_min', g.households_min, 'households_median', g.households_median, 'households_max', g.households_max)
    from units u
    join cat e on e.key = 'grids_outside_band'
    cross join threshold t
    left join grids g on g.level = u.level and g.code = u.code
    cross join lateral (select case when g.known > 0 then g.below + g.above end as value) v
    union all
    select u.level, u.code, e.key, v.value, atlas.indicator_light(v.value, e.direction, e.green, e.amber),
           jsonb_build_object('workers', p.workers, 'residents', p.workers_residents)
    from units u
    join cat e on e.key = 'workers_per_10k'
    left join people p on p.level = u.level and p.code = u.code
    cross join lateral (select case when p.workers_residents > 0 then round(p.workers::numeric * 10000 / p.workers_residents, 1) end as value) v
    union all
    select u.level, u.code, e.key, v.value, atlas.indicator_light(v.value, e.direction, e.green, e.amber),
           jsonb_build_object('area_m2', round(p.area_m2, 1), 'households', p.area_households)
    from units u
    join cat e on e.key = 'service_area_per_100_households'
    left join people p on p.level = u.level and p.code = u.code
    cross join lateral (select case when p.area_households > 0 then round(p.area_m2 * 100 / p.area_households, 1) end as value) v
    union all
    select u.level, u.code, e.key,
           case when u.level = 'community' then round(p.own_area_m2, 1) when coalesce(p.area_known, 0) > 0 then p.below_provincial end,
           case when u.level = 'community' then atlas.indicator_light(round(p.own_area_m2, 1), e.direction, e.green, e.amber)
                when coalesce(p.area_known, 0) = 0 then 'none'
                when p.below_provincial > 0 then 'red'
                when p.below_target > 0 then 'amber'
                else 'green' end,
           case when u.level = 'community' then jsonb_build_object('area_m2', round(p.own_area_m2, 1))
                else jsonb_build_object('communities', coalesce(p.area_known, 0), 'below_provincial', coalesce(p.below_provincial, 0),
                                        'below_target', coalesce(p.below_target, 0)) end
    from units u
    join cat e on e.key = 'service_area'
    left join people p on p.level = u.level and p.code = u.code
    union all
    select u.level, u.code, e.key, coalesce(z.open_zones, 0),
           case when coalesce(z.open_zones, 0) <= e.green then 'green'
                when coalesce(z.open_m2, 0) < (t.zones ->> 'amber_open_m2')::numeric then 'amber'
                else 'red' end,
           jsonb_build_object('open_m2', coalesce(z.open_m2, 0), 'declared', coalesce(z.declared, 0), 'declared_m2', coalesce(z.declared_m2, 0))
    from units u
    join cat e on e.key = 'zones_open'
    cross join threshold t
    left join zones_of z on z.level = u.level and z.code = u.code
    union all
    select u.level, u.code, e.key, v.value, atlas.indicator_light(v.value, e.direction, e.green, e.amber),
           jsonb_build_object('done_items', coalesce(b.done_items, 0), 'done_cost', coalesce(b.done_cost, 0),
             'in_progress_items', coalesce(b.in_progress_items, 0), 'in_progress_cost', coalesce(b.in_progress_cost, 0),
             'approved_items', coalesce(b.approved_items, 0), 'approved_cost', coalesce(b.approved_cost, 0),
             'unfunded_items', coalesce(b.unfunded_items, 0), 'unfunded_cost', coalesce(b.unfunded_cost, 0),
             'total_cost', coalesce(b.total_cost, 0))
    from units u
    join cat e on e.key = 'backlog_funded'
    left join backlog b on b.level = u.level and b.code = u.code
    cross join lateral (select case when b.total_cost > 0
                                    then round((b.done_cost + b.in_progress_cost + b.approved_cost) * 100 / b.total_cost, 1) end as value) v
    union all
    select u.level, u.code, e.key, v.value, atlas.indicator_light(abs(v.value), e.direction, e.green, e.amber),
           jsonb_build_object('registered', p.sep_registered, 'resident', p.sep_resident)
    from units u
    join cat e on e.key = 'household_separation'
    left join people p on p.level = u.level and p.code = u.code
    cross join lateral (select case when p.sep_registered > 0
                                    then round((p.sep_registered - p.sep_resident) * 100.0 / p.sep_registered, 1) end as value) v
  ),
  -- a standard the city does not apply gives its indicator no light
  figures as (
    select m.level, m.code, m.key, m.value, case when e.applied then m.light else 'none' end as light, m.parts
    from measured m join cat e on e.key = m.key
  ),
  unit_indicators as (
    select f.level, f.code, jsonb_object_agg(f.key, jsonb_build_object('value', f.value, 'light', f.light, 'parts', f.parts)) as indicators
    from figures f group by f.level, f.code
  ),
  unit_json as (
    select u.level, u.code,
           jsonb_build_object('level', u.level, 'code', u.code, 'name', u.name)
           || case when u.level = 'community' then jsonb_build_object('street_code', u.street_code, 'community_type', u.community_type)
                   else '{}'::jsonb end
           || jsonb_build_object('households', p.households, 'residents', p.residents, 'registered', p.registered,
                                 'indicators', coalesce(i.indicators, '{}'::jsonb)) as body
    from units u
    left join people p on p.level = u.level and p.code = u.code
    left join unit_indicators i on i.level = u.level and i.code = u.code
  )
  select jsonb_build_object(
    'params', jsonb_build_object('minutes', compute_indicators.minutes, 'speed_m_per_min', compute_indicators.speed),
    'computed_at', clock_timestamp(),
    'catalogue', (select jsonb_agg(e.info order by e.sort_order, e.type_order) from cat e),
    'facility_types', (select coalesce(jsonb_agg(jsonb_build_object('facility_type', t.facility_type, 'label_zh', t.name_zh,
                         'label_en', t.name_en, 'basic', t.basic) order by t.basic desc, t.facility_type), '[]'::jsonb) from atlas.facility_type t),
    'city', (select j.body from unit_json j where j.level = 'city'),
    'streets', (select coalesce(jsonb_agg(j.body order by j.code), '[]'::jsonb) from unit_json j where j.level = 'street'),
    'communities', (select coalesce(jsonb_agg(j.body order by j.code), '[]'::jsonb) from unit_json j where j.level = 'community'))
  into answer;
  return answer;
end
$$;

-- The inspector's checks: the standards the city applies, in their order.
create or replace function public.unit_record(layer text, code text)
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
      where s.applied
      order by s.sort_order, s.key
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
      into checks from atlas.standard s where s.key = 'grid_households' and s.applied;
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

-- ── grants ───────────────────────────────────────────────────────────────────────────────
grant select, update on atlas.standard to authenticated;
grant select on atlas.standard_change to authenticated;
grant all on atlas.standard_change to service_role;
revoke all on function atlas.standard_recorded(), atlas.standard_kept() from public;
grant execute on function atlas.standard_citation(text, text, text, integer, text, boolean, text), atlas.standard_units(),
  atlas.standard_fields(atlas.standard), atlas.standard_number(numeric), atlas.standard_text(text, numeric, numeric, text, text),
  atlas.standard_json(atlas.standard), atlas.fill_words(text, jsonb), atlas.indicator_entries() to authenticated, service_role;
revoke all on function public.standards(), public.standard_history(text),
  public.set_standard(text, numeric, numeric, text, text, text, text, text, integer, text, boolean, boolean, text) from public;
grant execute on function public.standards(), public.standard_history(text),
  public.set_standard(text, numeric, numeric, text, text, text, text, text, integer, text, boolean, boolean, text) to anon, authenticated, service_role;
