// The report's figures in words, for the page, the PDF, the CSV and `atlas report`: values with
// their units as the dashboard writes them (one decimal at most), the levels, the parts, the
// zones. Pure, no React: it runs in Node and in the report's worker. The words are the leader's
// (../words.ts); numbers, areas and units are written by the core (src/i18n/core.ts).
import { formatNumber, translatorsOf, unitIn, type Lang } from '../../i18n/core.ts'
import type { IndicatorInfo, IndicatorValue, UnitLevel } from '../types.ts'
import * as words from '../words.ts'

export type LeaderKey = keyof typeof words.zh

/** The leader's words in each language. */
export const say = translatorsOf(words)

const isLeaderKey = (key: string): key is LeaderKey => key in words.zh

/** A unit that reads without a space before it. */
const tight = new Set(['%', '‰'])

/** '92.3%', '17.6 人/万人' ('17.6 per 10,000 residents'); a dash for no data. */
export function formatValue(value: number | null | undefined, unit: string, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return '—'
  const number = formatNumber(lang, Number(value), 1)
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
    const n = formatNumber(lang, Number(entry.value))
    return of !== null && of !== undefined ? say[lang]('leader.serviceArea.belowOf', { n, of }) : say[lang]('leader.serviceArea.below', { n })
  }
  return formatValue(entry?.value, info.unit, lang)
}

/** The unit of an indicator's value column, where a level changes what the value counts. */
export function valueUnit(info: IndicatorInfo, lang: Lang): string {
  if (info.key === 'service_area') return say[lang]('leader.serviceArea.unit')
  return info.unit
}

export const labelOf = (info: Pick<IndicatorInfo, 'label_zh' | 'label_en'>, lang: Lang) => (lang === 'zh' ? info.label_zh : info.label_en)
export const standardOf = (info: Pick<IndicatorInfo, 'standard_zh' | 'standard_en'>, lang: Lang) => (lang === 'zh' ? info.standard_zh : info.standard_en)
export const ruleOf = (info: Pick<IndicatorInfo, 'rule_zh' | 'rule_en'>, lang: Lang) => (lang === 'zh' ? info.rule_zh : info.rule_en)

/** A short column head, where eleven columns share a table; a per-type coverage keeps its label. */
export function shortLabel(info: IndicatorInfo, lang: Lang): string {
  const key = `leader.short.${info.key}`
  return isLeaderKey(key) ? say[lang](key) : labelOf(info, lang)
}

export const levelWord = (level: UnitLevel, lang: Lang) => say[lang](`leader.level.${level}`)

/** The parts of the indicators in reading order (covered before total, done before in progress…). */
const partOrderList = Object.keys(words.zh)
  .filter((key) => key.startsWith('leader.part.'))
  .map((key) => key.slice('leader.part.'.length))

/** Parts in reading order; unknown ones after. */
export function partOrder(a: string, b: string): number {
  const rank = (part: string) => (partOrderList.includes(part) ? partOrderList.indexOf(part) : partOrderList.length)
  return rank(a) - rank(b)
}

/** A part by its name (types.ts lists them), or the name itself for one the words do not know. */
export function partWord(part: string, lang: Lang): string {
  const key = `leader.part.${part}`
  return isLeaderKey(key) ? say[lang](key) : part
}

export const zoneKindWord = (kind: 'gap' | 'overlap', lang: Lang) => say[lang](`leader.zoneKind.${kind}`)

/** The level a zone lies at (between street offices, between communities…), or its name if unknown. */
export function zoneLevelWord(level: string, lang: Lang): string {
  const key = `leader.zoneLevel.${level}`
  return isLeaderKey(key) ? say[lang](key) : level
}
