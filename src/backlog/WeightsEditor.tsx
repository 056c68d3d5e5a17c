// The score's weights: six numbers ≥ 0. Anyone may try other weights: the database scores the
// backlog under them without writing anything (a preview: the list, the map and the plan follow
// it); only the works role saves them, and the page says who set the stored ones and when.
import { useEffect, useMemo, useState } from 'react'
import type { Fetched } from '../data/useFetched.ts'
import { toAtlasError } from '../data/errors.ts'
import { formatPercent, formatWhen } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import type { AppRole } from '../shared/roles.ts'
import { formatScore, sortByScore } from './display.ts'
import { factorKeys, type BacklogScores, type Factor, type FactorKey, type WeightRecord, type Weights } from './types.ts'


/** The weights typed, or why they are not weights. */
export function readWeights(texts: Record<FactorKey, string>): { weights: Weights } | { invalid: 'number' | 'negative' | 'zero' } {
  const weights = {} as Weights
  for (const key of factorKeys) {
    const text = texts[key].trim()
    const n = Number(text)
    if (text === '' || !Number.isFinite(n)) return { invalid: 'number' }
    if (n < 0) return { invalid: 'negative' }
    weights[key] = n
  }
  if (factorKeys.every((k) => weights[k] === 0)) return { invalid: 'zero' }
  return { weights }
}

const sameWeights = (a: Weights, b: Weights) => factorKeys.every((k) => Number(a[k]) === Number(b[k]))
const textsOf = (weights: Weights) => Object.fromEntries(factorKeys.map((k) => [k, String(Number(weights[k]))])) as Record<FactorKey, string>

/** The items whose score moves most under the preview, with their rank before and after. */
function changes(stored: BacklogScores, previewed: BacklogScores) {
  const rank = (scores: BacklogScores) => new Map(sortByScore(scores.items).map((item, i) => [item.code, i + 1]))
  const before = rank(stored)
  const after = rank(previewed)
  const old = new Map(stored.items.map((i) => [i.code, Number(i.score)]))
  return previewed.items
    .map((item) => ({ code: item.code, name: item.name, from: old.get(item.code) ?? 0, to: Number(item.score), rankFrom: before.get(item.code) ?? 0, rankTo: after.get(item.code) ?? 0 }))
    .sort((a, b) => Math.abs(b.to - b.from) - Math.abs(a.to - a.from) || a.code.localeCompare(b.code))
}

export interface WeightsEditorProps {
  stored: BacklogScores
  factors: Factor[]
  preview: Weights | null
  setPreview: (weights: Weights | null) => void
  previewed: Fetched<BacklogScores>
  history: Fetched<WeightRecord[]>
  canEdit: boolean
  role: AppRole | null
  save: (weights: Weights) => Promise<unknown>
}

export function WeightsEditor({ stored, factors, preview, setPreview, previewed, history, canEdit, role, save }: WeightsEditorProps) {
  const { t, lang } = useI18n()
  const [texts, setTexts] = useState(() => textsOf(preview ?? stored.weights))
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const read = readWeights(texts)
  const weights = 'weights' in read ? read.weights : null
  const storedKey = JSON.stringify(stored.weights)

  // new stored weights (saved here or elsewhere): the fields show them unless a preview is on
  const [shownKey, setShownKey] = useState(storedKey)
  if (storedKey !== shownKey) {
    setShownKey(storedKey)
    if (!preview) setTexts(textsOf(stored.weights))
  }

  // a preview once the typing rests; none when the fields say what is stored
  const previewKey = weights && !sameWeights(weights, stored.weights) ? JSON.stringify(weights) : null
  useEffect(() => {
    const timer = setTimeout(() => setPreview(previewKey ? (JSON.parse(previewKey) as Weights) : null), 300)
    return () => clearTimeout(timer)
  }, [previewKey, setPreview])

  const sum = weights ? factorKeys.reduce((s, k) => s + weights[k], 0) : 0
  const moved = useMemo(() => (preview && previewed.data ? changes(stored, previewed.data).slice(0, 5) : []), [preview, previewed.data, stored])
  const label = (key: FactorKey) => {
    const f = factors.find((x) => x.key === key)
    return f ? (lang === 'zh' ? f.label_zh : f.label_en) : key
  }
  return (
    <div className="weights" data-testid="backlog-weights-editor">
      <p className="muted" data-testid="weights-set">
        {t('backlog.weightsSet', { by: stored.weights_set_by ?? '—', when: formatWhen(lang, stored.weights_set_at) })}
      </p>
      <table className="weights-table">
        <tbody>
          {factorKeys.map((key) => (
            <tr key={key}>
              <td>{label(key)}</td>
              <td>
                <input
                  type="number"
                  min={0}
                  step={0.05}
                  data-testid="weight-input"
                  data-key={key}
                  aria-label={label(key)}
                  value={texts[key]}
                  aria-invalid={texts[key].trim() === '' || !(Number(texts[key]) >= 0)}
                  onChange={(e) => setTexts((s) => ({ ...s, [key]: e.target.value }))}
                />
              </td>
              <td className="muted share">{weights && sum > 0 ? formatPercent(lang, (100 * weights[key]) / sum) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {'invalid' in read && <div className="inline-error">{t(`backlog.weights.${read.invalid}`)}</div>}
      {previewed.error && preview && <div className="inline-error">{previewed.error}</div>}
      {preview && (
        <div className="weights-preview" data-testid="weights-preview">
          <strong>{t('backlog.previewing')}</strong>
          {previewed.loading && <span className="muted"> {t('backlog.scoring')}</span>}
          <ul>
            {moved.map((m) => (
              <li key={m.code} data-code={m.code}>
                <code>{m.code}</code> {formatScore(lang, m.from)} → <strong>{formatScore(lang, m.to)}</strong>
                <span className="muted"> {t('backlog.rankMove', { from: m.rankFrom, to: m.rankTo })}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="weights-actions">
        {canEdit && (
          <button
            type="button"
            className="primary"
            data-testid="weights-save"
            disabled={!weights || saving || sameWeights(weights, stored.weights)}
            onClick={() => {
              if (!weights) return
              setSaving(true)
              setError(null)
              save(weights)
                .catch((e) => setError(toAtlasError(e).message))
                .finally(() => setSaving(false))
            }}
          >
            {saving ? t('backlog.saving') : t('backlog.weightsSave')}
          </button>
        )}
        <button type="button" data-testid="weights-reset" disabled={!preview && !!weights && sameWeights(weights, stored.weights)} onClick={() => setTexts(textsOf(stored.weights))}>
          {t('backlog.weightsReset')}
        </button>
      </div>
      {!canEdit && <p className="muted">{t('backlog.weightsReadonly', { role: role ? t(`role.${role}`) : '—' })}</p>}
      {error && (
        <div className="inline-error" role="alert">
          {t('backlog.weightsFailed', { message: error })}
        </div>
      )}
      {!!history.data?.length && (
        <details className="weights-history">
          <summary>{t('backlog.weightsHistory', { n: history.data.length })}</summary>
          <ol>
            {history.data.map((record) => (
              <li key={record.set_at}>
                <div className="muted">
                  {record.set_by ?? '—'} · {formatWhen(lang, record.set_at)}
                </div>
                <div>{factorKeys.map((k) => `${label(k)} ${Number(record.weights[k])}`).join(' · ')}</div>
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  )
}
