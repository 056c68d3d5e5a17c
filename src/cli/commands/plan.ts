// `atlas plan`: the construction bureau's plan under a budget, solved exactly (HiGHS, a 0/1
// integer programme) over the scores backlog_scores() gives, with a reason for every item, the
// gain over ranking and cutting at the budget line, and the plan written as XLSX, CSV or GeoJSON.
import fs from 'node:fs'
import path from 'node:path'
import { callApi } from '../../db/api.ts'
import type { Database } from '../../db/database.ts'
import { asCaller } from '../../db/session.ts'
import { planCsv, planGeoJson, planXlsx, textWidth } from '../../backlog/export.ts'
import { formatYuan } from '../../i18n/core.ts'
import { backlogCategories, type BacklogScores, type Category, type CategoryShare, type PlanConstraints, type PlanInput, type PlanItemResult, type PlanResult, type ScoredItem } from '../../backlog/types.ts'
import { CommandError, UsageError, withDatabase, type Command, type CommandValues } from './command.ts'
import { leader } from './walk.ts'

/** The options `atlas plan` reads, as src/cli/main.ts parses them. */
export interface PlanValues extends CommandValues {
  budget?: string
  years?: string
  'budget-per-year'?: string
  out?: string
  must?: string
  exclude?: string
  share?: string[]
  floor?: string[]
  exclusive?: string[]
  'no-reasons'?: boolean
}

const usage =
  'atlas plan --budget <yuan> [--years <n> --budget-per-year <yuan,…>] [--must <codes>] [--exclude <codes>] [--share <category>:<min>-<max>]… [--floor <street>:<yuan>]… [--exclusive <code>,<code>…]… [--no-reasons] [--json] [--out plan.xlsx|plan.csv|plan.geojson]'

export const planCommand: Command = {
  name: 'plan',
  usage: [
    'plan --budget <yuan>    the backlog items to fund: the set of proposed and approved items with the',
    '                        highest total score within the budget (exact), each with its reason, and',
    '                        the gain over ranking by score (or score per yuan) and cutting at the line',
    '    --years <n>         1–5 years, each with a budget (default 1; --budget alone is split evenly)',
    '    --budget-per-year <yuan,…>  one budget per year; --budget, if given too, must be their sum',
    '    --must <codes>      items that must be funded, comma-separated',
    '    --exclude <codes>   items that must not be funded',
    '    --share <category>:<min>-<max>  the category\'s share of the plan\'s cost, 0–1 (either side',
    '                        may be left out: 排污:0.2-); repeatable',
    '    --floor <street>:<yuan>  at least this much spent in the street office (code or name); repeatable',
    '    --exclusive <code>,<code>…  alternatives: at most one of them is funded; repeatable',
    '    --no-reasons        the plan alone, in about a second: each item says only whether it is',
    '                        funded (proving every reason takes one solve or more per item: seconds,',
    '                        a minute with a share or a floor)',
    '    --out <file>        also write the plan: .xlsx, .csv or .geojson',
  ],
  async run(context) {
    if (context.args.length) throw new UsageError(`plan: unknown argument "${context.args[0]}": ${usage}`)
    const values = context.values as PlanValues
    const format = outFormat(values.out)
    const budgets = readBudgets(values)
    const scores = await withDatabase(context.target, (db) => readScores(db, format === 'geojson'))
    if (!scores.items.length) {
      throw new CommandError('the backlog has no items: there is nothing to plan (load them with "atlas import backlog <file>" or "atlas load-sample")')
    }
    const constraints = readConstraints(values, scores.items)
    // The solver loads only for this command: the other commands start without it.
    const core = await import('../../backlog/plan/index.ts')
    const input: PlanInput = { items: core.candidates(scores.items), budgets, constraints }
    try {
      core.validatePlanInput(input)
    } catch (error) {
      if (error instanceof core.PlanInputError) throw new CommandError(error.message)
      throw error
    }
    const result = core.solvePlan(await core.loadHighs(), input, { reasons: !values['no-reasons'] })
    if (result.status === 'infeasible') {
      const conflict = (result.conflict ?? []).map((c) => c.text_en)
      throw new CommandError(
        conflict.length
          ? `these constraints cannot all hold: ${conflict.join('; ')}. Drop or loosen one of them`
          : 'the constraints cannot all hold together',
      )
    }
    let wrote: string | null = null
    if (values.out && format) {
      await writeAtomically(values.out, await renderFile(format, result, scores.items))
      wrote = values.out
    }
    context.print(describePlan(result, budgets, values, wrote), result)
  },
}

