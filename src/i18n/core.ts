// The core of the app's words, without React: the two languages, dictionaries typed so that a key
// missing in one of them is a compile error, the translator that fills {name} placeholders, and
// the one way each kind of figure is written (numbers, money, areas, lengths, shares, moments).
// The page, the command line, the report's PDF and the Web Workers all import it.

/** 简体中文 first, English second. */
export type Lang = 'zh' | 'en'
export const langs: readonly Lang[] = ['zh', 'en']

/** Values for a template's {name} placeholders; numbers are written as the language groups them. */
export type Values = Record<string, string | number>

/**
 * A domain's words: the same keys in both languages. Each domain's words.ts declares them as
 *   export const zh = { 'zones.title': '三不管地带', … } satisfies Record<string, string>
 *   export const en: Record<keyof typeof zh, string> = { 'zones.title': '三不管 zones', … }
 * so that a key missing from English, or one English has and Chinese lacks, is a compile error.
 */
export type Words<Key extends string> = Record<Lang, Record<Key, string>>

export type Translator<Key extends string> = (key: Key, values?: Values) => string

const locales: Record<Lang, string> = { zh: 'zh-CN', en: 'en-GB' }

// Building a number format costs a hundred times more than using one, and the plan's constraints
// write sums of money thousands of times while a budget is searched: one format per shape, kept.
const numberFormats = new Map<string, Intl.NumberFormat>()

/** A number grouped as the language groups digits, with at most `digits` decimals (at least `minimumDigits`). */
export function formatNumber(lang: Lang, value: number, digits = 0, minimumDigits = 0): string {
  const shape = `${lang}/${digits}/${minimumDigits}`
  let format = numberFormats.get(shape)
  if (!format) {
    format = new Intl.NumberFormat(locales[lang], { maximumFractionDigits: digits, minimumFractionDigits: Math.min(minimumDigits, digits) })
    numberFormats.set(shape, format)
  }
  return format.format(value)
}

/** Fills a template's {name} placeholders; a placeholder without a value stays as it is. */
export function fill(lang: Lang, template: string, values?: Values): string {
  if (!values) return template
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = values[name]
    if (value === undefined) return match
    return typeof value === 'number' ? formatNumber(lang, value) : value
  })
}

/** The translator of one dictionary (a domain's, or the page's union of them all). */
export function translatorOf<Key extends string>(lang: Lang, words: Words<Key>): Translator<Key> {
  const dictionary = words[lang]
  return (key, values) => fill(lang, dictionary[key] ?? key, values)
}

/** A dictionary's translators in both languages, for text written in both at once (the plan's reasons, the CSV's heads). */
export function translatorsOf<Key extends string>(words: Words<Key>): Record<Lang, Translator<Key>> {
  return { zh: translatorOf('zh', words), en: translatorOf('en', words) }
}

/** The words the formatters below write. */
export const zh = {
  'list.separator': '、',
  'money.yuan': '{n} 元',
  'money.large': '{n} 万元',
  'money.unit': '万元',
  'area.m2': '{n} m²',
  'area.hectares': '{n} 公顷',
  'area.km2': '{n} km²',
  'length.m': '{n} m',
  'length.km': '{n} km',
  // Units as the database's standards and indicators write them, in the reader's language.
  'standardUnit.户': '户',
  'standardUnit.人/万人': '人/万人',
  'standardUnit.m²/百户': 'm²/百户',
  'standardUnit.m²': 'm²',
  'standardUnit.分钟': '分钟',
  'standardUnit.m': '米',
  'standardUnit.个': '个',
  'standardUnit.处': '处',
} satisfies Record<string, string>

export const en: Record<keyof typeof zh, string> = {
  'list.separator': ', ',
  'money.yuan': '¥{n}',
  'money.large': '¥{n} M',
  'money.unit': '¥ M',
  'area.m2': '{n} m²',
  'area.hectares': '{n} ha',
  'area.km2': '{n} km²',
  'length.m': '{n} m',
  'length.km': '{n} km',
  'standardUnit.户': 'households',
  'standardUnit.人/万人': 'per 10,000 residents',
  'standardUnit.m²/百户': 'm² per 100 households',
  'standardUnit.m²': 'm²',
  'standardUnit.分钟': 'minutes',
  'standardUnit.m': 'm',
  // a count needs no unit beside its label in English: "3 of 12 communities", not "3 items"
  'standardUnit.个': '',
  'standardUnit.处': '',
}

