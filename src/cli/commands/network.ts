// `atlas network check`: the stored walking network's connected parts, as an import reports them.
import { describeParts } from '../../circles/network/parts.ts'
import { networkParts } from '../../db/import.ts'
import { UsageError, withDatabase, type Command } from './command.ts'

export const networkCommand: Command = {
  name: 'network',
  usage: ['network check           the walking network\'s connected parts, and the share of length in the largest'],
  async run({ target, args, print }) {
    if (args.length !== 1 || args[0] !== 'check') throw new UsageError('network takes one subcommand: atlas network check')
    const parts = await withDatabase(target, (db) => networkParts(db))
    print(describeParts(parts).join('\n'), parts)
  },
}
