// The dictionaries against the code that uses them: every key is used somewhere, each key lives in
// one domain, both languages fill the same {placeholders}, and every value of an enumeration the
// page words by a built key (t(`facility.${type}`)) has its words, so no raw key reaches the page.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BaseIndicatorKey, UnitLevel } from '../leader/types.ts'
import { lights } from '../leader/types.ts'
import { appRoles } from '../shared/roles.ts'
import { backlogCategories, backlogStatuses, communityTypes, facilityTypes, layerNames, managementKinds } from '../shared/layers.ts'
import type { PlanResult } from '../backlog/types.ts'
import type { ZoneCandidate, ZoneKind, ZoneStatus, ZoneUnitLayer } from '../zones/types.ts'
import { arrangements, zoneLevels } from '../zones/types.ts'
import { progressSteps } from '../files/progress.ts'
import { comparisons, standardGroups, standardUses } from '../standards/types.ts'
import { dictionaries, domains } from './index.ts'

/** Every member of a union, checked both ways by the compiler (a member missing or extra fails). */
const members = <T extends string>(all: Record<T, true>) => Object.keys(all)

const enumerated = (values: readonly string[] | { data: string }): values is readonly string[] => !('data' in values)

/**
 * The keys the code builds from a value, by pattern ('*' is the value): where the value is one of
 * an enumeration, its members; where the data names it (a column of the database, a part of an
 * indicator), the reason every key under the pattern counts as used. A pattern found in the code
 * and missing here fails the test, and so does one here that the code no longer builds.
 */
const built: Record<string, readonly string[] | { data: string }> = {
  // the layers, the city (a zone's candidate), and what Access.write names besides the layers
  'layer.*': [...layerNames, ...members<Exclude<ZoneUnitLayer, (typeof layerNames)[number]>>({ city: true }), 'proposed_facility', 'zone_decision', 'co_management'],
  'facility.*': facilityTypes,
  'communityType.*': communityTypes,
  'managementKind.*': managementKinds,
  'backlogCategory.*': backlogCategories,
  'backlogStatus.*': backlogStatuses,
  'backlog.step.*': backlogStatuses,
  'backlog.solve.*': members<PlanResult['status']>({ optimal: true, infeasible: true, time_limit: true }),
  'backlog.weights.*': ['number', 'negative', 'zero'],
  'backlog.field.*': { data: 'the columns an item’s change names (its history is the database’s)' },
  'role.*': appRoles,
  'role.*.can': appRoles,
  'legend.grid.*': ['under', 'in', 'over'],
  'standards.comparison.*': comparisons,
  'standards.use.*': standardUses,
  'standards.group.*': standardGroups,
  'database.reason.*': ['folder_missing', 'disk_full', 'storage_error'],
  'zones.kind.*': members<ZoneKind>({ gap: true, overlap: true }),
  'zones.level.*': zoneLevels,
  'zones.status.*': members<ZoneStatus>({ open: true, noise: true, settled: true }),
  'zones.relation.*': members<ZoneCandidate['relation']>({ borders: true, claims: true, encloses: true }),
  'zones.arrangement.*': arrangements,
  'zones.arrangementChoice.*': arrangements,
  'import.step.*': progressSteps,
  'zones.skipped.*': { data: 'the levels zones() skipped; a level without words shows the database’s own reason' },
  'leader.level.*': members<UnitLevel>({ city: true, street: true, community: true }),
  'leader.light.*': lights,
  'leader.zoneKind.*': members<ZoneKind>({ gap: true, overlap: true }),
  'leader.zoneLevel.*': zoneLevels,
  'leader.short.*': members<BaseIndicatorKey>({
    coverage_households: true,
    coverage_residents: true,
    grids_outside_band: true,
    workers_per_10k: true,
    service_area_per_100_households: true,
    service_area: true,
    zones_open: true,
    backlog_funded: true,
    household_separation: true,
  }),
  'leader.part.*': { data: 'the parts indicators() gives each indicator; their order is the CSV’s column order' },
  'attr.*': { data: 'the columns of a unit’s record' },
  'child.*': { data: 'what unit_record() counts under a unit' },
  'band.*': ['under', 'in', 'over'],
  'highway.*': { data: 'the road classes of the walking network (OpenStreetMap’s highway tags)' },
  'standardUnit.*': { data: 'the units the standards and the indicators’ catalogue write' },
}

