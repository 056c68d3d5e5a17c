// Words for the plan: money, points, the constraints a reason or a conflict names, and the reason
// of every item, in English and Chinese. The texts are what a bureau defends in a meeting, so they
// say the figure and the rule, not the solver's vocabulary.
import type { Category, ConstraintRef, ItemReason } from '../types.ts'

export type Lang = 'en' | 'zh'

const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s)

/** ¥20.00M in English, 2000万元 in Chinese. */
export function formatYuan(yuan: number, lang: Lang): string {
  if (lang === 'en') return `¥${(yuan / 1e6).toFixed(2)}M`
  return `${trim((yuan / 1e4).toFixed(2))}万元`
}

/** Points of score: exact hundredths, so two decimals say everything. */
export function formatPoints(points: number, lang: Lang): string {
  const s = points.toFixed(2)
  return lang === 'en' ? `${s} points` : `${s} 分`
}

const percent = (share: number) => `${trim((share * 100).toFixed(2))}%`

function ref(kind: ConstraintRef['kind'], subject: string, en: string, zh: string): ConstraintRef {
  return { kind, subject, text_en: en, text_zh: zh }
}

/** The constraints by kind, with their words. */
export const refs = {
  budget: (year: number, years: number, yuan: number) =>
    years === 1
      ? ref('budget', String(year), `the budget (${formatYuan(yuan, 'en')})`, `预算（${formatYuan(yuan, 'zh')}）`)
      : ref('budget', String(year), `the budget of year ${year} (${formatYuan(yuan, 'en')})`, `第${year}年预算（${formatYuan(yuan, 'zh')}）`),
  must: (code: string) => ref('must', code, `${code} must be funded`, `${code} 必须实施`),
  exclude: (code: string) => ref('exclude', code, `${code} is excluded`, `${code} 已排除`),
  keepApproved: (code: string) =>
    ref('keep_approved', code, `${code} is approved (approved items are kept)`, `${code} 已批准（已批准项目必须保留）`),
  categoryMin: (category: Category, share: number) =>
    ref('category_min', category, `${category} at least ${percent(share)} of the plan's cost`, `${category} 不少于计划费用的 ${percent(share)}`),
  categoryMax: (category: Category, share: number) =>
    ref('category_max', category, `${category} at most ${percent(share)} of the plan's cost`, `${category} 不超过计划费用的 ${percent(share)}`),
  streetFloor: (street: string, yuan: number) =>
    ref('street_floor', street, `at least ${formatYuan(yuan, 'en')} for street office ${street}`, `街道 ${street} 不少于 ${formatYuan(yuan, 'zh')}`),
  exclusive: (codes: string[]) =>
    ref('exclusive', codes.join(','), `at most one of ${codes.join(', ')}`, `${codes.join('、')} 至多选一`),
  precedence: (before: string, after: string, rejected: boolean) =>
    rejected
      ? ref('precedence', `${before}→${after}`, `${after} waits for ${before}, which is rejected`, `${after} 须在 ${before} 之后，而 ${before} 已否决`)
      : ref('precedence', `${before}→${after}`, `${after} waits for ${before} (same year or earlier)`, `${after} 须与 ${before} 同年或在其后实施`),
}

const list = (by: ConstraintRef[] | undefined, lang: Lang) =>
  (by ?? []).map((r) => (lang === 'en' ? r.text_en : r.text_zh)).join(lang === 'en' ? '; ' : '；')

/** The reason of one item in words. */
export function formatReason(why: ItemReason, lang: Lang): string {
  const en = lang === 'en'
  const pts = (p: number) => formatPoints(p, lang)
  const yuan = (y: number) => formatYuan(y, lang)
  const now = (w: ItemReason) =>
    w.forced_loss === undefined ? '' : en ? ` (funding it now would lose ${pts(w.forced_loss)})` : `（现在做则总分少 ${pts(w.forced_loss)}）`
  switch (why.kind) {
    case 'funded':
      if (why.loss === undefined) return en ? 'funded' : '入选'
      if (why.loss === 0)
        return en ? 'funded; a plan of equal score leaves it out (ties go to the higher score, then the code)' : '入选；另有同分方案不含它（同分时先取得分高、再取编号小者）'
      return en ? `funded; dropping it would lose ${pts(why.loss)}` : `入选；若不做，总分少 ${pts(why.loss)}`
    case 'required':
      return en ? `funded; required by: ${list(why.by, lang)}` : `入选；必须实施：${list(why.by, lang)}`
    case 'enters_at': {
      const at = why.enters_at_yuan ?? 0
      if (why.forced_loss === 0)
        return en
          ? `not funded: a plan of equal score funds it (ties go to the higher score, then the code); alone it enters at a budget of ${yuan(at)}`
          : `未入选：另有同分方案包含它（同分时先取得分高、再取编号小者）；预算达到 ${yuan(at)} 时入选`
      return en ? `not funded: enters at a budget of ${yuan(at)}${now(why)}` : `未入选：预算达到 ${yuan(at)} 时入选${now(why)}`
    }
    case 'enters_above':
      if (why.enters_at_yuan === undefined) return en ? 'not funded within the budget' : '预算内未入选'
      return en
        ? `not funded: it enters at no budget below ${yuan(why.enters_at_yuan)} (the search stopped there)${now(why)}`
        : `未入选：预算低于 ${yuan(why.enters_at_yuan)} 时都不会入选（搜索止于此）${now(why)}`
    case 'never': {
      const cost = why.forced_loss === undefined ? '' : en ? ` (funding it would lose ${pts(why.forced_loss)})` : `（若做则总分少 ${pts(why.forced_loss)}）`
      return en ? `not funded, not even with the whole backlog's money${cost}` : `即使全部资金到位也不入选${cost}`
    }
    case 'blocked':
      return en ? `not funded: kept out by ${list(why.by, lang)}` : `未入选：受限于 ${list(why.by, lang)}`
    case 'excluded':
      return en ? 'excluded by the user' : '已被排除'
    case 'forced_loss':
      return en ? `not funded: funding it would lose ${pts(why.forced_loss ?? 0)}` : `未入选：若做则总分少 ${pts(why.forced_loss ?? 0)}`
    case 'not_candidate':
      return en ? 'not in the plan (in progress, done or rejected)' : '不参与计划（实施中、已完成或已否决）'
  }
}