// ---------------------------------------------------------------- reading the options

type Format = 'xlsx' | 'csv' | 'geojson'

export function outFormat(out: string | undefined): Format | null {
  if (out === undefined) return null
  const extension = path.extname(out).toLowerCase()
  if (extension === '.xlsx' || extension === '.csv' || extension === '.geojson') return extension.slice(1) as Format
  throw new UsageError(`--out "${out}": the file must end in .xlsx, .csv or .geojson`)
}

/** Yuan as typed: a number, or a number of 万 (2000万). */
function yuan(text: string, flag: string): number {
  const match = /^\s*([^万]*?)\s*(万)?\s*$/.exec(text)
  const number = match && match[1] !== '' ? Number(match[1]) : Number.NaN
  const value = match?.[2] ? number * 10_000 : number
  if (!Number.isFinite(value)) throw new CommandError(`${flag} must be a sum in yuan (20000000, or 2000万), not "${text}"`)
  if (value < 0) throw new CommandError(`${flag} cannot be negative: "${text}"`)
  if (value > Number.MAX_SAFE_INTEGER) throw new CommandError(`${flag} is too large: "${text}"`)
  return value
}

export function readBudgets(values: Pick<PlanValues, 'budget' | 'years' | 'budget-per-year'>): number[] {
  let years: number | null = null
  if (values.years !== undefined) {
    years = Number(values.years)
    if (values.years.trim() === '' || !Number.isInteger(years) || years < 1 || years > 5) {
      throw new CommandError(`--years must be a whole number from 1 to 5, not "${values.years}"`)
    }
  }
  const total = values.budget === undefined ? null : yuan(values.budget, '--budget')
  if (values['budget-per-year'] !== undefined) {
    const budgets = values['budget-per-year'].split(',').map((part, i) => yuan(part, `--budget-per-year (year ${i + 1})`))
    if (budgets.length < 1 || budgets.length > 5) throw new CommandError(`--budget-per-year takes 1 to 5 budgets, not ${budgets.length}`)
    if (years !== null && budgets.length !== years) {
      throw new CommandError(`--budget-per-year gives ${budgets.length} budget${budgets.length === 1 ? '' : 's'} but --years is ${years}: give one budget per year`)
    }
    const sum = budgets.reduce((a, b) => a + b, 0)
    if (total !== null && sum !== total) {
      throw new CommandError(`--budget ${total} does not agree with --budget-per-year, whose sum is ${sum}: the budget is the sum of the years; give one of them, or make them agree`)
    }
    return budgets
  }
  if (total === null) throw new UsageError(`plan needs --budget <yuan> (or --budget-per-year): ${usage}`)
  const n = years ?? 1
  // An even split in whole yuan; the first year takes the remainder so the years add up exactly.
  const each = Math.floor(total / n)
  return Array.from({ length: n }, (_, i) => (i === 0 ? total - each * (n - 1) : each))
}

const codeList = (text: string | undefined, flag: string): string[] | undefined => {
  if (text === undefined) return undefined
  const codes = text.split(',').map((code) => code.trim()).filter(Boolean)
  if (!codes.length) throw new CommandError(`${flag} needs item codes, comma-separated (BL-001,BL-002), not "${text}"`)
  return codes
}

