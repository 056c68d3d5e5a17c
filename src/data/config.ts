// Where the backend is: a real Supabase project when the build says so (VITE_SUPABASE_URL and
// VITE_SUPABASE_ANON_KEY), otherwise the embedded server that served this page, in its
// demonstration mode (three role accounts anyone may use) or with its administrator's accounts.
import { appRoles, isAppRole, type AppRole } from '../shared/roles.ts'
import { AtlasError } from './errors.ts'

export { appRoles, type AppRole }

export interface LocalAccount {
  email: string
  password: string
  role: AppRole
}

export type BackendConfig =
  | { mode: 'supabase'; url: string; anonKey: string }
  | { mode: 'embedded'; url: string; anonKey: string; database: string; demo: boolean; accounts: LocalAccount[] }

/** Whether the page signs in through the role switch (the embedded server's demonstration) rather than a form. */
export function isDemo(config: BackendConfig): boolean {
  return config.mode === 'embedded' && config.demo
}

export async function loadBackendConfig(fetcher: typeof fetch = fetch): Promise<BackendConfig> {
  const url = import.meta.env.VITE_SUPABASE_URL as string | undefined
  const anonKey = import.meta.env.VITE_SUPABASE_ANON_KEY as string | undefined
  if (url && anonKey) return { mode: 'supabase', url, anonKey }
  let response: Response
  try {
    response = await fetcher('/atlas/config.json', { cache: 'no-store' })
  } catch (error) {
    throw new AtlasError({ kind: 'network', message: (error as Error).message })
  }
  if (!response.ok) throw new AtlasError({ kind: 'config', status: response.status, message: `GET /atlas/config.json: HTTP ${response.status}` })
  const body = (await response.json()) as { embedded?: boolean; database?: string; anonKey?: string; demo?: boolean; accounts?: LocalAccount[] }
  if (!body.embedded || !body.anonKey) throw new AtlasError({ kind: 'config', message: '/atlas/config.json does not describe an embedded server' })
  const accounts = (body.accounts ?? []).filter((a) => isAppRole(a.role))
  return {
    mode: 'embedded',
    url: window.location.origin,
    anonKey: body.anonKey,
    database: body.database ?? 'embedded',
    // a server from before accounts existed says nothing: it was always a demonstration
    demo: typeof body.demo === 'boolean' ? body.demo : accounts.length > 0,
    accounts,
  }
}
