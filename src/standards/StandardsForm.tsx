// The standards in the settings: every standard the atlas checks with its value, its source (a
// document, or 本市设定) and whether the city applies it; a leader edits one at a time, saved
// through public.set_standard, which refuses in words what it cannot keep (a new value without
// its source, a negative value, an unknown unit). Their changes are listed with who, when and why.
import { useState } from 'react'
import { rpc, type AtlasClient } from '../data/client.ts'
import { toAtlasError } from '../data/errors.ts'
import { formatWhen } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import { useStandards } from './context.ts'
import './standards.css'
import { comparisons, standardUnits, type Comparison, type Standard, type StandardChange } from './types.ts'

export interface StandardsFormProps {
  client: AtlasClient
  /** Whether the signed-in role may change them (a leader). */
  writable: boolean
  onSaved: (standard: Standard) => void
}

export function StandardsForm({ client, writable, onSaved }: StandardsFormProps) {
  const { t, lang } = useI18n()
  const standards = useStandards()
  const [editing, setEditing] = useState<string | null>(null)
  const [said, setSaid] = useState<string | null>(null)
  const [history, setHistory] = useState<StandardChange[] | null>(null)
  const [historyError, setHistoryError] = useState<string | null>(null)

  const showHistory = () => {
    if (history) return setHistory(null)
    rpc(client, 'standard_history', {})
      .then((changes) => {
        setHistory(changes)
        setHistoryError(null)
      })
      .catch((error: unknown) => setHistoryError(toAtlasError(error).message))
  }

  const groups = [...new Set(standards.map((s) => s.group))]
  return (
    <section className="standards-form" data-testid="standards-form">
      <h3>{t('standards.title')}</h3>
      <p className="muted">{t('standards.intro')}</p>
      {!writable && <p className="muted">{t('standards.leaderOnly')}</p>}
      {said && (
        <p className="muted" role="status" data-testid="standards-said">
          {said}
        </p>
      )}
      {groups.map((group) => (
        <div key={group} className="standards-group">
          <h4>{t(`standards.group.${group}`)}</h4>
          <ul>
            {standards
              .filter((s) => s.group === group)
              .map((s) => (
                <li key={s.key} data-testid={`standard-${s.key}`} className={s.applied ? '' : 'not-applied'}>
                  <div className="standard-line">
                    <span>{lang === 'zh' ? s.label_zh : s.label_en}</span>
                    <strong data-testid="standard-value">{lang === 'zh' ? s.text_zh : s.text_en}</strong>
                    {!s.applied && <span className="badge">{t('standards.notApplied')}</span>}
                    {writable && editing !== s.key && (
                      <button className="link" data-testid="standard-edit" onClick={() => (setEditing(s.key), setSaid(null))}>
                        {t('standards.edit')}
                      </button>
                    )}
                  </div>
                  <div className="muted citation" data-testid="standard-citation">
                    {lang === 'zh' ? s.citation_zh : s.citation_en}
                  </div>
                  {editing === s.key && (
                    <StandardEditor
                      client={client}
                      standard={s}
                      onCancel={() => setEditing(null)}
                      onSaved={(saved) => {
                        setEditing(null)
                        setSaid(t('standards.saved'))
                        setHistory(null)
                        onSaved(saved)
                      }}
                    />
                  )}
                </li>
              ))}
          </ul>
        </div>
      ))}
      <button className="link" data-testid="standards-history" onClick={showHistory}>
        {t('standards.history')}
      </button>
      {historyError && <p className="inline-error">{historyError}</p>}
      {history && (
        <ul className="standards-history" data-testid="standards-history-list">
          {history.length === 0 && <li className="muted">{t('standards.history.none')}</li>}
          {history.map((c) => {
            const standard = standards.find((s) => s.key === c.key)
            return (
              <li key={c.id}>
                <div>
                  <strong>{standard ? (lang === 'zh' ? standard.label_zh : standard.label_en) : c.key}</strong>{' '}
                  {t('standards.history.entry', { when: formatWhen(lang, c.changed_at), who: c.changed_by, before: c.before.text_zh, after: c.after.text_zh })}
                  {c.before.applied !== c.after.applied && ` · ${c.after.applied ? t('standards.applied') : t('standards.notApplied')}`}
                </div>
                <div className="muted">{t('standards.basis', { citation: c.after.citation_zh })}</div>
                {c.reason && <div className="muted">{t('standards.history.why', { reason: c.reason })}</div>}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}

interface Draft {
  comparison: Comparison
  value_min: string
  value_max: string
  unit: string
  sourceKind: 'document' | 'city'
  source_title: string
  source_issuer: string
  source_code: string
  source_year: string
  source_clause: string
  applied: boolean
  reason: string
}

const text = (v: number | string | null) => (v === null ? '' : String(v))

function draftOf(s: Standard): Draft {
  return {
    comparison: s.comparison,
    // a ceiling keeps its one value in value_max
    value_min: text(s.comparison === 'at_most' ? s.value_max : s.value_min),
    value_max: text(s.comparison === 'at_most' ? null : s.value_max),
    unit: s.unit,
    sourceKind: s.city_rule ? 'city' : 'document',
    source_title: text(s.source_title),
    source_issuer: text(s.source_issuer),
    source_code: text(s.source_code),
    source_year: text(s.source_year),
    source_clause: text(s.source_clause),
    applied: s.applied,
    reason: '',
  }
}

function StandardEditor({ client, standard, onCancel, onSaved }: { client: AtlasClient; standard: Standard; onCancel: () => void; onSaved: (s: Standard) => void }) {
  const { t } = useI18n()
  const [draft, setDraft] = useState<Draft>(() => draftOf(standard))
  const [state, setState] = useState<{ saving: boolean; error: string | null }>({ saving: false, error: null })
  const before = draftOf(standard)
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }))
  const band = draft.comparison === 'between' || draft.comparison === 'about'
  const sourceChanged = (['sourceKind', 'source_title', 'source_issuer', 'source_code', 'source_year', 'source_clause'] as const).some((k) => draft[k] !== before[k])

  const number = (value: string) => (value.trim() === '' ? null : Number(value))
  const save = () => {
    setState({ saving: true, error: null })
    const min = number(draft.value_min)
    const max = band ? number(draft.value_max) : null
    rpc(client, 'set_standard', {
      key: standard.key,
      comparison: draft.comparison,
      value_min: min,
      value_max: max,
      unit: draft.unit === standard.unit ? null : draft.unit,
      ...(sourceChanged
        ? draft.sourceKind === 'city'
          ? { city_rule: true }
          : {
              source_title: draft.source_title.replace(/^《(.*)》$/u, '$1'),
              source_issuer: draft.source_issuer,
              source_code: draft.source_code || null,
              source_year: number(draft.source_year),
              source_clause: draft.source_clause || null,
            }
        : {}),
      applied: draft.applied === standard.applied ? null : draft.applied,
      reason: draft.reason.trim() || null,
    })
      .then(onSaved)
      .catch((error: unknown) => setState({ saving: false, error: toAtlasError(error).message }))
  }

  const input = (key: keyof Draft, label: string, type: 'text' | 'number' = 'text') => (
    <label className="field">
      {label}
      <input
        data-testid={`standard-field-${key}`}
        type={type}
        inputMode={type === 'number' ? 'decimal' : undefined}
        value={draft[key] as string}
        onChange={(e) => set(key, e.target.value)}
      />
    </label>
  )

  const alwaysApplied = standard.used_by.includes('circles')
  const unitFixed = standard.used_by.length > 0
  return (
    <div className="standard-editor" data-testid="standard-editor">
      {standard.used_by.length > 0 && (
        <p className="muted">{t('standards.usedBy', { uses: standard.used_by.map((u) => t(`standards.use.${u}`)).join('、') })}</p>
      )}
      <label className="field">
        {t('standards.comparison')}
        <select data-testid="standard-field-comparison" value={draft.comparison} onChange={(e) => set('comparison', e.target.value as Comparison)}>
          {comparisons.map((c) => (
            <option key={c} value={c}>
              {t(`standards.comparison.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="field-row">
        {input('value_min', band ? t('standards.min') : t('standards.value'), 'number')}
        {band && input('value_max', t('standards.max'), 'number')}
        <label className="field">
          {t('standards.unit')}
          <select data-testid="standard-field-unit" value={draft.unit} disabled={unitFixed} title={unitFixed ? t('standards.unitFixed') : undefined} onChange={(e) => set('unit', e.target.value)}>
            {standardUnits.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="field">
        <legend>{t('standards.source')}</legend>
        <label className="choice">
          <input type="radio" name={`source-${standard.key}`} data-testid="standard-source-document" checked={draft.sourceKind === 'document'} onChange={() => set('sourceKind', 'document')} />
          {t('standards.source.document')}
        </label>
        <label className="choice">
          <input type="radio" name={`source-${standard.key}`} data-testid="standard-source-city" checked={draft.sourceKind === 'city'} onChange={() => set('sourceKind', 'city')} />
          {t('standards.source.city')}
        </label>
      </fieldset>
      {draft.sourceKind === 'document' && (
        <>
          {input('source_title', t('standards.sourceTitle'))}
          {input('source_issuer', t('standards.sourceIssuer'))}
          <div className="field-row">
            {input('source_code', t('standards.sourceCode'))}
            {input('source_year', t('standards.sourceYear'), 'number')}
          </div>
          {input('source_clause', t('standards.sourceClause'))}
        </>
      )}
      <label className="choice">
        <input type="checkbox" data-testid="standard-field-applied" checked={draft.applied} disabled={alwaysApplied} onChange={(e) => set('applied', e.target.checked)} />
        {alwaysApplied ? t('standards.alwaysApplied') : t('standards.applied')}
      </label>
      {input('reason', t('standards.reason'))}
      {state.error && (
        <p className="inline-error" role="alert" data-testid="standard-error">
          {state.error}
        </p>
      )}
      <div className="modal-actions">
        <button onClick={onCancel}>{t('standards.cancel')}</button>
        <button className="primary" data-testid="standard-save" onClick={save} disabled={state.saving}>
          {t('standards.save')}
        </button>
      </div>
    </div>
  )
}