function share(text: string, flag = '--share'): CategoryShare {
  const match = /^\s*([^:]+?)\s*:\s*([^-]*?)\s*-\s*([^-]*?)\s*$/.exec(text)
  if (!match) throw new CommandError(`${flag} must read <category>:<min>-<max> (排污:0.2-0.5, 硬化:-0.4), not "${text}"`)
  const category = match[1] as Category
  if (!backlogCategories.includes(category)) throw new CommandError(`${flag} "${text}": unknown category "${match[1]}"; the categories are ${backlogCategories.join(', ')}`)
  const fraction = (part: string, side: string) => {
    if (part === '') return undefined
    const value = part.endsWith('%') ? Number(part.slice(0, -1)) / 100 : Number(part)
    if (!Number.isFinite(value) || value < 0 || value > 1) throw new CommandError(`${flag} "${text}": the ${side} share must be from 0 to 1 (or 0%–100%), not "${part}"`)
    return value
  }
  const min = fraction(match[2], 'minimum')
  const max = fraction(match[3], 'maximum')
  if (min === undefined && max === undefined) throw new CommandError(`${flag} "${text}" gives neither a minimum nor a maximum`)
  if (min !== undefined && max !== undefined && min > max) throw new CommandError(`${flag} "${text}": the minimum ${min} is above the maximum ${max}`)
  return { category, ...(min !== undefined && { min }), ...(max !== undefined && { max }) }
}

/** A street office by code or by name, among those the backlog's items lie in. */
function floor(text: string, items: readonly ScoredItem[]): { street_code: string; min_yuan: number } {
  const at = text.lastIndexOf(':')
  // the example is a street office of this city's own backlog
  const example = items[0] ? `${items[0].street_code}:5000000, or ${items[0].street_name}:500万` : '<code>:5000000, or <name>:500万'
  if (at <= 0) throw new CommandError(`--floor must read <street>:<yuan> (${example}), not "${text}"`)
  const street = text.slice(0, at).trim()
  const streets = new Map<string, string>()
  for (const item of items) streets.set(item.street_code, item.street_name)
  const code = streets.has(street) ? street : [...streets].find(([, name]) => name === street)?.[0]
  if (!code) {
    const known = [...streets].sort().map(([c, n]) => `${c} ${n}`).join(', ')
    throw new CommandError(`--floor "${text}": no backlog item lies in a street office "${street}"${known ? `; the street offices with items: ${known}` : ''}`)
  }
  return { street_code: code, min_yuan: yuan(text.slice(at + 1), `--floor ${street}`) }
}

export function readConstraints(values: PlanValues, items: readonly ScoredItem[]): PlanConstraints {
  const constraints: PlanConstraints = {}
  const must = codeList(values.must, '--must')
  const exclude = codeList(values.exclude, '--exclude')
  if (must) constraints.must = must
  if (exclude) constraints.exclude = exclude
  if (values.share?.length) {
    const shares = values.share.map((text) => share(text))
    const twice = shares.find((s, i) => shares.findIndex((t) => t.category === s.category) !== i)
    if (twice) throw new CommandError(`--share names ${twice.category} twice: give its minimum and maximum in one --share`)
    constraints.categoryShare = shares
  }
  if (values.floor?.length) constraints.streetFloor = values.floor.map((text) => floor(text, items))
  if (values.exclusive?.length) {
    constraints.exclusive = values.exclusive.map((text) => {
      const group = codeList(text, '--exclusive')!
      if (group.length < 2) throw new CommandError(`--exclusive "${text}" needs two or more item codes, comma-separated`)
      return group
    })
  }
  return constraints
}

// ---------------------------------------------------------------- reading and writing

export async function readScores(db: Database, withGeometry: boolean): Promise<BacklogScores> {
  return asCaller(db, leader, (tx) => callApi(tx, 'backlog_scores', { with_geometry: withGeometry }), true)
}

