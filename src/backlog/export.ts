// A plan as files a meeting can open: CSV (UTF-8 with a BOM, so Excel reads the Chinese), XLSX
// (exceljs, loaded only when asked: the page does not ship it up front) and GeoJSON. The same
// code runs in Node (atlas plan --out) and in the browser (the panel's download buttons), so
// nothing here imports node:*.
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import { formatYuan } from '../i18n/core.ts'
import type { Category, PlanItemResult, PlanResult, ReasonKind, ScoredItem, Status } from './types.ts'

/** The columns of the CSV and of the XLSX table, in order. */
export const planHeaders = ['编号', '名称', '类别', '社区', '街道', '费用（元）', '得分', '入选', '年度', '理由'] as const

export interface PlanRow {
  code: string
  name: string
  category: Category
  community: string
  street: string
  cost_yuan: number
  score: number
  funded: boolean
  year: number | null
  reason_zh: string
}

export interface PlanTotals {
  funded: number
  items: number
  cost_yuan: number
  score: number
}

/**
 * The plan's rows in reading order: funded items first, by year, then by score (ties by code);
 * then the rest by score. Community and street names come from backlog_scores.
 */
export function planRows(result: PlanResult, items: readonly ScoredItem[]): PlanRow[] {
  const byCode = new Map(items.map((item) => [item.code, item]))
  return [...result.items].sort(readingOrder).map((item) => {
    const scored = byCode.get(item.code)
    return {
      code: item.code,
      name: item.name,
      category: item.category,
      community: scored?.community_name ?? '',
      street: scored?.street_name ?? '',
      cost_yuan: item.cost_yuan,
      score: item.score,
      funded: item.funded,
      year: item.year,
      reason_zh: item.reason_zh,
    }
  })
}

function readingOrder(a: PlanItemResult, b: PlanItemResult): number {
  if (a.funded !== b.funded) return a.funded ? -1 : 1
  if (a.funded && a.year !== b.year) return (a.year ?? 0) - (b.year ?? 0)
  if (a.score !== b.score) return b.score - a.score
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0
}

/** What the totals line says: the funded items' cost and score, summed in hundredths so no float drift. */
export function planTotals(result: PlanResult): PlanTotals {
  const funded = result.items.filter((item) => item.funded)
  return {
    funded: funded.length,
    items: result.items.length,
    cost_yuan: funded.reduce((sum, item) => sum + item.cost_yuan, 0),
    score: funded.reduce((sum, item) => sum + Math.round(item.score * 100), 0) / 100,
  }
}

