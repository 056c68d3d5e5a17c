// The embedded server on a private copy of the sample city, as the app reaches it: supabase-js
// signed in as one of the local accounts.
import type http from 'node:http'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { readMeta } from '../../src/db/embedded.ts'
import { createAtlasServer, listen } from '../../src/server/app.ts'
import { Auth, localAccounts } from '../../src/server/auth.ts'
import { copySampleDatabase } from './databases.ts'

export interface SampleServer {
  db: Database
  url: string
  anonKey: string
  signedIn(role: 'leader' | 'planner' | 'works'): Promise<SupabaseClient>
  close(): Promise<void>
}

export async function startSampleServer(): Promise<SampleServer> {
  const dir = copySampleDatabase()
  const db = await openDatabase(dir)
  const auth = new Auth(readMeta(dir).jwtSecret)
  const anonKey = await auth.anonKey()
  const server: http.Server = await createAtlasServer({ db, auth })
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
  return {
    db,
    url,
    anonKey,
    async signedIn(role) {
      const client = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } })
      const account = localAccounts.find((a) => a.role === role)!
      const { error } = await client.auth.signInWithPassword({ email: account.email, password: account.password })
      if (error) throw error
      return client
    },
    async close() {
      server.closeAllConnections()
      server.close()
      await db.close()
    },
  }
}
