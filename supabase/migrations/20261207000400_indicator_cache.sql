-- The indicators' kept answers are keyed by the walk they were computed for. Only walks a person
-- picks are kept — whole minutes and a speed to a tenth of a metre a minute, as the page offers
-- them — and at most the 8 most recent: a walk of 8.001 minutes is computed and answered, not
-- stored, so a stream of odd values can neither bypass the cache for ever nor fill the disk.

alter table atlas.indicator_part add column kept_at timestamptz not null default clock_timestamp();

create function atlas.keep_canonical_walk() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.minutes <> round(new.minutes) or new.speed_m_per_min <> round(new.speed_m_per_min, 1) then
    return null;
  end if;
  return new;
end
$$;

create function atlas.keep_recent_walks() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_table_name = 'indicator_snapshot' then
    delete from atlas.indicator_snapshot s where (s.minutes, s.speed_m_per_min) not in (
      select k.minutes, k.speed_m_per_min from atlas.indicator_snapshot k order by k.computed_at desc limit 8);
  else
    delete from atlas.indicator_part p where p.part = 'coverage' and (p.minutes, p.speed_m_per_min) not in (
      select k.minutes, k.speed_m_per_min from atlas.indicator_part k where k.part = 'coverage' order by k.kept_at desc limit 8);
  end if;
  return null;
end
$$;

create trigger indicator_snapshot_canonical before insert on atlas.indicator_snapshot
  for each row execute function atlas.keep_canonical_walk();
create trigger indicator_part_canonical before insert on atlas.indicator_part
  for each row execute function atlas.keep_canonical_walk();
create trigger indicator_snapshot_recent after insert on atlas.indicator_snapshot
  for each statement execute function atlas.keep_recent_walks();
create trigger indicator_part_recent after insert on atlas.indicator_part
  for each statement execute function atlas.keep_recent_walks();

revoke all on function atlas.keep_canonical_walk(), atlas.keep_recent_walks() from public;
