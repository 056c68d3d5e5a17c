// The embedded server's administration routes (`/atlas/admin/<route>`), used by the `atlas`
// command line while the server holds the data folder: the CLI cannot open a folder in use, so it
// asks the server, with a short-lived token it signs with the folder's own secret. Only someone
// who can read the data folder's side file can sign one; the page never can.
import type http from 'node:http'
import type { Database } from '../db/database.ts'
import type { Auth } from './auth.ts'
import { backupRoutes } from './admin/backup.ts'
import { userRoutes } from './admin/users.ts'

export interface AdminContext {
  req: http.IncomingMessage
  res: http.ServerResponse
  url: URL
  db: Database
  auth: Auth
  /** The body as JSON (an empty body is {}). */
  body(): Promise<Record<string, unknown>>
  /** Sends a JSON answer. */
  send: (status: number, body: unknown) => void
  /** Tells the server the accounts changed: it re-reads its mode (demonstration or not) and ends sessions it no longer knows. */
  accountsChanged(): Promise<void>
}

export type AdminRoute = (context: AdminContext) => Promise<void>

/** The claim that marks a token as the command line's, on top of role service_role. */
export const adminClaim = 'atlas_admin'

export const adminRoutes: Record<string, AdminRoute> = { ...userRoutes, ...backupRoutes }

/** The command line's token: service_role, marked as administration, valid for five minutes. */
export function adminToken(auth: Auth): Promise<string> {
  return auth.sign({ role: 'service_role', [adminClaim]: true }, 300)
}

/** Checks the bearer token and runs the route; answers 401/403/404 in words otherwise. */
export async function handleAdmin(context: AdminContext, route: string): Promise<void> {
  const header = context.req.headers.authorization
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : ''
  if (!token) return context.send(401, { code: 'admin_token_missing', message: 'administration needs the command line: npx atlas --db <folder> …' })
  try {
    const claims = await context.auth.verify(token)
    if (claims.role !== 'service_role' || claims[adminClaim] !== true) throw new Error('not an administration token')
  } catch {
    return context.send(403, { code: 'admin_token_refused', message: 'this token may not administer the server' })
  }
  // the route's own key only: never one an object inherits (__proto__, constructor, toString)
  const run = Object.hasOwn(adminRoutes, route) ? adminRoutes[route] : undefined
  if (!run || context.req.method !== 'POST') return context.send(404, { code: 'admin_route_unknown', message: `no administration route ${context.req.method} /atlas/admin/${route}` })
  await run(context)
}
