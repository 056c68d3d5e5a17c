// `atlas`: how an administrator loads a city's files and reads its figures, over the same
// database and SQL functions as the app. Each command is a file in ./commands, listed in
// ./commands/index.ts.
import { parseArgs } from 'node:util'
import { defaultDataDir } from '../db/embedded.ts'
import { ImportError } from '../db/validate.ts'
import { layerNames } from '../shared/layers.ts'
import { CommandError, openerOfCall, UsageError, type CommandContext, type Opener } from './commands/command.ts'
import { commands } from './commands/index.ts'

const usage = `atlas — Grassroots Atlas (基层治理一张图) command line

usage: atlas [--db <folder | postgres://url>] <command> [options]

commands:
${commands.flatMap((command) => command.usage).map((line) => `  ${line}`).join('\n')}
  help                    this text

options:
  --db <target>           a folder for an embedded database (created if new, empty), or a
                          PostgreSQL URL; default: npm start's database, ${defaultDataDir}
  --json                  print the result as JSON

layers: ${layerNames.join(', ')}`

/** Runs one command; `open`, when given, replaces how its commands open the database (see Opener). */
export async function main(argv: string[], out = console.log, err = console.error, open?: Opener, input?: CommandContext['input']): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        crs: { type: 'string' },
        upsert: { type: 'boolean', default: false },
        node: { type: 'boolean', default: false },
        walkable: { type: 'string' },
        map: { type: 'string', multiple: true },
        layer: { type: 'string' },
        minutes: { type: 'string' },
        speed: { type: 'string' },
        at: { type: 'string' },
        all: { type: 'boolean', default: false },
        'min-width': { type: 'string' },
        'min-area': { type: 'string' },
        owner: { type: 'string' },
        remark: { type: 'string' },
        apply: { type: 'boolean', default: false },
        budget: { type: 'string' },
        years: { type: 'string' },
        'budget-per-year': { type: 'string' },
        out: { type: 'string' },
        must: { type: 'string' },
        exclude: { type: 'string' },
        share: { type: 'string', multiple: true },
        floor: { type: 'string', multiple: true },
        exclusive: { type: 'string', multiple: true },
        'no-reasons': { type: 'boolean', default: false },
        pdf: { type: 'string' },
        csv: { type: 'string' },
        indicator: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        adcode: { type: 'string' },
        attribution: { type: 'string' },
        example: { type: 'string' },
        view: { type: 'string' },
        value: { type: 'string' },
        min: { type: 'string' },
        max: { type: 'string' },
        comparison: { type: 'string' },
        unit: { type: 'string' },
        source: { type: 'string' },
        issuer: { type: 'string' },
        'source-code': { type: 'string' },
        year: { type: 'string' },
        clause: { type: 'string' },
        'city-rule': { type: 'boolean', default: false },
        applied: { type: 'string' },
        reason: { type: 'string' },
        with: { type: 'string' },
        arrangement: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    if (argv.some((a) => a === '--password' || a.startsWith('--password=') || a === '-p')) {
      err('atlas: a password is never an argument (it would stay in the shell history and in ps): it is read from the terminal, or from the first line of standard input')
      return 2
    }
    err(`atlas: ${(error as Error).message}\n\n${usage}`)
    return 2
  }
  const { values, positionals } = parsed
  const [name, ...args] = positionals
  if (values.help || !name || name === 'help') {
    out(usage)
    return name || values.help ? 0 : 2
  }
  const print = (text: string, json: unknown) => out(values.json ? JSON.stringify(json, null, 2) : text)
  try {
    const command = commands.find((c) => c.name === name)
    if (!command) throw new UsageError(`unknown command "${name}"`)
    const context: CommandContext = { target: values.db ?? defaultDataDir, values, args, print, input }
    await (open ? openerOfCall.run(open, () => command.run(context)) : command.run(context))
    return 0
  } catch (error) {
    if (error instanceof UsageError) {
      err(`atlas: ${error.message}\n\nrun "atlas help" for the commands`)
      return 2
    }
    if (values.json && error instanceof ImportError) err(JSON.stringify({ error: 'refused', file: error.file, problems: error.problems }, null, 2))
    else if (values.json && error instanceof CommandError) err(JSON.stringify({ error: 'refused', message: error.message }, null, 2))
    else err(`atlas: ${(error as Error).message}`)
    return 1
  }
}
