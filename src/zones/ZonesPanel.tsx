// The 三不管 zones' panel: the city's figures and the open zones per street office (for leaders),
// the noise thresholds, the zones by area (open, noise when asked, settled), the selected zone's
// reason, candidates, units and decision, a planner's settle form, the units sticking out of their
// parent, and the history of decisions.
import { useMemo, useState } from 'react'
import { formatArea, formatList, formatLength, formatNumber, formatWhen } from '../i18n/core.ts'
import { keyOf, translateValue, type Translate } from '../i18n/index.ts'
import { useI18n } from '../i18n/react.tsx'
import type { AppRole } from '../shared/roles.ts'
import type { DecisionRecord, Zone, ZoneKind, ZoneLevel, ZoneSummary } from './types.ts'
import { DeclareForm, DeclaredList } from './CoManaged.tsx'
import { hatchCss, ownerOf, sortZones, styleOf, zoneInks } from './layers.ts'
import type { ZonesModel, ZonesUrl } from './useZones.ts'
import './zones.css'

export interface ZonesPanelProps {
  model: ZonesModel
  url: ZonesUrl
  /** Selects a zone (and moves the map to it), or none. */
  select: (id: string | null) => void
  setUrl: (update: (state: ZonesUrl) => ZonesUrl) => void
  role: AppRole | null
  canSettle: boolean
  /** Whether RLS lets this caller declare a co-managed area (my_access). */
  canDeclare: boolean
}

export const kindName = (t: Translate, kind: ZoneKind) => t(`zones.kind.${kind}`)
export const levelName = (t: Translate, level: ZoneLevel) => t(`zones.level.${level}`)
/** Why a level was not checked: the known reasons in the page's language, others as the server words them. */
/** Why a level went unchecked: our words where we have them, the database's otherwise. */
function skippedWhy(t: Translate, level: string, why: string): string {
  const key = keyOf('zones.skipped', level)
  return key ? t(key) : why
}

/** Unit names by code, from everything the workspace has read. */
function useNames(zones: readonly Zone[], summary: ZoneSummary | null): Map<string, string> {
  return useMemo(() => {
    const names = new Map<string, string>()
    for (const s of summary?.streets ?? []) if (s.name) names.set(s.code, s.name)
    for (const c of summary?.communities ?? []) if (c.name) names.set(c.code, c.name)
    for (const z of zones) for (const c of z.candidates) if (c.name) names.set(c.code, c.name)
    return names
  }, [zones, summary])
}

function Swatch({ zone }: { zone: Pick<Zone, 'kind' | 'status'> }) {
  return <span className={`zone-swatch ${zone.status}`} style={{ background: hatchCss(styleOf(zone)), borderColor: zoneInks[styleOf(zone)] }} aria-hidden />
}

function ZoneRow({ zone, selected, onSelect }: { zone: Zone; selected: boolean; onSelect: () => void }) {
  const { t, lang } = useI18n()
  const owner = ownerOf(zone)
  const ownerText = owner ? t(zone.status === 'settled' ? 'zones.settledTo' : 'zones.suggested', { name: owner.name }) : t('zones.noSuggestion')
  return (
    <li>
      <button
        className={selected ? 'zone-row selected' : 'zone-row'}
        data-testid="zone-row"
        data-id={zone.id}
        data-area={zone.area_m2}
        data-status={zone.status}
        aria-pressed={selected}
        onClick={onSelect}
      >
        <span className="zone-row-head">
          <Swatch zone={zone} />
          <span className="zone-kind">{kindName(t, zone.kind)}</span>
          <span className="muted">{levelName(t, zone.level)}</span>
          <span className="zone-area">{formatArea(lang, zone.area_m2)}</span>
        </span>
        <span className="zone-row-detail muted">
          <span>{t('zones.width', { w: formatLength(lang, zone.width_m) })}</span>
          <span className="zone-owner">{ownerText}</span>
          <span className={`zone-status ${zone.status}`}>{t(`zones.status.${zone.status}`)}</span>
        </span>
      </button>
    </li>
  )
}

