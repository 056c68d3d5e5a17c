// The page's thin layer over the words: the language and its translator in React's context.
import { createContext, useContext, useMemo, type ReactNode } from 'react'
import type { Lang } from './core.ts'
import { translator, type Translate } from './index.ts'

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
