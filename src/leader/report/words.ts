// The report's figures in words, for the PDF, the CSV and `atlas report`: values with their units
// as the dashboard writes them (one decimal at most), the levels, the parts, dates in Beijing time.
// Pure, no React: it runs in Node and in the report's worker.
import type { IndicatorInfo, IndicatorKey, IndicatorValue, UnitLevel } from '../types.ts'

export type Lang = 'zh' | 'en'

/** A unit that reads without a space before it. */
const tight = new Set(['%', '‰'])

export function formatNumber(value: number, lang: Lang, digits = 1): string {
  return value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}

/** The catalogue's units (Chinese) as English writes them; a count needs none beside its label. */
const englishUnits: Record<string, string> = { 个: '', 处: '', '人/万人': 'per 10,000', 'm²/百户': 'm² per 100 hh' }

/** A unit in the reader's language. */
export const unitIn = (lang: Lang, unit: string) => (lang === 'en' ? (englishUnits[unit] ?? unit) : unit)

/** '92.3%', '17.6 人/万人' ('17.6 per 10,000'); a dash for no data. */
export function formatValue(value: number | null | undefined, unit: string, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return '—'
  const number = formatNumber(Number(value), lang)
  const shown = unitIn(lang, unit)
  if (!shown) return number
  return tight.has(shown) ? `${number}${shown}` : `${number} ${shown}`
}

/**
 * An indicator's value at a level, in words. The service area is a community's floor area, but a
 * street office's or the city's count of communities below 300 m² (the catalogue's rule says so).
 */
export function levelValue(info: IndicatorInfo, level: UnitLevel, entry: IndicatorValue | undefined, lang: Lang): string {
  if (info.key === 'service_area' && level !== 'community' && entry && entry.value !== null) {
    const of = entry.parts?.communities
    if (lang === 'zh') return `${formatNumber(Number(entry.value), 'zh', 0)} 个社区不足 300 m²${of !== null && of !== undefined ? `（共 ${of} 个）` : ''}`
    return `${formatNumber(Number(entry.value), 'en', 0)}${of !== null && of !== undefined ? ` of ${of}` : ''} communities below 300 m²`
  }
  return formatValue(entry?.value, info.unit, lang)
}

/** The unit of an indicator's value column, where a level changes what the value counts. */
export function valueUnit(info: IndicatorInfo, lang: Lang): string {
  if (info.key === 'service_area') return lang === 'zh' ? '社区为 m²；街道与全市为不足 300 m² 的社区数' : 'm² for a community; communities below 300 m² for a street office or the city'
  return info.unit
}

export const labelOf = (info: Pick<IndicatorInfo, 'label_zh' | 'label_en'>, lang: Lang) => (lang === 'zh' ? info.label_zh : info.label_en)
export const standardOf = (info: Pick<IndicatorInfo, 'standard_zh' | 'standard_en'>, lang: Lang) => (lang === 'zh' ? info.standard_zh : info.standard_en)
export const ruleOf = (info: Pick<IndicatorInfo, 'rule_zh' | 'rule_en'>, lang: Lang) => (lang === 'zh' ? info.rule_zh : info.rule_en)

/** Short column heads for the community table, where eleven columns share an A4 page. */
const shortLabels: Partial<Record<IndicatorKey, [string, string]>> = {
  coverage_households: ['户覆盖率', 'Households covered'],
  coverage_residents: ['人口覆盖率', 'Residents covered'],
  grids_outside_band: ['网格超标', 'Grids off band'],
  workers_per_10k: ['社区工作者', 'Workers'],
  service_area_per_100_households: ['每百户用房', 'Area / 100 hh'],
  service_area: ['服务用房', 'Service area'],
  zones_open: ['三不管', '三不管 zones'],
  backlog_funded: ['欠账落实', 'Backlog funded'],
  household_separation: ['人户分离', 'Separation'],
}

export function shortLabel(info: IndicatorInfo, lang: Lang): string {
  const short = shortLabels[info.key]
  return short ? short[lang === 'zh' ? 0 : 1] : labelOf(info, lang)
}