function ZoneList({ testId, title, zones, selected, select }: { testId: string; title: string; zones: Zone[]; selected: string | null; select: (id: string | null) => void }) {
  return (
    <div className="zone-list" data-testid={testId}>
      <h4>{title}</h4>
      <ul>
        {zones.map((zone) => (
          <ZoneRow key={zone.id} zone={zone} selected={zone.id === selected} onSelect={() => select(zone.id === selected ? null : zone.id)} />
        ))}
      </ul>
    </div>
  )
}

function CityFigures({ summary }: { summary: ZoneSummary }) {
  const { t, lang } = useI18n()
  const { city } = summary
  const figure = (testId: string, label: string, value: string, n: number) => (
    <div className="zone-figure" data-testid={testId} data-value={n}>
      <span className="zone-figure-value">{value}</span>
      <span className="muted">{label}</span>
    </div>
  )
  return (
    <>
      <div className="zone-figures" title={t('zones.cityNote')}>
        {figure('zones-city-open', t('zones.figure.open'), formatNumber(lang, city.open), city.open)}
        {figure('zones-city-open-area', t('zones.figure.openArea'), formatArea(lang, city.open_m2), city.open_m2)}
        {figure('zones-city-settled', t('zones.figure.settled'), formatNumber(lang, city.settled), city.settled)}
        {figure('zones-city-noise', t('zones.figure.noise'), formatNumber(lang, city.noise), city.noise)}
        {city.declared > 0 && figure('zones-city-declared', t('zones.figure.declared'), `${formatNumber(lang, city.declared)} · ${formatArea(lang, city.declared_m2)}`, city.declared)}
      </div>
      <h4>{t('zones.byStreet')}</h4>
      <table className="zone-table" data-testid="zones-streets">
        <thead>
          <tr>
            <th>{t('zones.street')}</th>
            <th className="n">{t('zones.figure.open')}</th>
            <th className="n">{t('zones.area')}</th>
            <th className="n">{t('zones.figure.settled')}</th>
          </tr>
        </thead>
        <tbody>
          {summary.streets.map((s) => (
            <tr key={s.code} data-code={s.code} data-open={s.open} className={s.open ? 'has-open' : ''}>
              <td>{s.name ?? s.code}</td>
              <td className="n">{s.open}</td>
              <td className="n">{s.open ? formatArea(lang, s.open_m2) : '—'}</td>
              <td className="n">{s.settled}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

function Thresholds({ model, canEdit }: { model: ZonesModel; canEdit: boolean }) {
  const { t, lang } = useI18n()
  const settings = model.found.data?.settings
  const [width, setWidth] = useState('')
  const [area, setArea] = useState('')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // the fields follow the stored thresholds whenever they change (saved here or elsewhere)
  const stored = settings ? { width: String(Number(settings.min_width_m)), area: String(Number(settings.min_area_m2)) } : null
  const [followed, setFollowed] = useState<typeof stored>(null)
  if (stored?.width !== followed?.width || stored?.area !== followed?.area) {
    setFollowed(stored)
    if (stored) {
      setWidth(stored.width)
      setArea(stored.area)
    }
  }
  if (!settings) return null
  const w = Number(width)
  const a = Number(area)
  const valid = width.trim() !== '' && area.trim() !== '' && w >= 0 && w <= 1000 && a >= 0 && a <= 10_000_000
  const changed = w !== Number(settings.min_width_m) || a !== Number(settings.min_area_m2)
  return (
    <div className="zone-thresholds" data-testid="zones-thresholds">
      <h4>{t('zones.thresholds')}</h4>
      <p className="muted" data-testid="zones-thresholds-note">
        {t('zones.thresholdsNote', { width: formatNumber(lang, Number(settings.min_width_m), 2), area: formatNumber(lang, Number(settings.min_area_m2), 1) })}
      </p>
      {canEdit && (
        <form
          className="zone-threshold-form"
          onSubmit={(event) => {
            event.preventDefault()
            if (!valid) return
            setSaving(true)
            setError(null)
            model
              .saveSettings(w, a)
              .catch((e) => setError((e as { message?: string }).message ?? String(e)))
              .finally(() => setSaving(false))
          }}
        >
          <label>
            <span>{t('zones.minWidth')}</span>
            <input type="number" data-testid="zones-min-width" min={0} max={1000} step="any" value={width} aria-invalid={!valid} onChange={(e) => setWidth(e.target.value)} />
            <span className="muted">m</span>
          </label>
          <label>
            <span>{t('zones.minArea')}</span>
            <input type="number" data-testid="zones-min-area" min={0} max={10_000_000} step="any" value={area} aria-invalid={!valid} onChange={(e) => setArea(e.target.value)} />
            <span className="muted">m²</span>
          </label>
          <button type="submit" data-testid="zones-save-thresholds" disabled={saving || !valid || !changed}>
            {saving ? t('zones.settle.saving') : t('zones.saveThresholds')}
          </button>
          {!valid && <div className="inline-error">{t('zones.thresholdsInvalid')}</div>}
          {error && <div className="inline-error" role="alert">{t('zones.thresholdsFailed', { message: error })}</div>}
        </form>
      )}
    </div>
  )
}

function SettleForm({ zone, model }: { zone: Zone; model: ZonesModel }) {
  const { t } = useI18n()
  const [owner, setOwner] = useState(zone.decision?.owner_code ?? zone.suggested_owner ?? zone.candidates[0]?.code ?? '')
  const [remark, setRemark] = useState('')
  const [apply, setApply] = useState(false)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <form
      className="zone-settle"
      data-testid="zone-settle"
      onSubmit={(event) => {
        event.preventDefault()
        setSaving(true)
        setError(null)
        model
          .settle(zone.id, owner, remark, apply)
          .catch((e) => setError((e as { message?: string }).message ?? String(e)))
          .finally(() => setSaving(false))
      }}
    >
      <h4>{t(zone.decision ? 'zones.settle.again' : 'zones.settle')}</h4>
      <label className="zone-owner-field">
        <span>{t('zones.settle.owner')}</span>
        <select data-testid="zone-owner" value={owner} onChange={(e) => setOwner(e.target.value)}>
          {zone.candidates.map((c) => (
            <option key={`${c.layer}:${c.code}`} value={c.code}>
              {(c.name ?? c.code) + ` (${c.code})` + (c.code === zone.suggested_owner ? t('zones.settle.suggestedMark') : '')}
            </option>
          ))}
        </select>
      </label>
      <textarea data-testid="zone-remark" rows={2} maxLength={2000} placeholder={t('zones.settle.remark')} aria-label={t('zones.settle.remark')} value={remark} onChange={(e) => setRemark(e.target.value)} />
      <label className="toggle">
        <input type="checkbox" data-testid="zone-apply" checked={apply} onChange={(e) => setApply(e.target.checked)} />
        {t('zones.settle.apply')}
      </label>
      <button className="primary" type="submit" data-testid="zone-settle-submit" disabled={saving || !owner}>
        {saving ? t('zones.settle.saving') : t('zones.settle.submit')}
      </button>
      {error && (
        <div className="inline-error" role="alert" data-testid="zone-settle-error">
          {t('zones.settle.failed', { message: error })}
        </div>
      )}
    </form>
  )
}

function ApplyButton({ zone, model }: { zone: Zone; model: ZonesModel }) {
  const { t } = useI18n()
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <div className="zone-apply">
      <button
        data-testid="zone-apply-decision"
        disabled={saving}
        onClick={() => {
          setSaving(true)
          setError(null)
          model
            .apply(zone.id)
            .catch((e) => setError((e as { message?: string }).message ?? String(e)))
            .finally(() => setSaving(false))
        }}
      >
        {saving ? t('zones.settle.saving') : t('zones.apply')}
      </button>
      {error && (
        <div className="inline-error" role="alert" data-testid="zone-apply-error">
          {t('zones.apply.failed', { message: error })}
        </div>
      )}
    </div>
  )
}

function ZoneDetail({ zone, names, model, canSettle, canDeclare, role, onDeclared }: { zone: Zone; names: Map<string, string>; model: ZonesModel; canSettle: boolean; canDeclare: boolean; role: AppRole | null; onDeclared: () => void }) {
  const { t, lang } = useI18n()
  const name = (code: string) => names.get(code) ?? code
  return (
    <div className="zone-detail" data-testid="zone-detail" data-id={zone.id}>
      <div className="zone-detail-head">
        <Swatch zone={zone} />
        <strong>
          {kindName(t, zone.kind)} · {levelName(t, zone.level)}
        </strong>
        <span className="zone-area">{formatArea(lang, zone.area_m2)}</span>
      </div>
      <div className="muted">
        {t('zones.width', { w: formatLength(lang, zone.width_m) })} · <code>{zone.id}</code>
        {zone.parent ? ` · ${name(zone.parent.code)}` : ''}
      </div>
      <h4>{t('zones.reason')}</h4>
      <p className="zone-reason" data-testid="zone-reason">{lang === 'zh' ? zone.reason_zh : zone.reason}</p>
      <h4>{t('zones.candidates')}</h4>
      <ol className="zone-candidates" data-testid="zone-candidates">
        {zone.candidates.map((c) => (
          <li key={`${c.layer}:${c.code}`} data-code={c.code} className={c.code === zone.suggested_owner ? 'suggested' : ''}>
            <span className="zone-candidate-name">{c.name ?? c.code}</span>
            <span className="muted">
              {translateValue(t, 'layer', c.layer)} · {t(`zones.relation.${c.relation}`)}
              {c.border_m !== null ? ` · ${t('zones.border', { m: formatLength(lang, Number(c.border_m)) })}` : ''}
              {c.same_parent ? ` · ${t('zones.sameParent')}` : ''}
            </span>
          </li>
        ))}
      </ol>
      <h4>{t('zones.units')}</h4>
      <p className="zone-units" data-testid="zone-units">
        {formatList(lang, zone.units.map((code) => `${name(code)} (${code})`))}
      </p>
      {zone.decision && (
        <div className="zone-decision" data-testid="zone-decision">
          <h4>{t('zones.decision')}</h4>
          <dl>
            <dt>{t('zones.decision.owner')}</dt>
            <dd>
              {name(zone.decision.owner_code)} ({zone.decision.owner_code})
            </dd>
            {zone.decision.remark && (
              <>
                <dt>{t('zones.decision.remark')}</dt>
                <dd>{zone.decision.remark}</dd>
              </>
            )}
            <dt>{t('zones.decision.by')}</dt>
            <dd>
              {zone.decision.decided_by ?? '—'} · {formatWhen(lang, zone.decision.decided_at)}
            </dd>
          </dl>
        </div>
      )}
      {canSettle ? (
        <>
          {zone.decision && <ApplyButton key={`apply-${zone.id}-${zone.decision.id}`} zone={zone} model={model} />}
          <SettleForm key={`${zone.id}/${zone.decision?.id ?? ''}`} zone={zone} model={model} />
          {canDeclare && zone.kind === 'overlap' && zone.level === 'management' && zone.status === 'open' && zone.claimants?.length === 2 && (
            <DeclareForm key={`declare-${zone.id}`} zone={zone} model={model} onDeclared={onDeclared} />
          )}
        </>
      ) : (
        <p className="muted" data-testid="zone-readonly">
          {t('zones.readonly', { role: role ? t(`role.${role}`) : '—' })}
        </p>
      )}
    </div>
  )
}

function History({ decisions, names }: { decisions: DecisionRecord[]; names: Map<string, string> }) {
  const { t, lang } = useI18n()
  return (
    <details className="zone-history" data-testid="zones-history">
      <summary>{t('zones.history', { n: decisions.length })}</summary>
      {decisions.length === 0 && <p className="muted">{t('zones.history.none')}</p>}
      <ul>
        {decisions.map((d) => (
          <li key={d.id} data-testid="zones-history-row" data-zone={d.zone_id} className={d.superseded_at ? 'superseded' : ''}>
            <div>
              <strong>{kindName(t, d.kind)}</strong> · {levelName(t, d.level)} · {formatArea(lang, Number(d.area_m2))} →{' '}
              {names.get(d.owner_code) ?? d.owner_code}
            </div>
            {d.remark && <div className="zone-remark">{d.remark}</div>}
            <div className="muted">
              {d.decided_by ?? '—'} · {formatWhen(lang, d.decided_at)}
              {d.applied_at ? ` · ${t('zones.history.applied', { when: formatWhen(lang, d.applied_at) })}` : ''}
              {d.superseded_at ? ` · ${t('zones.history.superseded')}` : ''}
            </div>
          </li>
        ))}
      </ul>
    </details>
  )
}

export function ZonesPanel({ model, url, select, setUrl, role, canSettle, canDeclare }: ZonesPanelProps) {
  const { t, lang } = useI18n()
  const { found, summary, decisions } = model
  const zones = useMemo(() => sortZones(found.data?.zones ?? []), [found.data])
  const names = useNames(zones, summary.data)
  const open = zones.filter((z) => z.status === 'open')
  const noise = zones.filter((z) => z.status === 'noise')
  const settled = zones.filter((z) => z.status === 'settled')
  const selected = url.zone ? zones.find((z) => z.id === url.zone) : undefined
  const nesting = found.data?.nesting ?? []
  const detecting = found.loading

  return (
    <section className="panel zones-panel" data-testid="zones-panel" aria-label={t('zones.title')} aria-busy={detecting}>
      <h3>{t('zones.title')}</h3>
      <p className="muted zones-intro">{t('zones.intro')}</p>
      {detecting && (
        <div className="engine-progress" data-testid="zones-progress" role="progressbar" aria-label={t('zones.detecting')}>
          <div className="progress-bar" />
          <span className="muted">{t('zones.detecting')}</span>
        </div>
      )}
      {found.error && (
        <div className="inline-error" role="alert">
          {t('zones.failed', { message: found.error })} <button onClick={found.retry}>{t('app.retry')}</button>
        </div>
      )}

      {summary.data && <CityFigures summary={summary.data} />}
      <Thresholds model={model} canEdit={canSettle} />

      <label className="toggle">
        <input type="checkbox" data-testid="zones-noise" checked={url.noise} onChange={(e) => setUrl((s) => ({ ...s, noise: e.target.checked }))} />
        {t('zones.showNoise', { n: noise.length })}
      </label>

      {found.data && (
        <>
          <ZoneList testId="zones-open" title={t('zones.open', { n: open.length })} zones={open} selected={url.zone} select={select} />
          {open.length === 0 && <p className="muted">{t('zones.noneOpen')}</p>}
          {url.zone && !selected && !detecting && (
            <p className="notice" data-testid="zone-gone">
              {t('zones.gone', { id: url.zone })}
            </p>
          )}
          {selected && <ZoneDetail key={selected.id} zone={selected} names={names} model={model} canSettle={canSettle} canDeclare={canDeclare} role={role} onDeclared={() => select(null)} />}
          {!url.zone && <p className="muted">{t('zones.hint')}</p>}
          {url.noise && noise.length > 0 && <ZoneList testId="zones-noise-list" title={t('zones.noiseList', { n: noise.length })} zones={noise} selected={url.zone} select={select} />}
          {settled.length > 0 && <ZoneList testId="zones-settled" title={t('zones.settledList', { n: settled.length })} zones={settled} selected={url.zone} select={select} />}
          {nesting.length > 0 && (
            <div className="zone-nesting" data-testid="zones-nesting">
              <h4>{t('zones.nesting', { n: nesting.length })}</h4>
              <ul>
                {nesting.map((n) => (
                  <li key={`${n.layer}:${n.code}`}>
                    {t('zones.nesting.row', { name: n.name ?? n.code, parent: names.get(n.parent_code) ?? n.parent_code, area: formatArea(lang, Number(n.outside_m2)) })}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {found.data.skipped.map((s) => (
            <p key={s.level} className="muted zone-skipped" title={s.why}>
              {t('zones.skipped', { level: levelName(t, s.level), why: skippedWhy(t, s.level, s.why) })}
            </p>
          ))}
          <p className="muted">{t('zones.computedAt', { when: formatWhen(lang, found.data.computed_at) })}</p>
        </>
      )}
      {model.declared.data && <DeclaredList model={model} canDeclare={canDeclare} />}
      <History decisions={decisions.data ?? []} names={names} />
    </section>
  )
}
