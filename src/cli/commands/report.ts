// `atlas report`: the leader's report. The city's indicators with their lights and the communities
// missing each standard, in words; with --pdf the A4 report (map, city summary, communities, open
// 三不管 zones, the backlog's plan, sources), with --csv every indicator of every unit. The data is
// gathered through the same API functions the page calls, as the leader; files are written beside
// their target and renamed, so bad input or a failure leaves nothing half-written.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { callApi } from '../../db/api.ts'
import type { Queryable } from '../../db/database.ts'
import { asCaller } from '../../db/session.ts'
import { textWidth } from '../../backlog/export.ts'
import { lightLabel } from '../../leader/choropleth.ts'
import type { ReportData } from '../../leader/report/types.ts'
import { beijingTime, formatArea } from '../../i18n/core.ts'
import { levelValue } from '../../leader/report/words.ts'
import type { Indicators } from '../../leader/types.ts'
import type { ApiCall } from '../../shared/api.ts'
import { CommandError, UsageError, withDatabase, type Command, type CommandValues } from './command.ts'
import { money, readBudgets } from './plan.ts'
import { leader, walkOptions, walkParams } from './walk.ts'

/** The options `atlas report` reads, as src/cli/main.ts parses them. */
export interface ReportValues extends CommandValues {
  pdf?: string
  csv?: string
  indicator?: string
  budget?: string
}

const usage = 'atlas report [--json] [--pdf report.pdf] [--csv indicators.csv] [--budget <yuan>] [--indicator <key>] [--minutes n --speed m]'

export const reportCommand: Command = {
  name: 'report',
  usage: [
    'report                  the leader\'s report: every indicator of the city with its light, and the',
    '                        communities missing each standard; the open 三不管 zones; the backlog\'s',
    '                        plan at a budget',
    '    --pdf <file>        also write the report as an A4 PDF in Chinese (map, tables, sources)',
    '    --csv <file>        also write every indicator of every unit as CSV (UTF-8 with BOM)',
    '    --indicator <key>   the indicator the PDF\'s map is coloured by (default coverage_households)',
    '    --budget <yuan>     the budget of the plan (default 20000000, or 2000万)',
    ...walkOptions,
  ],
  async run(context) {
    if (context.args.length) throw new UsageError(`report: unknown argument "${context.args[0]}": ${usage}`)
    const values = context.values as ReportValues
    // Everything the command line can check is checked before the database is opened.
    const budget = values.budget === undefined ? undefined : readBudgets({ budget: values.budget })[0]
    const { minutes, speed } = walkParams(values)
    const pdf = outPath(values.pdf, '--pdf', '.pdf')
    const csv = outPath(values.csv, '--csv', '.csv')
    if (pdf && csv && path.resolve(pdf) === path.resolve(csv)) throw new UsageError('--pdf and --csv name the same file')
    if (values.indicator !== undefined && !/^[a-z0-9_]+(\.[a-z0-9_]+)?$/.test(values.indicator)) {
      throw new CommandError(`unknown indicator "${values.indicator}": an indicator is a key such as coverage_households or workers_per_10k`)
    }
    const { gatherReport } = await import('../../leader/report/gather.ts')
    const { ReportInputError } = await import('../../leader/report/types.ts')
    let data: ReportData
    try {
      data = await withDatabase(context.target, (db) =>
        // Not read-only: indicators() keeps its answer until the data changes.
        asCaller(db, leader, (tx) => gatherReport(apiCall(tx), { budget, minutes, speed, indicator: values.indicator })),
      )
    } catch (error) {
      if (error instanceof ReportInputError) throw new CommandError(error.message)
      throw error
    }
    const files: { file: string; content: () => Promise<string | Uint8Array> }[] = []
    if (pdf) files.push({ file: pdf, content: () => renderPdf(data) })
    if (csv) {
      const { indicatorsCsv } = await import('../../leader/report/csv.ts')
      files.push({ file: csv, content: () => Promise.resolve(indicatorsCsv(data.indicators, 'zh')) })
    }
    await writeAllAtomically(files)
    const wrote = { pdf: pdf ?? null, csv: csv ?? null }
    context.print(describeReport(data, wrote), reportJson(data, wrote))
  },
}

// ---------------------------------------------------------------- the API as the leader

/** The API in the caller's transaction, one call at a time (a transaction runs one statement at once). */
export function apiCall(tx: Queryable): ApiCall {
  let queue: Promise<unknown> = Promise.resolve()
  return (name, args) => {
    const run = queue.then(() => callApi(tx, name, args))
    queue = run.catch(() => undefined)
    return run
  }
}

// ---------------------------------------------------------------- files

function outPath(file: string | undefined, flag: string, extension: string): string | undefined {
  if (file === undefined) return undefined
  if (file.trim() === '') throw new UsageError(`${flag} needs a file name: ${usage}`)
  if (path.extname(file).toLowerCase() !== extension) throw new UsageError(`${flag} "${file}": the file must end in ${extension}`)
  const folder = path.dirname(path.resolve(file))
  let stat: fs.Stats
  try {
    stat = fs.statSync(folder)
  } catch {
    throw new CommandError(`${flag} "${file}": the folder ${folder} does not exist`)
  }
  if (!stat.isDirectory()) throw new CommandError(`${flag} "${file}": ${folder} is not a folder`)
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new CommandError(`${flag} "${file}" is a folder, not a file`)
  return file
}

