-- The construction bureau's backlog: a status that moves one step at a time (proposed → approved
-- → in_progress → done, or rejected and reopened), every change of an item kept with who, when, a
-- remark and what changed; a version on every item, so that of two people editing it the second
-- is refused and told what changed instead of overwriting it; the items an item waits for
-- (drainage or water before the road on the same site); and a transparent score: a weighted sum
-- of six stated factors, each normalised by a rule written next to it, the weights kept as
-- history. The score is numeric arithmetic only (no floating point), so it is the same on PGlite
-- and on PostgreSQL 15.
-- Sections: tables · triggers · RLS · helpers · policies · functions · grants

set search_path = atlas, extensions, public;

-- ── tables ───────────────────────────────────────────────────────────────────────────────
-- 'planned' is now 'approved'; an item may also be rejected, and reopened.
alter table atlas.backlog_item drop constraint backlog_item_status_check;
update atlas.backlog_item set status = 'approved' where status = 'planned';
alter table atlas.backlog_item add constraint backlog_item_status_check
  check (status in ('proposed', 'approved', 'in_progress', 'done', 'rejected'));
alter table atlas.backlog_item
  add column version integer not null default 1 check (version >= 1),
  add column updated_by text;
comment on column atlas.backlog_item.version is
  'Grows by one at every change of the row: an edit names the version it started from, and a stale one is refused';
comment on column atlas.backlog_item.updated_by is 'Who changed the row last';

create table atlas.backlog_change (
  id bigint generated always as identity primary key,
  item_code text not null references atlas.backlog_item (code) on update cascade on delete cascade,
  -- the item's version after the change; 1 is its creation
  version integer not null check (version >= 1),
  changes jsonb not null default '{}' check (jsonb_typeof(changes) = 'object'),
  remark text check (length(remark) <= 2000),
  changed_by text,
  changed_at timestamptz not null default now()
);
comment on table atlas.backlog_change is
  'Every change of a backlog item: field → [before, after], who, when and a remark; written by a trigger, so every path records. Never edited: the history';
create index backlog_change_item_idx on atlas.backlog_change (item_code, version);
-- the items already there begin their history at version 1, as of their last change
insert into atlas.backlog_change (item_code, version, changes, changed_at)
select code, 1, '{}'::jsonb, updated_at from atlas.backlog_item;

create table atlas.backlog_dependency (
  item_code text not null references atlas.backlog_item (code) on update cascade on delete cascade,
  depends_on text not null references atlas.backlog_item (code) on update cascade on delete cascade,
  primary key (item_code, depends_on),
  check (item_code <> depends_on)
);
comment on table atlas.backlog_dependency is
  'The items an item waits for: drainage or water works before the road hardening on the same site. No cycles';
create index backlog_dependency_depends_on_idx on atlas.backlog_dependency (depends_on);

-- The factors of the score, in display order, each with the rule that makes its raw value 0–1.
-- Defined before the weights' table, whose check uses them.
create function atlas.backlog_factors()
returns table (n integer, key text, label_zh text, label_en text, rule text, rule_zh text, rule_en text, default_weight numeric)
language sql immutable parallel safe
set search_path = ''
as $$
  values
    (1, 'households', '受益户数', 'Households served', 'min-max',
     '最小–最大值归一：(户数 − 最小值) ÷ (最大值 − 最小值)，取全部项目；无数据记 0；各项相同则记 0',
     'min–max over all items: (households − min) ÷ (max − min); no data → 0; all equal → 0', 0.25),
    (2, 'complaints', '投诉数', 'Complaints', 'rank',
     '排名：投诉少于它的其他项目所占比例（百分位排名，并列同名次）；无数据记 0',
     'rank: the share of the other items with fewer complaints (percent rank; ties share a rank); no data → 0', 0.15),
    (3, 'severity', '严重程度与安全', 'Severity and safety', 'scale',
     '固定 1–5 级：(等级 − 1) ÷ 4；无数据记 0',
     'fixed 1–5 scale: (severity − 1) ÷ 4; no data → 0', 0.25),
    (4, 'cost_per_household', '户均费用', 'Cost per household', 'rank',
     '排名，户均越省越高：户均费用高于它的其他项目所占比例（百分位排名，并列同名次）；无数据或受益户为 0 记 0',
     'rank, cheaper per household higher: the share of the other items that cost more per household served (percent rank; ties share a rank); no data or no households → 0', 0.15),
    (5, 'village', '村改居社区', 'In a 村改居 community', 'flag',
     '位于村改居型社区记 1，否则记 0',
     '1 when the item lies in a 村改居型 community, else 0', 0.10),
    (6, 'waiting', '等待时间', 'Waiting time', 'min-max',
     '自提出之日起的天数，最小–最大值归一，取全部项目；无数据记 0；各项相同则记 0',
     'days since the request, min–max over all items: (days − min) ÷ (max − min); no data → 0; all equal → 0', 0.10)
$$;

