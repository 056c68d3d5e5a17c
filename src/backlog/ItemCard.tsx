// An item's card, over the map's right side: its figures, its score broken down by factor (the
// raw value, the rule that makes it 0–1, the part it adds: the parts add up to the score), where
// it stands in the plan and why, the plan's must-do and exclude switches, its status with the
// works role's next steps, and its history.
import { useState } from 'react'
import type { Fetched } from '../data/useFetched.ts'
import { toAtlasError } from '../data/errors.ts'
import { formatNumber, formatWhen, formatYuan, type Lang } from '../i18n/core.ts'
import { translateValue, type Translate } from '../i18n/index.ts'
import { useI18n } from '../i18n/react.tsx'
import type { AppRole } from '../shared/roles.ts'
import { isConflict } from './api.ts'
import { categoryName, formatScore, isCandidate, nextStatuses } from './display.ts'
import { categoryInks, otherInk } from './layers.ts'
import type { BacklogUrl } from './useBacklog.ts'
import { factorKeys, type BacklogChange, type Factor, type FactorKey, type PlanItemResult, type ScoredItem, type Status } from './types.ts'

export const statusName = (t: Translate, status: Status) => t(`backlogStatus.${status}`)

/** A factor's raw value with its unit. */
function rawText(t: Translate, lang: Lang, key: FactorKey, raw: number | null): string {
  if (raw === null || raw === undefined) return t('backlog.noData')
  switch (key) {
    case 'households':
      return t('backlog.raw.households', { n: formatNumber(lang, raw) })
    case 'complaints':
      return t('backlog.raw.complaints', { n: formatNumber(lang, raw) })
    case 'severity':
      return `${raw} / 5`
    case 'cost_per_household':
      return t('backlog.raw.perHousehold', { yuan: formatNumber(lang, Math.round(raw)) })
    case 'village':
      return raw ? t('backlog.yes') : t('backlog.no')
    case 'waiting':
      return t('backlog.raw.days', { n: formatNumber(lang, raw) })
  }
}

/** A value of the history in words: statuses by name, money in yuan. */
function valueText(t: Translate, lang: Lang, field: string, value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (Array.isArray(value)) return value.join(', ') || '—'
  if (typeof value !== 'string' && typeof value !== 'number') return JSON.stringify(value)
  if (field === 'status') return translateValue(t, 'backlogStatus', String(value))
  if (field === 'cost_yuan') return formatYuan(lang, Number(value))
  return String(value)
}

function Breakdown({ item, factors }: { item: ScoredItem; factors: Factor[] }) {
  const { t, lang } = useI18n()
  const sumWeights = factors.reduce((s, f) => s + Number(f.weight), 0)
  const byKey = new Map(factors.map((f) => [f.key, f]))
  return (
    <div className="breakdown" data-testid="card-breakdown">
      <ol>
        {factorKeys.map((key) => {
          const factor = byKey.get(key)
          const value = item.factors[key]
          // the most a factor can add: its share of the weights, in points
          const full = factor && sumWeights > 0 ? (100 * Number(factor.weight)) / sumWeights : 0
          const part = Number(value.part)
          return (
            <li key={key} data-testid="factor-row" data-key={key} data-part={part} data-normalised={value.normalised}>
              <div className="factor-top">
                <span className="factor-name">{factor ? (lang === 'zh' ? factor.label_zh : factor.label_en) : key}</span>
                <span className="factor-raw">
                  {rawText(t, lang, key, value.raw)} → {formatNumber(lang, Number(value.normalised), 2)}
                </span>
                <span className="factor-part" title={t('backlog.partOf', { part: formatScore(lang, part), full: formatScore(lang, full) })}>
                  <strong>{formatScore(lang, part)}</strong>
                  <span className="muted"> / {formatNumber(lang, full, 1)}</span>
                </span>
              </div>
              <div className="bar" aria-hidden>
                <span style={{ width: `${full > 0 ? Math.min(100, (part / full) * 100) : 0}%` }} />
              </div>
              <div className="factor-rule muted">{factor ? (lang === 'zh' ? factor.rule_zh : factor.rule_en) : ''}</div>
            </li>
          )
        })}
      </ol>
      <div className="breakdown-sum">
        <span>{t('backlog.scoreSum')}</span>
        <strong data-testid="card-score" data-score={item.score}>
          {formatScore(lang, Number(item.score))}
        </strong>
      </div>
    </div>
  )
}

