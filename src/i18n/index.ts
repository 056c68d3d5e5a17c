// The page's words: the union of every domain's dictionary, each kept beside its code, and the
// translator over them. No React here (./react.tsx is the page's thin layer), so Node, the
// workers and the tests use it as they are. A domain's own pure code may take its dictionary
// alone, through `translatorOf` (./core.ts).
import * as shell from '../app/words.ts'
import * as backlog from '../backlog/words.ts'
import * as circles from '../circles/words.ts'
import * as city from '../city/words.ts'
import * as imports from '../import/words.ts'
import * as layers from '../layers/words.ts'
import * as leader from '../leader/words.ts'
import * as map from '../map/words.ts'
import * as standards from '../standards/words.ts'
import * as views from '../views/words.ts'
import * as zones from '../zones/words.ts'
import * as core from './core.ts'
import { translatorOf, type Lang, type Translator, type Values, type Words } from './core.ts'

/** Every domain's dictionary by name; a key belongs to exactly one of them (the words test checks). */
export const domains = { core, shell, map, layers, views, city, standards, circles, zones, backlog, leader, imports }

const zh = { ...core.zh, ...shell.zh, ...map.zh, ...layers.zh, ...views.zh, ...city.zh, ...standards.zh, ...circles.zh, ...zones.zh, ...backlog.zh, ...leader.zh, ...imports.zh }
export type MessageKey = keyof typeof zh
const en: Record<MessageKey, string> = { ...core.en, ...shell.en, ...map.en, ...layers.en, ...views.en, ...city.en, ...standards.en, ...circles.en, ...zones.en, ...backlog.en, ...leader.en, ...imports.en }

export const dictionaries: Words<MessageKey> = { zh, en }

export type Translate = Translator<MessageKey>

export function translator(lang: Lang): Translate {
  return translatorOf(lang, dictionaries)
}

export function hasMessage(key: string): key is MessageKey {
  return key in zh
}

/**
 * The key of a value the data enumerates (a facility type, a column's name, a field of a change),
 * or null when the dictionary has no words for it. Where the value's type is the enumeration
 * itself, write the key as a template instead (t(`facility.${type}`)): the compiler then checks it.
 */
export function keyOf(prefix: string, value: string): MessageKey | null {
  const key = `${prefix}.${value}`
  return hasMessage(key) ? key : null
}

/** An enumerated value in words, or the value itself where the dictionary has none. */
export function translateValue(t: Translate, prefix: string, value: string, values?: Values): string {
  const key = keyOf(prefix, value)
  return key ? t(key, values) : value
}
