-- A step or an edit of a backlog item must name the version it was read at: without one, a change
-- made in between would be overwritten blindly. PostgREST answers PT428 with 428 Precondition Required.

create or replace function atlas.backlog_require_version(item atlas.backlog_item, loaded integer) returns void
language plpgsql stable
set search_path = atlas, pg_temp
as $$
declare
  since text;
begin
  if loaded is null then
    raise exception using errcode = 'PT428',
      message = format('give the version of %s you read (it is at version %s): a change without it could overwrite one made since', item.code, item.version),
      hint = 'Send the version you loaded the item at.';
  end if;
  if loaded = item.version then
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
