// `atlas user …`: the accounts that sign in to the embedded server. Everything is checked (email,
// role, the password against the stated rule) before anything is written, the password is read
// from the terminal or standard input and hashed here, and each change is one transaction: on the
// folder itself when it is free, or through the server that holds it (only the hash travels).
import { AccountError, addAccount, checkRole, listAccounts, normaliseEmail, removeAccount, setAccountPassword, setAccountRole, type Account } from '../../accounts/store.ts'
import { hashPassword, passwordProblem } from '../../accounts/password.ts'
import { appRoles } from '../../shared/roles.ts'
import { readNewPassword } from '../password.ts'
import { askServer, runningServer } from '../server.ts'
import { CommandError, UsageError, withDatabase, type Command, type CommandContext } from './command.ts'

const operations = ['add', 'list', 'set-role', 'remove', 'password'] as const
type Operation = (typeof operations)[number]

const usageOf: Record<Operation, string> = {
  add: 'atlas user add <email> --role leader|planner|works',
  list: 'atlas user list',
  'set-role': 'atlas user set-role <email> <role>',
  remove: 'atlas user remove <email>',
  password: 'atlas user password <email>',
}

export const userCommand: Command = {
  name: 'user',
  usage: [
    'user add <email> --role <role>',
    '                        add an account (leader, planner or works); the password is read from the',
    '                        terminal (typed twice, not shown) or the first line of standard input',
    'user list               the accounts: email, role, created, last sign-in',
    'user set-role <email> <role>',
    "                        change an account's role; its sessions end",
    'user remove <email>     remove an account; its sessions end',
    'user password <email>   a new password for an account (read as for add); its sessions end',
  ],
  async run(context) {
    const [operation, ...rest] = context.args
    if (!operation) throw new UsageError(`user needs an operation: ${operations.join(', ')}`)
    if (!(operations as readonly string[]).includes(operation)) throw new UsageError(`unknown user operation "${operation}": one of ${operations.join(', ')}`)
    const op = operation as Operation
    try {
      await run(op, rest, context)
    } catch (error) {
      if (error instanceof AccountError) throw new CommandError(error.message)
      throw error
    }
  },
}

/** The arguments of an operation, checked in full before anything is read or written. */
function parse(op: Operation, rest: string[], role: string | undefined): { email?: string; role?: string } {
  const wants = { add: 1, list: 0, 'set-role': role === undefined ? 2 : 1, remove: 1, password: 1 }[op]
  if (rest.length !== wants) {
    const hint = op === 'add' || op === 'password' ? '; the password is read from the terminal or standard input, never from an argument' : ''
    throw new UsageError(`${usageOf[op]}${hint}`)
  }
  if (op === 'list') {
    if (role !== undefined) throw new UsageError(`${usageOf.list} takes no --role`)
    return {}
  }
  const email = normaliseEmail(rest[0])
  if (op === 'add') {
    if (role === undefined) throw new UsageError(`${usageOf.add}: the role is missing (one of ${appRoles.join(', ')})`)
    return { email, role: checkRole(role) }
  }
  if (op === 'set-role') {
    if (role !== undefined && rest.length === 2) throw new UsageError(`${usageOf['set-role']}: give the role once`)
    return { email, role: checkRole(role ?? rest[1]) }
  }
  if (role !== undefined) throw new UsageError(`${usageOf[op]} takes no --role`)
  return { email }
}

/** Reads a new password and checks it against the rule; its hash, or a refusal in the rule's words. */
async function newPasswordHash(email: string, input: CommandContext['input']): Promise<string> {
  const password = await readNewPassword(email, { input })
  const problem = passwordProblem(password, email)
  if (problem) throw new CommandError(`${problem}; nothing was written`)
  return hashPassword(password)
}

async function run(op: Operation, rest: string[], { target, values, print, input }: CommandContext): Promise<void> {
  const { email, role } = parse(op, rest, values.role)
  const server = runningServer(target)
  if (op === 'list') {
    const accounts = server ? (await askServer<{ accounts: Account[] }>(server, 'users/list')).accounts : await withDatabase(target, (db) => listAccounts(db))
    return print(formatAccounts(accounts), accounts)
  }
  // The checks that need the accounts (a duplicate, an unknown email), before anything is written.
  let first = false
  const check = (accounts: Account[]) => {
    first = accounts.length === 0
    const exists = accounts.some((a) => a.email === email)
    if (op === 'add' && exists) throw new CommandError(`an account for ${email} already exists; nothing was written`)
    if (op !== 'add' && !exists) throw new CommandError(`there is no account for ${email}; nothing was written`)
  }
  let account: Account
  if (server) {
    check((await askServer<{ accounts: Account[] }>(server, 'users/list')).accounts)
    const passwordHash = op === 'add' || op === 'password' ? await newPasswordHash(email!, input) : undefined
    account = (await askServer<{ account: Account }>(server, `users/${op}`, { email, role, passwordHash })).account
  } else {
    // the password first: the folder is not held (nor a server kept from starting) while someone types
    const passwordHash = op === 'add' || op === 'password' ? await newPasswordHash(email!, input) : undefined
    account = await withDatabase(target, async (db) => {
      check(await listAccounts(db))
      return db.transaction((tx) => {
        if (op === 'add') return addAccount(tx, { email, role, passwordHash })
        if (op === 'set-role') return setAccountRole(tx, email, role)
        if (op === 'password') return setAccountPassword(tx, email, passwordHash)
        return removeAccount(tx, email)
      })
    })
  }
  const done = {
    add: `added ${account.email} as ${account.role}${first ? '; demonstration mode is over: the embedded server now asks everyone to sign in' : ''}`,
    'set-role': `${account.email} is now ${role}; the account's sessions have ended, its next sign-in carries the new role`,
    remove: `removed ${account.email}; its sessions have ended`,
    password: `new password for ${account.email}; the account's sessions have ended`,
  }[op]
  print(done, { [op === 'remove' ? 'removed' : 'account']: op === 'set-role' ? { ...account, role } : account })
}

function formatAccounts(accounts: Account[]): string {
  if (!accounts.length)
    return 'no accounts: on loopback the embedded server runs in demonstration mode (leader, planner and works @atlas.local)\nadd one: atlas user add <email> --role leader'
  const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : 'never')
  const width = Math.max(5, ...accounts.map((a) => a.email.length))
  const lines = [`${'email'.padEnd(width)}  role     created               last sign-in`]
  for (const a of accounts) lines.push(`${a.email.padEnd(width)}  ${a.role.padEnd(7)}  ${when(a.createdAt).padEnd(20)}  ${when(a.lastSignInAt)}`)
  return lines.join('\n')
}
