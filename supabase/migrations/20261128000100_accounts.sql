-- The embedded server's accounts: who may sign in (with the password stored only as a scrypt
-- hash), their sessions (so a sign-out, a removal or a role change can end them), and every
-- sign-in, failed or not. A schema of its own that no API role may even look into: the server
-- reaches it as the database's owner, never through a caller's role, and the API schema
-- (public) has no function about accounts.
-- Sections: types · tables · triggers · RLS · helpers · policies · functions · grants

create schema if not exists atlas_auth;
comment on schema atlas_auth is 'The embedded server''s accounts, sessions and sign-ins; no API role has any privilege here';

-- ── tables ───────────────────────────────────────────────────────────────────────────────
create table atlas_auth.account (
  id uuid primary key default gen_random_uuid(),
  email text not null unique
    check (email = lower(btrim(email)) and length(email) <= 254 and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  role atlas.app_role not null,
  -- scrypt$N$r$p$<salt base64>$<hash base64>: src/accounts/password.ts
  password_hash text not null check (password_hash ~ '^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table atlas_auth.account is 'Who signs in to the embedded server, with the app role the JWT carries; written by atlas user only';

-- A signed-in browser: its refresh token is stored only as a sha-256 hash and changes at every
-- use. The demonstration accounts are not rows of account: their sessions name the role instead.
create table atlas_auth.session (
  id uuid primary key default gen_random_uuid(),
  account_id uuid references atlas_auth.account (id) on delete cascade,
  demo_role atlas.app_role,
  refresh_hash text not null unique check (refresh_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  refreshed_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ended_at timestamptz,
  ended_why text check (ended_why in ('signed_out', 'signed_out_everywhere', 'role_changed', 'password_changed', 'demo_ended')),
  check ((account_id is null) <> (demo_role is null)),
  check ((ended_at is null) = (ended_why is null))
);
comment on table atlas_auth.session is 'Sessions of the embedded server: one per sign-in, ended by a sign-out, a removal, a role or password change';
create index session_account on atlas_auth.session (account_id) where account_id is not null;

create table atlas_auth.sign_in (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  -- the client's address: the socket's, or the reverse proxy's X-Forwarded-For with --trust-proxy
  address text not null,
  -- as typed (trimmed, lower-cased), known or not; never the password
  email text not null check (length(email) <= 254),
  account_id uuid references atlas_auth.account (id) on delete set null,
  outcome text not null check (outcome in ('ok', 'failed', 'limited'))
);
comment on table atlas_auth.sign_in is 'Every password sign-in to the embedded server, with its time, address, email and outcome';
create index sign_in_account on atlas_auth.sign_in (account_id, at desc) where outcome = 'ok';

-- ── triggers ─────────────────────────────────────────────────────────────────────────────
-- None: accounts are not data. atlas.data_version counts writes to the tables the indicators
-- read, and its triggers name those tables one by one, so a sign-in moves no version.

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
-- On, with no policy: should a grant ever slip in, a caller still sees no row.
alter table atlas_auth.account enable row level security;
alter table atlas_auth.session enable row level security;
alter table atlas_auth.sign_in enable row level security;

-- ── grants ───────────────────────────────────────────────────────────────────────────────
revoke all on schema atlas_auth from public, anon, authenticated, service_role;
revoke all on all tables in schema atlas_auth from public, anon, authenticated, service_role;
revoke all on all sequences in schema atlas_auth from public, anon, authenticated, service_role;
