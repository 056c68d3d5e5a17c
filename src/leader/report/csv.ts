// Every indicator of every unit as one CSV: UTF-8 with a BOM (so Excel reads the Chinese), RFC
// 4180 (quoted where needed, CRLF). One row per unit: the city, each street office, each
// community; for each indicator of the catalogue (per-type coverage included) its value, its
// light in words and the figures it is made of.
import { csvField } from '../../backlog/export.ts'
import { lightText } from '../choropleth.ts'
import type { Indicators, UnitIndicators } from '../types.ts'
import type { Lang } from '../../i18n/core.ts'
import { labelOf, levelWord, partOrder, partWord, say, valueUnit } from './words.ts'

export function indicatorsCsv(indicators: Indicators, lang: Lang): string {
  const units: UnitIndicators[] = [indicators.city, ...indicators.streets, ...indicators.communities].filter(Boolean)
  const streetName = new Map(indicators.streets.map((s) => [s.code, s.name]))
  const t = say[lang]
  // Each indicator's parts: every name any unit gives (a street office's service area has other
  // parts than a community's), in reading order.
  const columns = indicators.catalogue.map((info) => {
    const parts: string[] = []
    for (const unit of units) for (const part of Object.keys(unit.indicators[info.key]?.parts ?? {})) if (!parts.includes(part)) parts.push(part)
    return { info, parts: parts.sort(partOrder) }
  })
  const header = [
    t('leader.csv.level'),
    t('leader.csv.code'),
    t('leader.csv.name'),
    t('leader.csv.street'),
    ...columns.flatMap(({ info, parts }) => {
      const label = labelOf(info, lang)
      return [
        t('leader.csv.value', { label, unit: valueUnit(info, lang) }),
        t('leader.csv.light', { label }),
        ...parts.map((part) => t('leader.csv.part', { label, part: partWord(part, lang) })),
      ]
    }),
  ]
  const rows = units.map((unit) => [
    levelWord(unit.level, lang),
    unit.code,
    unit.name,
    unit.level === 'community' ? (streetName.get(unit.street_code ?? '') ?? unit.street_code ?? '') : '',
    ...columns.flatMap(({ info, parts }) => {
      const entry = unit.indicators[info.key]
      return [entry?.value ?? null, lightText(info, entry, lang), ...parts.map((part) => entry?.parts?.[part] ?? null)]
    }),
  ])
  const line = (fields: (string | number | null)[]) => fields.map(csvField).join(',')
  return `\uFEFF${[header, ...rows].map(line).join('\r\n')}\r\n`
}
