// The app's two languages: 简体中文 first, English second. `t(key, values)` fills {name}
// placeholders; numbers are grouped the way each language groups them.
import { createContext, useContext, useMemo, type ReactNode } from 'react'
import { en } from './en.ts'
import { zh, type MessageKey } from './zh.ts'

export type Lang = 'zh' | 'en'
export type { MessageKey }

const dictionaries: Record<Lang, Record<MessageKey, string>> = { zh, en }

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

export function hasMessage(key: string): key is MessageKey {
  return key in zh
}

export function formatNumber(lang: Lang, value: number, digits = 0): string {
  return value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}

export function translator(lang: Lang): Translate {
  const dictionary = dictionaries[lang]
  return (key, values) => {
    const template = dictionary[key] ?? zh[key] ?? key
    if (!values) return template
    return template.replace(/\{(\w+)\}/g, (match, name: string) => {
      const value = values[name]
      if (value === undefined) return match
      return typeof value === 'number' ? formatNumber(lang, value) : value
    })
  }
}

/** A key for an enumerated value (facility type, status…), or the value itself when unknown. */
export function translateValue(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}`
  return hasMessage(key) ? t(key) : value
}

export interface I18n {
  lang: Lang
  t: Translate
}

const I18nContext = createContext<I18n>({ lang: 'zh', t: translator('zh') })

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  // one translator per language: what depends on `t` (the map's style) is not rebuilt at every render
  const value = useMemo(() => ({ lang, t: translator(lang) }), [lang])
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

export function useI18n(): I18n {
  return useContext(I18nContext)
}
