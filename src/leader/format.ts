// Figures as the dashboard, the legend and the charts word them: pure, in both languages.
import { formatNumber, type Lang } from '../i18n/index.tsx'
import type { IndicatorInfo } from './types.ts'

/** A unit that reads without a space before it. */
const tight = new Set(['%', '‰'])

/** The catalogue's units (Chinese) as English writes them; a count needs none beside its label. */
const englishUnits: Record<string, string> = { 个: '', 处: '', '人/万人': 'per 10,000', 'm²/百户': 'm² per 100 hh' }

/** A unit in the page's language. */
export const unitIn = (lang: Lang, unit: string) => (lang === 'en' ? (englishUnits[unit] ?? unit) : unit)

/** A value with its unit, one decimal at most ('92.3%', '17.6 人/万人'); a dash for no data. */
export function formatValue(lang: Lang, value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return '—'
  const number = formatNumber(lang, Number(value), 1)
  const shown = unitIn(lang, unit)
  if (!shown) return number
  return tight.has(shown) ? `${number}${shown}` : `${number} ${shown}`
}

/** The indicator's name in the page's language. */
export const labelOf = (info: Pick<IndicatorInfo, 'label_zh' | 'label_en'>, lang: Lang) => (lang === 'zh' ? info.label_zh : info.label_en)
export const standardOf = (info: Pick<IndicatorInfo, 'standard_zh' | 'standard_en'>, lang: Lang) => (lang === 'zh' ? info.standard_zh : info.standard_en)
export const ruleOf = (info: Pick<IndicatorInfo, 'rule_zh' | 'rule_en'>, lang: Lang) => (lang === 'zh' ? info.rule_zh : info.rule_en)

/** A date as YYYY-MM-DD in local time, for the names of the files the page saves. */
export function fileDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** A timestamp as the page shows it: date and minutes, in the page's language. */
export function formatWhen(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })
}
