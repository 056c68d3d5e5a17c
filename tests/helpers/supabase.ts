// supabase-js typed by the API's one module (src/shared/api.ts): its rpc() knows each function's
// arguments and result, where a client without a schema answers everything as `any`.
import { createClient, type PostgrestSingleResponse, type SupabaseClient } from '@supabase/supabase-js'
import type { ApiArgs, ApiName, ApiResult } from '../../src/shared/api.ts'

/** The API as supabase-js's schema: the functions of `public`, and no table or view (none is exposed). */
export interface AtlasSchema {
  public: {
    Tables: Record<never, never>
    Views: Record<never, never>
    Functions: { [N in ApiName]: { Args: ApiArgs<N>; Returns: ApiResult<N> } }
  }
}

export type AtlasSupabase = SupabaseClient<AtlasSchema>

/** A client of the server at `url` that keeps no session beyond itself. */
export function apiClient(url: string, anonKey: string): AtlasSupabase {
  return createClient<AtlasSchema>(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } })
}

/** An answer's data; its error, if it has one, thrown in the API's words, so a test expecting data fails saying why. */
export function dataOf<T>(answer: PostgrestSingleResponse<T>): T {
  if (answer.error) throw new Error(`${answer.status} ${answer.error.code}: ${answer.error.message}`)
  return answer.data
}