async function renderFile(format: Format, result: PlanResult, items: ScoredItem[]): Promise<string | Uint8Array> {
  if (format === 'xlsx') return planXlsx(result, items)
  if (format === 'csv') return planCsv(result, items)
  return `${JSON.stringify(planGeoJson(result, items))}\n`
}

/** Written beside the target, then renamed: a failure leaves no half-written plan. */
async function writeAtomically(file: string, content: string | Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  try {
    await fs.promises.writeFile(temporary, content)
    await fs.promises.rename(temporary, file)
  } catch (error) {
    await fs.promises.rm(temporary, { force: true })
    throw new CommandError(`cannot write ${file}: ${(error as Error).message}`)
  }
}

// ---------------------------------------------------------------- the plan in words

/** Money as the English reasons and the page write it: ¥20 M, ¥850,000. */
export const money = (yuan: number) => formatYuan('en', yuan)

/** Pads text to a display width, a CJK character counting two, as a terminal draws it. */
function pad(text: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)))
  return right ? fill + text : text + fill
}

const points = (score: number) => score.toFixed(2)

function table(rows: PlanItemResult[], withYear: boolean): string[] {
  const lines = [`  ${withYear ? 'year  ' : ''}${pad('code', 8)}  ${pad('category', 8)}  ${pad('cost (yuan)', 12, true)}  ${pad('score', 6, true)}  name`]
  for (const item of rows) {
    lines.push(
      `  ${withYear ? pad(String(item.year ?? ''), 6) : ''}${pad(item.code, 8)}  ${pad(item.category, 8)}  ${pad(item.cost_yuan.toLocaleString('en'), 12, true)}  ${pad(points(item.score), 6, true)}  ${item.name}`,
      `  ${withYear ? '      ' : ''}${' '.repeat(8)}  ${item.reason}`,
    )
  }
  return lines
}

export function describePlan(result: PlanResult, budgets: number[], values: Pick<PlanValues, 'budget-per-year' | 'years'>, wrote: string | null): string {
  const funded = result.items
    .filter((item) => item.funded)
    .sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || b.score - a.score || (a.code < b.code ? -1 : 1))
  const rest = result.items.filter((item) => !item.funded).sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1))
  const years = budgets.length
  const split = years > 1 && values['budget-per-year'] === undefined ? ', split evenly' : ''
  const lines = [
    `plan for a budget of ${money(result.budget_yuan)} (${result.budget_yuan.toLocaleString('en')} yuan)${years > 1 ? ` over ${years} years${split}: ${budgets.map((b, i) => `year ${i + 1} ${money(b)}`).join(', ')}` : ''}`,
    `${result.status === 'optimal' ? 'optimal (proved by HiGHS)' : 'not proved optimal: the solver stopped at its time limit'}, ${result.solve_ms.toFixed(0)} ms`,
    `funded ${funded.length} of ${result.items.length} items: ${money(result.total_cost_yuan)} spent, ${money(result.budget_yuan - result.total_cost_yuan)} left; total score ${points(result.total_score)}`,
  ]
  if (years > 1) {
    for (let y = 1; y <= years; y++) {
      const spent = funded.filter((item) => item.year === y).reduce((sum, item) => sum + item.cost_yuan, 0)
      lines.push(`  year ${y}: ${money(spent)} of ${money(budgets[y - 1])}`)
    }
  }
  const gain = (baseline: PlanResult['greedy']) => `${points(baseline.total_score)} (${money(baseline.total_cost_yuan)}); the plan gains ${points(result.total_score - baseline.total_score)}`
  lines.push(
    `rank by score and cut at the budget line:          ${gain(result.greedy)}`,
    `rank by score per yuan and cut at the budget line: ${gain(result.greedy_per_yuan)}`,
  )
  if (funded.length) lines.push('', `funded (${funded.length}):`, ...table(funded, true))
  if (rest.length) lines.push('', `not funded (${rest.length}):`, ...table(rest, false))
  if (wrote) lines.push('', `wrote ${wrote}`)
  return lines.join('\n')
}
