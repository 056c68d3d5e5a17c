// PostgREST's RPC dialect, as Supabase serves it: `POST /rest/v1/rpc/<fn>` with the named
// arguments as a JSON object (or `GET` with them in the query string, for functions that do not
// write), the result as JSON, errors as {code, message, details, hint} with PostgREST's statuses.
import { apiStatement, readApiFunctions, type ApiFunction } from '../db/api.ts'
import type { Database } from '../db/database.ts'
import { DatabaseUnavailableError, type DatabaseProblem } from '../db/guard.ts'
import { asCaller, callTimeoutMs, type JwtClaims } from '../db/session.ts'
import { DeadlineExceeded, EngineRestarted } from '../db/thread.ts'

/**
 * Calls that may take longer than one: public.import_layer writes a district's file (80,000
 * polygons took 14–26 s on the embedded database of a 2-core machine), up to 5 minutes.
 */
const longCalls: Readonly<Record<string, number>> = { import_layer: 300_000 }

export interface RpcError {
  code: string
  message: string
  details: string | null
  hint: string | null
}

export interface RpcResponse {
  status: number
  body: unknown
  /** The body already as JSON text, straight from the database (sent as is, never re-parsed). */
  json?: string
  headers?: Record<string, string>
}

/** The callable functions by name, each with its overloads, as PostgREST's schema cache keeps them. */
export async function loadFunctions(db: Database): Promise<Map<string, ApiFunction[]>> {
  const functions = new Map<string, ApiFunction[]>()
  for (const fn of await readApiFunctions(db)) functions.set(fn.name, [...(functions.get(fn.name) ?? []), fn])
  return functions
}

export function rpcError(status: number, code: string, message: string, details: string | null = null, hint: string | null = null): RpcResponse {
  return { status, body: { code, message, details, hint } satisfies RpcError }
}

/** Picks the overload whose named arguments match, as PostgREST does; undefined if none. */
function resolve(overloads: ApiFunction[] | undefined, given: string[]): ApiFunction | undefined {
  return overloads?.find((fn) => {
    const names = new Set(fn.args.map((a) => a.name))
    return given.every((g) => names.has(g)) && fn.args.every((a) => a.hasDefault || given.includes(a.name))
  })
}

