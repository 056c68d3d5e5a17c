// The one supabase-js client. Every data call of the app goes through `rpc` below, which also
// tells the page about the answers that concern all of it: a session the server ended, and a
// database the server has lost.
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import type { ApiArgs, ApiName, ApiResult } from '../shared/api.ts'
import { isDemo, type AppRole, type BackendConfig } from './config.ts'
import { AtlasError, isDatabaseLost, isSessionEnded, toAtlasError } from './errors.ts'

/** What the whole page must react to, whichever call met it first. */
export type Trouble = { kind: 'sessionEnded'; error: AtlasError | null } | { kind: 'databaseLost'; error: AtlasError }

export interface AtlasClient {
  config: BackendConfig
  supabase: SupabaseClient
  /** Listens for troubles; returns the function that stops listening. */
  onTrouble(listener: (trouble: Trouble) => void): () => void
  report(trouble: Trouble): void
  /** Stops the client's timers and listeners: a new client replaces it. */
  dispose(): void
}

/** The signed-in account as the page shows it. */
export interface SignedInUser {
  email: string | null
  role: AppRole | null
}

export function createAtlasClient(config: BackendConfig): AtlasClient {
  const supabase = createClient(config.url, config.anonKey, {
    auth: {
      // The demonstration's accounts are signed in afresh on every load (anyone may use them, and
      // the URL says which); a real account's session is kept, so a reload stays signed in.
      persistSession: !isDemo(config),
      autoRefreshToken: true,
      detectSessionInUrl: false,
      storageKey: 'atlas-auth',
    },
  })
  const listeners = new Set<(trouble: Trouble) => void>()
  const report = (trouble: Trouble) => {
    for (const listener of [...listeners]) listener(trouble)
  }
  // supabase-js signs out by itself when the server refuses to refresh the session (it ended on the
  // server); a sign-out the page asked for is not news.
  const { data } = supabase.auth.onAuthStateChange((event) => {
    if (event === 'SIGNED_OUT' && !signingOut.has(supabase)) report({ kind: 'sessionEnded', error: null })
  })
  return {
    config,
    supabase,
    onTrouble: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    report,
    dispose: () => {
      listeners.clear()
      data.subscription.unsubscribe()
      void supabase.auth.stopAutoRefresh()
    },
  }
}

const signingOut = new Set<SupabaseClient>()

/** The signed-in account (email, and the app role its JWT carries in app_metadata.app_role), or null. */
export async function currentUser(client: AtlasClient): Promise<SignedInUser | null> {
  const { data } = await client.supabase.auth.getSession()
  const user = data.session?.user
  if (!user) return null
  const role = (user.app_metadata as { app_role?: AppRole } | undefined)?.app_role ?? null
  return { email: user.email ?? null, role }
}

/** The app role of the signed-in user, as the JWT carries it (app_metadata.app_role). */
export async function currentRole(client: AtlasClient): Promise<AppRole | null> {
  return (await currentUser(client))?.role ?? null
}

export async function signIn(client: AtlasClient, email: string, password: string): Promise<AppRole | null> {
  const { error } = await client.supabase.auth.signInWithPassword({ email, password })
  if (error) {
    // supabase-js keeps the status and the message of a 503 but not its code: the embedded server
    // answers every call with 503 PGRST000 once its database is gone.
    const lost = error.status === 503 && client.config.mode === 'embedded'
    const failure = new AtlasError({
      kind: error.status === 0 ? 'network' : 'auth',
      status: error.status,
      code: lost ? 'PGRST000' : error.code,
      message: error.message,
    })
    if (lost) client.report({ kind: 'databaseLost', error: failure })
    throw failure
  }
  return currentRole(client)
}

/** Signs in as the embedded server's demonstration account for a role. */
export async function signInAsRole(client: AtlasClient, role: AppRole): Promise<AppRole | null> {
  if (client.config.mode !== 'embedded') throw new AtlasError({ kind: 'config', message: 'role accounts exist only on the embedded server' })
  const account = client.config.accounts.find((a) => a.role === role)
  if (!account) throw new AtlasError({ kind: 'config', message: `the embedded server has no ${role} account` })
  return signIn(client, account.email, account.password)
}

/**
 * Ends this device's session: supabase-js forgets it, then POSTs /auth/v1/logout?scope=local with
 * the access token, and the server ends that session (its refresh token and its access tokens).
 */
export async function signOut(client: AtlasClient): Promise<void> {
  signingOut.add(client.supabase)
  try {
    await client.supabase.auth.signOut({ scope: 'local' })
  } finally {
    signingOut.delete(client.supabase)
  }
}

/**
 * Calls an API function; resolves with its JSON or rejects with an AtlasError. The name, the
 * arguments and the result are the API's own (src/shared/api.ts): a name the database does not
 * have, or an argument its function does not take, does not compile.
 */
export async function rpc<N extends ApiName>(client: AtlasClient, name: N, args: ApiArgs<N>, signal?: AbortSignal): Promise<ApiResult<N>> {
  let query = client.supabase.rpc(name, args, { get: false })
  if (signal) query = query.abortSignal(signal)
  let result
  try {
    result = await query
  } catch (error) {
    throw toAtlasError(error)
  }
  if (result.error) {
    const error = toAtlasError(result.error, result.status)
    if (isSessionEnded(error)) client.report({ kind: 'sessionEnded', error })
    else if (isDatabaseLost(error)) client.report({ kind: 'databaseLost', error })
    throw error
  }
  // The one place the answer's JSON meets its declared type: the SQL function is its source.
  return result.data as ApiResult<N>
}