const require = createRequire(import.meta.url)

/** Noto Sans SC, Regular and Bold, as the package ships them. */
export function fontFiles(): { regular: string; bold: string } {
  return {
    regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
  }
}

async function renderPdf(data: ReportData): Promise<Uint8Array> {
  const [{ default: PDFDocument }, { renderReportPdf }] = await Promise.all([import('pdfkit'), import('../../leader/report/pdf.ts')])
  const fonts = fontFiles()
  const [regular, bold] = await Promise.all([fs.promises.readFile(fonts.regular), fs.promises.readFile(fonts.bold)])
  return renderReportPdf(data, { PDFDocument, regular, bold })
}

/** Every file made and written beside its target first; renamed only when all are, else none is left. */
async function writeAllAtomically(files: { file: string; content: () => Promise<string | Uint8Array> }[]): Promise<void> {
  const temporary = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  const written: string[] = []
  try {
    for (const { file, content } of files) {
      const body = await content()
      written.push(temporary(file))
      await fs.promises.writeFile(temporary(file), body)
    }
    for (const { file } of files) await fs.promises.rename(temporary(file), file)
  } catch (error) {
    await Promise.all(written.map((t) => fs.promises.rm(t, { force: true })))
    if (error instanceof CommandError) throw error
    throw new CommandError(`cannot write the report: ${(error as Error).message}`)
  }
}

// ---------------------------------------------------------------- the report in words

/** Pads text to a display width, a CJK character counting two, as a terminal draws it. */
function pad(text: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)))
  return right ? fill + text : text + fill
}

export function describeReport(data: ReportData, wrote: { pdf: string | null; csv: string | null }): string {
  const ind: Indicators = data.indicators
  const lines = [
    `${data.city}: the leader's report (data as of ${beijingTime(ind.data_timestamp)} Beijing time; walk ${ind.params.minutes} min at ${ind.params.speed_m_per_min} m/min)`,
    '',
    'the city:',
  ]
  const width = Math.max(...ind.catalogue.map((info) => textWidth(info.label_en)))
  for (const info of ind.catalogue) {
    const entry = ind.city.indicators[info.key]
    const figure = levelValue(info, 'city', entry, 'en')
    lines.push(`  ${pad(info.label_en, width)}  ${pad(figure, 16, true)}  ${pad(lightLabel(entry?.light ?? 'none', 'en'), 7)}  standard: ${info.standard_en}`)
  }
  lines.push('', 'communities missing each standard:')
  for (const info of ind.catalogue.filter((i) => !i.facility_type)) {
    const of = (light: string) => ind.communities.filter((c) => c.indicators[info.key]?.light === light).map((c) => c.name)
    const missed = of('red')
    const near = of('amber')
    lines.push(`  ${info.label_en} (${info.standard_en}): ${missed.length + near.length} of ${ind.communities.length}`)
    if (missed.length) lines.push(`    missed: ${missed.join(', ')}`)
    if (near.length) lines.push(`    near:   ${near.join(', ')}`)
  }
  const land = ind.city.indicators.zones_open?.parts?.open_m2
  lines.push('', `open 三不管 zones: ${data.zones.length}${land ? ` (${formatArea('en', Number(land))} of land)` : ''}`)
  for (const zone of data.zones) {
    lines.push(`  ${zone.id}  ${zone.kind} at ${zone.level} level, ${formatArea('en', zone.area_m2)}, ${zone.where}; suggested owner ${zone.suggested_owner?.name ?? zone.suggested_owner?.code ?? '—'}`)
  }
  const plan = data.plan
  lines.push('', `backlog plan at ${money(plan.budget_yuan)}:`)
  if (plan.status === 'infeasible') lines.push(`  no plan: the approved items, which are kept, cost ${money(plan.approved_cost_yuan)}`)
  else {
    lines.push(
      `  funded ${plan.funded.length} of ${plan.candidates} candidates: ${money(plan.total_cost_yuan)}, score ${plan.total_score.toFixed(2)}${plan.status === 'optimal' ? ' (optimal)' : ''}`,
      `  rank by score and cut at the budget line: ${plan.rank_and_cut.total_score.toFixed(2)} (${money(plan.rank_and_cut.total_cost_yuan)}); the plan gains ${plan.gain.toFixed(2)}`,
    )
  }
  if (wrote.pdf || wrote.csv) lines.push('')
  if (wrote.pdf) lines.push(`wrote ${wrote.pdf}`)
  if (wrote.csv) lines.push(`wrote ${wrote.csv}`)
  return lines.join('\n')
}

/** --json: the report's data without the polygons. */
export function reportJson(data: ReportData, wrote: { pdf: string | null; csv: string | null }) {
  return {
    city: data.city,
    printed_at: data.printed_at,
    indicator: data.indicator,
    indicators: data.indicators,
    zones: data.zones,
    plan: data.plan,
    wrote,
  }
}

/** What `atlas report --json` prints. */
export type ReportJson = ReturnType<typeof reportJson>
