// The embedded server's side of Supabase Auth: HS256 JWTs signed with the data folder's secret,
// the anon key, and the password grant for three local accounts, one per role, so that the app
// signs in with supabase-js exactly as it does against a real Supabase project.
import crypto from 'node:crypto'
import { SignJWT, jwtVerify, errors } from 'jose'
import type { JwtClaims } from '../db/session.ts'

import { appRoles, type AppRole } from '../shared/roles.ts'

export { appRoles, type AppRole }

export interface LocalAccount {
  id: string
  email: string
  password: string
  role: AppRole
}

/** The embedded server's accounts. Local only: a city's Supabase project has its own users. */
export const localAccounts: readonly LocalAccount[] = appRoles.map((role, i) => ({
  id: `00000000-0000-4000-8000-00000000000${i + 1}`,
  email: `${role}@atlas.local`,
  password: `atlas-${role}`,
  role,
}))

const issuer = 'grassroots-atlas-embedded'
const accessSeconds = 3600
const refreshSeconds = 7 * 24 * 3600

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
      return payload as JwtClaims
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new JwtRejected('PGRST303', 'JWT expired')
      throw new JwtRejected('PGRST301', `JWT could not be verified: ${(error as Error).message}`)
    }
  }

  userClaims(account: LocalAccount): JwtClaims {
    return {
      role: 'authenticated',
      aud: 'authenticated',
      sub: account.id,
      email: account.email,
      app_metadata: { provider: 'email', providers: ['email'], app_role: account.role },
      user_metadata: {},
    }
  }

  user(account: LocalAccount) {
    return {
      id: account.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: account.email,
      app_metadata: { provider: 'email', providers: ['email'], app_role: account.role },
      user_metadata: {},
      identities: [],
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    }
  }

  /** GoTrue's token response for an account. */
  async session(account: LocalAccount) {
    const access = await this.sign(this.userClaims(account), accessSeconds)
    const refresh = await this.sign({ role: 'refresh', sub: account.id, nonce: crypto.randomUUID() }, refreshSeconds)
    return {
      access_token: access,
      token_type: 'bearer',
      expires_in: accessSeconds,
      expires_at: Math.floor(Date.now() / 1000) + accessSeconds,
      refresh_token: refresh,
      user: this.user(account),
    }
  }

  async accountOfRefreshToken(token: string): Promise<LocalAccount | undefined> {
    try {
      const claims = await this.verify(token)
      return claims.role === 'refresh' ? localAccounts.find((a) => a.id === claims.sub) : undefined
    } catch {
      return undefined
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

export function accountByPassword(email: unknown, password: unknown): LocalAccount | undefined {
  const account = localAccounts.find((a) => a.email === email)
  if (!account || typeof password !== 'string') return undefined
  const a = Buffer.from(account.password)
  const b = Buffer.from(password)
  return a.length === b.length && crypto.timingSafeEqual(a, b) ? account : undefined
}
