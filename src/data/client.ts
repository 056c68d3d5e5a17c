// The one supabase-js client. Every data call of the app goes through `rpc` below.
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import type { AppRole, BackendConfig } from './config.ts'
import { toAtlasError, type AtlasError } from './errors.ts'

export interface AtlasClient {
  config: BackendConfig
  supabase: SupabaseClient
}

export function createAtlasClient(config: BackendConfig): AtlasClient {
  const supabase = createClient(config.url, config.anonKey, {
    auth: {
      // The embedded server's accounts are signed in afresh on every load (its keys belong to
      // one data folder); a real project keeps the user's session.
      persistSession: config.mode === 'supabase',
      autoRefreshToken: true,
      detectSessionInUrl: false,
      storageKey: 'atlas-auth',
    },
  })
  return { config, supabase }
}

/** The app role of the signed-in user, as the JWT carries it (app_metadata.app_role). */
export async function currentRole(client: AtlasClient): Promise<AppRole | null> {
  const { data } = await client.supabase.auth.getSession()
  const role = (data.session?.user.app_metadata as { app_role?: AppRole } | undefined)?.app_role
  return role ?? null
}

export async function signIn(client: AtlasClient, email: string, password: string): Promise<AppRole | null> {
  const { error } = await client.supabase.auth.signInWithPassword({ email, password })
  if (error) throw { kind: error.status === 0 ? 'network' : 'auth', status: error.status, code: error.code, message: error.message } satisfies AtlasError
  return currentRole(client)
}

/** Signs in as the embedded server's account for a role. */
export async function signInAsRole(client: AtlasClient, role: AppRole): Promise<AppRole | null> {
  if (client.config.mode !== 'embedded') throw { kind: 'config', message: 'role accounts exist only on the embedded server' } satisfies AtlasError
  const account = client.config.accounts.find((a) => a.role === role)
  if (!account) throw { kind: 'config', message: `the embedded server has no ${role} account` } satisfies AtlasError
  return signIn(client, account.email, account.password)
}

export async function signOut(client: AtlasClient): Promise<void> {
  await client.supabase.auth.signOut({ scope: 'local' })
}

/** Calls an API function; resolves with its JSON or rejects with an AtlasError. */
export async function rpc<T>(client: AtlasClient, name: string, args: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  let query = client.supabase.rpc(name, args, { get: false })
  if (signal) query = query.abortSignal(signal)
  let result
  try {
    result = await query
  } catch (error) {
    throw toAtlasError(error)
  }
  if (result.error) throw toAtlasError(result.error, result.status)
  return result.data as T
}
