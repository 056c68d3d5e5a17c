// Runs work as a caller of the API, the way PostgREST does for each request: one transaction,
// `set local role` to the JWT's role, and the claims in `request.jwt.claims`, so that row level
// security decides exactly as it does on Supabase.
import type { Queryable, Database } from './database.ts'

export type JwtClaims = Record<string, unknown> & { role?: string }

/** The database roles a request may take, as PostgREST's `role` claim allows on Supabase. */
export const requestRoles = ['anon', 'authenticated', 'service_role'] as const

/** How long one call may take: 30 s, as PostgREST's statement timeout on Supabase is set here. */
export const callTimeoutMs = 30_000

export async function asCaller<T>(db: Database, claims: JwtClaims, work: (tx: Queryable) => Promise<T>, readOnly = false, timeoutMs = callTimeoutMs): Promise<T> {
  const role = claims.role ?? 'anon'
  if (!(requestRoles as readonly string[]).includes(role)) throw new Error(`the JWT role ${JSON.stringify(role)} is not one of ${requestRoles.join(', ')}`)
  return db.transaction(
    async (tx) => {
      if (readOnly) await tx.exec('set transaction read only')
      await tx.exec(`set local role ${role}; set local statement_timeout = '${Math.round(timeoutMs)}ms'`)
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)])
      return work(tx)
    },
    // only a call allowed longer than one asks the thread for more than its deadline
    timeoutMs > callTimeoutMs ? { deadlineMs: timeoutMs } : undefined,
  )
}

/** The claims Supabase puts in a signed-in user's JWT, with the app's role in app_metadata. */
export function userClaims(appRole: 'leader' | 'planner' | 'works', subject = `local-${appRole}`): JwtClaims {
  return {
    role: 'authenticated',
    aud: 'authenticated',
    sub: subject,
    app_metadata: { provider: 'email', app_role: appRole },
  }
}