export type CoreKey = keyof typeof zh
const say = translatorsOf<CoreKey>({ zh, en })

/**
 * The large unit of money each reader counts in: 万元 (10,000 yuan) in Chinese, millions in
 * English. The page's budget fields take sums in it too.
 */
export const moneyScale: Record<Lang, number> = { zh: 10_000, en: 1_000_000 }

/** The name of that unit, for a field or an axis counted in it: 万元, ¥ M. */
export const moneyUnit = (lang: Lang) => say[lang]('money.unit')

/**
 * Money, one rule on every screen, in the report and in the plan's reasons. A sum is rounded to
 * whole yuan; below the reader's large unit it is written whole, from it on in that unit with at
 * most two decimals (trailing zeros dropped):
 *   Chinese: 5,000 元 · 1.23 万元 (¥12,345) · 219.9 万元 · 2,000 万元 (¥20,000,000)
 *   English: ¥5,000 · ¥12,345 · ¥1.23 M (¥1,234,567) · ¥20 M · ¥66.88 M
 * A negative sum (money left over that is short) takes a minus sign before it.
 */
export function formatYuan(lang: Lang, yuan: number): string {
  const whole = Math.round(Math.abs(yuan))
  const sign = yuan < 0 && whole > 0 ? '−' : ''
  const scale = moneyScale[lang]
  const text = whole < scale ? say[lang]('money.yuan', { n: formatNumber(lang, whole) }) : say[lang]('money.large', { n: formatNumber(lang, whole / scale, 2) })
  return sign + text
}

/** An area of land: square metres below a hectare, hectares (one decimal) below a square kilometre, then km² (two). */
export function formatArea(lang: Lang, m2: number): string {
  const whole = Math.round(m2)
  if (whole < 10_000) return formatFloorArea(lang, whole)
  if (whole < 1_000_000) return say[lang]('area.hectares', { n: formatNumber(lang, whole / 10_000, 1) })
  return say[lang]('area.km2', { n: formatNumber(lang, whole / 1_000_000, 2) })
}

/** A floor area (建筑面积, service rooms): whole square metres, however large, as buildings are counted. */
export function formatFloorArea(lang: Lang, m2: number): string {
  return say[lang]('area.m2', { n: formatNumber(lang, Math.round(m2)) })
}

/** A length: metres (one decimal) below a kilometre, then kilometres (two). */
export function formatLength(lang: Lang, m: number): string {
  return m >= 1000 ? say[lang]('length.km', { n: formatNumber(lang, m / 1000, 2) }) : say[lang]('length.m', { n: formatNumber(lang, m, 1) })
}

/**
 * A percentage (already × 100): `digits` decimals, kept even when zero so that shares compared in
 * a column read alike (5.0 %, 12.5 %); a stated rule passes `minimumDigits` 0 to read "30%".
 */
export function formatPercent(lang: Lang, percent: number, digits = 1, minimumDigits = digits): string {
  return `${formatNumber(lang, percent, digits, minimumDigits)}%`
}

/** Names listed as the language lists them: 社区、网格 · communities, grids. */
export const formatList = (lang: Lang, items: readonly string[]) => items.join(say[lang]('list.separator'))

/** A unit as the database writes it (人/万人, m²/百户…) in the reader's language; an unknown one as it is. */
export function unitIn(lang: Lang, unit: string): string {
  const key = `standardUnit.${unit}`
  return isCoreKey(key) ? say[lang](key) : unit
}

const isCoreKey = (key: string): key is CoreKey => key in zh

/** A timestamp as the page shows it: date and minutes, in the reader's language and clock. */
export function formatWhen(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(locales[lang], { dateStyle: 'medium', timeStyle: 'short' })
}

/** A moment in Beijing time, the city's clock whatever the machine's, for documents: '2026-11-24 17:56'. */
export function beijingTime(iso: string): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/** A date as YYYY-MM-DD in local time, for the names of the files the page saves. */
export function fileDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