-- What is wrong with a set of weights, in words; null when nothing is.
create function atlas.backlog_weights_problem(weights jsonb) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  factor_keys text[] := array(select f.key from atlas.backlog_factors() f order by f.n);
  listed text := array_to_string(factor_keys, ', ');
  bad text;
begin
  if weights is null or jsonb_typeof(weights) <> 'object' then
    return format('the weights must be an object with a weight for each factor: %s', listed);
  end if;
  select string_agg(k, ', ' order by k) into bad from jsonb_object_keys(weights) k where not k = any (factor_keys);
  if bad is not null then
    return format('unknown factor %s: the factors are %s', bad, listed);
  end if;
  select string_agg(k, ', ' order by array_position(factor_keys, k)) into bad from unnest(factor_keys) k where not weights ? k;
  if bad is not null then
    return format('no weight for %s: give a weight for each of the six factors (%s)', bad, listed);
  end if;
  select string_agg(format('%s (%s)', k, weights -> k), ', ' order by array_position(factor_keys, k)) into bad
  from unnest(factor_keys) k where jsonb_typeof(weights -> k) <> 'number';
  if bad is not null then
    return format('a weight must be a number: %s', bad);
  end if;
  select string_agg(format('%s (%s)', k, weights -> k), ', ' order by array_position(factor_keys, k)) into bad
  from unnest(factor_keys) k where (weights ->> k)::numeric < 0;
  if bad is not null then
    return format('a weight below 0: %s; weights are 0 or more', bad);
  end if;
  if (select sum((weights ->> k)::numeric) from unnest(factor_keys) k) = 0 then
    return 'every weight is 0: at least one factor must count';
  end if;
  return null;
end
$$;

create table atlas.backlog_weight (
  id bigint generated always as identity primary key,
  weights jsonb not null check (atlas.backlog_weights_problem(weights) is null),
  set_by text not null,
  set_at timestamptz not null default now()
);
comment on table atlas.backlog_weight is
  'The weights of the score''s factors, with who set them and when; the newest row is the one in force. Never edited: the history';
create index backlog_weight_set_at_idx on atlas.backlog_weight (set_at desc, id desc);
insert into atlas.backlog_weight (weights, set_by)
select jsonb_object_agg(f.key, f.default_weight), 'default' from atlas.backlog_factors() f;

-- ── triggers ─────────────────────────────────────────────────────────────────────────────
-- The steps a status may take (src/backlog/types.ts keeps the same table).
create function atlas.backlog_next_statuses(status text) returns text[]
language sql immutable parallel safe
set search_path = ''
as $$
  select case status
    when 'proposed' then array['approved', 'rejected']
    when 'approved' then array['in_progress', 'rejected']
    when 'in_progress' then array['done']
    when 'rejected' then array['proposed']
    else '{}'::text[] end
$$;

-- Why a status may not go from one value to another, in words; null when it may. A target that
-- can be reached in several steps names them.
create function atlas.backlog_step_problem(from_status text, to_status text) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  allowed text[] := atlas.backlog_next_statuses(from_status);
  way text[];
