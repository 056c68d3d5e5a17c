-- The leader's view: every indicator per community, per street office and for the city, each a
-- traffic light against a standard named by its real title. The figures come from the circles',
-- zones' and backlog's own functions and tables; the answer is kept per walking parameters until
-- the data it comes from changes (a version every write bumps). The standards now cite the
-- reports by their titles.
-- Sections: tables · triggers · RLS · helpers · policies · data · functions · grants

set search_path = atlas, extensions, public;

-- ── tables ───────────────────────────────────────────────────────────────────────────────
-- One row: grows by one at every statement that writes data the indicators or the report read.
create table atlas.data_version (
  id boolean primary key default true check (id),
  n bigint not null default 0 check (n >= 0),
  -- the same, counting only the writes that change what coverage() (the circles) and
  -- zone_summary() (the zones) return: their answers are kept while these stand still
  n_circles bigint not null default 0 check (n_circles >= 0),
  n_zones bigint not null default 0 check (n_zones >= 0),
  -- the data's timestamp the report prints
  changed_at timestamptz not null default now()
);
comment on table atlas.data_version is 'How many times the data behind the indicators has changed, and when it last did';
insert into atlas.data_version default values;

-- The base indicators; coverage per facility type is derived from the basic types when read.
create table atlas.indicator_catalogue (
  key text primary key check (key ~ '^[a-z0-9_]+$'),
  sort_order integer not null unique,
  "group" text not null check ("group" in ('coverage', 'grids', 'workers', 'service_area', 'zones', 'backlog', 'population')),
  label_zh text not null,
  label_en text not null,
  unit text not null,
  direction text not null check (direction in ('min', 'max')),
  -- green at or past this value, amber at or past the other (≥ for min, ≤ for max), for communities
  green numeric,
  amber numeric,
  -- the thresholds of rules over the parts (a band, a share, an area), by name
  thresholds jsonb not null default '{}' check (jsonb_typeof(thresholds) = 'object'),
  standard_zh text not null,
  standard_en text not null,
  source text not null check (source !~ 'seeds|\.txt'),
  rule_zh text not null,
  rule_en text not null
);
comment on table atlas.indicator_catalogue is 'The indicators of the leader''s view: words, standard, light rule and source. Written by migrations only';

-- public.indicators() answers, per walking parameters, with the data version they were computed from.
create table atlas.indicator_snapshot (
  minutes numeric not null,
  speed_m_per_min numeric not null,
  version bigint not null,
  result jsonb not null,
  computed_at timestamptz not null,
  primary key (minutes, speed_m_per_min)
);
comment on table atlas.indicator_snapshot is 'The last answer of public.indicators() per minutes and speed, valid while data_version has not moved';

-- The answers of coverage() (per walk) and zone_summary() (minutes and speed 0) that the last
-- indicators were computed from: a write to the backlog alone recomputes neither.
create table atlas.indicator_part (
  part text not null check (part in ('coverage', 'zones')),
  minutes numeric not null,
  speed_m_per_min numeric not null,
  version bigint not null,
  result jsonb not null,
  primary key (part, minutes, speed_m_per_min)
);
comment on table atlas.indicator_part is 'coverage() and zone_summary() as public.indicators() last read them, valid while their own data version has not moved';

-- ── triggers ─────────────────────────────────────────────────────────────────────────────
-- Statement-level: an import of thousands of rows bumps the version once. Before the statement,
-- so a writer takes the version's row lock before any row of its own: two writers queue at their
-- first write instead of each holding rows the other needs. Definer, because the writer may read
-- data_version but not write it. Its argument says which answers the table feeds: the units feed
-- the circles' coverage (residences by community and street) and the zones both.
create function atlas.bump_data_version() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  update atlas.data_version
  set n = n + 1,
      n_circles = n_circles + case when tg_argv[0] in ('units', 'circles') then 1 else 0 end,
      n_zones = n_zones + case when tg_argv[0] in ('units', 'zones') then 1 else 0 end,
      changed_at = clock_timestamp();
  return null;
end
$$;

do $$
declare
  t record;
