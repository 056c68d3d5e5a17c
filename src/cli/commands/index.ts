// Every `atlas` command, in the order `atlas help` lists them. A new command is a file in this
// folder and a line here.
import { backlogCommand } from './backlog.ts'
import { backupCommand } from './backup.ts'
import { cityCommand } from './city.ts'
import { coverageCommand } from './coverage.ts'
import { gapsCommand } from './gaps.ts'
import type { Command } from './command.ts'
import { importCommand } from './import.ts'
import { isochroneCommand } from './isochrone.ts'
import { isochronesCommand } from './isochrones.ts'
import { loadSampleCommand } from './loadSample.ts'
import { migrateCommand } from './migrate.ts'
import { networkCommand } from './network.ts'
import { planCommand } from './plan.ts'
import { reportCommand } from './report.ts'
import { restoreCommand } from './restore.ts'
import { standardsCommand } from './standards.ts'
import { statsCommand } from './stats.ts'
import { userCommand } from './user.ts'

export const commands: readonly Command[] = [
  importCommand,
  networkCommand,
  cityCommand,
  standardsCommand,
  statsCommand,
  isochronesCommand,
  isochroneCommand,
  coverageCommand,
  gapsCommand,
  planCommand,
  backlogCommand,
  reportCommand,
  userCommand,
  backupCommand,
  restoreCommand,
  loadSampleCommand,
  migrateCommand,
]
