// The API's functions as the database declares them (schema public, which PostgREST exposes at
// /rest/v1/rpc/<fn>), the one way a statement calling one of them is written, and a typed call
// from Node (the command line, the tests) in the caller's own transaction.
import { apiFunctions, type ApiArgs, type ApiName, type ApiResult, type Json } from '../shared/api.ts'
import type { Queryable } from './database.ts'

export interface ApiArgument {
  name: string
  /** The SQL type as format_type() prints it: text, double precision, jsonb… */
  type: string
  hasDefault: boolean
}

export interface ApiFunction {
  name: string
  args: ApiArgument[]
  /** The SQL type of the result: json, jsonb, boolean, void… */
  returns: string
  returnsSet: boolean
  volatile: boolean
  /** The defaults of the last arguments as the database prints them ('8, 66.7, NULL::text'); null when none has one. */
  defaults: string | null
}

/** Reads the callable functions of the exposed schema, as PostgREST's schema cache does. */
export async function readApiFunctions(db: Queryable): Promise<ApiFunction[]> {
  const { rows } = await db.query<{
    name: string
    arg_names: string[] | null
    arg_types: string[] | null
    defaults: number
    defaults_sql: string | null
    returns_set: boolean
    return_type: string
    volatility: string
  }>(`
    select p.proname as name,
           p.proargnames as arg_names,
           array(select format_type(t, null) from unnest(p.proargtypes) t) as arg_types,
           p.pronargdefaults as defaults,
           pg_get_expr(p.proargdefaults, 0) as defaults_sql,
           p.proretset as returns_set,
           format_type(p.prorettype, null) as return_type,
           p.provolatile as volatility
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.prokind = 'f'
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
    order by p.proname, p.oid`)
  return rows.map((row) => {
    const types = row.arg_types ?? []
    const names = (row.arg_names ?? []).slice(0, types.length)
    const firstDefault = types.length - Number(row.defaults)
    return {
      name: row.name,
      args: types.map((type, i) => ({ name: names[i] ?? '', type, hasDefault: i >= firstDefault })),
      returns: row.return_type,
      returnsSet: row.returns_set,
      volatile: row.volatility === 'v',
      defaults: row.defaults_sql,
    }
  })
}

/**
 * The values of a function's defaults, by argument name, evaluated by the database itself (so a
 * default reads the same whichever version of PostgreSQL prints it).
 */
export async function readDefaults(db: Queryable, fn: ApiFunction): Promise<Record<string, Json>> {
  if (!fn.defaults) return {}
  // The expressions are the database's own print of its catalogue, not input.
  const { rows } = await db.query<{ values: string }>(`select json_build_array(${fn.defaults})::text as values`)
  const values = JSON.parse(rows[0].values) as Json[]
  const defaulted = fn.args.filter((arg) => arg.hasDefault)
  return Object.fromEntries(defaulted.map((arg, i) => [arg.name, values[i]]))
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** An argument as a statement parameter: JSON objects and arrays as their text, the rest as text the cast reads. */
function parameter(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'object') return JSON.stringify(value)
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  throw new TypeError(`an API argument cannot be a ${typeof value}`)
}

/**
 * The statement that calls `public.<name>` with named arguments, each cast to its declared type,
 * and returns its result as JSON text (one row): the database writes the JSON, so nothing parses
 * and re-serialises a map layer's thousands of features on the way.
 */
export function apiStatement(
  name: string,
  args: Record<string, unknown>,
  declared: readonly { name: string; type: string }[],
  returnsSet: boolean,
): { sql: string; params: (string | null)[] } {
  const params: (string | null)[] = []
  const named = Object.entries(args).map(([key, value]) => {
    const arg = declared.find((a) => a.name === key)
    if (!arg) throw new Error(`public.${name} has no argument ${key}`)
    params.push(parameter(value))
    return `${quoteIdent(key)} => $${params.length}::${arg.type}`
  })
  const call = `public.${quoteIdent(name)}(${named.join(', ')})`
  const sql = returnsSet ? `select coalesce(json_agg(to_json(r)), '[]'::json)::text as result from ${call} r` : `select to_json(${call})::text as result`
  return { sql, params }
}

/**
 * Calls an API function in the caller's transaction (see asCaller), as the page's request would:
 * the same statement, the same JSON. Arguments left undefined take their SQL defaults.
 */
export async function callApi<N extends ApiName>(tx: Queryable, name: N, args: ApiArgs<N>): Promise<ApiResult<N>> {
  const given = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined))
  const declared: { args: readonly { name: string; type: string }[]; returns: string } = apiFunctions[name]
  const { sql, params } = apiStatement(name, given, declared.args, declared.returns.startsWith('setof '))
  const { rows } = await tx.query<{ result: string | null }>(sql, params)
  // PGlite answers a statement that GEOS failed in with no rows rather than an error.
  if (!rows.length) throw new Error(`public.${name} gave no answer and no error: the embedded database failed inside one of its libraries (PostGIS's GEOS, most often) on this call`)
  // The one place the API's JSON meets its declared type: the SQL function is its source.
  return JSON.parse(rows[0].result ?? 'null') as ApiResult<N>
}
