// `/atlas/admin/users/*`: the `atlas user` commands, run by the server that holds the folder.
// The command line has already checked the input and hashed the password: only the hash arrives.
// Each write is one transaction; the server then re-reads its mode (demonstration or not) and
// forgets the sessions it knew, so a removal or a role change takes effect on the next request.
import { AccountError, addAccount, listAccounts, removeAccount, setAccountPassword, setAccountRole, type Account } from '../../accounts/store.ts'
import type { Queryable } from '../../db/database.ts'
import type { AdminContext, AdminRoute } from '../admin.ts'

function writer(work: (tx: Queryable, body: Record<string, unknown>) => Promise<Account>): AdminRoute {
  return async (context: AdminContext) => {
    const body = await context.body()
    let account: Account
    try {
      account = await context.db.transaction((tx) => work(tx, body))
    } catch (error) {
      if (error instanceof AccountError) return context.send(400, { code: 'account_refused', message: error.message })
      throw error
    }
    await context.accountsChanged()
    context.send(200, { account })
  }
}

export const userRoutes: Record<string, AdminRoute> = {
  'users/add': writer((tx, body) => addAccount(tx, { email: body.email, role: body.role, passwordHash: body.passwordHash })),
  'users/set-role': writer((tx, body) => setAccountRole(tx, body.email, body.role)),
  'users/password': writer((tx, body) => setAccountPassword(tx, body.email, body.passwordHash)),
  'users/remove': writer((tx, body) => removeAccount(tx, body.email)),
  'users/list': async (context) => {
    context.send(200, { accounts: await listAccounts(context.db) })
  },
}
