// The plan in the backlog's panel: the budget (an example until the user sets one) over 1–5
// years, the funded totals and what they gain over ranking and cutting at the budget line, the
// conflict in words when the constraints cannot hold together, the budget curve, the constraints
// and the exports.
import { useState } from 'react'
import { formatList, formatNumber, formatYuan, moneyUnit } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import { saveFile } from '../views/saveFile.ts'
import { budgetUnit, categoryName, curveShape, exampleBudget, formatScore, fromField, maxYears, scaleBudgets, splitBudget, toField } from './display.ts'
import { categoryInks } from './layers.ts'
import type { BacklogUrl } from './useBacklog.ts'
import type { PlanState } from './usePlan.ts'
import { backlogCategories, type CategoryShare, type CurvePoint, type PlanResult, type ScoredItem } from './types.ts'

type SetUrl = (update: (state: BacklogUrl) => BacklogUrl) => void

/** The budgets the plan is solved for: the URL's, or the example. */
export const budgetsOf = (url: BacklogUrl) => url.budgets ?? [exampleBudget]

/** A field for a sum of money in the language's unit; it commits every valid value as typed. */
function MoneyField({ yuan, onChange, testId, label, max }: { yuan: number; onChange: (yuan: number) => void; testId: string; label: string; max?: number }) {
  const { lang } = useI18n()
  const [text, setText] = useState(() => toField(lang, yuan))
  // follows the value when it changes elsewhere (the slider, another year), not while it is typed
  const [followed, setFollowed] = useState({ yuan, lang })
  if (!Object.is(followed.yuan, yuan) || followed.lang !== lang) {
    setFollowed({ yuan, lang })
    if (fromField(lang, text) !== yuan) setText(toField(lang, yuan))
  }
  const value = fromField(lang, text)
  const invalid = value === null || (max !== undefined && value > max * 10)
  return (
    <input
      type="text"
      inputMode="decimal"
      className="money"
      data-testid={testId}
      aria-label={label}
      aria-invalid={invalid}
      value={text}
      onChange={(event) => {
        setText(event.target.value)
        const next = fromField(lang, event.target.value)
        if (next !== null && !(max !== undefined && next > max * 10)) onChange(next)
      }}
    />
  )
}

