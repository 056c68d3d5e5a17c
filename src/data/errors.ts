// Every failure the app shows is an AtlasError: PostgREST's {code, message, details, hint}
// plus the HTTP status, so the views can say in words what went wrong and offer a retry.
export class AtlasError extends Error {
  readonly kind: 'network' | 'auth' | 'rpc' | 'config'
  readonly status?: number
  readonly code?: string
  readonly details: string | null
  readonly hint: string | null

  constructor(fields: { kind: AtlasError['kind']; message: string; status?: number; code?: string; details?: string | null; hint?: string | null }) {
    super(fields.message)
    this.name = 'AtlasError'
    this.kind = fields.kind
    this.status = fields.status
    this.code = fields.code
    this.details = fields.details ?? null
    this.hint = fields.hint ?? null
  }
}

export function isAtlasError(value: unknown): value is AtlasError {
  return value instanceof AtlasError
}

/** Turns what supabase-js or fetch threw or returned into an AtlasError. */
export function toAtlasError(error: unknown, status?: number): AtlasError {
  if (isAtlasError(error)) return error
  const e = (error ?? {}) as { code?: unknown; message?: unknown; details?: unknown; hint?: unknown; status?: unknown; name?: unknown }
  const message = typeof e.message === 'string' && e.message ? e.message : String(error)
  const httpStatus = status ?? (typeof e.status === 'number' ? e.status : undefined)
  // supabase-js reports a failed fetch (server down, refused connection) as a TypeError or as
  // a PostgREST error without a code whose message names the fetch.
  const network = e.name === 'TypeError' || /failed to fetch|fetch failed|networkerror|load failed/i.test(message) || httpStatus === 0
  return new AtlasError({
    kind: network ? 'network' : httpStatus === 401 ? 'auth' : 'rpc',
    status: httpStatus,
    code: typeof e.code === 'string' ? e.code : undefined,
    message,
    details: typeof e.details === 'string' ? e.details : null,
    hint: typeof e.hint === 'string' ? e.hint : null,
  })
}

/**
 * An access token the server no longer honours: its session was ended (signed out on another
 * device, the account's role changed or the account removed) or it expired without a refresh.
 * PostgREST answers 401 with PGRST301 (refused) or PGRST303 (expired).
 */
export function isSessionEnded(error: AtlasError): boolean {
  return error.status === 401 && (error.code === 'PGRST301' || error.code === 'PGRST303')
}

/** The server is up but its database is not (folder removed, disk full): 503 with PGRST000. */
export function isDatabaseLost(error: AtlasError): boolean {
  return error.status === 503 && error.code === 'PGRST000'
}