begin
  for t in select * from (values
    ('street', 'units'), ('community', 'units'), ('grid', 'units'), ('micro_grid', 'units'), ('former_village', 'units'),
    ('management_area', 'units'),
    ('facility', 'circles'), ('facility_type', 'circles'), ('residence', 'circles'), ('access_time', 'circles'),
    ('service_circle', 'circles'), ('proposed_facility', 'circles'), ('walk_node', 'circles'), ('walk_edge', 'circles'),
    ('zone_setting', 'zones'), ('zone_decision', 'zones'),
    ('standard', 'other'), ('basemap_feature', 'other'), ('backlog_item', 'other'), ('backlog_dependency', 'other'),
    ('backlog_weight', 'other'), ('indicator_catalogue', 'other')) as v (tbl, feeds)
  loop
    execute format('create trigger %I before insert or update or delete or truncate on atlas.%I
                    for each statement execute function atlas.bump_data_version(%L)', t.tbl || '_data_version', t.tbl, t.feeds);
  end loop;
end
$$;

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
alter table atlas.data_version enable row level security;
alter table atlas.indicator_catalogue enable row level security;
-- no policy: only public.indicators(), as definer, reads and writes it
alter table atlas.indicator_snapshot enable row level security;
alter table atlas.indicator_part enable row level security;

-- ── helpers ──────────────────────────────────────────────────────────────────────────────
-- A value against its green and amber thresholds in the indicator's direction.
create function atlas.indicator_light(value numeric, direction text, green numeric, amber numeric) returns text
language sql immutable parallel safe
set search_path = ''
as $$
  select case
    when value is null then 'none'
    when direction = 'min' and value >= green then 'green'
    when direction = 'min' and value >= amber then 'amber'
    when direction = 'max' and value <= green then 'green'
    when direction = 'max' and value <= amber then 'amber'
    else 'red' end
$$;

-- The catalogue as the API gives it: each base indicator, and after each coverage indicator one
-- entry per basic facility type, with the type's labels and its own rule.
create function atlas.indicator_entries()
returns table (key text, base_key text, "group" text, facility_type text, direction text, green numeric, amber numeric,
               thresholds jsonb, info jsonb, sort_order integer, type_order bigint)
language sql stable
set search_path = ''
as $$
  select c.key, c.key, c."group", null::text, c.direction, c.green, c.amber, c.thresholds,
         to_jsonb(c) - 'sort_order' - 'thresholds', c.sort_order, 0::bigint
  from atlas.indicator_catalogue c
  union all
  select c.key || '.' || t.facility_type, c.key, c."group", t.facility_type, c.direction, c.green, c.amber, c.thresholds,
         to_jsonb(c) - 'sort_order' - 'thresholds' || jsonb_build_object(
           'key', c.key || '.' || t.facility_type,
           'label_zh', t.name_zh || '覆盖率' || w.suffix_zh,
           'label_en', t.name_en || ' coverage' || w.suffix_en,
           'rule_zh', format('住宅在所选步行时间（默认 8 分钟）内能走到最近的%s即为覆盖；覆盖率 = 覆盖的%s ÷ 全部%s × 100，'
             '合计社区、街道或全市的住宅。≥ %s 为绿，≥ %s 为黄，其余为红；没有住宅为无数据。%s 与 %s 是本图对“人人 8 分钟可达”的解读。',
             t.name_zh, w.what_zh, w.what_zh, c.green, c.amber, c.green, c.amber),
           'rule_en', format('A residence is covered when the nearest %s is within the chosen walk (8 minutes by default); '
             'value = %s covered ÷ all %s × 100, over the residences of the community, street office or city. Green ≥ %s, '
             'amber ≥ %s, else red; none without residences. %s and %s are the atlas''s reading of "everyone within 8 minutes".',
             lower(t.name_en), w.what_en, w.what_en, c.green, c.amber, c.green, c.amber),
           'facility_type', t.facility_type),
         c.sort_order, row_number() over (partition by c.key order by t.facility_type)
  from atlas.indicator_catalogue c
  cross join lateral (
    select case c.key when 'coverage_households' then '（户）' else '（人）' end as suffix_zh,
           case c.key when 'coverage_households' then ' (households)' else ' (residents)' end as suffix_en,
           case c.key when 'coverage_households' then '户数' else '常住人口' end as what_zh,
           case c.key when 'coverage_households' then 'households' else 'residents' end as what_en
  ) w
  join atlas.facility_type t on t.basic
  where c."group" = 'coverage'
$$;

-- ── policies ─────────────────────────────────────────────────────────────────────────────
-- Read by every role, changed only by a migration (the version by the trigger).
select atlas.create_role_policies(t, null) from unnest(array['atlas.data_version', 'atlas.indicator_catalogue']::regclass[]) t;

-- ── data ─────────────────────────────────────────────────────────────────────────────────
-- The standards by the titles of the reports they come from (DOMAIN.md), never a file name.
update atlas.standard s set source = v.source
from (values
  ('grid_households', '《榆林市城市社区治理研究报告》：每个网格 500–800 户'),
  ('workers_per_10k', '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》(2023)：每万常住人口不少于 18 名专职社区工作者'),
  ('service_area_per_100_households', '《榆林市城市社区治理研究报告》：社区服务用房每百户不少于 30 m²'),
  ('service_area_provincial', '《榆林市城市社区治理研究报告》：社区服务用房不少于 300 m²（省标）'),
  ('service_area_target', '《榆林市城市社区治理研究报告》：社区服务用房目标不少于 500 m²'),
  ('service_circle_minutes', '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》(2023)：构建“8分钟服务圈”'),
  ('rural_service_radius_m', '《榆林市城市社区治理研究报告》：农村社区服务半径不超过 3 km')
) v (key, source)
where s.key = v.key;

insert into atlas.indicator_catalogue (key, sort_order, "group", label_zh, label_en, unit, direction, green, amber, thresholds,
  standard_zh, standard_en, source, rule_zh, rule_en) values
  ('coverage_households', 10, 'coverage', '基本服务覆盖率（户）', 'Basic services coverage (households)', '%', 'min', 95, 80, '{}',
   '步行 8 分钟内可达每一类基本服务设施', 'every basic service within an 8-minute walk',
   '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》(2023)',
   '住宅在所选步行时间（默认 8 分钟）内能走到每一类基本服务设施即为覆盖；覆盖率 = 覆盖的户数 ÷ 全部户数 × 100，合计社区、街道或全市的住宅。'
   '≥ 95 为绿，≥ 80 为黄，其余为红；没有住宅为无数据。报告提出构建“8分钟服务圈”，95 与 80 是本图对“人人 8 分钟可达”的解读。',
   'A residence is covered when every basic facility type is within the chosen walk (8 minutes by default); value = households '
   'covered ÷ all households × 100, over the residences of the community, street office or city. Green ≥ 95, amber ≥ 80, else red; '
   'none without residences. The report calls for an 8-minute service circle; 95 and 80 are the atlas''s reading of "everyone within 8 minutes".'),
  ('coverage_residents', 20, 'coverage', '基本服务覆盖率（人）', 'Basic services coverage (residents)', '%', 'min', 95, 80, '{}',
   '步行 8 分钟内可达每一类基本服务设施', 'every basic service within an 8-minute walk',
   '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》(2023)',
   '住宅在所选步行时间（默认 8 分钟）内能走到每一类基本服务设施即为覆盖；覆盖率 = 覆盖的常住人口 ÷ 全部常住人口 × 100，合计社区、街道或全市的住宅。'
   '≥ 95 为绿，≥ 80 为黄，其余为红；没有住宅为无数据。报告提出构建“8分钟服务圈”，95 与 80 是本图对“人人 8 分钟可达”的解读。',
   'A residence is covered when every basic facility type is within the chosen walk (8 minutes by default); value = residents '
   'covered ÷ all residents × 100, over the residences of the community, street office or city. Green ≥ 95, amber ≥ 80, else red; '
   'none without residences. The report calls for an 8-minute service circle; 95 and 80 are the atlas''s reading of "everyone within 8 minutes".'),
  ('grids_outside_band', 30, 'grids', '户数不在 500–800 的网格', 'Grids outside 500–800 households', '个', 'max', 0, null,
   '{"households_min": 500, "households_max": 800, "amber_share": 0.25}',
   '每个网格 500–800 户', '500–800 households per grid', '《榆林市城市社区治理研究报告》',
   '数户数少于 500 或多于 800 的网格（户数不明的网格两头都不算）。0 个为绿；不超过本单位网格数的 25% 为黄；超过为红；没有已知户数的网格为无数据。',
   'The grids with fewer than 500 or more than 800 households (a grid of unknown households counts neither way). Green at 0; amber '
   'while they are at most 25 % of the unit''s grids; red above; none when no grid of the unit has its households.'),
  ('workers_per_10k', 40, 'workers', '每万常住人口专职社区工作者', 'Full-time community workers per 10,000 residents', '人/万人', 'min', 18, 16.2, '{}',
   '≥ 18 人/万人', '≥ 18 per 10,000 residents',
   '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》(2023)',
   'Σ 专职社区工作者 × 10000 ÷ Σ 常住人口，合计两项都有数据的社区。≥ 18 为绿，≥ 16.2（差距在 10% 以内）为黄，其余为红；没有数据为无数据。',
   'Σ full-time workers × 10,000 ÷ Σ resident population, over the communities that have both. Green ≥ 18, amber ≥ 16.2 (within 10 %), '
   'else red; none without data.'),
  ('service_area_per_100_households', 50, 'service_area', '每百户服务用房面积', 'Service floor area per 100 households', 'm²/百户', 'min', 30, 27, '{}',
   '≥ 30 m²/百户', '≥ 30 m² per 100 households', '《榆林市城市社区治理研究报告》',
   'Σ 服务用房面积 × 100 ÷ Σ 户数，合计两项都有数据的社区。≥ 30 为绿，≥ 27（差距在 10% 以内）为黄，其余为红；没有数据为无数据。',
   'Σ service floor area × 100 ÷ Σ households, over the communities that have both. Green ≥ 30, amber ≥ 27 (within 10 %), else red; '
   'none without data.'),
  ('service_area', 60, 'service_area', '社区服务用房面积', 'Community service floor area', 'm²', 'min', 500, 300, '{}',
   '≥ 300 m²（省标），目标 ≥ 500 m²', '≥ 300 m² (provincial), target ≥ 500 m²', '《榆林市城市社区治理研究报告》',
   '社区：数值为服务用房面积，≥ 500 为绿，≥ 300 为黄，不足 300 为红。街道与全市：数值为面积不足 300 m² 的社区数；有社区不足 300 为红，'
   '有社区不足 500 为黄，否则为绿。没有面积数据为无数据。',
   'A community: the value is its service floor area; green ≥ 500, amber ≥ 300, red below 300. A street office or the city: the value '
   'is the number of its communities below 300 m²; red if any is below 300, amber if any is below 500, else green. None without areas.'),
  ('zones_open', 70, 'zones', '无人负责的三不管区域', 'Open 三不管 zones (nobody responsible)', '处', 'max', 0, null, '{"amber_open_m2": 10000}',
   '没有三不管区域', 'no land that nobody manages',
   '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》(2023)',
   '数尚未认定归属的缺口与重叠（报告点名吴处联建房、水南犁山、林场）。0 处为绿；有但合计不足 1 公顷（10,000 m²）为黄；否则为红。',
   'The gaps and overlaps not yet settled (the report names 吴处联建房, 水南犁山 and 林场). Green at 0; amber when there are some but '
   'together under 1 ha (10,000 m²); else red.'),
  ('backlog_funded', 80, 'backlog', '基础设施欠账落实比例', 'Backlog funded or done', '%', 'min', 80, 50, '{}',
   '村改居基础设施欠账落实', 'the works owed to converted villages, funded',
   '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》(2023)',
   '（已完成 + 在建 + 已批准项目的费用）÷ 全部未驳回项目的费用 × 100。≥ 80 为绿，≥ 50 为黄，其余为红；没有项目或费用为 0 为无数据。'
   '报告列出村改居社区的基础设施欠账，80 与 50 是本图的复核线。',
   '(cost done + in progress + approved) ÷ the cost of every item not rejected × 100. Green ≥ 80, amber ≥ 50, else red; none without '
   'items or cost. The report lists the works owed to converted villages; 80 and 50 are the atlas''s review thresholds.'),
  ('household_separation', 90, 'population', '人户分离率', 'Registered population living elsewhere (人户分离)', '%', 'max', 20, 50, '{}',
   '户籍与常住人口之差不超过户籍人口的 20%', 'registered and resident population within 20 % of the registered',
   '龙泉市政协《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》(2023)',
   '（户籍人口 − 常住人口）÷ 户籍人口 × 100，带正负号，合计两项都有数据且户籍人口大于 0 的社区。绝对值 ≤ 20 为绿，≤ 50 为黄，其余为红；没有数据为无数据。'
   '报告指出人户分离问题（水南社区户籍 4,597 人，2,463 人居住在外），未给出标准；20 与 50 是本图的复核线。',
   '(registered − resident) ÷ registered × 100, signed, over the communities that have both and a registered population above 0. '
   'Green when its size is ≤ 20, amber ≤ 50, else red; none without data. The report names the problem (水南: 4,597 registered, '
   '2,463 living elsewhere) without a number; 20 and 50 are the atlas''s review thresholds.');

-- ── functions ────────────────────────────────────────────────────────────────────────────
-- Every indicator of every unit, computed now, with the catalogue and the facility types; the
-- data's timestamp is added by the caller, which read it with the version.
create function atlas.compute_indicators(minutes numeric, speed numeric, circles jsonb, zoning jsonb)
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
           coalesce((select b.name from atlas.basemap_feature b where b.kind = 'city' and b.name is not null order by b.code limit 1), '全市') as name,
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
  zones_of as (
    select 'city'::text as level, ''::text as code, (zoning -> 'city' ->> 'open')::numeric as open_zones, (zoning -> 'city' ->> 'open_m2')::numeric as open_m2
    union all select 'street', s ->> 'code', (s ->> 'open')::numeric, (s ->> 'open_m2')::numeric from jsonb_array_elements(zoning -> 'streets') s
    union all select 'community', c ->> 'code', (c ->> 'open')::numeric, (c ->> 'open_m2')::numeric from jsonb_array_elements(zoning -> 'communities') c
  ),
  figures (level, code, key, value, light, parts) as (
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
           jsonb_build_object('open_m2', coalesce(z.open_m2, 0))
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

-- coverage() at a walk, or zone_summary(), as kept while its data version stands; else asked
-- again, and kept unless the transaction is read-only.
create function atlas.indicator_part(part text, minutes numeric, speed numeric, version bigint)
returns jsonb
language plpgsql volatile
set search_path = atlas, extensions, pg_temp
as $$
declare
  answer jsonb;
begin
  select k.result into answer from atlas.indicator_part k
  where k.part = indicator_part.part and k.minutes = indicator_part.minutes and k.speed_m_per_min = indicator_part.speed
    and k.version = indicator_part.version;
  if answer is not null then
    return answer;
  end if;
  answer := case part when 'coverage' then public.coverage(indicator_part.minutes, indicator_part.speed) else public.zone_summary() end;
  if current_setting('transaction_read_only') <> 'on' then
    insert into atlas.indicator_part as k (part, minutes, speed_m_per_min, version, result)
    values (indicator_part.part, indicator_part.minutes, indicator_part.speed, indicator_part.version, answer)
    on conflict on constraint indicator_part_pkey do update set version = excluded.version, result = excluded.result
      where k.version <= excluded.version;
    delete from atlas.indicator_part k where k.part = indicator_part.part and k.version < indicator_part.version;
  end if;
  return answer;
end
$$;

-- The leader's indicators, per community, per street office and for the city, at the given walk.
-- Kept per walk until the data changes; a read-only transaction computes without keeping. Definer:
-- row level security and PostGIS's && are not leakproof, so as the caller the planner could not
-- push the overlays' filters down (as with the zones); every app role reads all of it anyway.
create function public.indicators(minutes numeric default 8, speed numeric default 66.7)
returns jsonb
language plpgsql volatile security definer
set search_path = atlas, extensions, pg_temp
set jit = off
as $$
declare
  current_version atlas.data_version;
  kept atlas.indicator_snapshot;
  answer jsonb;
begin
  perform atlas.require_app_role();
  perform atlas.check_walk_params(minutes, speed);
  -- the version first: data newer than it only makes the next call compute again
  select * into current_version from atlas.data_version limit 1;
  select * into kept from atlas.indicator_snapshot s where s.minutes = indicators.minutes and s.speed_m_per_min = indicators.speed;
  if kept.version is not distinct from current_version.n and kept.result is not null then
    return kept.result;
  end if;
  answer := atlas.compute_indicators(indicators.minutes, indicators.speed,
      atlas.indicator_part('coverage', indicators.minutes, indicators.speed, current_version.n_circles),
      atlas.indicator_part('zones', 0, 0, current_version.n_zones))
    || jsonb_build_object('data_timestamp', current_version.changed_at);
  if current_setting('transaction_read_only') = 'on' then
    return answer;
  end if;
  insert into atlas.indicator_snapshot as s (minutes, speed_m_per_min, version, result, computed_at)
  values (indicators.minutes, indicators.speed, current_version.n, answer, (answer ->> 'computed_at')::timestamptz)
  on conflict on constraint indicator_snapshot_pkey do update set version = excluded.version, result = excluded.result, computed_at = excluded.computed_at
    where s.version <= excluded.version;
  -- answers for other walks at older versions are no use any more
  delete from atlas.indicator_snapshot s where s.version < current_version.n;
  return answer;
end
$$;
comment on function public.indicators is
  'Every indicator of the leader''s view with its traffic light, per community, street office and city, with the catalogue of standards and sources';

-- ── grants ───────────────────────────────────────────────────────────────────────────────
grant select on atlas.data_version, atlas.indicator_catalogue to authenticated;
grant all on atlas.data_version, atlas.indicator_catalogue, atlas.indicator_snapshot, atlas.indicator_part to service_role;
grant execute on function atlas.indicator_light(numeric, text, numeric, numeric), atlas.indicator_entries(),
  atlas.compute_indicators(numeric, numeric, jsonb, jsonb) to authenticated, service_role;
revoke all on function atlas.indicator_part(text, numeric, numeric, bigint) from public;
revoke all on function atlas.bump_data_version() from public;
revoke all on function public.indicators(numeric, numeric) from public;
grant execute on function public.indicators(numeric, numeric) to anon, authenticated, service_role;
