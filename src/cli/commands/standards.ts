// `atlas standards list|set|history`: the standards the atlas checks, as a leader sets them in the
// page — each with its value, unit, comparison, source (a document, or 本市设定) and whether the
// city applies it; every change is kept with who, when and why.
import { callApi } from '../../db/api.ts'
import { asCaller, userClaims } from '../../db/session.ts'
import type { Standard, StandardChange } from '../../standards/types.ts'
import { settledBy } from './gaps.ts'
import { leader } from './walk.ts'
import { CommandError, refusal, UsageError, withDatabase, type Command, type CommandValues } from './command.ts'

export function describeStandards(standards: readonly Standard[]): string {
  return standards
    .map((s) => `${s.key}  ${s.label_zh}  ${s.text_zh}${s.applied ? '' : '  (not applied)'}\n    ${s.citation_zh}`)
    .join('\n')
}

export function describeChanges(changes: readonly StandardChange[]): string {
  if (changes.length === 0) return 'no change yet: the standards are as the atlas ships them'
  return changes
    .map((c) => {
      const applied = c.before.applied === c.after.applied ? '' : `, ${c.after.applied ? 'applied' : 'not applied'}`
      return `${c.changed_at}  ${c.changed_by}  ${c.key}: ${c.before.text_zh} → ${c.after.text_zh}${applied}\n    ${c.after.citation_zh}${c.reason ? `\n    why: ${c.reason}` : ''}`
    })
    .join('\n')
}

function number(values: CommandValues, flag: 'value' | 'min' | 'max' | 'year'): number | undefined {
  const text = values[flag]
  if (text === undefined) return undefined
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n)) throw new CommandError(`--${flag} takes a number, not "${text}"`)
  if (flag === 'year' && !Number.isInteger(n)) throw new CommandError(`--year takes a year such as 2024, not "${text}"`)
  return n
}

function applied(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined
  if (/^(yes|true|1)$/i.test(text.trim())) return true
  if (/^(no|false|0)$/i.test(text.trim())) return false
  throw new CommandError(`--applied takes yes or no, not "${text}"`)
}

function changes(key: string, values: CommandValues) {
  if (values.value !== undefined && (values.min !== undefined || values.max !== undefined))
    throw new CommandError('give a standard either --value, or --min and --max for a band, not both')
  const given = {
    key,
    value_min: number(values, 'value') ?? number(values, 'min'),
    value_max: number(values, 'max'),
    comparison: values.comparison,
    unit: values.unit,
    source_title: values.source?.replace(/^《(.*)》$/u, '$1'),
    source_issuer: values.issuer,
    source_code: values['source-code'],
    source_year: number(values, 'year'),
    source_clause: values.clause,
    city_rule: values['city-rule'] ? true : undefined,
    applied: applied(values.applied),
    reason: values.reason,
  }
  if (Object.entries(given).every(([name, v]) => name === 'key' || name === 'reason' || v === undefined))
    throw new UsageError('standards set needs at least one of --value, --min, --max, --comparison, --unit, --source, --city-rule, --applied')
  return given
}

export const standardsCommand: Command = {
  name: 'standards',
  usage: [
    'standards list          the standards the atlas checks: value, source, whether the city applies them',
    'standards history [<key>]   every change of them (or of one): who, when, why, before and after',
    'standards set <key> [--value <n> | --min <n> --max <n>] [--comparison at_least|at_most|between|equals|about] [--unit <unit>]',
    '        [--source <title> --issuer <issuer> [--source-code <GB …>] [--year <yyyy>] [--clause <text>] | --city-rule]',
    '        [--applied yes|no] [--reason <text>]',
    '                        set one as a leader does in the page; a new value needs its source',
  ],
  async run({ target, values, args, print }) {
    const [sub, ...rest] = args
    if (sub === 'list' && rest.length === 0) {
      const standards = await withDatabase(target, (db) => asCaller(db, leader, (tx) => callApi(tx, 'standards', {}), true))
      print(describeStandards(standards), standards)
      return
    }
    if (sub === 'history' && rest.length <= 1) {
      const history = await withDatabase(target, (db) =>
        asCaller(db, leader, (tx) => callApi(tx, 'standard_history', { standard_key: rest[0] ?? null }).catch(refusal), true),
      )
      print(describeChanges(history), history)
      return
    }
    if (sub === 'set' && rest.length === 1) {
      const given = changes(rest[0], values)
      const standard = await withDatabase(target, (db) =>
        asCaller(db, userClaims('leader', settledBy()), (tx) => callApi(tx, 'set_standard', given).catch(refusal)),
      )
      print(describeStandards([standard]), standard)
      return
    }
    throw new UsageError('standards takes one subcommand: atlas standards list, atlas standards history [<key>], or atlas standards set <key> --value … --source … --issuer …')
  },
}
