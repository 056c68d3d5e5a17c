// Co-managed areas in the zones' panel: the declarations standing (each with its arrangement, its
// shared land and who declared it, why and when; a planner withdraws one), the withdrawn ones as
// history, and, on an open overlap of two management areas, a planner's form to declare it.
import { useState } from 'react'
import { formatArea, formatPercent, formatWhen } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import { arrangements, type Arrangement, type CoManagement, type Zone } from './types.ts'
import type { ZonesModel } from './useZones.ts'

export function arrangementWords(t: ReturnType<typeof useI18n>['t'], d: Pick<CoManagement, 'arrangement' | 'area_name' | 'partner_name'>): string {
  return t(`zones.arrangement.${d.arrangement}`, { area: d.area_name, partner: d.partner_name })
}

function Declaration({ d, model, canDeclare }: { d: CoManagement; model: ZonesModel; canDeclare: boolean }) {
  const { t, lang } = useI18n()
  const [reason, setReason] = useState('')
  const [asking, setAsking] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <li data-testid="zones-declared-row" data-id={d.id} data-arrangement={d.arrangement} className={d.withdrawn_at ? 'superseded' : ''}>
      <div>
        <strong>{arrangementWords(t, d)}</strong>
      </div>
      <div className="muted">
        {t('zones.declared.shared', { area: formatArea(lang, d.shared_m2), share: d.share_of_area === null ? '—' : formatPercent(lang, d.share_of_area * 100, 0) })}
      </div>
      {d.reason && <div className="zone-remark">{d.reason}</div>}
      <div className="muted">{t('zones.declared.by', { who: d.declared_by, when: formatWhen(lang, d.declared_at) })}</div>
      {d.withdrawn_at && (
        <div className="muted">
          {t('zones.declared.withdrawn', { who: d.withdrawn_by ?? '—', when: formatWhen(lang, d.withdrawn_at) })}
          {d.withdraw_reason ? ` · ${d.withdraw_reason}` : ''}
        </div>
      )}
      {canDeclare && !d.withdrawn_at && !asking && (
        <button data-testid="zones-declared-withdraw" onClick={() => setAsking(true)}>
          {t('zones.declared.withdraw')}
        </button>
      )}
      {asking && (
        <form
          className="zone-settle"
          onSubmit={(event) => {
            event.preventDefault()
            setError(null)
            model.withdraw(d.id, reason).catch((e: unknown) => setError((e as { message?: string }).message ?? String(e)))
          }}
        >
          <textarea rows={2} maxLength={2000} aria-label={t('zones.declared.withdrawReason')} placeholder={t('zones.declared.withdrawReason')} value={reason} onChange={(e) => setReason(e.target.value)} />
          <button className="primary" type="submit" data-testid="zones-declared-withdraw-submit">
            {t('zones.declared.withdraw')}
          </button>
          {error && (
            <div className="inline-error" role="alert">
              {error}
            </div>
          )}
        </form>
      )}
    </li>
  )
}

export function DeclaredList({ model, canDeclare }: { model: ZonesModel; canDeclare: boolean }) {
  const { t } = useI18n()
  const all = model.declared.data ?? []
  const standing = all.filter((d) => !d.withdrawn_at)
  const withdrawn = all.filter((d) => d.withdrawn_at)
  return (
    <div className="zone-declared" data-testid="zones-declared">
      <h4>{t('zones.declared.title', { n: standing.length })}</h4>
      {standing.length === 0 && <p className="muted">{t('zones.declared.none')}</p>}
      <ul>
        {standing.map((d) => (
          <Declaration key={d.id} d={d} model={model} canDeclare={canDeclare} />
        ))}
      </ul>
      {withdrawn.length > 0 && (
        <details>
          <summary>{t('zones.declared.history', { n: withdrawn.length })}</summary>
          <ul>
            {withdrawn.map((d) => (
              <Declaration key={d.id} d={d} model={model} canDeclare={false} />
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}

/**
 * On an open overlap of two management areas: declare it co-managed. The area is the claimant
 * that is not the street office of the place where one is (a development zone in it), else the
 * first; the other is the unit it lies in.
 */
export function DeclareForm({ zone, model, onDeclared }: { zone: Zone; model: ZonesModel; onDeclared: () => void }) {
  const { t } = useI18n()
  const claimants = zone.claimants ?? []
  const first = claimants.find((code) => !zone.candidates.find((c) => c.code === code)?.same_parent) ?? claimants[0]
  const [area, setArea] = useState(first)
  const partner = claimants.find((code) => code !== area) ?? ''
  const [arrangement, setArrangement] = useState<Arrangement>('entrusted')
  const [reason, setReason] = useState('')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const name = (code: string) => zone.candidates.find((c) => c.code === code)?.name ?? code
  return (
    <form
      className="zone-settle"
      data-testid="zone-declare"
      onSubmit={(event) => {
        event.preventDefault()
        setSaving(true)
        setError(null)
        model
          .declare(area, partner, arrangement, reason)
          // the overlap is no zone any more: nothing left selected
          .then(onDeclared)
          .catch((e: unknown) => setError((e as { message?: string }).message ?? String(e)))
          .finally(() => setSaving(false))
      }}
    >
      <h4>{t('zones.declare.title')}</h4>
      <p className="muted">{t('zones.declare.hint')}</p>
      <label className="zone-owner-field">
        <span>{t('zones.declare.area')}</span>
        <select data-testid="zone-declare-area" value={area} onChange={(e) => setArea(e.target.value)}>
          {claimants.map((code) => (
            <option key={code} value={code}>{`${name(code)} (${code})`}</option>
          ))}
        </select>
      </label>
      <div className="muted">
        {t('zones.declare.partner')}：{name(partner)} ({partner})
      </div>
      <label className="zone-owner-field">
        <span>{t('zones.declare.arrangement')}</span>
        <select data-testid="zone-declare-arrangement" value={arrangement} onChange={(e) => setArrangement(e.target.value as Arrangement)}>
          {arrangements.map((a) => (
            <option key={a} value={a}>
              {t(`zones.arrangementChoice.${a}`)}
            </option>
          ))}
        </select>
      </label>
      <textarea data-testid="zone-declare-reason" rows={2} maxLength={2000} aria-label={t('zones.declare.reason')} placeholder={t('zones.declare.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button className="primary" type="submit" data-testid="zone-declare-submit" disabled={saving || !partner}>
        {t('zones.declare.submit')}
      </button>
      {error && (
        <div className="inline-error" role="alert" data-testid="zone-declare-error">
          {t('zones.declare.failed', { message: error })}
        </div>
      )}
    </form>
  )
}