const root = path.resolve(import.meta.dirname, '..')

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return sources(file)
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : []
  })
}

const code = sources(root).map((file) => ({ file: path.relative(root, file), text: fs.readFileSync(file, 'utf8') }))
const keys = Object.keys(dictionaries.zh)
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The patterns the code builds keys by: t(`facility.${type}`), keyOf('attr', …), translateValue(t, 'layer', …). */
function patternsInCode(): Map<string, string[]> {
  const found = new Map<string, string[]>()
  const add = (pattern: string, file: string) => found.set(pattern, [...(found.get(pattern) ?? []), file])
  for (const { file, text } of code) {
    for (const [, prefix, suffix] of text.matchAll(/`([A-Za-z_][\w.]*\.)\$\{[^}`]*\}([\w.]*)`/g))
      if (keys.some((key) => key.startsWith(prefix))) add(`${prefix}*${suffix}`, file)
    for (const [, prefix] of text.matchAll(/\b(?:keyOf|translateValue)\(\s*(?:\w+,\s*)?'([\w.]+)'/g)) add(`${prefix}.*`, file)
  }
  return found
}

const matcher = (pattern: string) => new RegExp(`^${pattern.split('*').map(escape).join('(.+)')}$`)

/** The keys nothing uses: no literal beyond its two definitions (zh, en), no built pattern that can make it. */
function unusedKeys(): string[] {
  const quoted = (key: string) => ["'", '"', '`'].map((quote) => `${quote}${key}${quote}`)
  const literal = (key: string) => code.reduce((n, { text }) => n + quoted(key).reduce((m, q) => m + text.split(q).length - 1, 0), 0)
  const patterns = Object.entries(built).map(([pattern, values]) => ({ match: matcher(pattern), values: enumerated(values) ? values : null }))
  return keys.filter((key) => {
    if (literal(key) > 2) return false
    return !patterns.some(({ match, values }) => {
      const value = match.exec(key)?.[1]
      return value !== undefined && (values === null || values.includes(value))
    })
  })
}

describe('the words', () => {
  it('finds every built key’s pattern declared, and every declared pattern still built', () => {
    const found = patternsInCode()
    const undeclared = [...found].filter(([pattern]) => !(pattern in built)).map(([pattern, files]) => `${pattern} (${files.join(', ')})`)
    expect(undeclared, 'keys built in code: declare their values (or why the data names them) in `built`').toEqual([])
    expect(Object.keys(built).filter((pattern) => !found.has(pattern))).toEqual([])
  })

  it('has words for every value of every enumeration the code builds keys from', () => {
    const missing = Object.entries(built).flatMap(([pattern, values]) => (enumerated(values) ? values.map((value) => pattern.replace('*', value)).filter((key) => !(key in dictionaries.zh)) : []))
    expect(missing).toEqual([])
  })

  it('uses every key', () => {
    expect(unusedKeys()).toEqual([])
  })

  it('keeps each key in one domain', () => {
    const owners = new Map<string, string[]>()
    for (const [name, words] of Object.entries(domains)) for (const key of Object.keys(words.zh)) owners.set(key, [...(owners.get(key) ?? []), name])
    expect([...owners].filter(([, names]) => names.length > 1)).toEqual([])
    expect(owners.size).toBe(keys.length)
  })

  it('fills the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort().join(',')
    const differ = Object.values(domains).flatMap((words) => {
      const zh: Record<string, string> = words.zh
      const en: Record<string, string> = words.en
      return Object.keys(zh).filter((key) => placeholders(zh[key]) !== placeholders(en[key]))
    })
    expect(differ).toEqual([])
  })

  it('leaves no translation empty, but for a count’s unit, which English does not write', () => {
    const empty = Object.entries(dictionaries.en).filter(([key, text]) => !text && !/^standardUnit\.[个处]$/.test(key))
    expect(empty).toEqual([])
    expect(Object.entries(dictionaries.zh).filter(([, text]) => !text)).toEqual([])
  })
})
