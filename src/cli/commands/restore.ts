// `atlas restore <file>`: a backup into a new or empty folder (--db, npm start's by default),
// never into one in use or holding anything. Migrations newer than the backup apply the next time
// the folder is opened, as after any upgrade.
import { restoreBackup } from '../../db/backup.ts'
import { isPostgresUrl } from '../../db/database.ts'
import { inWords, describeContents } from './backup.ts'
import { CommandError, UsageError, type Command } from './command.ts'

export const restoreCommand: Command = {
  name: 'restore',
  usage: ['restore <file>          a backup into the new or empty folder of --db'],
  async run(context) {
    const [file, ...rest] = context.args
    if (!file) throw new UsageError('restore <file>: name the backup to restore, e.g. atlas --db .atlas/restored restore atlas-2026-11-24.atlas-backup')
    if (rest.length) throw new UsageError(`restore reads one file; got ${context.args.length}: ${context.args.join(' ')}`)
    if (isPostgresUrl(context.target))
      throw new CommandError('atlas restore writes an embedded database folder: name one with --db <folder>; for a PostgreSQL server use pg_dump and pg_restore')
    const restored = await inWords(() => restoreBackup(file, context.target))
    const { manifest, dataDir, pending } = restored
    const lines = [`restored ${file} into ${dataDir} (taken ${manifest.createdAt})`, ...describeContents(manifest)]
    lines.push(
      pending.length
        ? `${pending.length} migration${pending.length === 1 ? '' : 's'} newer than the backup (${pending.map((m) => `${m.version}_${m.name}`).join(', ')}) will apply the next time the database is opened (npm start, or any atlas command)`
        : 'the schema is up to date',
    )
    lines.push('the folder has a new signing secret: sign in again')
    context.print(lines.join('\n'), { file, database: dataDir, manifest, pendingMigrations: pending.map((m) => `${m.version}_${m.name}`) })
  },
}
