// The accounts, sessions and sign-ins of the embedded server, in the schema atlas_auth: the SQL
// the command line (on a free folder) and the server (for `atlas user` while it runs, and for
// sign-in) share. Each writer is meant to run in one transaction its caller opens; the schema is
// reached as the database's owner, never as an API caller.
import type { Queryable } from '../db/database.ts'
import { appRoles, isAppRole, type AppRole } from '../shared/roles.ts'
import { isPasswordHash } from './password.ts'

/** Input the accounts refuse (unknown or duplicate email, a bad email, an unknown role), in words. */
export class AccountError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AccountError'
  }
}

export interface Account {
  id: string
  email: string
  role: AppRole
  createdAt: string
  lastSignInAt: string | null
}

/** An account as sign-in needs it, with its password hash. */
export interface StoredAccount {
  id: string
  email: string
  role: AppRole
  createdAt: string
  passwordHash: string
}

export const maxEmailLength = 254

/** The email as stored (trimmed, lower case), or an AccountError saying what is wrong with it. */
export function normaliseEmail(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new AccountError('the email is empty')
  const email = raw.trim().toLowerCase()
  if (email.length > maxEmailLength) throw new AccountError(`the email is longer than ${maxEmailLength} characters`)
  if (/\s/.test(email)) throw new AccountError(`"${email}" is not an email: it contains a space`)
  const at = email.split('@').length - 1
  if (at !== 1) throw new AccountError(`"${email}" is not an email: it needs exactly one @, with a name before it and a domain after it`)
  const [name, domain] = email.split('@')
  if (!name || !domain) throw new AccountError(`"${email}" is not an email: it needs a name before the @ and a domain after it`)
  return email
}

/** The role as given, or an AccountError naming the roles. */
export function checkRole(raw: unknown): AppRole {
  if (raw === undefined || raw === null || raw === '') throw new AccountError(`the role is missing: one of ${appRoles.join(', ')}`)
  if (!isAppRole(raw)) throw new AccountError(`unknown role "${typeof raw === 'string' ? raw : JSON.stringify(raw)}": one of ${appRoles.join(', ')}`)
  return raw
}

function checkHash(passwordHash: unknown): string {
  if (!isPasswordHash(passwordHash)) throw new AccountError('the password must arrive as a scrypt hash made by the command line, never in plain text')
  return passwordHash
}

const accountColumns = `a.id::text as id, a.email, a.role::text as role, a.created_at as "createdAt",
  (select max(s.at) from atlas_auth.sign_in s where s.account_id = a.id and s.outcome = 'ok') as "lastSignInAt"`

interface AccountRow {
  id: string
  email: string
  role: AppRole
  createdAt: Date | string
  lastSignInAt: Date | string | null
}

const iso = (value: Date | string) => new Date(value).toISOString()
const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  email: row.email,
  role: row.role,
  createdAt: iso(row.createdAt),
  lastSignInAt: row.lastSignInAt === null ? null : iso(row.lastSignInAt),
})

async function accountByEmail(db: Queryable, email: string): Promise<Account> {
  const { rows } = await db.query<AccountRow>(`select ${accountColumns} from atlas_auth.account a where a.email = $1`, [email])
  if (!rows.length) throw new AccountError(`there is no account for ${email}`)
  return toAccount(rows[0])
}

export async function addAccount(db: Queryable, input: { email: unknown; role: unknown; passwordHash: unknown }): Promise<Account> {
  const email = normaliseEmail(input.email)
  const role = checkRole(input.role)
  const passwordHash = checkHash(input.passwordHash)
  const { rows } = await db.query<AccountRow>(
    `insert into atlas_auth.account as a (email, role, password_hash) values ($1, $2, $3)
     on conflict (email) do nothing
     returning a.id::text as id, a.email, a.role::text as role, a.created_at as "createdAt", null as "lastSignInAt"`,
    [email, role, passwordHash],
  )
  if (!rows.length) throw new AccountError(`an account for ${email} already exists`)
  return toAccount(rows[0])
}

export async function listAccounts(db: Queryable): Promise<Account[]> {
  const { rows } = await db.query<AccountRow>(`select ${accountColumns} from atlas_auth.account a order by a.email`)
  return rows.map(toAccount)
}

export async function countAccounts(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from atlas_auth.account')
  return rows[0].n
}

/** The account for sign-in, with its hash; undefined when there is none (or the email cannot be one). */
export async function findAccount(db: Queryable, email: string): Promise<StoredAccount | undefined> {
  const { rows } = await db.query<StoredAccount & { createdAt: Date | string }>(
    `select id::text as id, email, role::text as role, created_at as "createdAt", password_hash as "passwordHash" from atlas_auth.account where email = $1`,
    [email],
  )
  return rows[0] && { ...rows[0], createdAt: iso(rows[0].createdAt) }
}

/** A new role; the account's sessions end, so its next token carries the new role. */
export async function setAccountRole(db: Queryable, emailInput: unknown, roleInput: unknown): Promise<Account> {
  const email = normaliseEmail(emailInput)
  const role = checkRole(roleInput)
  const account = await accountByEmail(db, email)
  await db.query('update atlas_auth.account set role = $2, updated_at = now() where id = $1', [account.id, role])
  await endAccountSessions(db, account.id, 'role_changed')
  return { ...account, role }
}

/** Removes the account; its sessions go with it, and its sign-ins stay, without it. */
export async function removeAccount(db: Queryable, emailInput: unknown): Promise<Account> {
  const email = normaliseEmail(emailInput)
  const account = await accountByEmail(db, email)
  await db.query('delete from atlas_auth.account where id = $1', [account.id])
  return account
}

