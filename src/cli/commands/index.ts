// Every `atlas` command, in the order `atlas help` lists them. A new command is a file in this
// folder and a line here.
import { coverageCommand, isochroneCommand, isochronesCommand } from './circles.ts'
import type { Command } from './command.ts'
import { loadSampleCommand, migrateCommand } from './database.ts'
import { importCommand } from './import.ts'
import { statsCommand } from './stats.ts'

export const commands: readonly Command[] = [
  importCommand,
  statsCommand,
  isochronesCommand,
  isochroneCommand,
  coverageCommand,
  loadSampleCommand,
  migrateCommand,
]
