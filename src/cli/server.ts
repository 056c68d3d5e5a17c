// The server that holds an embedded folder, if one does: the commands that must work while
// `npm start` runs (stats, user, backup) ask it over HTTP instead of opening the folder.
import { isPostgresUrl } from '../db/database.ts'
import { DatabaseInUseError, lockHolder, readMeta } from '../db/embedded.ts'
import { adminToken } from '../server/admin.ts'
import { Auth } from '../server/auth.ts'

export interface RunningServer {
  url: string
  /** A token signed with the folder's secret: `service_role`, marked for administration. */
  adminToken(): Promise<string>
  /** A token for a role, for the API's functions. */
  roleToken(claims: Record<string, unknown>): Promise<string>
}

/**
 * The server holding `target`, or undefined when nobody holds it (open it yourself).
 * Throws DatabaseInUseError when another command (not a server) holds it.
 */
export function runningServer(target: string): RunningServer | undefined {
  if (isPostgresUrl(target)) return undefined
  const holder = lockHolder(target)
  if (!holder) return undefined
  if (!holder.url) throw new DatabaseInUseError(target, holder)
  const auth = new Auth(readMeta(target).jwtSecret)
  return { url: holder.url, adminToken: () => adminToken(auth), roleToken: (claims) => auth.sign(claims, 300) }
}

/** POSTs JSON to the running server's administration route; the answer's JSON, or its message as an Error. */
export async function askServer<T>(server: RunningServer, route: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${server.url}/atlas/admin/${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await server.adminToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  let answer: unknown
  try {
    answer = text ? JSON.parse(text) : {}
  } catch {
    answer = { message: text }
  }
  if (!response.ok) throw new Error(`the running server (${server.url}) refused: ${(answer as { message?: string }).message ?? response.status}`)
  return answer as T
}
