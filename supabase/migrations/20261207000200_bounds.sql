-- Every number a user writes has a stated bound, so that one absurd value (a cost of 1e308, a weight
-- of 1e300) cannot be stored and then break a sum, a score or a view for everyone. The bounds are
-- the importer's too (src/shared/layers.ts, checked against these by tests/db/bounds.test.ts):
-- generous for any city, far below what arithmetic cannot carry.
-- Sections: constraints · the backlog's words · weights

-- ── constraints ──────────────────────────────────────────────────────────────────────────
-- NOT VALID: rows stored before are not re-read (a folder with an absurd row still opens), but any
-- new row, and any change to an old one, must hold.
do $$
declare
  bound record;
begin
  for bound in
    select * from (values
      ('community', 'registered_population', 10000000::numeric),
      ('community', 'resident_population', 10000000),
      ('community', 'households', 5000000),
      ('community', 'service_area_m2', 10000000),
      ('community', 'full_time_workers', 100000),
      ('grid', 'households', 5000000),
      ('micro_grid', 'households', 5000000),
      ('facility', 'floor_area_m2', 10000000),
      ('walk_edge', 'length_m', 1000000),
      ('residence', 'households', 100000),
      ('residence', 'residents', 1000000),
      ('backlog_item', 'cost_yuan', 100000000000),
      ('backlog_item', 'households_served', 5000000),
      ('backlog_item', 'complaints', 1000000)
    ) v (table_name, column_name, maximum)
  loop
    execute format('alter table atlas.%I add constraint %I check (%I <= %s) not valid',
      bound.table_name, bound.table_name || '_' || bound.column_name || '_bound', bound.column_name, bound.maximum);
  end loop;
end
$$;

-- ── the backlog's words ──────────────────────────────────────────────────────────────────
-- The backlog is edited through the API: a value out of bounds is refused in words before the
-- constraint would refuse it in its own. Named to fire before the versioning trigger.
create function atlas.backlog_item_bounds() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.cost_yuan > 100000000000 then
    raise exception using errcode = '22023',
      message = format('cost_yuan %s is above ¥100,000,000,000 (1,000 亿元), the most one work may cost', new.cost_yuan),
      hint = 'Give the cost in yuan.';
  end if;
  if new.households_served > 5000000 then
    raise exception using errcode = '22023', message = format('households_served %s is above 5,000,000, the most one work may serve', new.households_served);
  end if;
  if new.complaints > 1000000 then
    raise exception using errcode = '22023', message = format('complaints %s is above 1,000,000, the most one item may count', new.complaints);
  end if;
  return new;
end
$$;
create trigger backlog_item_bounds before insert or update on atlas.backlog_item
  for each row execute function atlas.backlog_item_bounds();

-- ── weights ──────────────────────────────────────────────────────────────────────────────
-- The score's weights: as before, and each at most 1,000 (they are relative: only their ratios count).
create or replace function atlas.backlog_weights_problem(weights jsonb) returns text
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
  -- named, not quoted: such a number may run to hundreds of digits
  select string_agg(k, ', ' order by array_position(factor_keys, k)) into bad
  from unnest(factor_keys) k where (weights ->> k)::numeric > 1000;
  if bad is not null then
    return format('a weight above 1,000: %s; weights are at most 1,000 (only their ratios count)', bad);
  end if;
  if (select sum((weights ->> k)::numeric) from unnest(factor_keys) k) = 0 then
    return 'every weight is 0: at least one factor must count';
  end if;
  return null;
end
$$;