// ---------------------------------------------------------------- CSV

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string | number | null): string {
  if (value === null) return ''
  const text = typeof value === 'number' ? String(value) : guardFormula(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Spreadsheets run a text cell that starts with = + - @ as a formula; a leading apostrophe keeps it text. */
function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

const yesNo = (funded: boolean) => (funded ? '是' : '否')

export function planCsv(result: PlanResult, items: readonly ScoredItem[]): string {
  const line = (fields: (string | number | null)[]) => fields.map(csvField).join(',')
  const rows = planRows(result, items)
  const totals = planTotals(result)
  const lines = [
    line([...planHeaders]),
    ...rows.map((row) =>
      line([row.code, row.name, row.category, row.community, row.street, row.cost_yuan, row.score.toFixed(2), yesNo(row.funded), row.year, row.reason_zh]),
    ),
    line(['合计', totalsLabel(totals), null, null, null, totals.cost_yuan, totals.score.toFixed(2), totals.funded, null, budgetLabel(result)]),
  ]
  // The BOM tells Excel the file is UTF-8; CRLF is RFC 4180's line end.
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

const totalsLabel = (totals: PlanTotals) => `入选 ${totals.funded} 项（共 ${totals.items} 项）`

// ---------------------------------------------------------------- words shared by the files

/** Money in the files' words, as every screen writes it: 2,000 万元, 219.9 万元. */
const yuanZh = (yuan: number) => formatYuan('zh', yuan)

function budgetLabel(result: PlanResult): string {
  const total = `预算 ${yuanZh(result.budget_yuan)}`
  const years = result.budgets.length > 1 ? `（${result.budgets.map((b, i) => `第${i + 1}年 ${yuanZh(b)}`).join('，')}）` : ''
  const left = result.status === 'infeasible' ? '' : `，结余 ${yuanZh(result.budget_yuan - result.total_cost_yuan)}`
  return `${total}${years}${left}`
}

export const solveStatusZh: Record<PlanResult['status'], string> = {
  optimal: '最优（已证明）',
  infeasible: '约束无法同时满足',
  time_limit: '达到时间上限，未证明最优',
}

// ---------------------------------------------------------------- XLSX

const fundedFill = 'FFE2EFDA' // a light green: funded rows stand out when printed in grey too
const headerFill = 'FFD9E1F2'

export interface XlsxOptions {
  /** The date printed on top; default today. */
  date?: Date
  title?: string
}

/** Display width of text in a spreadsheet column: a CJK character takes two. */
export function textWidth(text: string): number {
  let width = 0
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) || char.codePointAt(0)! > 0xffff ? 2 : 1
  return width
}

export async function planXlsx(result: PlanResult, items: readonly ScoredItem[], options: XlsxOptions = {}): Promise<Uint8Array> {
  const module = await import('exceljs')
  // Node hands the CommonJS module over as the default export; the browser build as the namespace.
  const ExcelJS = (module as unknown as { default?: typeof module }).default ?? module
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Grassroots Atlas'
  const date = options.date ?? new Date()
  workbook.created = date
  const sheet = workbook.addWorksheet('计划')
  const rows = planRows(result, items)
  const totals = planTotals(result)
  const columns = planHeaders.length

  const title = [
    [options.title ?? '基础设施欠账项目计划'],
    [`预算：${yuanZh(result.budget_yuan)}${result.budgets.length > 1 ? `，分 ${result.budgets.length} 年：${result.budgets.map((b, i) => `第${i + 1}年 ${yuanZh(b)}`).join('，')}` : ''}`],
    [`求解：${solveStatusZh[result.status]}（HiGHS 0/1 整数规划，${Math.round(result.solve_ms)} ms）`],
    [`对比：按得分排序截断 ${result.greedy.total_score.toFixed(2)} 分，按单位费用得分排序截断 ${result.greedy_per_yuan.total_score.toFixed(2)} 分；本计划 ${result.total_score.toFixed(2)} 分`],
    [`日期：${isoDate(date)}`],
  ]
  if (result.conflict?.length) title.push([`冲突的约束：${result.conflict.map((c) => c.text_zh).join('；')}`])
  for (const line of title) sheet.addRow(line)
  sheet.getRow(1).font = { bold: true, size: 14 }
  for (let r = 1; r <= title.length; r++) sheet.mergeCells(r, 1, r, columns)
  sheet.addRow([])

  const header = sheet.addRow([...planHeaders])
  header.font = { bold: true }
  header.alignment = { vertical: 'middle', horizontal: 'center' }
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: headerFill } }
    cell.border = { bottom: { style: 'thin' } }
  })
  const headerRow = header.number

  for (const row of rows) {
    const added = sheet.addRow([row.code, row.name, row.category, row.community, row.street, row.cost_yuan, row.score, yesNo(row.funded), row.year, row.reason_zh])
    if (row.funded) {
      added.eachCell({ includeEmpty: true }, (cell) => {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fundedFill } }
      })
    }
  }
  const totalsRow = sheet.addRow(['合计', totalsLabel(totals), null, null, null, totals.cost_yuan, totals.score, totals.funded, null, budgetLabel(result)])
  totalsRow.font = { bold: true }
  totalsRow.eachCell({ includeEmpty: true }, (cell) => {
    cell.border = { top: { style: 'thin' } }
  })

  sheet.getColumn(6).numFmt = '#,##0'
  sheet.getColumn(7).numFmt = '0.00'
  sheet.getColumn(8).alignment = { horizontal: 'center' }
  sheet.getColumn(9).alignment = { horizontal: 'center' }
  // Widths from the widest cell of the table (not the title lines, which are merged across).
  const cells = (i: number) => [planHeaders[i], ...rows.map((row) => [row.code, row.name, row.category, row.community, row.street, row.cost_yuan.toLocaleString('en'), row.score.toFixed(2), '是', String(row.year ?? ''), row.reason_zh][i])]
  for (let i = 0; i < columns; i++) {
    const widest = Math.max(...cells(i).map((text) => textWidth(String(text))))
    sheet.getColumn(i + 1).width = Math.min(Math.max(widest + 2, 6), i === columns - 1 ? 70 : 40)
  }
  sheet.getColumn(columns).alignment = { wrapText: true, vertical: 'top' }
  sheet.views = [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }]
  sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + rows.length, column: columns } }

  const buffer = await workbook.xlsx.writeBuffer()
  return new Uint8Array(buffer)
}

const isoDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`

// ---------------------------------------------------------------- GeoJSON

export interface PlanFeatureProperties {
  code: string
  name: string
  category: Category
  status: Status | null
  community_code: string | null
  community_name: string | null
  street_code: string | null
  street_name: string | null
  cost_yuan: number
  score: number
  funded: boolean
  year: number | null
  reason: string
  reason_zh: string
  reason_kind: ReasonKind
  /** Funded: the score lost if it were dropped. */
  loss: number | null
  /** Unfunded: the smallest budget at which it would enter. */
  enters_at_yuan: number | null
  /** Unfunded in a multi-year plan, or never funded: what forcing it in would cost. */
  forced_loss: number | null
}

/** Every item of the plan as a feature, drawn by its geometry (null when backlog_scores gave none). */
export function planGeoJson(result: PlanResult, scored: readonly ScoredItem[]): FeatureCollection<Geometry | null, PlanFeatureProperties> {
  const byCode = new Map(scored.map((item) => [item.code, item]))
  const features = [...result.items].sort(readingOrder).map((item): Feature<Geometry | null, PlanFeatureProperties> => {
    const s = byCode.get(item.code)
    return {
      type: 'Feature',
      id: item.code,
      geometry: s?.geometry ?? null,
      properties: {
        code: item.code,
        name: item.name,
        category: item.category,
        status: s?.status ?? null,
        community_code: s?.community_code ?? null,
        community_name: s?.community_name ?? null,
        street_code: s?.street_code ?? null,
        street_name: s?.street_name ?? null,
        cost_yuan: item.cost_yuan,
        score: item.score,
        funded: item.funded,
        year: item.year,
        reason: item.reason,
        reason_zh: item.reason_zh,
        reason_kind: item.why.kind,
        loss: item.why.loss ?? null,
        enters_at_yuan: item.why.enters_at_yuan ?? null,
        forced_loss: item.why.forced_loss ?? null,
      },
    }
  })
  return { type: 'FeatureCollection', features }
}