function Budget({ url, setUrl, total }: { url: BacklogUrl; setUrl: SetUrl; total: number }) {
  const { t, lang } = useI18n()
  const budgets = budgetsOf(url)
  const sum = budgets.reduce((a, b) => a + b, 0)
  const unit = moneyUnit(lang)
  const set = (next: number[]) => setUrl((s) => ({ ...s, budgets: next }))
  const step = budgetUnit('zh') * 10
  return (
    <div className="plan-budget" data-testid="plan-budget" data-budget={sum} data-years={budgets.length}>
      <div className="plan-budget-head">
        <span className="plan-budget-label">{t('backlog.budget')}</span>
        {url.budgets === null && (
          <span className="plan-example" data-testid="plan-example" title={t('backlog.exampleNote', { need: formatYuan(lang, total) })}>
            {t('backlog.example')}
          </span>
        )}
        <strong className="plan-budget-value" data-testid="plan-budget-value">
          {formatYuan(lang, sum)}
        </strong>
      </div>
      {url.budgets === null && <p className="muted plan-note">{t('backlog.exampleNote', { need: formatYuan(lang, total) })}</p>}
      <input
        type="range"
        className="plan-slider"
        data-testid="plan-slider"
        aria-label={t('backlog.budget')}
        min={0}
        max={Math.max(total, step)}
        step={step}
        value={Math.min(sum, Math.max(total, step))}
        onChange={(event) => {
          const next = Number(event.target.value)
          set(budgets.length === 1 ? [next] : scaleBudgets(budgets, next))
        }}
      />
      <div className="plan-scale muted">
        <span>¥0</span>
        <span>{t('backlog.total', { total: formatYuan(lang, total) })}</span>
      </div>
      <div className="plan-years">
        <label>
          <span>{t('backlog.years')}</span>
          <select data-testid="plan-years" value={budgets.length} onChange={(event) => set(splitBudget(sum, Number(event.target.value)))}>
            {Array.from({ length: maxYears }, (_, i) => (
              <option key={i} value={i + 1}>
                {t('backlog.yearsN', { n: i + 1 })}
              </option>
            ))}
          </select>
        </label>
        {budgets.length === 1 && (
          <label>
            <MoneyField yuan={budgets[0]} onChange={(yuan) => set([yuan])} testId="plan-budget-input" label={t('backlog.budget')} max={total} />
            <span className="muted">{unit}</span>
          </label>
        )}
      </div>
      {budgets.length > 1 && (
        <ol className="plan-year-budgets">
          {budgets.map((b, i) => (
            <li key={i}>
              <span>{t('backlog.yearN', { n: i + 1 })}</span>
              <MoneyField yuan={b} onChange={(yuan) => set(budgets.map((v, j) => (j === i ? yuan : v)))} testId="plan-year-budget" label={t('backlog.yearN', { n: i + 1 })} max={total} />
              <span className="muted">{unit}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

function Totals({ plan }: { plan: PlanState }) {
  const { t, lang } = useI18n()
  const result = plan.result
  if (plan.refused)
    return (
      <div className="inline-error" role="alert" data-testid="plan-refused">
        {t('backlog.refused', { message: plan.refused })}
      </div>
    )
  if (!result) return null
  const funded = result.items.filter((i) => i.funded)
  const gain = result.total_score - result.greedy.total_score
  const gainPerYuan = result.total_score - result.greedy_per_yuan.total_score
  const signed = (v: number) => `${v >= 0 ? '+' : '−'}${formatScore(lang, Math.abs(v))}`
  return (
    <div className={plan.current ? 'plan-totals' : 'plan-totals stale'} data-testid="plan-totals" data-current={plan.current} data-status={result.status}>
      {result.status === 'infeasible' ? (
        <div className="plan-conflict" role="alert" data-testid="plan-conflict">
          <strong>{t('backlog.infeasible')}</strong>
          <ul>
            {(result.conflict ?? []).map((c, i) => (
              <li key={i} data-kind={c.kind}>
                {lang === 'zh' ? c.text_zh : c.text_en}
              </li>
            ))}
          </ul>
          <span className="muted">{t('backlog.infeasibleHint')}</span>
        </div>
      ) : (
        <>
          <div className="plan-figures">
            <div className="plan-figure" data-testid="plan-funded" data-count={funded.length} data-cost={result.total_cost_yuan} data-budget={result.budget_yuan}>
              <span className="plan-figure-value">{t('backlog.fundedN', { n: funded.length, of: result.items.filter((i) => i.why.kind !== 'not_candidate').length })}</span>
              <span className="muted">
                {formatYuan(lang, result.total_cost_yuan)} / {formatYuan(lang, result.budget_yuan)}
              </span>
            </div>
            <div className="plan-figure" data-testid="plan-score" data-score={result.total_score}>
              <span className="plan-figure-value">{formatScore(lang, result.total_score)}</span>
              <span className="muted">{t('backlog.totalScore')}</span>
            </div>
          </div>
          <ul className="plan-gains" data-testid="plan-gain" data-gain={gain} data-gain-per-yuan={gainPerYuan}>
            <li title={t('backlog.greedyNote')}>
              {t('backlog.gainScore', { gain: signed(gain), score: formatScore(lang, result.greedy.total_score), cost: formatYuan(lang, result.greedy.total_cost_yuan) })}
            </li>
            <li title={t('backlog.greedyNote')}>
              {t('backlog.gainPerYuan', { gain: signed(gainPerYuan), score: formatScore(lang, result.greedy_per_yuan.total_score), cost: formatYuan(lang, result.greedy_per_yuan.total_cost_yuan) })}
            </li>
          </ul>
        </>
      )}
      <div className="muted plan-solver" data-testid="plan-solver">
        {t(`backlog.solve.${result.status}`)}
        {plan.planMs !== null && ` · ${t('backlog.solveMs', { ms: formatNumber(lang, plan.planMs, 0) })}`}
        {plan.reasonsMs !== null && ` · ${t('backlog.reasonsMs', { ms: formatNumber(lang, plan.reasonsMs, 0) })}`}
        {plan.reasoning && ` · ${t('backlog.reasoning')}`}
      </div>
    </div>
  )
}

/** The budget curve: optimal against both rank-and-cut lines, the current budget marked. */
export function Curve({ points, budget, result, stale }: { points: CurvePoint[]; budget: number; result: PlanResult | null; stale: boolean }) {
  const { t, lang } = useI18n()
  const shape = curveShape(points, 292, 112, { left: 4, right: 6, top: 14, bottom: 14 })
  const x = shape.x(budget)
  const score = result && result.status !== 'infeasible' ? result.total_score : null
  return (
    <figure className={stale ? 'plan-curve stale' : 'plan-curve'} data-testid="plan-curve" data-points={points.length}>
      <svg width={shape.width} height={shape.height} viewBox={`0 0 ${shape.width} ${shape.height}`} role="img" aria-label={t('backlog.curve')}>
        <line className="axis" x1={shape.x(0)} x2={shape.x(shape.maxBudget)} y1={shape.y(0)} y2={shape.y(0)} />
        <path className="greedy" d={shape.greedy} />
        <path className="per-yuan" d={shape.perYuan} />
        <path className="optimal" d={shape.optimal} />
        <line className="budget" x1={x} x2={x} y1={shape.y(shape.maxScore) - 6} y2={shape.y(0)} data-testid="plan-curve-budget" />
        {score !== null && <circle className="here" cx={x} cy={shape.y(score)} r={3.5} />}
        <text x={shape.x(0) + 2} y={10} className="label">
          {t('backlog.curve.points', { score: formatNumber(lang, shape.maxScore, 0) })}
        </text>
        <text x={shape.x(0)} y={shape.height - 2} className="label">
          ¥0
        </text>
        <text x={shape.x(shape.maxBudget)} y={shape.height - 2} className="label" textAnchor="end">
          {formatYuan(lang, shape.maxBudget)}
        </text>
      </svg>
      <figcaption>
        <span className="key optimal">{t('backlog.curve.optimal')}</span>
        <span className="key greedy">{t('backlog.curve.greedy')}</span>
        <span className="key per-yuan">{t('backlog.curve.perYuan')}</span>
      </figcaption>
    </figure>
  )
}

function ShareRow({ share, onChange }: { share: CategoryShare; onChange: (share: CategoryShare) => void }) {
  const { t } = useI18n()
  const field = (key: 'min' | 'max') => {
    const value = share[key]
    return (
      <input
        type="number"
        min={0}
        max={100}
        step={1}
        data-testid={`share-${key}`}
        aria-label={t(key === 'min' ? 'backlog.share.min' : 'backlog.share.max')}
        value={value === undefined ? '' : Number((value * 100).toFixed(2))}
        placeholder="—"
        onChange={(event) => {
          const text = event.target.value.trim()
          const n = Number(text)
          const next = { ...share }
          if (text === '') delete next[key]
          else if (Number.isFinite(n) && n >= 0 && n <= 100) next[key] = n / 100
          else return
          onChange(next)
        }}
      />
    )
  }
  return (
    <tr data-category={share.category}>
      <td>
        <span className="category-dot" style={{ background: categoryInks[share.category] }} aria-hidden />
        {categoryName(t, share.category)}
      </td>
      <td>{field('min')}</td>
      <td>{field('max')}</td>
    </tr>
  )
}

function Chips({ codes, onRemove, testId }: { codes: string[]; onRemove: (code: string) => void; testId: string }) {
  const { t } = useI18n()
  return (
    <ul className="chips" data-testid={testId}>
      {codes.map((code) => (
        <li key={code}>
          {code}
          <button type="button" aria-label={t('backlog.remove', { what: code })} onClick={() => onRemove(code)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  )
}

function Constraints({ url, setUrl, items, streets }: { url: BacklogUrl; setUrl: SetUrl; items: readonly ScoredItem[]; streets: { code: string; name: string }[] }) {
  const { t, lang } = useI18n()
  const [street, setStreet] = useState(streets[0]?.code ?? '')
  const [floor, setFloor] = useState('')
  const [group, setGroup] = useState('')
  const [groupError, setGroupError] = useState<string | null>(null)
  const known = new Set(items.map((i) => i.code))
  const shares = backlogCategories.map((category) => url.shares.find((s) => s.category === category) ?? { category })
  const setShare = (share: CategoryShare) =>
    setUrl((s) => ({
      ...s,
      shares: backlogCategories
        .map((c) => (c === share.category ? share : s.shares.find((x) => x.category === c)))
        .filter((x): x is CategoryShare => !!x && (x.min !== undefined || x.max !== undefined)),
    }))
  const floorYuan = fromField(lang, floor)
  const streetName = (code: string) => streets.find((s) => s.code === code)?.name ?? code
  return (
    <div className="plan-constraints">
      <label className="toggle">
        <input type="checkbox" data-testid="plan-keep-approved" checked={url.keepApproved} onChange={(e) => setUrl((s) => ({ ...s, keepApproved: e.target.checked }))} />
        {t('backlog.keepApproved')}
      </label>
      <h4>{t('backlog.must')}</h4>
      {url.must.length ? <Chips testId="plan-must" codes={url.must} onRemove={(code) => setUrl((s) => ({ ...s, must: s.must.filter((c) => c !== code) }))} /> : <p className="muted">{t('backlog.fromCard')}</p>}
      <h4>{t('backlog.exclude')}</h4>
      {url.exclude.length ? <Chips testId="plan-exclude" codes={url.exclude} onRemove={(code) => setUrl((s) => ({ ...s, exclude: s.exclude.filter((c) => c !== code) }))} /> : <p className="muted">{t('backlog.fromCard')}</p>}
      <h4>{t('backlog.shares')}</h4>
      <table className="plan-shares" data-testid="plan-shares">
        <thead>
          <tr>
            <th>{t('backlog.category')}</th>
            <th>{t('backlog.share.min')}</th>
            <th>{t('backlog.share.max')}</th>
          </tr>
        </thead>
        <tbody>
          {shares.map((share) => (
            <ShareRow key={share.category} share={share} onChange={setShare} />
          ))}
        </tbody>
      </table>
      <h4>{t('backlog.floors', { unit: moneyUnit(lang) })}</h4>
      {url.floors.length > 0 && (
        <ul className="plan-floors" data-testid="plan-floors">
          {url.floors.map((f) => (
            <li key={f.street_code}>
              {t('backlog.floorRow', { street: streetName(f.street_code), amount: formatYuan(lang, f.min_yuan) })}
              <button type="button" aria-label={t('backlog.remove', { what: streetName(f.street_code) })} onClick={() => setUrl((s) => ({ ...s, floors: s.floors.filter((x) => x.street_code !== f.street_code) }))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="plan-add"
        onSubmit={(event) => {
          event.preventDefault()
          if (!street || floorYuan === null) return
          setUrl((s) => ({ ...s, floors: [...s.floors.filter((f) => f.street_code !== street), { street_code: street, min_yuan: floorYuan }] }))
          setFloor('')
        }}
      >
        <select data-testid="plan-floor-street" value={street} onChange={(e) => setStreet(e.target.value)} aria-label={t('backlog.street')}>
          {streets.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name}
            </option>
          ))}
        </select>
        <input type="text" inputMode="decimal" data-testid="plan-floor-amount" className="money" placeholder={moneyUnit(lang)} value={floor} onChange={(e) => setFloor(e.target.value)} aria-label={t('backlog.floors', { unit: moneyUnit(lang) })} />
        <button type="submit" disabled={!street || floorYuan === null}>
          {t('backlog.add')}
        </button>
      </form>
      <h4>{t('backlog.exclusive')}</h4>
      {url.exclusive.length > 0 && (
        <ul className="plan-floors" data-testid="plan-exclusive">
          {url.exclusive.map((g, i) => (
            <li key={g.join('/')}>
              {formatList(lang, g)}
              <button type="button" aria-label={t('backlog.remove', { what: g.join(', ') })} onClick={() => setUrl((s) => ({ ...s, exclusive: s.exclusive.filter((_, j) => j !== i) }))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="plan-add"
        onSubmit={(event) => {
          event.preventDefault()
          const codes = [...new Set(group.split(/[\s,，、]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))]
          const unknown = codes.filter((c) => !known.has(c))
          if (codes.length < 2) return setGroupError(t('backlog.exclusiveTwo'))
          if (unknown.length) return setGroupError(t('backlog.unknownCodes', { codes: unknown.join(', ') }))
          setGroupError(null)
          setUrl((s) => ({ ...s, exclusive: [...s.exclusive, codes] }))
          setGroup('')
        }}
      >
        <input type="text" data-testid="plan-exclusive-input" placeholder="BL-001, BL-002" value={group} onChange={(e) => setGroup(e.target.value)} aria-label={t('backlog.exclusive')} />
        <button type="submit">{t('backlog.add')}</button>
      </form>
      {groupError && <div className="inline-error">{groupError}</div>}
    </div>
  )
}

function Exports({ result, items }: { result: PlanResult; items: readonly ScoredItem[] }) {
  const { t } = useI18n()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const save = (name: string, type: string, body: BlobPart) => saveFile(name, new Blob([body], { type }))
  const stamp = `${result.budgets.map((b) => Math.round(b / 10_000)).join('-')}wan`
  const run = (kind: 'csv' | 'xlsx' | 'geojson') => {
    setBusy(true)
    setError(null)
    // the exporters (and exceljs) load only when asked for
    import('./export.ts')
      .then(async ({ planCsv, planGeoJson, planXlsx }) => {
        if (kind === 'csv') save(`plan-${stamp}.csv`, 'text/csv;charset=utf-8', planCsv(result, items))
        if (kind === 'geojson') save(`plan-${stamp}.geojson`, 'application/geo+json', JSON.stringify(planGeoJson(result, items)))
        if (kind === 'xlsx') save(`plan-${stamp}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', (await planXlsx(result, items)) as Uint8Array<ArrayBuffer>)
      })
      .catch((e) => setError((e as Error).message ?? String(e)))
      .finally(() => setBusy(false))
  }
  return (
    <div className="plan-exports">
      <span className="muted">{t('backlog.export')}</span>
      <button type="button" data-testid="plan-export-csv" disabled={busy} onClick={() => run('csv')}>
        CSV
      </button>
      <button type="button" data-testid="plan-export-xlsx" disabled={busy} onClick={() => run('xlsx')}>
        XLSX
      </button>
      <button type="button" data-testid="plan-export-geojson" disabled={busy} onClick={() => run('geojson')}>
        GeoJSON
      </button>
      {error && <div className="inline-error">{t('backlog.exportFailed', { message: error })}</div>}
    </div>
  )
}

export interface PlanSectionProps {
  url: BacklogUrl
  setUrl: SetUrl
  plan: PlanState
  /** Every item (with geometry): the constraints name them, the exports write them. */
  items: readonly ScoredItem[]
  total: number
  streets: { code: string; name: string }[]
  constraintCount: number
}

export function PlanSection({ url, setUrl, plan, items, total, streets, constraintCount }: PlanSectionProps) {
  const { t } = useI18n()
  const budgets = budgetsOf(url)
  return (
    <div className="plan" data-testid="plan" aria-busy={plan.solving}>
      <Budget url={url} setUrl={setUrl} total={total} />
      {plan.solving && (
        <div className="engine-progress" data-testid="plan-progress" role="progressbar" aria-label={plan.stage === 'loading' ? t('backlog.loadingSolver') : t('backlog.solving')}>
          <div className="progress-bar" />
          <span className="muted">{plan.stage === 'loading' ? t('backlog.loadingSolver') : t('backlog.solving')}</span>
        </div>
      )}
      {plan.failure && (
        <div className="inline-error" role="alert">
          {t('backlog.solverFailed', { message: plan.failure })} <button onClick={plan.retry}>{t('app.retry')}</button>
        </div>
      )}
      <Totals plan={plan} />
      {plan.curve && <Curve points={plan.curve} budget={budgets.reduce((a, b) => a + b, 0)} result={plan.result} stale={!plan.curveCurrent} />}
      <details className="plan-constraints-box" data-testid="plan-constraints" open={constraintCount > 0 || undefined}>
        <summary>{t('backlog.constraints', { n: constraintCount })}</summary>
        <Constraints url={url} setUrl={setUrl} items={items} streets={streets} />
      </details>
      {plan.result && plan.result.status !== 'infeasible' && <Exports result={plan.result} items={items} />}
    </div>
  )
}
