// PostgREST's RPC dialect, as Supabase serves it: `POST /rest/v1/rpc/<fn>` with the named
// arguments as a JSON object (or `GET` with them in the query string, for functions that do not
// write), the result as JSON, errors as {code, message, details, hint} with PostgREST's statuses.
import type { Database } from '../db/database.ts'
import { DatabaseUnavailableError, type DatabaseProblem } from '../db/guard.ts'
import { asCaller, type JwtClaims } from '../db/session.ts'

export interface ApiFunction {
  name: string
  args: { name: string; type: string; hasDefault: boolean }[]
  returnsSet: boolean
  returnsVoid: boolean
  volatile: boolean
}

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

/** Reads the callable functions of the exposed schema (`public`), as PostgREST's schema cache does. */
export async function loadFunctions(db: Database): Promise<Map<string, ApiFunction[]>> {
  const { rows } = await db.query<{
    name: string
    arg_names: string[] | null
    arg_types: string[] | null
    defaults: number
    returns_set: boolean
    return_type: string
    volatility: string
  }>(`
    select p.proname as name,
           p.proargnames as arg_names,
           array(select format_type(t, null) from unnest(p.proargtypes) t) as arg_types,
           p.pronargdefaults as defaults,
           p.proretset as returns_set,
           format_type(p.prorettype, null) as return_type,
           p.provolatile as volatility
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.prokind = 'f'
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`)
  const functions = new Map<string, ApiFunction[]>()
  for (const row of rows) {
    const types = row.arg_types ?? []
    const names = (row.arg_names ?? []).slice(0, types.length)
    const firstDefault = types.length - Number(row.defaults)
    const fn: ApiFunction = {
      name: row.name,
      args: types.map((type, i) => ({ name: names[i] ?? '', type, hasDefault: i >= firstDefault })),
      returnsSet: row.returns_set,
      returnsVoid: row.return_type === 'void',
      volatile: row.volatility === 'v',
    }
    functions.set(row.name, [...(functions.get(row.name) ?? []), fn])
  }
  return functions
}

export function rpcError(status: number, code: string, message: string, details: string | null = null, hint: string | null = null): RpcResponse {
  return { status, body: { code, message, details, hint } satisfies RpcError }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
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
  if (e.status === 503 && e.code === 'PGRST000') return rpcError(503, 'PGRST000', e.message ?? '')
  if (!e.code) return rpcError(500, 'PGRST000', e.message ?? String(error))
  return rpcError(statusForSqlState(e.code, anonymous), e.code, e.message ?? '', e.detail ?? null, e.hint ?? null)
}

export async function callRpc(
  db: Database & { problem?: () => DatabaseProblem | undefined },
  functions: Map<string, ApiFunction[]>,
  name: string,
  args: Record<string, unknown>,
  claims: JwtClaims,
  method: 'GET' | 'POST',
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
  const params: unknown[] = []
  const named = given.map((key) => {
    const arg = fn.args.find((a) => a.name === key)!
    const value = args[key]
    params.push(value === null || value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : String(value))
    return `${quoteIdent(key)} => $${params.length}::${arg.type}`
  })
  const call = `public.${quoteIdent(fn.name)}(${named.join(', ')})`
  // The result leaves the database as JSON text: a map layer's thousands of features are
  // neither converted to jsonb there nor parsed and re-serialised here.
  const sql = fn.returnsSet
    ? `select coalesce(json_agg(to_json(r)), '[]'::json)::text as result from ${call} r`
    : `select to_json(${call})::text as result`
  const anonymous = (claims.role ?? 'anon') === 'anon'
  try {
    const rows = await asCaller(db, claims, async (tx) => (await tx.query<{ result: string | null }>(sql, params)).rows, method === 'GET')
    // The statement always yields one row; none means PGlite's GEOS failed inside it, which PGlite
    // reports as an empty answer rather than an error — or a database that lost its folder, which
    // answers reads with nothing: the guard has then made that known, and it is said instead.
    if (!rows.length) {
      const lost = db.problem?.()
      if (lost) return rpcError(503, 'PGRST000', lost.message)
      return rpcError(500, 'XX000', `public.${fn.name} returned no answer: the geometry engine failed on this data`, null, null)
    }
    const result = rows[0].result
    if (fn.returnsVoid) return { status: 204, body: undefined }
    // A function returning one row of a table type comes back as that object.
    return { status: 200, body: undefined, json: result ?? 'null' }
  } catch (error) {
    return fromDatabaseError(error, anonymous)
  }
}
