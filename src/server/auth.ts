// The embedded server's side of Supabase Auth: HS256 JWTs signed with the data folder's secret,
// the anon key, and sessions for the accounts `atlas user` adds (schema atlas_auth), so that the
// app signs in with supabase-js exactly as it does against a real Supabase project. The three
// demonstration accounts, one per role, sign in only in demonstration mode: on loopback, while
// no account has been added.
import crypto from 'node:crypto'
import { SignJWT, jwtVerify, errors } from 'jose'
import { verifyPassword, decoyHash } from '../accounts/password.ts'
import {
  countAccounts,
  endAccountSessions,
  endDemoSessions,
  endReusedSession,
  endSession,
  findAccount,
  liveSession,
  rotateSession,
  startSession,
  type LiveSession,
  type StoredAccount,
} from '../accounts/store.ts'
import type { Database } from '../db/database.ts'
import type { JwtClaims } from '../db/session.ts'
import { appRoles, type AppRole } from '../shared/roles.ts'

export { appRoles, type AppRole }

/** Who a token speaks for: an account, or a demonstration account. */
export interface SessionUser {
  id: string
  email: string
  role: AppRole
  createdAt?: string | null
}

export interface LocalAccount extends SessionUser {
  password: string
}

/** The demonstration accounts, with their public passwords: they sign in in demonstration mode only. */
export const localAccounts: readonly LocalAccount[] = appRoles.map((role, i) => ({
  id: `00000000-0000-4000-8000-00000000000${i + 1}`,
  email: `${role}@atlas.local`,
  password: `atlas-${role}`,
  role,
}))

const issuer = 'grassroots-atlas-embedded'
const accessSeconds = 3600
/** A session lives a week after its last refresh. */
const sessionSeconds = 7 * 24 * 3600
/** How long the server trusts its memory that a session is live before asking the database again. */
const liveCheckMs = 30_000

export class Auth {
  private readonly key: Uint8Array

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret)
  }

  sign(claims: JwtClaims, seconds: number): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(issuer).setIssuedAt().setExpirationTime(`${seconds}s`).sign(this.key)
  }

  /** The anon key: a JWT with role anon, as every Supabase project publishes. */
  anonKey(): Promise<string> {
    return this.sign({ role: 'anon' }, 10 * 365 * 24 * 3600)
  }

  serviceKey(): Promise<string> {
    return this.sign({ role: 'service_role' }, 3600)
  }

  /** Verifies a bearer token; throws a PostgREST-shaped reason when it is bad. */
  async verify(token: string): Promise<JwtClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] })
      return payload
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new JwtRejected('PGRST303', 'JWT expired')
      throw new JwtRejected('PGRST301', `JWT could not be verified: ${(error as Error).message}`)
    }
  }

  /** GoTrue's claims for a signed-in user, with the app's role in app_metadata and the session it belongs to. */
  userClaims(user: SessionUser, sessionId?: string): JwtClaims {
    return {
      role: 'authenticated',
      aud: 'authenticated',
      sub: user.id,
      email: user.email,
      app_metadata: { provider: 'email', providers: ['email'], app_role: user.role },
      user_metadata: {},
      ...(sessionId ? { session_id: sessionId } : {}),
    }
  }

  user(user: SessionUser) {
    const created = user.createdAt ?? '2026-01-01T00:00:00Z'
    return {
      id: user.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: user.email,
      app_metadata: { provider: 'email', providers: ['email'], app_role: user.role },
      user_metadata: {},
      identities: [],
      created_at: created,
      updated_at: created,
    }
  }

  /** GoTrue's token response: an access token for the session and its (opaque) refresh token. */
  async tokens(user: SessionUser, sessionId: string, refreshToken: string) {
    const access = await this.sign(this.userClaims(user, sessionId), accessSeconds)
    return {
      access_token: access,
      token_type: 'bearer',
      expires_in: accessSeconds,
      expires_at: Math.floor(Date.now() / 1000) + accessSeconds,
      refresh_token: refreshToken,
      user: this.user(user),
    }
  }
}

export class JwtRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** The message of a token whose session is over (signed out, removed, a new role or password). */
export const sessionEndedMessage = 'the session has ended: sign in again'

/** The demonstration account with this email and password, compared in constant time. */
export function accountByPassword(email: unknown, password: unknown): LocalAccount | undefined {
  const account = localAccounts.find((a) => a.email === email)
  if (!account || typeof password !== 'string') return undefined
  const a = crypto.createHash('sha256').update(account.password).digest()
  const b = crypto.createHash('sha256').update(password).digest()
  return crypto.timingSafeEqual(a, b) ? account : undefined
}

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex')
const newRefreshToken = () => crypto.randomBytes(32).toString('base64url')

function userOfSession(session: LiveSession): SessionUser {
  if (session.demoRole) return localAccounts.find((a) => a.role === session.demoRole)!
  return { id: session.accountId!, email: session.email!, role: session.role, createdAt: session.createdAt }
}

export type TokenResponse = Awaited<ReturnType<Auth['tokens']>>