function StatusSteps({ item, setStatus }: { item: ScoredItem; setStatus: (code: string, status: Status, version: number, remark: string) => Promise<unknown> }) {
  const { t } = useI18n()
  const [remark, setRemark] = useState('')
  const [saving, setSaving] = useState<Status | null>(null)
  const [error, setError] = useState<{ message: string; conflict: boolean } | null>(null)
  const steps = nextStatuses(item.status)
  if (!steps.length) return <p className="muted">{t('backlog.noSteps')}</p>
  return (
    <div className="status-steps" data-testid="status-steps">
      <textarea data-testid="status-remark" rows={2} maxLength={2000} placeholder={t('backlog.remark')} aria-label={t('backlog.remark')} value={remark} onChange={(e) => setRemark(e.target.value)} />
      <div className="status-buttons">
        {steps.map((status) => (
          <button
            key={status}
            type="button"
            className={status === 'rejected' ? '' : 'primary'}
            data-testid="status-step"
            data-status={status}
            disabled={saving !== null}
            onClick={() => {
              setSaving(status)
              setError(null)
              setStatus(item.code, status, item.version, remark)
                .then(() => setRemark(''))
                .catch((e) => setError({ message: toAtlasError(e).message, conflict: isConflict(e) }))
                .finally(() => setSaving(null))
            }}
          >
            {saving === status ? t('backlog.saving') : t(`backlog.step.${status}`)}
          </button>
        ))}
      </div>
      {error && (
        <div className="inline-error" role="alert" data-testid={error.conflict ? 'status-conflict' : 'status-error'}>
          {error.conflict ? t('backlog.conflict', { message: error.message }) : t('backlog.statusFailed', { message: error.message })}
        </div>
      )}
    </div>
  )
}

function History({ history }: { history: Fetched<BacklogChange[]> }) {
  const { t, lang } = useI18n()
  const rows = history.data ?? []
  return (
    <div className="card-history" data-testid="card-history" aria-busy={history.loading}>
      <h4>{t('backlog.history', { n: rows.length })}</h4>
      {history.error && <div className="inline-error">{history.error}</div>}
      <ol>
        {rows.map((change) => {
          const fields = Object.entries(change.changes ?? {})
          return (
            <li key={change.version} data-testid="history-row" data-version={change.version}>
              <div className="muted">
                v{change.version} · {change.changed_by ?? '—'} · {formatWhen(lang, change.changed_at)}
              </div>
              <div>
                {fields.length === 0
                  ? t('backlog.created')
                  : fields.map(([field, [before, after]]) => (
                      <div key={field}>
                        {translateValue(t, 'backlog.field', field)}：{valueText(t, lang, field, before)} →{' '}
                        {valueText(t, lang, field, after)}
                      </div>
                    ))}
              </div>
              {change.remark && <div className="history-remark">“{change.remark}”</div>}
            </li>
          )
        })}
      </ol>
    </div>
  )
}

export interface ItemCardProps {
  item: ScoredItem
  factors: Factor[]
  planItem: PlanItemResult | null
  /** The plan shown answers the current budget and carries reasons. */
  reasons: boolean
  history: Fetched<BacklogChange[]>
  canEdit: boolean
  role: AppRole | null
  preview: boolean
  url: BacklogUrl
  setUrl: (update: (state: BacklogUrl) => BacklogUrl) => void
  select: (code: string | null) => void
  zoomTo: () => void
  setStatus: (code: string, status: Status, version: number, remark: string) => Promise<unknown>
}

