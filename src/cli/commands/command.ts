// What every `atlas` command is: its name, its lines of usage, and how it runs. The table in
// ./index.ts lists them; src/cli/main.ts parses the arguments and dispatches.
import { AsyncLocalStorage } from 'node:async_hooks'
import { connect, type Connection } from '../../db/connect.ts'
import type { Database } from '../../db/database.ts'
import type { PasswordInput } from '../password.ts'

/** A mistake in how the command was called: exit 2, with the usage hint. */
export class UsageError extends Error {}
/** Input the command refuses (a bad parameter, a point off the network): exit 1, in words. */
export class CommandError extends Error {}

export interface CommandValues {
  json: boolean
  crs?: string
  upsert: boolean
  node: boolean
  walkable?: string
  map?: string[]
  layer?: string
  minutes?: string
  speed?: string
  at?: string
  all: boolean
  'min-width'?: string
  'min-area'?: string
  owner?: string
  remark?: string
  apply: boolean
  role?: string
  name?: string
  adcode?: string
  attribution?: string
  example?: string
  view?: string
  value?: string
  min?: string
  max?: string
  comparison?: string
  unit?: string
  source?: string
  issuer?: string
  'source-code'?: string
  year?: string
  clause?: string
  'city-rule': boolean
  applied?: string
  reason?: string
  with?: string
  arrangement?: string
}

export interface CommandContext {
  /** The folder or URL of --db. */
  target: string
  values: CommandValues
  /** Positional arguments after the command's name. */
  args: string[]
  /** Prints the text, or the JSON with --json. */
  print: (text: string, json: unknown) => void
  /** Where a command reads what it asks for (a password): standard input, unless a caller gives another. */
  input?: PasswordInput['input']
}

export interface Command {
  name: string
  /** Lines for `atlas help`, the first naming the command and its arguments. */
  usage: string[]
  run(context: CommandContext): Promise<void>
}

/** How a command reaches the database --db names: by default connect() (the lock, the migrations). */
export type Opener = (target: string) => Promise<Connection>

/**
 * The opener of the main() call a command runs in, when its caller gave one: a process that runs
 * many commands on one database (the tests) keeps it open across them, instead of paying the
 * seconds of an embedded start for each. Scoped to the call, so concurrent calls do not mix.
 */
export const openerOfCall = new AsyncLocalStorage<Opener>()

/** Opens the database a command names (migrating it), runs the work, closes it. */
export async function withDatabase<T>(target: string, work: (db: Database, migrations: string[]) => Promise<T>): Promise<T> {
  const open = openerOfCall.getStore() ?? ((folder: string) => connect(folder, 'atlas'))
  const connection = await open(target)
  if (connection.backup) console.error(`atlas: backed up before migrating: ${connection.backup}`)
  try {
    return await work(connection.db, connection.migrations)
  } finally {
    await connection.close()
  }
}

/** A refusal of the database (bad input, a constraint, row level security) as the command line says it: the message and its hint. */
export function refusal(error: unknown): never {
  const e = error as { message: string; hint?: string; code?: string }
  if (e.code && /^(22|23|42501|P0002|PT)/.test(e.code)) throw new CommandError(e.hint ? `${e.message}. ${e.hint}` : e.message)
  throw error
}

export function noArguments(context: CommandContext, usage: string): void {
  if (context.args.length) throw new UsageError(`${context.args[0]}: ${usage}`)
}