/**
 * Sign-in, refresh, sign-out and the check every request with a user's token goes through. Which
 * sessions are live is remembered for a while, so that a request costs no query; a change of the
 * accounts (accountsChanged) or a sign-out forgets it at once.
 */
export class Sessions {
  private readonly live = new Map<string, number>()
  private wasDemo: boolean | undefined

  constructor(
    private readonly db: Database,
    private readonly auth: Auth,
    /** Whether the server listens on loopback only: demonstration mode is possible only then. */
    readonly loopback: boolean,
  ) {
    // the hash an unknown email is checked against, made now rather than at the first attempt
    void decoyHash()
  }

  /** The mode as last read (for when the database cannot be asked). */
  get knownDemo(): boolean {
    return this.wasDemo ?? false
  }

  /** Demonstration mode: loopback, and no account added. When it ends, the demonstration sessions end too. */
  async demo(): Promise<boolean> {
    const demo = this.loopback && (await countAccounts(this.db)) === 0
    if (!demo && this.wasDemo !== false) {
      if ((await endDemoSessions(this.db)) > 0) this.live.clear()
    }
    this.wasDemo = demo
    return demo
  }

  /** The accounts changed (added, removed, a new role or password): forget what was known, re-read the mode. */
  async accountsChanged(): Promise<void> {
    this.live.clear()
    this.wasDemo = undefined
    await this.demo()
  }

  /**
   * Checks an email and password: a demonstration account in demonstration mode, an added account
   * otherwise. The email comes trimmed and lower-cased (as it is logged). An unknown email still
   * costs one scrypt, so the answer's time tells nothing.
   */
  async check(email: string, password: unknown): Promise<{ user?: SessionUser; demo: boolean; accountId: string | null }> {
    const demo = await this.demo()
    if (demo) {
      const account = accountByPassword(email, password)
      return { user: account, demo, accountId: null }
    }
    const account: StoredAccount | undefined = email ? await findAccount(this.db, email) : undefined
    const matches = await verifyPassword(typeof password === 'string' ? password : '', account?.passwordHash ?? (await decoyHash()))
    return { user: account && matches ? account : undefined, demo, accountId: account?.id ?? null }
  }

  /** A new session for a user who just proved who they are. */
  async start(user: SessionUser, demo: boolean): Promise<TokenResponse> {
    const refresh = newRefreshToken()
    const id = await startSession(this.db, demo ? { demoRole: user.role } : { accountId: user.id }, hashToken(refresh), sessionSeconds)
    this.live.set(id, Date.now())
    return this.auth.tokens(user, id, refresh)
  }

  /**
   * Rotates a refresh token: the old one is spent, and presenting it again ends the session; the
   * new access token carries the account's role now.
   */
  async refresh(token: string): Promise<TokenResponse | undefined> {
    if (!token) return undefined
    const demo = await this.demo()
    const refresh = newRefreshToken()
    const session = await rotateSession(this.db, hashToken(token), hashToken(refresh), sessionSeconds, demo)
    if (!session) {
      // a spent one: whoever presents it copied it, and the session it belonged to ends
      const ended = await endReusedSession(this.db, hashToken(token))
      if (ended) this.live.delete(ended)
      return undefined
    }
    this.live.set(session.id, Date.now())
    return this.auth.tokens(userOfSession(session), session.id, refresh)
  }

  /** The live session a user's token belongs to; throws 401's reason when it has ended. Tokens with no session (the anon key, the command line's) pass. */
  async verify(claims: JwtClaims): Promise<void> {
    const id = claims.session_id
    if (id === undefined) return
    const checked = typeof id === 'string' ? this.live.get(id) : undefined
    if (checked !== undefined && Date.now() - checked < liveCheckMs) return
    await this.session(claims)
  }

  /** The user of a token's live session; throws when the session has ended. */
  async session(claims: JwtClaims): Promise<SessionUser & { sessionId: string; accountId: string | null }> {
    const id = claims.session_id
    const session = typeof id === 'string' ? await liveSession(this.db, id, await this.demo()) : undefined
    if (!session) {
      if (typeof id === 'string') this.live.delete(id)
      throw new JwtRejected('PGRST301', sessionEndedMessage)
    }
    this.live.set(session.id, Date.now())
    return { ...userOfSession(session), sessionId: session.id, accountId: session.accountId }
  }

  /**
   * Sign-out: this session (scope local), every session of the account (global, supabase-js's
   * default), or its others. A demonstration account is shared: only the caller's own session ends.
   */
  async signOut(claims: JwtClaims, scope: string): Promise<void> {
    let session
    try {
      session = await this.session(claims)
    } catch (error) {
      if (error instanceof JwtRejected) return // over already: nothing to end
      throw error
    }
    if (scope === 'local' || !session.accountId) {
      if (scope !== 'others') await endSession(this.db, session.sessionId, 'signed_out')
      this.live.delete(session.sessionId)
      return
    }
    await endAccountSessions(this.db, session.accountId, 'signed_out_everywhere', scope === 'others' ? session.sessionId : undefined)
    this.live.clear()
  }
}
