-- What the caller may change, as row level security itself says: for each layer, the insert
-- policies of its table are read from the catalog and evaluated as the caller. The app shows
-- this (read-only or editable) instead of keeping its own copy of the rules.
-- Sections: functions · grants

set search_path = atlas, extensions, public;

-- ── functions ────────────────────────────────────────────────────────────────────────────
create function public.my_access()
returns jsonb
language plpgsql stable
set search_path = atlas, extensions, pg_temp
as $$
declare
  role atlas.app_role := atlas.require_app_role();
  tbl text;
  layer text;
  allowed boolean;
  policy record;
  writes jsonb := '{}'::jsonb;
begin
  foreach layer in array array['street', 'community', 'grid', 'micro_grid', 'former_village', 'management_area',
                               'facility', 'walk_edge', 'residence', 'backlog', 'basemap'] loop
    tbl := atlas.layer_table(layer);
    allowed := false;
    if has_table_privilege(format('atlas.%I', tbl), 'INSERT') then
      for policy in
        select p.with_check from pg_catalog.pg_policies p
        where p.schemaname = 'atlas' and p.tablename = tbl and p.cmd in ('INSERT', 'ALL')
          and p.roles && array['authenticated', 'public']::name[]
      loop
        execute format('select coalesce((%s)::boolean, false)', coalesce(policy.with_check, 'true')) into allowed;
        exit when allowed;
      end loop;
    end if;
    writes := writes || jsonb_build_object(layer, allowed);
  end loop;
  return jsonb_build_object('role', role, 'write', writes);
end
$$;
comment on function public.my_access is 'The caller''s role and, per layer, whether row level security lets it write';

-- ── grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function public.my_access() from public;
grant execute on function public.my_access() to anon, authenticated, service_role;
