// `atlas backlog`: the construction bureau's items as the database keeps them: the list with
// status, cost and score; one item's history; and a status moved one step, as the works role,
// through the same API functions the page calls (the version check and the history included).
import { callApi } from '../../db/api.ts'
import type { Database } from '../../db/database.ts'
import { asCaller, userClaims } from '../../db/session.ts'
import { statusTransitions, type BacklogChange, type ScoredItem } from '../../backlog/types.ts'
import { refusal, UsageError, withDatabase, type Command } from './command.ts'
import { settledBy } from './gaps.ts'
import { money, readScores } from './plan.ts'
import { leader } from './walk.ts'

const usage = 'atlas backlog list [--json] | atlas backlog history <code> | atlas backlog status <code> <status> [--remark <text>]'

export const backlogCommand: Command = {
  name: 'backlog',
  usage: [
    'backlog list            the backlog items: code, name, category, status, cost and score',
    'backlog history <code>  an item\'s changes, newest first: who, when, what and why',
    'backlog status <code> <status> [--remark <text>]',
    '                        move an item one step: proposed → approved → in_progress → done, or',
    '                        rejected (and reopened as proposed); recorded with who, when and the remark',
  ],
  async run(context) {
    const [sub, ...rest] = context.args
    if (sub === 'list') {
      if (rest.length) throw new UsageError(`backlog list takes no arguments: ${usage}`)
      const items = (await withDatabase(context.target, (db) => readScores(db, false))).items
      const list = items
        .map(listItem)
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      context.print(describeList(list), list)
      return
    }
    if (sub === 'history') {
      if (rest.length !== 1) throw new UsageError(`backlog history takes one item code: ${usage}`)
      const history = await withDatabase(context.target, (db) => readHistory(db, rest[0]))
      context.print(history.length ? history.map(historyLine).join('\n') : `${rest[0]}: no changes recorded`, history)
      return
    }
    if (sub === 'status') {
      if (rest.length !== 2) throw new UsageError(`backlog status takes an item code and a status: ${usage}`)
      const [code, status] = rest
      // An unknown status, a skipped step, an unknown code: the database refuses them in its words.
      const { item, history } = await withDatabase(context.target, (db) => setStatus(db, code, status, context.values.remark ?? null))
      const next = statusTransitions[item.status]
      const lines = [
        `${item.code} ${item.name}: now ${item.status} (version ${item.version})`,
        ...(history[0] ? [historyLine(history[0])] : []),
        next.length ? `next: ${next.join(' or ')}` : 'no further step',
      ]
      context.print(lines.join('\n'), { item, change: history[0] ?? null })
      return
    }
    if (sub === undefined) throw new UsageError(`backlog needs list, history or status: ${usage}`)
    throw new UsageError(`backlog: unknown argument "${sub}": ${usage}`)
  },
}

/** One line of `atlas backlog list --json`. */
export function listItem(item: ScoredItem) {
  return {
    code: item.code,
    name: item.name,
    category: item.category,
    status: item.status,
    cost_yuan: item.cost_yuan,
    score: item.score,
    version: item.version,
    community_code: item.community_code,
    community_name: item.community_name,
    street_code: item.street_code,
    street_name: item.street_name,
    depends_on: item.depends_on,
  }
}
export type BacklogListItem = ReturnType<typeof listItem>

/** A PostgreSQL refusal in the database's own words (and its hint); anything else is a fault. */
export function readHistory(db: Database, code: string): Promise<BacklogChange[]> {
  return asCaller(db, leader, (tx) => callApi(tx, 'backlog_history', { code }).catch(refusal), true)
}

/**
 * The works role moves the item from the version it reads now: the database refuses a step the
 * workflow does not allow, an unknown code, or a change by someone else in between.
 */
export function setStatus(db: Database, code: string, status: string, remark: string | null): Promise<{ item: ScoredItem; history: BacklogChange[] }> {
  return asCaller(db, userClaims('works', settledBy()), async (tx) => {
    const found = await tx.query<{ version: number }>('select version from atlas.backlog_item where code = $1', [code])
    const version = found.rows[0]?.version ?? null
    const item = await callApi(tx, 'set_backlog_status', { code, status, version, remark }).catch(refusal)
    const history = await callApi(tx, 'backlog_history', { code }).catch(refusal)
    return { item, history }
  })
}

const value = (v: unknown) => (v === null || v === undefined ? '—' : Array.isArray(v) ? v.join(',') || '—' : typeof v === 'string' ? v : JSON.stringify(v))

/** A time as the history reads it, in this machine's time zone, to the minute. */
function when(at: string): string {
  const d = new Date(at)
  if (Number.isNaN(d.getTime())) return at
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
}

export function historyLine(change: BacklogChange): string {
  const fields = Object.entries(change.changes)
  const what = fields.length ? fields.map(([field, [before, after]]) => `${field} ${value(before)} → ${value(after)}`).join('; ') : 'created'
  return `v${change.version}  ${when(change.changed_at)}  ${change.changed_by ?? 'unknown'}  ${what}${change.remark ? `  (${change.remark})` : ''}`
}

type ListItem = Pick<ScoredItem, 'code' | 'name' | 'category' | 'status' | 'cost_yuan' | 'score'>

function describeList(items: ListItem[]): string {
  if (!items.length) return 'the backlog has no items'
  const total = items.reduce((sum, item) => sum + item.cost_yuan, 0)
  const lines = items.map(
    (item) => `${item.code.padEnd(8)}  ${item.category}  ${item.status.padEnd(11)}  ${item.cost_yuan.toLocaleString('en').padStart(11)}  ${item.score.toFixed(2).padStart(6)}  ${item.name}`,
  )
  return [`${items.length} items, ${money(total)} in all`, `${'code'.padEnd(8)}  类别  ${'status'.padEnd(11)}  ${'cost (yuan)'.padStart(11)}  ${'score'.padStart(6)}  name`, ...lines].join('\n')
}
