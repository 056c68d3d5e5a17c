// The embedded server on a private copy of the sample city, as the app reaches it: supabase-js
// signed in as one of the demonstration accounts, or, when the test adds accounts, as one of them.
import type http from 'node:http'
import { hashPassword } from '../../src/accounts/password.ts'
import { addAccount } from '../../src/accounts/store.ts'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { readMeta } from '../../src/db/embedded.ts'
import { createAtlasServer, listen, type ServerOptions } from '../../src/server/app.ts'
import { Auth, localAccounts } from '../../src/server/auth.ts'
import type { AppRole } from '../../src/shared/roles.ts'
import { copySampleDatabase } from './databases.ts'
import { apiClient, type AtlasSupabase } from './supabase.ts'

export interface SampleServer {
  db: Database
  /** The data folder (a private copy). */
  dir: string
  auth: Auth
  url: string
  anonKey: string
  /** Signs in as the demonstration account of a role (demonstration mode only). */
  signedIn(role: AppRole): Promise<AtlasSupabase>
  /** Signs in with an email and password; throws supabase-js's error when refused. */
  signInAs(email: string, password: string): Promise<AtlasSupabase>
  close(): Promise<void>
}

export interface SampleServerOptions extends Pick<ServerOptions, 'loopback' | 'trustProxy' | 'signInLimit' | 'log' | 'staticDir' | 'maxAnswerBytes'> {
  /** The database in a thread of its own, as npm start opens it. */
  thread?: boolean
  /** Accounts added (through the store, as `atlas user add` does) before the server starts. */
  users?: { email: string; role: AppRole; password: string }[]
  /** Another data folder than a new copy of the sample city. */
  dir?: string
}

export async function startSampleServer(options: SampleServerOptions = {}): Promise<SampleServer> {
  const dir = options.dir ?? copySampleDatabase()
  const db = await openDatabase(dir, { thread: options.thread })
  for (const user of options.users ?? []) {
    const passwordHash = await hashPassword(user.password)
    await db.transaction((tx) => addAccount(tx, { email: user.email, role: user.role, passwordHash }))
  }
  const auth = new Auth(readMeta(dir).jwtSecret)
  const anonKey = await auth.anonKey()
  const { loopback, trustProxy, signInLimit, staticDir, maxAnswerBytes, log = () => {} } = options
  const server: http.Server = await createAtlasServer({ db, auth, loopback, trustProxy, signInLimit, staticDir, maxAnswerBytes, log })
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
  const signInAs = async (email: string, password: string) => {
    const client = apiClient(url, anonKey)
    const { error } = await client.auth.signInWithPassword({ email, password })
    if (error) throw error
    return client
  }
  return {
    db,
    dir,
    auth,
    url,
    anonKey,
    signInAs,
    async signedIn(role) {
      const account = localAccounts.find((a) => a.role === role)!
      return signInAs(account.email, account.password)
    },
    async close() {
      server.closeAllConnections()
      server.close()
      await db.close()
    },
  }
}
