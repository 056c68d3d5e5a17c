// `atlas migrate`: create or update the schema.
import { noArguments, withDatabase, type Command } from './command.ts'

export const migrateCommand: Command = {
  name: 'migrate',
  usage: ['migrate                 create or update the schema (every command does this first)'],
  async run(context) {
    noArguments(context, 'migrate takes no arguments')
    const applied = await withDatabase(context.target, (_db, migrations) => Promise.resolve(migrations))
    context.print(applied.length ? `applied ${applied.join(', ')}` : 'the schema is up to date', { applied })
  },
}
