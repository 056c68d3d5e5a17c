// Words for the plan: points, the constraints a reason or a conflict names, and the reason of
// every item, in English and Chinese at once (a result carries both). The texts are what a bureau
// defends in a meeting, so they say the figure and the rule, not the solver's vocabulary. The
// sentences are the backlog's words (../words.ts); money and shares are written by the core.
import { formatList, formatNumber, formatPercent, formatYuan, translatorsOf, type Lang, type Values } from '../../i18n/core.ts'
import type { Category, ConstraintRef, ItemReason } from '../types.ts'
import * as words from '../words.ts'

type BacklogKey = keyof typeof words.zh
const say = translatorsOf(words)

/** Points of score: exact hundredths, so two decimals, always, say everything. */
export function formatPoints(points: number, lang: Lang): string {
  return say[lang]('plan.points', { n: formatNumber(lang, points, 2, 2) })
}

/** A share of the plan's cost as the rule states it: 30%, 12.5%. */
const share = (lang: Lang, fraction: number) => formatPercent(lang, fraction * 100, 2, 0)

/** Constraints listed as clauses: 'A must be funded; at most one of A, B'. */
const clauses = (lang: Lang, items: readonly string[]) => items.reduce((a, b) => say[lang]('plan.list', { a, b }))

/** A constraint in both languages, the values written for each. */
function ref(kind: ConstraintRef['kind'], subject: string, key: BacklogKey, values: (lang: Lang) => Values): ConstraintRef {
  return { kind, subject, text_en: say.en(key, values('en')), text_zh: say.zh(key, values('zh')) }
}

/** The constraints by kind, with their words. */
export const refs = {
  budget: (year: number, years: number, yuan: number) =>
    ref('budget', String(year), years === 1 ? 'plan.ref.budget' : 'plan.ref.budgetOfYear', (lang) => ({ year: String(year), yuan: formatYuan(lang, yuan) })),
  must: (code: string) => ref('must', code, 'plan.ref.must', () => ({ code })),
  exclude: (code: string) => ref('exclude', code, 'plan.ref.exclude', () => ({ code })),
  keepApproved: (code: string) => ref('keep_approved', code, 'plan.ref.keepApproved', () => ({ code })),
  categoryMin: (category: Category, fraction: number) => ref('category_min', category, 'plan.ref.categoryMin', (lang) => ({ category, share: share(lang, fraction) })),
  categoryMax: (category: Category, fraction: number) => ref('category_max', category, 'plan.ref.categoryMax', (lang) => ({ category, share: share(lang, fraction) })),
  streetFloor: (street: string, yuan: number) => ref('street_floor', street, 'plan.ref.streetFloor', (lang) => ({ street, yuan: formatYuan(lang, yuan) })),
  exclusive: (codes: string[]) => ref('exclusive', codes.join(','), 'plan.ref.exclusive', (lang) => ({ codes: formatList(lang, codes) })),
  precedence: (before: string, after: string, rejected: boolean) =>
    ref('precedence', `${before}→${after}`, rejected ? 'plan.ref.precedenceRejected' : 'plan.ref.precedence', () => ({ before, after })),
}

const list = (by: ConstraintRef[] | undefined, lang: Lang) => (by?.length ? clauses(lang, by.map((r) => (lang === 'en' ? r.text_en : r.text_zh))) : '')

/** The reason of one item in words. */
export function formatReason(why: ItemReason, lang: Lang): string {
  const t = say[lang]
  const pts = (p: number) => formatPoints(p, lang)
  const yuan = (y: number) => formatYuan(lang, y)
  switch (why.kind) {
    case 'funded':
      if (why.loss === undefined) return t('plan.reason.funded')
      if (why.loss === 0) return t('plan.reason.fundedTie')
      return t('plan.reason.fundedLoss', { loss: pts(why.loss) })
    case 'required':
      return t('plan.reason.required', { by: list(why.by, lang) })
    case 'enters_at': {
      const at = yuan(why.enters_at_yuan ?? 0)
      if (why.forced_loss === 0) return t('plan.reason.entersAtTie', { yuan: at })
      return why.forced_loss === undefined ? t('plan.reason.entersAt', { yuan: at }) : t('plan.reason.entersAtNow', { yuan: at, loss: pts(why.forced_loss) })
    }
    case 'enters_above': {
      if (why.enters_at_yuan === undefined) return t('plan.reason.withinBudget')
      const at = yuan(why.enters_at_yuan)
      return why.forced_loss === undefined ? t('plan.reason.entersAbove', { yuan: at }) : t('plan.reason.entersAboveNow', { yuan: at, loss: pts(why.forced_loss) })
    }
    case 'never':
      return why.forced_loss === undefined ? t('plan.reason.never') : t('plan.reason.neverLoss', { loss: pts(why.forced_loss) })
    case 'blocked':
      return t('plan.reason.blocked', { by: list(why.by, lang) })
    case 'excluded':
      return t('plan.reason.excluded')
    case 'forced_loss':
      return t('plan.reason.forcedLoss', { loss: pts(why.forced_loss ?? 0) })
    case 'not_candidate':
      return t('plan.reason.notCandidate')
  }
}
