-- The score's weights are set from the weights one read, named by when they were set: without it
-- the call is refused (PT428), and weights set by someone else since are not overwritten blindly
-- (PT409, naming who set them and when). As a backlog step names its item's version.

drop function public.set_backlog_weights(jsonb);

create function public.set_backlog_weights(weights jsonb, based_on timestamptz default null)
returns json
language plpgsql
set search_path = atlas, extensions, pg_temp
as $$
declare
  problem text;
  current atlas.backlog_weight;
  stored atlas.backlog_weight;
begin
  perform atlas.backlog_require_works(atlas.require_app_role(), 'sets the weights of the score');
  problem := atlas.backlog_weights_problem(set_backlog_weights.weights);
  if problem is not null then
    raise exception using errcode = '22023', message = problem,
      hint = 'Weights are numbers of 0 or more, one for each factor, not all 0: {"households": 0.25, "complaints": 0.15, "severity": 0.25, "cost_per_household": 0.15, "village": 0.1, "waiting": 0.1}.';
  end if;
  current := atlas.backlog_current_weights();
  if based_on is null then
    raise exception using errcode = 'PT428',
      message = format('give the time of the weights you read (based_on: the set_at of the weights in force, %s): a change without it could overwrite one made since',
                       to_char(current.set_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
      hint = 'Send based_on, the set_at of the weights you loaded.';
  end if;
  if current.set_at is distinct from based_on then
    raise exception using errcode = 'PT409',
      message = format('the weights were set by %s at %s, since the ones you read; reload and try again',
                       current.set_by, to_char(current.set_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')),
      hint = 'Reload the weights, look at what changed, and set yours again if they still hold.';
  end if;
  insert into atlas.backlog_weight (weights, set_by)
  values (set_backlog_weights.weights, atlas.current_user_label())
  returning * into stored;
  return json_build_object(
    'weights', (select json_object_agg(f.key, (stored.weights ->> f.key)::numeric order by f.n) from atlas.backlog_factors() f),
    'set_by', stored.set_by, 'set_at', stored.set_at);
end
$$;
comment on function public.set_backlog_weights is 'The construction bureau sets the weights of the score''s six factors from the ones it read (based_on: their set_at); kept with who and when';

revoke all on function public.set_backlog_weights(jsonb, timestamptz) from public;
grant execute on function public.set_backlog_weights(jsonb, timestamptz) to anon, authenticated, service_role;