begin
  if from_status is not distinct from to_status or to_status = any (allowed) then
    return null;
  end if;
  with recursive walk (status, path) as (
    select from_status, array[from_status]
    union all
    select s, w.path || s from walk w cross join lateral unnest(atlas.backlog_next_statuses(w.status)) s
    where not s = any (w.path)
  )
  select w.path into way from walk w where w.status = to_status order by cardinality(w.path) limit 1;
  if way is not null then
    return format('''%s → %s'' skips steps: %s; from %s the next step is %s',
      from_status, to_status, array_to_string(way, ' → '), from_status, array_to_string(allowed, ' or '));
  end if;
  if cardinality(allowed) = 0 then
    return format('''%s → %s'' is not a step: %s is final', from_status, to_status, from_status);
  end if;
  return format('''%s → %s'' is not a step: from %s the next step is %s', from_status, to_status, from_status, array_to_string(allowed, ' or '));
end
$$;

-- The fields of an item that differ between two versions of its row: field → [before, after].
create function atlas.backlog_row_changes(old_row atlas.backlog_item, new_row atlas.backlog_item) returns jsonb
language sql stable
set search_path = extensions, pg_temp
as $$
  select coalesce((
    select jsonb_object_agg(a.key, jsonb_build_array(b.value, a.value))
    from jsonb_each(to_jsonb(new_row) - array['version', 'updated_at', 'updated_by', 'geom']) a
    join jsonb_each(to_jsonb(old_row) - array['version', 'updated_at', 'updated_by', 'geom']) b on b.key = a.key
    where a.value is distinct from b.value), '{}'::jsonb)
  || case when st_asbinary(old_row.geom) is distinct from st_asbinary(new_row.geom)
          then jsonb_build_object('geom', jsonb_build_array(st_asgeojson(old_row.geom, 7)::jsonb, st_asgeojson(new_row.geom, 7)::jsonb))
          else '{}'::jsonb end
$$;

-- Before a row is written: a status may only take a step of the workflow; a change bumps the
-- version and names who made it; a write that changes nothing keeps the version and the time.
-- The API functions pass changes kept outside the row (the item's dependencies) in the setting
-- atlas.backlog_also_changed, so that they count as a change of the item too.
create function atlas.backlog_item_versioned() returns trigger
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  problem text;
begin
  if tg_op = 'INSERT' then
    new.version := 1;
    new.updated_by := atlas.current_user_label();
    return new;
  end if;
  if new.status is distinct from old.status then
    problem := atlas.backlog_step_problem(old.status, new.status);
    if problem is not null then
      raise exception using errcode = '23514', message = format('%s: %s', old.code, problem),
        hint = 'Move the status one step at a time: proposed → approved → in_progress → done, or rejected (and reopened as proposed).';
    end if;
  end if;
  if atlas.backlog_row_changes(old, new) = '{}'::jsonb and coalesce(current_setting('atlas.backlog_also_changed', true), '') = '' then
    new.version := old.version;
    new.updated_at := old.updated_at;
    new.updated_by := old.updated_by;
  else
    new.version := old.version + 1;
    new.updated_by := atlas.current_user_label();
  end if;
  return new;
end
$$;

-- After a row is written: the change, in the history, as the caller (row level security lets
-- the construction bureau add history, and no one edit it). The API functions pass the remark
-- in the setting atlas.backlog_remark.
create function atlas.backlog_item_recorded() returns trigger
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
begin
  if tg_op = 'UPDATE' and new.version = old.version then
    return null;
  end if;
  insert into atlas.backlog_change (item_code, version, changes, remark, changed_by)
  values (new.code, new.version,
          case when tg_op = 'INSERT' then '{}'::jsonb
               else atlas.backlog_row_changes(old, new) || coalesce(nullif(current_setting('atlas.backlog_also_changed', true), '')::jsonb, '{}'::jsonb) end,
          nullif(btrim(current_setting('atlas.backlog_remark', true)), ''), atlas.current_user_label());
  return null;
end
$$;

-- Trigger names order the BEFORE triggers: backlog_item_touch runs first, then this one, which
-- may give the row its old time back.
create trigger backlog_item_versioned before insert or update on atlas.backlog_item
  for each row execute function atlas.backlog_item_versioned();
create trigger backlog_item_recorded after insert or update on atlas.backlog_item
  for each row execute function atlas.backlog_item_recorded();

-- The cycle that item would close by depending on deps, as 'BL-001 → BL-002 → BL-001'; null if
-- none. Breadth first, so the shortest cycle is named, and each item visited once, so a large
-- backlog costs one pass over its dependencies. The item's own present dependencies are left
-- out: deps replaces them.
create function atlas.backlog_cycle(item text, deps text[]) returns text
language plpgsql stable
set search_path = atlas, pg_temp
as $$
declare
  came_from jsonb := '{}'::jsonb;
  frontier text[];
  reached text[];
  step record;
  way text[];
  node text;
begin
  if item = any (deps) then
    return item || ' → ' || item;
  end if;
  frontier := array(select distinct d from unnest(deps) d where d is not null order by d);
  select coalesce(jsonb_object_agg(d, item), '{}'::jsonb) into came_from from unnest(frontier) d;
  while cardinality(frontier) > 0 and not item = any (frontier) loop
    reached := '{}';
    for step in
      select e.depends_on as code, min(e.item_code) as parent from atlas.backlog_dependency e
      where e.item_code = any (frontier) and e.item_code <> item and not came_from ? e.depends_on
      group by e.depends_on order by e.depends_on
    loop
      came_from := came_from || jsonb_build_object(step.code, step.parent);
      reached := reached || step.code;
    end loop;
    frontier := reached;
  end loop;
  if not item = any (frontier) then
    return null;
  end if;
  way := array[item];
  node := came_from ->> item;
  while node <> item loop
    way := node || way;
    node := came_from ->> node;
  end loop;
  return array_to_string(item || way, ' → ');
end
$$;

-- A dependency may not close a cycle: checked after the write, so that a statement writing
-- several at once is judged on all of them.
create function atlas.backlog_dependency_acyclic() returns trigger
language plpgsql
set search_path = atlas, pg_temp
as $$
declare
  cycle text := atlas.backlog_cycle(new.item_code, array[new.depends_on]);
begin
  if cycle is not null then
    raise exception using errcode = '23514',
      message = case when new.item_code = new.depends_on then format('%s cannot depend on itself', new.item_code)
                     else format('a dependency cycle: %s', cycle) end,
      hint = 'An item waits for others that come first; remove one of the dependencies of the cycle.';
  end if;
  return null;
end
$$;

create trigger backlog_dependency_acyclic after insert or update on atlas.backlog_dependency
  for each row execute function atlas.backlog_dependency_acyclic();

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
alter table atlas.backlog_change enable row level security;
alter table atlas.backlog_dependency enable row level security;
alter table atlas.backlog_weight enable row level security;

-- ── helpers ──────────────────────────────────────────────────────────────────────────────
-- The weights in force: the newest row (the migration's defaults if there is none).
create function atlas.backlog_current_weights() returns atlas.backlog_weight
language sql stable
set search_path = atlas, pg_temp
as $$
  select w from atlas.backlog_weight w order by w.set_at desc, w.id desc limit 1
$$;

-- Every item scored with the given weights, as backlog_scores() gives them: each factor's raw
-- value, its 0–1 value by the factor's rule, and its part, round(100 · w · n / Σw, 2); the score
-- is the sum of the parts, so they add up to it exactly. Every item is scored against all the
-- others, whatever its status, so one item's status never moves another's score. only_code
-- picks one item (scored against all).
create function atlas.backlog_items_json(used jsonb, with_geometry boolean, only_code text default null) returns jsonb
language sql stable
set search_path = atlas, extensions, pg_temp
as $$
  with
  w as (
    select (used ->> 'households')::numeric as households, (used ->> 'complaints')::numeric as complaints,
           (used ->> 'severity')::numeric as severity, (used ->> 'cost_per_household')::numeric as cost_per_household,
           (used ->> 'village')::numeric as village, (used ->> 'waiting')::numeric as waiting,
           (select sum((used ->> f.key)::numeric) from atlas.backlog_factors() f) as total
  ),
  raw as (
    select i.*, c.name as community_name, c.community_type = '村改居型' as village,
           s.code as street_code, s.name as street_name,
           current_date - i.requested_on as waiting_days,
           case when i.households_served > 0 then i.cost_yuan / i.households_served end as cost_per_household
    from atlas.backlog_item i
    join atlas.community c on c.code = i.community_code
    join atlas.street s on s.code = c.street_code
  ),
  normalised as (
    select r.*,
      coalesce((r.households_served - min(r.households_served) over ())::numeric
               / nullif(max(r.households_served) over () - min(r.households_served) over (), 0), 0) as n_households,
      case when r.complaints is null then 0
           else coalesce((rank() over (partition by r.complaints is null order by r.complaints) - 1)::numeric
                         / nullif(count(*) over (partition by r.complaints is null) - 1, 0), 0) end as n_complaints,
      coalesce((r.severity - 1)::numeric / 4, 0) as n_severity,
      case when r.cost_per_household is null then 0
           else coalesce((rank() over (partition by r.cost_per_household is null order by r.cost_per_household desc) - 1)::numeric
                         / nullif(count(*) over (partition by r.cost_per_household is null) - 1, 0), 0) end as n_cost_per_household,
      case when r.village then 1 else 0 end::numeric as n_village,
      coalesce((r.waiting_days - min(r.waiting_days) over ())::numeric
               / nullif(max(r.waiting_days) over () - min(r.waiting_days) over (), 0), 0) as n_waiting
    from raw r
  ),
  parts as (
    select n.*,
      round(100 * w.households * n.n_households / w.total, 2) as p_households,
      round(100 * w.complaints * n.n_complaints / w.total, 2) as p_complaints,
      round(100 * w.severity * n.n_severity / w.total, 2) as p_severity,
      round(100 * w.cost_per_household * n.n_cost_per_household / w.total, 2) as p_cost_per_household,
      round(100 * w.village * n.n_village / w.total, 2) as p_village,
      round(100 * w.waiting * n.n_waiting / w.total, 2) as p_waiting
    from normalised n cross join w
  ),
  scored as (
    select p.*, p.p_households + p.p_complaints + p.p_severity + p.p_cost_per_household + p.p_village + p.p_waiting as score
    from parts p
    where only_code is null or p.code = only_code
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'code', s.code, 'name', s.name, 'category', s.category, 'status', s.status, 'version', s.version,
      'cost_yuan', s.cost_yuan, 'households_served', s.households_served, 'complaints', s.complaints, 'severity', s.severity,
      'requested_on', s.requested_on, 'waiting_days', s.waiting_days, 'village', s.village,
      'community_code', s.community_code, 'community_name', s.community_name, 'street_code', s.street_code, 'street_name', s.street_name,
      'depends_on', coalesce((select jsonb_agg(d.depends_on order by d.depends_on) from atlas.backlog_dependency d where d.item_code = s.code), '[]'::jsonb),
      'factors', jsonb_build_object(
        'households', jsonb_build_object('raw', s.households_served, 'normalised', round(s.n_households, 4), 'part', s.p_households),
        'complaints', jsonb_build_object('raw', s.complaints, 'normalised', round(s.n_complaints, 4), 'part', s.p_complaints),
        'severity', jsonb_build_object('raw', s.severity, 'normalised', round(s.n_severity, 4), 'part', s.p_severity),
        'cost_per_household', jsonb_build_object('raw', round(s.cost_per_household, 2), 'normalised', round(s.n_cost_per_household, 4), 'part', s.p_cost_per_household),
        'village', jsonb_build_object('raw', s.n_village, 'normalised', s.n_village, 'part', s.p_village),
        'waiting', jsonb_build_object('raw', s.waiting_days, 'normalised', round(s.n_waiting, 4), 'part', s.p_waiting)),
      'score', s.score, 'updated_at', s.updated_at, 'updated_by', s.updated_by)
      || case when with_geometry then jsonb_build_object('geometry', st_asgeojson(s.geom, 7)::jsonb) else '{}'::jsonb end
    order by s.score desc, s.code), '[]'::jsonb)
  from scored s
$$;

-- One item as the API returns it after a change.
create function atlas.backlog_item_json(item_code text) returns json
language sql stable
set search_path = atlas, pg_temp
as $$
  select (atlas.backlog_items_json((atlas.backlog_current_weights()).weights, false, backlog_item_json.item_code) -> 0)::json
$$;

-- A change from the history in words: who did what when, for the refusal of a stale edit.
create function atlas.backlog_change_words(c atlas.backlog_change) returns text
language sql stable
set search_path = pg_temp
as $$
  select format('%s %s at %s%s', coalesce(c.changed_by, 'someone'),
    coalesce('set ' || (select string_agg(
        case when k = 'geom' then 'the geometry'
             else format('%s %s → %s', k, coalesce(c.changes -> k -> 0 #>> '{}', 'nothing'), coalesce(c.changes -> k -> 1 #>> '{}', 'nothing')) end,
        ', ' order by k = 'status' desc, k) from jsonb_object_keys(c.changes) k), 'saved it unchanged'),
    to_char(c.changed_at, 'YYYY-MM-DD HH24:MI'),
    case when c.remark is not null then format(' (%s)', c.remark) else '' end)
$$;

-- Refuses an edit that started from an older version of the item, naming every change since.
create function atlas.backlog_require_version(item atlas.backlog_item, loaded integer) returns void
language plpgsql stable
set search_path = atlas, pg_temp
as $$
declare
  since text;
begin
  if loaded is null or loaded = item.version then
    return;
  end if;
  if loaded < 1 or loaded > item.version then
    raise exception using errcode = '22023',
      message = format('%s has no version %s: it is at version %s', item.code, loaded, item.version),
      hint = 'Send the version you loaded the item at.';
  end if;
  select string_agg(atlas.backlog_change_words(c), '; ' order by c.version, c.id) into since
  from atlas.backlog_change c where c.item_code = item.code and c.version > loaded;
  raise exception using errcode = 'PT409',
    message = format('%s changed since you loaded it (version %s, now %s): %s; reload and try again',
                     item.code, loaded, item.version, coalesce(since, 'its history is gone')),
    hint = 'Reload the item, look at what changed, and make your change again if it still holds.';
end
$$;

create function atlas.backlog_require_works(role atlas.app_role, what text) returns void
language plpgsql immutable
set search_path = pg_temp
as $$
begin
  if role is distinct from 'works' then
    raise exception using errcode = '42501',
      message = format('only the construction bureau (works) %s; you are signed in as %s', what, role),
      hint = 'Leaders and planners read the backlog; ask the construction bureau to make the change.';
  end if;
end
$$;

-- ── policies ─────────────────────────────────────────────────────────────────────────────
-- The construction bureau keeps the dependencies and adds to the histories; every role reads;
-- no one edits or removes a history row (removing an item takes its history with it).
select atlas.create_role_policies('atlas.backlog_dependency', 'works');
create policy backlog_change_read on atlas.backlog_change for select to authenticated
  using ((select atlas.has_app_role('leader', 'planner', 'works')));
create policy backlog_change_insert on atlas.backlog_change for insert to authenticated
  with check ((select atlas.has_app_role('works')));
create policy backlog_weight_read on atlas.backlog_weight for select to authenticated
  using ((select atlas.has_app_role('leader', 'planner', 'works')));
create policy backlog_weight_insert on atlas.backlog_weight for insert to authenticated
  with check ((select atlas.has_app_role('works')));

-- ── functions ────────────────────────────────────────────────────────────────────────────
create function public.backlog_scores(weights jsonb default null, with_geometry boolean default false)
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  stored atlas.backlog_weight;
  used jsonb;
  problem text;
begin
  perform atlas.require_app_role();
  if backlog_scores.weights is not null then
    problem := atlas.backlog_weights_problem(backlog_scores.weights);
    if problem is not null then
      raise exception using errcode = '22023', message = problem,
        hint = 'Weights are numbers of 0 or more, one for each factor, not all 0: {"households": 0.25, "complaints": 0.15, "severity": 0.25, "cost_per_household": 0.15, "village": 0.1, "waiting": 0.1}.';
    end if;
    used := backlog_scores.weights;
  else
    stored := atlas.backlog_current_weights();
    used := coalesce(stored.weights, (select jsonb_object_agg(f.key, f.default_weight) from atlas.backlog_factors() f));
  end if;
  return json_build_object(
    'weights', (select json_object_agg(f.key, (used ->> f.key)::numeric order by f.n) from atlas.backlog_factors() f),
    'weights_set_by', stored.set_by,
    'weights_set_at', stored.set_at,
    'preview', backlog_scores.weights is not null,
    'factors', (select json_agg(json_build_object('key', f.key, 'label_zh', f.label_zh, 'label_en', f.label_en,
                  'rule_zh', f.rule_zh, 'rule_en', f.rule_en, 'rule', f.rule, 'weight', (used ->> f.key)::numeric) order by f.n)
                from atlas.backlog_factors() f),
    'items', atlas.backlog_items_json(used, coalesce(backlog_scores.with_geometry, false)),
    'total_cost_yuan', (select coalesce(sum(i.cost_yuan), 0) from atlas.backlog_item i),
    'as_of', now());
end
$$;
comment on function public.backlog_scores is
  'Every backlog item with its score broken down by factor (raw value, 0–1 value by the stated rule, part); the stored weights, or the given ones as a preview that writes nothing';

create function public.backlog_history(code text)
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  if not exists (select 1 from atlas.backlog_item i where i.code = backlog_history.code) then
    raise exception using errcode = 'P0002', message = format('there is no backlog item %s', coalesce(backlog_history.code, 'null'));
  end if;
  return (select coalesce(json_agg(json_build_object('version', c.version, 'changed_by', c.changed_by, 'changed_at', c.changed_at,
            'changes', c.changes, 'remark', c.remark) order by c.version desc, c.id desc), '[]'::json)
          from atlas.backlog_change c where c.item_code = backlog_history.code);
end
$$;
comment on function public.backlog_history is 'Every change of a backlog item, newest first: who, when, field → [before, after], and the remark';

create function public.set_backlog_status(code text, status text, version integer default null, remark text default null)
returns json
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  item atlas.backlog_item;
  problem text;
begin
  perform atlas.backlog_require_works(atlas.require_app_role(), 'changes the status of backlog items');
  if set_backlog_status.status is null or not set_backlog_status.status = any (array['proposed', 'approved', 'in_progress', 'done', 'rejected']) then
    raise exception using errcode = '22023',
      message = format('%s is not a status: the statuses are proposed, approved, in_progress, done and rejected', coalesce(set_backlog_status.status, 'null'));
  end if;
  if length(set_backlog_status.remark) > 2000 then
    raise exception using errcode = '22023', message = format('the remark has %s characters; at most 2,000', length(set_backlog_status.remark));
  end if;
  select * into item from atlas.backlog_item i where i.code = set_backlog_status.code for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('there is no backlog item %s', coalesce(set_backlog_status.code, 'null'));
  end if;
  perform atlas.backlog_require_version(item, set_backlog_status.version);
  if item.status = set_backlog_status.status then
    raise exception using errcode = '22023', message = format('%s is %s already', item.code, item.status);
  end if;
  problem := atlas.backlog_step_problem(item.status, set_backlog_status.status);
  if problem is not null then
    raise exception using errcode = '23514', message = format('%s: %s', item.code, problem),
      hint = 'Move the status one step at a time: proposed → approved → in_progress → done, or rejected (and reopened as proposed).';
  end if;
  perform set_config('atlas.backlog_remark', coalesce(set_backlog_status.remark, ''), true);
  update atlas.backlog_item i set status = set_backlog_status.status where i.code = item.code;
  perform set_config('atlas.backlog_remark', '', true);
  return atlas.backlog_item_json(item.code);
end
$$;
comment on function public.set_backlog_status is
  'The construction bureau moves an item one step (proposed → approved → in_progress → done, or rejected, reopened as proposed), with a remark; version, when given, must be the current one';

create function public.edit_backlog_item(code text, version integer, changes jsonb, remark text default null)
returns json
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  fields text[] := array['name', 'category', 'cost_yuan', 'households_served', 'complaints', 'severity', 'requested_on', 'depends_on'];
  categories text[] := array['硬化', '亮化', '绿化', '洁化', '供水', '排污'];
  item atlas.backlog_item;
  field text;
  v jsonb;
  bad text;
  deps text[];
  before_deps text[];
  cycle text;
begin
  perform atlas.backlog_require_works(atlas.require_app_role(), 'edits backlog items');
  if edit_backlog_item.version is null then
    raise exception using errcode = '22023', message = 'give the version of the item you loaded: the edit is refused if it changed since';
  end if;
  if edit_backlog_item.changes is null or jsonb_typeof(edit_backlog_item.changes) <> 'object' or edit_backlog_item.changes = '{}'::jsonb then
    raise exception using errcode = '22023', message = 'changes must be an object of the fields to change, e.g. {"cost_yuan": 1200000}',
      hint = format('Editable fields: %s.', array_to_string(fields, ', '));
  end if;
  select string_agg(k, ', ' order by k) into bad from jsonb_object_keys(edit_backlog_item.changes) k where not k = any (fields);
  if bad is not null then
    raise exception using errcode = '22023', message = format('unknown field %s: the editable fields are %s', bad, array_to_string(fields, ', '));
  end if;
  -- each value, in words, before anything is written; a value is cast only once its type is known
  for field, v in select e.key, e.value from jsonb_each(edit_backlog_item.changes) e order by array_position(fields, e.key) loop
    bad := null;
    if field = 'name' then
      if jsonb_typeof(v) <> 'string' then
        bad := format('name must be text of 1 to 200 characters, not %s', v);
      elsif length(btrim(v #>> '{}')) not between 1 and 200 then
        bad := format('name must be text of 1 to 200 characters; %s has %s', v, length(btrim(v #>> '{}')));
      end if;
    elsif field = 'category' then
      if jsonb_typeof(v) <> 'string' or not (v #>> '{}') = any (categories) then
        bad := format('unknown category %s: the categories are %s', v #>> '{}', array_to_string(categories, ', '));
      end if;
    elsif field = 'cost_yuan' then
      if jsonb_typeof(v) <> 'number' then
        bad := format('cost_yuan must be a number of yuan, not %s', v);
      elsif (v #>> '{}')::numeric < 0 then
        bad := format('cost_yuan %s is negative: a cost is 0 or more', v);
      end if;
    elsif field in ('households_served', 'complaints', 'severity') then
      if jsonb_typeof(v) = 'null' then
        null;
      elsif jsonb_typeof(v) <> 'number' then
        bad := format('%s must be a whole number, not %s', field, v);
      elsif (v #>> '{}')::numeric <> trunc((v #>> '{}')::numeric) or abs((v #>> '{}')::numeric) > 2147483647 then
        bad := format('%s must be a whole number, not %s', field, v);
      elsif field = 'severity' and (v #>> '{}')::numeric not between 1 and 5 then
        bad := format('severity %s is not between 1 (minor) and 5 (urgent)', v);
      elsif (v #>> '{}')::numeric < 0 then
        bad := format('%s %s is negative: it is 0 or more', field, v);
      end if;
    elsif field = 'requested_on' then
      if jsonb_typeof(v) = 'null' then
        null;
      elsif jsonb_typeof(v) <> 'string' or (v #>> '{}') !~ '^\d{4}-\d{2}-\d{2}$' then
        bad := format('requested_on must be a date YYYY-MM-DD, not %s', v);
      else
        begin
          if (v #>> '{}')::date > current_date then
            bad := format('requested_on %s is in the future', v #>> '{}');
          end if;
        exception when others then
          bad := format('requested_on %s is not a date', v #>> '{}');
        end;
      end if;
    elsif field = 'depends_on' then
      if jsonb_typeof(v) <> 'null' and (jsonb_typeof(v) <> 'array' or exists (select 1 from jsonb_array_elements(v) x where jsonb_typeof(x) <> 'string')) then
        bad := format('depends_on must be a list of item codes, not %s', v);
      end if;
    end if;
    if bad is not null then
      raise exception using errcode = '22023', message = bad;
    end if;
  end loop;
  if length(edit_backlog_item.remark) > 2000 then
    raise exception using errcode = '22023', message = format('the remark has %s characters; at most 2,000', length(edit_backlog_item.remark));
  end if;
  select * into item from atlas.backlog_item i where i.code = edit_backlog_item.code for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('there is no backlog item %s', coalesce(edit_backlog_item.code, 'null'));
  end if;
  perform atlas.backlog_require_version(item, edit_backlog_item.version);
  if edit_backlog_item.changes ? 'depends_on' then
    deps := array(select distinct x from jsonb_array_elements_text(coalesce(nullif(edit_backlog_item.changes -> 'depends_on', 'null'::jsonb), '[]'::jsonb)) x order by x);
    select string_agg(d, ', ' order by d) into bad from unnest(deps) d
    where not exists (select 1 from atlas.backlog_item i where i.code = d);
    if bad is not null then
      raise exception using errcode = '22023', message = format('depends_on names no item: %s', bad);
    end if;
    if item.code = any (deps) then
      raise exception using errcode = '22023', message = format('%s cannot depend on itself', item.code);
    end if;
    cycle := atlas.backlog_cycle(item.code, deps);
    if cycle is not null then
      raise exception using errcode = '22023', message = format('a dependency cycle: %s', cycle),
        hint = 'An item waits for others that come first; remove one of the dependencies of the cycle.';
    end if;
    before_deps := array(select d.depends_on from atlas.backlog_dependency d where d.item_code = item.code order by d.depends_on);
    if deps is distinct from before_deps then
      delete from atlas.backlog_dependency d where d.item_code = item.code;
      insert into atlas.backlog_dependency (item_code, depends_on) select item.code, d from unnest(deps) d;
      perform set_config('atlas.backlog_also_changed', jsonb_build_object('depends_on', jsonb_build_array(to_jsonb(before_deps), to_jsonb(deps)))::text, true);
    end if;
  end if;
  perform set_config('atlas.backlog_remark', coalesce(edit_backlog_item.remark, ''), true);
  update atlas.backlog_item i set
    name = case when edit_backlog_item.changes ? 'name' then btrim(edit_backlog_item.changes ->> 'name') else i.name end,
    category = case when edit_backlog_item.changes ? 'category' then edit_backlog_item.changes ->> 'category' else i.category end,
    cost_yuan = case when edit_backlog_item.changes ? 'cost_yuan' then (edit_backlog_item.changes ->> 'cost_yuan')::numeric else i.cost_yuan end,
    households_served = case when edit_backlog_item.changes ? 'households_served'
                             then (edit_backlog_item.changes ->> 'households_served')::numeric::integer else i.households_served end,
    complaints = case when edit_backlog_item.changes ? 'complaints' then (edit_backlog_item.changes ->> 'complaints')::numeric::integer else i.complaints end,
    severity = case when edit_backlog_item.changes ? 'severity' then (edit_backlog_item.changes ->> 'severity')::numeric::smallint else i.severity end,
    requested_on = case when edit_backlog_item.changes ? 'requested_on' then (edit_backlog_item.changes ->> 'requested_on')::date else i.requested_on end
  where i.code = item.code;
  perform set_config('atlas.backlog_remark', '', true);
  perform set_config('atlas.backlog_also_changed', '', true);
  return atlas.backlog_item_json(item.code);
end
$$;
comment on function public.edit_backlog_item is
  'The construction bureau edits an item (name, category, cost_yuan, households_served, complaints, severity, requested_on, depends_on), from the version it loaded: a stale version is refused with the changes since';

create function public.set_backlog_weights(weights jsonb)
returns json
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  problem text;
  stored atlas.backlog_weight;
begin
  perform atlas.backlog_require_works(atlas.require_app_role(), 'sets the weights of the score');
  problem := atlas.backlog_weights_problem(set_backlog_weights.weights);
  if problem is not null then
    raise exception using errcode = '22023', message = problem,
      hint = 'Weights are numbers of 0 or more, one for each factor, not all 0: {"households": 0.25, "complaints": 0.15, "severity": 0.25, "cost_per_household": 0.15, "village": 0.1, "waiting": 0.1}.';
  end if;
  insert into atlas.backlog_weight (weights, set_by)
  values (set_backlog_weights.weights, atlas.current_user_label())
  returning * into stored;
  return json_build_object(
    'weights', (select json_object_agg(f.key, (stored.weights ->> f.key)::numeric order by f.n) from atlas.backlog_factors() f),
    'set_by', stored.set_by, 'set_at', stored.set_at);
end
$$;
comment on function public.set_backlog_weights is 'The construction bureau sets the weights of the score''s six factors; kept with who and when';

create function public.backlog_weight_history()
returns json
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
begin
  perform atlas.require_app_role();
  return (select coalesce(json_agg(json_build_object(
            'weights', (select json_object_agg(f.key, (w.weights ->> f.key)::numeric order by f.n) from atlas.backlog_factors() f),
            'set_by', w.set_by, 'set_at', w.set_at) order by w.set_at desc, w.id desc), '[]'::json)
          from atlas.backlog_weight w);
end
$$;
comment on function public.backlog_weight_history is 'Every set of weights of the score, newest first (the first is in force), with who set it and when';

-- ── grants ───────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on atlas.backlog_dependency to authenticated;
grant select, insert on atlas.backlog_change, atlas.backlog_weight to authenticated;
grant all on atlas.backlog_change, atlas.backlog_dependency, atlas.backlog_weight to service_role;
grant usage on all sequences in schema atlas to authenticated, service_role;
grant execute on function atlas.backlog_factors(), atlas.backlog_weights_problem(jsonb), atlas.backlog_next_statuses(text),
  atlas.backlog_step_problem(text, text), atlas.backlog_row_changes(atlas.backlog_item, atlas.backlog_item),
  atlas.backlog_item_versioned(), atlas.backlog_item_recorded(), atlas.backlog_cycle(text, text[]), atlas.backlog_dependency_acyclic(),
  atlas.backlog_current_weights(), atlas.backlog_items_json(jsonb, boolean, text), atlas.backlog_item_json(text),
  atlas.backlog_change_words(atlas.backlog_change), atlas.backlog_require_version(atlas.backlog_item, integer),
  atlas.backlog_require_works(atlas.app_role, text) to authenticated, service_role;
revoke all on function public.backlog_scores(jsonb, boolean) from public;
grant execute on function public.backlog_scores(jsonb, boolean) to anon, authenticated, service_role;
revoke all on function public.backlog_history(text) from public;
grant execute on function public.backlog_history(text) to anon, authenticated, service_role;
revoke all on function public.set_backlog_status(text, text, integer, text) from public;
grant execute on function public.set_backlog_status(text, text, integer, text) to anon, authenticated, service_role;
revoke all on function public.edit_backlog_item(text, integer, jsonb, text) from public;
grant execute on function public.edit_backlog_item(text, integer, jsonb, text) to anon, authenticated, service_role;
revoke all on function public.set_backlog_weights(jsonb) from public;
grant execute on function public.set_backlog_weights(jsonb) to anon, authenticated, service_role;
revoke all on function public.backlog_weight_history() from public;
grant execute on function public.backlog_weight_history() to anon, authenticated, service_role;