export function levelWord(level: UnitLevel, lang: Lang): string {
  const words: Record<UnitLevel, [string, string]> = { city: ['全市', 'city'], street: ['街道', 'street office'], community: ['社区', 'community'] }
  return words[level][lang === 'zh' ? 0 : 1]
}

/** The parts an indicator is made of, by name (types.ts lists them). */
const partWords: Record<string, [string, string]> = {
  covered: ['覆盖数', 'covered'],
  total: ['总数', 'total'],
  grids: ['网格数', 'grids'],
  below: ['少于500户', 'below 500'],
  above: ['多于800户', 'above 800'],
  households_min: ['最少户数', 'fewest households'],
  households_median: ['户数中位数', 'median households'],
  households_max: ['最多户数', 'most households'],
  workers: ['专职社区工作者', 'full-time workers'],
  residents: ['常住人口', 'residents'],
  area_m2: ['服务用房面积（m²）', 'service floor area (m²)'],
  households: ['户数', 'households'],
  communities: ['社区数', 'communities'],
  below_provincial: ['不足300 m²的社区', 'communities below 300 m²'],
  below_target: ['不足500 m²的社区', 'communities below 500 m²'],
  open_m2: ['面积（m²）', 'area (m²)'],
  done_items: ['已完成项目', 'items done'],
  done_cost: ['已完成费用（元）', 'cost done (yuan)'],
  in_progress_items: ['在建项目', 'items in progress'],
  in_progress_cost: ['在建费用（元）', 'cost in progress (yuan)'],
  approved_items: ['已批准项目', 'items approved'],
  approved_cost: ['已批准费用（元）', 'cost approved (yuan)'],
  unfunded_items: ['待落实项目', 'items unfunded'],
  unfunded_cost: ['待落实费用（元）', 'cost unfunded (yuan)'],
  total_cost: ['总费用（元）', 'total cost (yuan)'],
  registered: ['户籍人口', 'registered'],
  resident: ['常住人口', 'resident'],
}

/** Parts in reading order (covered before total, done before in progress…); unknown ones after. */
export function partOrder(a: string, b: string): number {
  const order = Object.keys(partWords)
  const rank = (part: string) => (order.includes(part) ? order.indexOf(part) : order.length)
  return rank(a) - rank(b)
}

export function partWord(part: string, lang: Lang): string {
  return partWords[part]?.[lang === 'zh' ? 0 : 1] ?? part
}

/** An area: m² below a hectare, hectares above. */
export function formatArea(m2: number, lang: Lang): string {
  if (m2 >= 10_000) return `${formatNumber(m2 / 10_000, lang, 1)} ${lang === 'zh' ? '公顷' : 'ha'}`
  return `${formatNumber(m2, lang, 0)} m²`
}

/** Yuan: 万元 in Chinese (2000万元), millions in English (¥20.00M). */
export function formatYuan(yuan: number, lang: Lang): string {
  if (lang === 'en') return yuan >= 1_000_000 ? `¥${(yuan / 1e6).toFixed(2)}M` : `¥${formatNumber(yuan, 'en', 0)}`
  return yuan >= 10_000 ? `${formatNumber(yuan / 1e4, 'zh', 2)}万元` : `${formatNumber(yuan, 'zh', 0)}元`
}

/** A moment in Beijing time, the city's clock whatever the machine's: '2026-11-24 17:56'. */
export function beijingTime(iso: string): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
}

export const zoneKindWord = (kind: 'gap' | 'overlap', lang: Lang) =>
  lang === 'zh' ? (kind === 'gap' ? '缺口（无人管）' : '重叠（多头管）') : kind === 'gap' ? 'gap (nobody)' : 'overlap (several)'

export function zoneLevelWord(level: string, lang: Lang): string {
  const words: Record<string, [string, string]> = {
    street: ['街道之间', 'between street offices'],
    community: ['社区之间', 'between communities'],
    grid: ['网格之间', 'between grids'],
    micro_grid: ['微网格之间', 'between micro-grids'],
    management: ['管理区域之间', 'between management areas'],
  }
  return words[level]?.[lang === 'zh' ? 0 : 1] ?? level
}