/** A new password (as its hash); the account's sessions end. */
export async function setAccountPassword(db: Queryable, emailInput: unknown, passwordHash: unknown): Promise<Account> {
  const email = normaliseEmail(emailInput)
  const hash = checkHash(passwordHash)
  const account = await accountByEmail(db, email)
  await db.query('update atlas_auth.account set password_hash = $2, updated_at = now() where id = $1', [account.id, hash])
  await endAccountSessions(db, account.id, 'password_changed')
  return account
}

// ── sessions ──────────────────────────────────────────────────────────────────────────────

export type EndedWhy = 'signed_out' | 'signed_out_everywhere' | 'role_changed' | 'password_changed' | 'demo_ended' | 'refresh_reused'

/** Who a live session is: an account (with its role now), or a demonstration account by role. */
export interface LiveSession {
  id: string
  accountId: string | null
  demoRole: AppRole | null
  email: string | null
  role: AppRole
  createdAt: string | null
}

export async function startSession(db: Queryable, who: { accountId: string } | { demoRole: AppRole }, refreshHash: string, seconds: number): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into atlas_auth.session (account_id, demo_role, refresh_hash, expires_at)
     values ($1, $2, $3, now() + make_interval(secs => $4)) returning id::text as id`,
    ['accountId' in who ? who.accountId : null, 'demoRole' in who ? who.demoRole : null, refreshHash, seconds],
  )
  return rows[0].id
}

const liveColumns = `s.id::text as id, s.account_id::text as "accountId", s.demo_role::text as "demoRole", a.email,
  coalesce(a.role, s.demo_role)::text as role, a.created_at as "createdAt"`

type LiveRow = Omit<LiveSession, 'createdAt'> & { createdAt: Date | string | null }
const toLive = (row: LiveRow): LiveSession => ({ ...row, createdAt: row.createdAt === null ? null : iso(row.createdAt) })

/**
 * Swaps the refresh token of a live session for a new one; the session as it now stands (the
 * account's current role), or undefined when the token is unknown, used already, or its session ended.
 */
export async function rotateSession(db: Queryable, oldHash: string, newHash: string, seconds: number, demo: boolean): Promise<LiveSession | undefined> {
  const { rows } = await db.query<LiveRow>(
    `with turned as (
       update atlas_auth.session s set refresh_hash = $2, refreshed_at = now(), expires_at = now() + make_interval(secs => $3)
       where s.refresh_hash = $1 and s.ended_at is null and s.expires_at > now() and (s.demo_role is null or $4::boolean)
       returning s.*),
     spent as (insert into atlas_auth.spent_refresh (refresh_hash, session_id) select $1, id from turned)
     select ${liveColumns} from turned s left join atlas_auth.account a on a.id = s.account_id`,
    [oldHash, newHash, seconds, demo],
  )
  return rows[0] && toLive(rows[0])
}

/**
 * A spent refresh token presented again: its session ends (it was copied), and its id is returned;
 * undefined when the token was never one of a session that is still live.
 */
export async function endReusedSession(db: Queryable, spentHash: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `update atlas_auth.session set ended_at = now(), ended_why = 'refresh_reused'
     where id = (select session_id from atlas_auth.spent_refresh where refresh_hash = $1) and ended_at is null returning id`,
    [spentHash],
  )
  return rows[0]?.id
}

/** The session if it is live: not ended, not expired, and a demonstration one only while `demo`. */
export async function liveSession(db: Queryable, id: string, demo: boolean): Promise<LiveSession | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const { rows } = await db.query<LiveRow>(
    `select ${liveColumns} from atlas_auth.session s left join atlas_auth.account a on a.id = s.account_id
     where s.id = $1 and s.ended_at is null and s.expires_at > now() and (s.demo_role is null or $2::boolean)`,
    [id, demo],
  )
  return rows[0] && toLive(rows[0])
}

/** Ends one session; returns whether it was live. */
export async function endSession(db: Queryable, id: string, why: EndedWhy): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false
  const { rows } = await db.query('update atlas_auth.session set ended_at = now(), ended_why = $2 where id = $1 and ended_at is null returning 1', [id, why])
  return rows.length > 0
}

/** Ends every live session of an account (but `except`, when given); returns how many. */
export async function endAccountSessions(db: Queryable, accountId: string, why: EndedWhy, except?: string): Promise<number> {
  const { rows } = await db.query(
    `update atlas_auth.session set ended_at = now(), ended_why = $2
     where account_id = $1 and ended_at is null and ($3::uuid is null or id <> $3::uuid) returning 1`,
    [accountId, why, except ?? null],
  )
  return rows.length
}

/** Ends every live session of a demonstration account (demonstration mode is over). */
export async function endDemoSessions(db: Queryable): Promise<number> {
  const { rows } = await db.query(
    `update atlas_auth.session set ended_at = now(), ended_why = 'demo_ended' where demo_role is not null and ended_at is null returning 1`,
  )
  return rows.length
}

// ── sign-ins ──────────────────────────────────────────────────────────────────────────────

export type SignInOutcome = 'ok' | 'failed' | 'limited'

export async function recordSignIn(db: Queryable, entry: { address: string; email: string; accountId: string | null; outcome: SignInOutcome }): Promise<void> {
  await db.query('insert into atlas_auth.sign_in (address, email, account_id, outcome) values ($1, $2, $3, $4)', [
    entry.address,
    entry.email.slice(0, maxEmailLength),
    entry.accountId,
    entry.outcome,
  ])
}