export function ItemCard({ item, factors, planItem, reasons, history, canEdit, role, preview, url, setUrl, select, zoomTo, setStatus }: ItemCardProps) {
  const { t, lang } = useI18n()
  const ink = isCandidate(item) ? categoryInks[item.category] : otherInk
  const must = url.must.includes(item.code)
  const excluded = url.exclude.includes(item.code)
  const toggle = (list: 'must' | 'exclude') =>
    setUrl((s) => {
      const other = list === 'must' ? 'exclude' : 'must'
      const on = s[list].includes(item.code)
      return { ...s, [list]: on ? s[list].filter((c) => c !== item.code) : [...s[list], item.code], [other]: s[other].filter((c) => c !== item.code) }
    })
  const reason = planItem ? (lang === 'zh' ? planItem.reason_zh : planItem.reason) : ''
  return (
    <aside className="backlog-card" data-testid="backlog-card" data-code={item.code} aria-label={item.name}>
      <div className="card-head">
        <span className="category-dot" style={{ background: ink }} aria-hidden />
        <code>{item.code}</code>
        <span>{categoryName(t, item.category)}</span>
        <span className={`status-badge ${item.status}`} data-testid="card-status" data-status={item.status}>
          {statusName(t, item.status)}
        </span>
        <span className="muted" data-testid="card-version">
          v{item.version}
        </span>
        <button className="icon-button" aria-label={t('inspector.close')} data-testid="card-close" onClick={() => select(null)}>
          ×
        </button>
      </div>
      <h2 className="card-name">{item.name}</h2>
      <div className="muted">
        {item.community_name} · {item.street_name}
        {' · '}
        <button type="button" className="link" onClick={zoomTo}>
          {t('backlog.zoomTo')}
        </button>
      </div>
      <dl className="card-facts">
        <dt>{t('backlog.cost')}</dt>
        <dd data-testid="card-cost">{formatYuan(lang, Number(item.cost_yuan))}</dd>
        <dt>{t('backlog.requested')}</dt>
        <dd>
          {item.requested_on ?? '—'}
          {item.waiting_days !== null ? ` (${t('backlog.raw.days', { n: formatNumber(lang, item.waiting_days) })})` : ''}
        </dd>
        {item.depends_on.length > 0 && (
          <>
            <dt>{t('backlog.dependsOn')}</dt>
            <dd>
              {item.depends_on.map((code) => (
                <button key={code} type="button" className="link" onClick={() => select(code)}>
                  {code}
                </button>
              ))}
            </dd>
          </>
        )}
      </dl>

      <h3>
        {t('backlog.score')} <span className="card-score-big">{formatScore(lang, Number(item.score))}</span>
        {preview && <span className="preview-badge">{t('backlog.previewBadge')}</span>}
      </h3>
      <Breakdown item={item} factors={factors} />

      <h3>{t('backlog.inPlan')}</h3>
      <div className={`card-plan ${planItem?.funded ? 'funded' : 'unfunded'}`} data-testid="card-plan" data-funded={planItem?.funded ?? false}>
        <strong>
          {!planItem
            ? t('backlog.noPlan')
            : planItem.funded
              ? planItem.year && url.budgets && url.budgets.length > 1
                ? t('backlog.fundedYear', { year: planItem.year })
                : t('backlog.funded')
              : isCandidate(item)
                ? t('backlog.unfunded')
                : t('backlog.notCandidate')}
        </strong>
        <p className="card-reason" data-testid="card-reason">
          {reasons && reason ? reason : planItem ? t('backlog.reasoning') : ''}
        </p>
      </div>
      {isCandidate(item) && (
        <div className="card-constraints">
          <label className="toggle">
            <input type="checkbox" data-testid="card-must" checked={must} onChange={() => toggle('must')} />
            {t('backlog.mustItem')}
          </label>
          <label className="toggle">
            <input type="checkbox" data-testid="card-exclude" checked={excluded} onChange={() => toggle('exclude')} />
            {t('backlog.excludeItem')}
          </label>
        </div>
      )}

      <h3>{t('backlog.status')}</h3>
      {canEdit ? (
        <StatusSteps item={item} setStatus={setStatus} />
      ) : (
        <p className="muted" data-testid="backlog-card-readonly">
          {t('backlog.readonly', { role: role ? t(`role.${role}`) : '—' })}
        </p>
      )}
      <History history={history} />
    </aside>
  )
}
