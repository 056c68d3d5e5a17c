-- Logs in as each role the way PostgREST does and checks what the policies and the nesting
-- trigger allow. Fails by raising; ends in ROLLBACK, so it leaves nothing behind.
begin;

insert into atlas.street (code, name, kind, geom) values
  ('331181001', '龙渊街道', '街道', extensions.st_geomfromtext('MULTIPOLYGON(((119.13 28.06, 119.17 28.06, 119.17 28.1, 119.13 28.1, 119.13 28.06)))', 4326));

-- A community 3 m outside its street is digitising noise and is kept…
insert into atlas.community (code, street_code, name, community_type, geom) values
  ('331181001001', '331181001', '大洋社区', '纯居型', extensions.st_geomfromtext('MULTIPOLYGON(((119.13 28.06, 119.15 28.06, 119.15 28.10003, 119.13 28.10003, 119.13 28.06)))', 4326));

-- …one 300 m outside is refused, naming both codes.
do $$
begin
  insert into atlas.community (code, street_code, name, community_type, geom) values
    ('331181001002', '331181001', '金乐社区', '纯居型', extensions.st_geomfromtext('MULTIPOLYGON(((119.15 28.06, 119.173 28.06, 119.173 28.1, 119.15 28.1, 119.15 28.06)))', 4326));
  raise exception 'a community outside its street was kept';
exception when check_violation then
  if sqlerrm not like 'community 331181001002 lies outside its parent street 331181001%' then
    raise exception 'unexpected message: %', sqlerrm;
  end if;
end
$$;

-- A grid's code must extend its community's.
do $$
begin
  insert into atlas.grid (code, community_code, name, geom) values
    ('331181001002001', '331181001001', '第1网格', extensions.st_geomfromtext('MULTIPOLYGON(((119.13 28.06, 119.14 28.06, 119.14 28.07, 119.13 28.07, 119.13 28.06)))', 4326));
  raise exception 'a grid whose code does not extend its community''s was kept';
exception when check_violation then null;
end
$$;

-- Each role, as PostgREST sets it.
set local role authenticated;

select set_config('request.jwt.claims', '{"role":"authenticated","app_metadata":{"app_role":"leader"}}', true);
do $$
begin
  assert atlas.current_app_role() = 'leader', 'the leader claim is read';
  assert (select count(*) from atlas.community) = 1, 'a leader reads communities';
  assert (select count(*) from atlas.standard) >= 7, 'a leader reads the standards';
  update atlas.community set households = 1;
  assert not found, 'a leader cannot edit communities';
end
$$;

select set_config('request.jwt.claims', '{"role":"authenticated","app_metadata":{"app_role":"planner"}}', true);
do $$
begin
  update atlas.community set households = 700 where code = '331181001001';
  assert found, 'a planner edits communities';
  -- a leader changes the standards (public.set_standard); a planner's update reaches no row
  update atlas.standard set value_min = 1;
  assert not found, 'a planner edited the standards';
end
$$;

-- A user who set app_role in user_metadata (which users may edit) gets nothing.
select set_config('request.jwt.claims', '{"role":"authenticated","user_metadata":{"app_role":"planner"}}', true);
do $$
begin
  assert atlas.current_app_role() is null, 'user_metadata is not trusted';
  assert (select count(*) from atlas.community) = 0, 'no role, no rows';
end
$$;

rollback;
