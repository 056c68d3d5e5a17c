// Dates as the page words them. Values, units and labels are the report's words (report/words.ts):
// the page, the PDF and the CSV say the same thing.
import type { Lang } from '../i18n/index.tsx'

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