/** HTTP status for a PostgreSQL error code, from PostgREST's documented table. */
export function statusForSqlState(code: string, anonymous: boolean): number {
  if (/^PT\d{3}$/.test(code)) return Number(code.slice(2))
  if (code === '42501') return anonymous ? 401 : 403
  if (code === '42883' || code === '42P01') return 404
  if (code === '23503' || code === '23505') return 409
  if (code === '25006') return 405
  if (code === 'P0001') return 400
  if (code === '42P17') return 500
  const prefix = code.slice(0, 2)
  if (['08', '53'].includes(prefix)) return 503
  if (['0L', '0P', '28'].includes(prefix)) return 403
  if (['09', '25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'F0', 'HV', 'P0', 'XX'].includes(prefix)) return 500
  return 400
}

export function fromDatabaseError(error: unknown, anonymous: boolean): RpcResponse {
  // a database the server stopped using (its folder gone, its disk full): 503 with the reason in words
  const e = error as { code?: string; message?: string; detail?: string; hint?: string; status?: number }
  // details carries the reason's key (folder_missing, disk_full, storage_error), for the page to say it in its language
  if (error instanceof DatabaseUnavailableError) return rpcError(503, 'PGRST000', error.message, error.problem.reason)
  // a call past its deadline, or one in flight when another's ended the database's thread: it may be tried again
  if (error instanceof DeadlineExceeded || error instanceof EngineRestarted) return { ...rpcError(503, error.code, error.message, null, 'Try again in a few seconds; a call that keeps taking this long needs a smaller box or fewer items.'), headers: { 'retry-after': '5' } }
  if (e.status === 503 && e.code === 'PGRST000') return rpcError(503, 'PGRST000', e.message ?? '')
  // PGlite's driver refuses a value its serialiser cannot write before PostgreSQL sees it: bad input, not a failure
  const serialiser = /^Invalid input for (\w+) type$/.exec(e.message ?? '')
  if (!e.code && serialiser) return rpcError(400, '22P02', `invalid input syntax for type ${serialiser[1]}`)
  if (!e.code) return rpcError(500, 'PGRST000', e.message ?? String(error))
  return rpcError(statusForSqlState(e.code, anonymous), e.code, e.message ?? '', e.detail ?? null, e.hint ?? null)
}

/**
 * The arguments that say where and how much, by name, whatever the function: the map's box, its
 * zoom (which sets how much geometry is simplified: an infinite zoom would keep every vertex) and
 * a page's size. Out of range, not a number or not finite, they are refused before any work.
 */
const viewArguments: Record<string, { min: number; max: number; integer?: boolean; what: string }> = {
  west: { min: -180, max: 180, what: 'a longitude' },
  east: { min: -180, max: 180, what: 'a longitude' },
  south: { min: -90, max: 90, what: 'a latitude' },
  north: { min: -90, max: 90, what: 'a latitude' },
  zoom: { min: 0, max: 24, what: 'a map zoom' },
  max_results: { min: 1, max: 100, integer: true, what: 'a number of results' },
}

/** Why the view arguments of a call are refused, in words; undefined when they hold. */
export function viewProblem(args: Record<string, unknown>): string | undefined {
  for (const [name, rule] of Object.entries(viewArguments)) {
    if (!Object.hasOwn(args, name) || args[name] === null) continue
    const raw = args[name]
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN
    if (!Number.isFinite(value) || value < rule.min || value > rule.max || (rule.integer && !Number.isInteger(value)))
      return `${name} is ${JSON.stringify(raw)}: it must be ${rule.what}, a finite ${rule.integer ? 'whole ' : ''}number from ${rule.min} to ${rule.max}`
  }
  // the box's order is the functions' own to check, in their words
  return undefined
}

/** The largest answer the server sends: more is a box or a zoom that asks for too much at once. */
export const maxAnswerBytes = 32 * 1024 * 1024

/** What a boolean argument may be: JSON's true, false or null, or one of PostgreSQL's words for them (a GET's query string). */
function isBooleanInput(value: unknown): boolean {
  return value === null || typeof value === 'boolean' || (typeof value === 'string' && /^(true|t|yes|y|on|1|false|f|no|n|off|0)$/i.test(value.trim()))
}

export async function callRpc(
  db: Database & { problem?: () => DatabaseProblem | undefined },
  functions: Map<string, ApiFunction[]>,
  name: string,
  args: Record<string, unknown>,
  claims: JwtClaims,
  method: 'GET' | 'POST',
  maxAnswer = maxAnswerBytes,
): Promise<RpcResponse> {
  const given = Object.keys(args)
  const fn = resolve(functions.get(name), given)
  if (!fn) {
    return rpcError(
      404,
      'PGRST202',
      `Could not find the function public.${name}(${[...given].sort().join(', ')}) in the schema cache`,
      `Searched for the function public.${name} with parameters ${given.length ? [...given].sort().join(', ') : 'none'} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
      null,
    )
  }
  if (method === 'GET' && fn.volatile) {
    return rpcError(405, 'PGRST101', 'For functions that write, only POST is allowed')
  }
  const view = viewProblem(args)
  if (view) return rpcError(400, '22023', view, null, 'Ask for the box on screen, at its zoom.')
  const notBoolean = fn.args.find((arg) => arg.type === 'boolean' && Object.hasOwn(args, arg.name) && !isBooleanInput(args[arg.name]))
  if (notBoolean)
    return rpcError(400, '22P02', `invalid input syntax for type boolean: ${JSON.stringify(args[notBoolean.name])}`, null, `the argument ${notBoolean.name} of public.${fn.name} is true or false`)
  const { sql, params } = apiStatement(fn.name, args, fn.args, fn.returnsSet)
  const anonymous = (claims.role ?? 'anon') === 'anon'
  try {
    const timeout = Object.hasOwn(longCalls, fn.name) ? longCalls[fn.name] : callTimeoutMs
    const rows = await asCaller(db, claims, async (tx) => (await tx.query<{ result: string | null }>(sql, params)).rows, method === 'GET', timeout)
    // The statement always yields one row; none means PGlite's GEOS failed inside it, which PGlite
    // reports as an empty answer rather than an error — or a database that lost its folder, which
    // answers reads with nothing: the guard has then made that known, and it is said instead.
    if (!rows.length) {
      const lost = db.problem?.()
      if (lost) return rpcError(503, 'PGRST000', lost.message)
      return rpcError(500, 'XX000', `public.${fn.name} gave no answer and no error: the embedded database failed inside one of its libraries on this call`, null, 'PGlite answers so when a library such as PostGIS’s GEOS fails; the server keeps running. Report the call with its arguments.')
    }
    const result = rows[0].result
    if (fn.returns === 'void') return { status: 204, body: undefined }
    const bytes = result === null ? 0 : Buffer.byteLength(result)
    if (bytes > maxAnswer)
      return rpcError(
        400,
        '54000',
        `the answer of public.${fn.name} would be ${(bytes / 1048576).toFixed(1)} MB, over the ${(maxAnswer / 1048576).toFixed(1)} MB one answer may be`,
        null,
        'Ask for a smaller box (the one on screen) or a lower zoom.',
      )
    // A function returning one row of a table type comes back as that object.
    return { status: 200, body: undefined, json: result ?? 'null' }
  } catch (error) {
    return fromDatabaseError(error, anonymous)
  }
}
