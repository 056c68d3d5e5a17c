-- A refresh token used a second time ends its session, as GoTrue does: the token was copied (it
-- changes at every use, so the browser that holds the session never sends a spent one), and
-- whoever holds the session's current one may be the thief. The spent tokens are kept, as hashes,
-- for as long as their session is.

create table atlas_auth.spent_refresh (
  refresh_hash text primary key check (refresh_hash ~ '^[0-9a-f]{64}$'),
  session_id uuid not null references atlas_auth.session (id) on delete cascade,
  spent_at timestamptz not null default now()
);
comment on table atlas_auth.spent_refresh is 'Refresh tokens already exchanged (sha-256 hashes): one presented again ends its session';
create index spent_refresh_session on atlas_auth.spent_refresh (session_id);
alter table atlas_auth.spent_refresh enable row level security;

alter table atlas_auth.session drop constraint session_ended_why_check;
alter table atlas_auth.session add constraint session_ended_why_check
  check (ended_why in ('signed_out', 'signed_out_everywhere', 'role_changed', 'password_changed', 'demo_ended', 'refresh_reused'));
revoke all on atlas_auth.spent_refresh from public, anon, authenticated, service_role;
