// The service circles' panel: the walking time and speed (with the standard they come from),
// whether what is stored is up to date, the city's coverage, which circles are drawn, the
// residences outside them, and the what-if of a new facility with the saved proposals.
import { useEffect, useEffectEvent, useState, type ReactNode } from 'react'
import type { Access } from '../data/types.ts'
import { formatList, formatNumber, formatPercent, formatWhen } from '../i18n/core.ts'
import { translateValue, type Translate } from '../i18n/index.ts'
import { useI18n } from '../i18n/react.tsx'
import { cssColor, withAlpha } from '../layers/palette.ts'
import { defaultWalk } from '../shared/defaults.ts'
import { useStandards } from '../standards/context.ts'
import { walkOf } from '../standards/types.ts'
import { facilityTypes } from '../shared/layers.ts'
import type { AppRole } from '../shared/roles.ts'
import type { CoverageFigures, Proposal } from './types.ts'
import { typeColor } from './layers.ts'
import type { CirclesModel, CirclesUrl } from './useCircles.ts'

export interface CirclesPanelProps {
  model: CirclesModel
  url: CirclesUrl
  setUrl: (update: (state: CirclesUrl) => CirclesUrl) => void
  role: AppRole | null
  access: Access | null
  canPropose: boolean
}

export const kmh = (speed: number) => Math.round(speed * 0.06 * 10) / 10
export const share = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : 0)
export const typeName = (t: Translate, type: string) => (type === 'basic' ? t('circles.basic') : translateValue(t, 'facility', type))

/** A number field that applies its value once it is valid and the typing has paused. */
function ParamInput({ value, valid, onValue, testId, step, label, unit }: { value: number; valid: (n: number) => boolean; onValue: (n: number) => void; testId: string; step: number; label: string; unit: string }) {
  const [draft, setDraft] = useState(String(value))
  // a value set elsewhere (the reset, the address) replaces what the field shows
  const [shownValue, setShownValue] = useState(value)
  if (!Object.is(value, shownValue)) {
    setShownValue(value)
    setDraft(String(value))
  }
  const n = Number(draft)
  const ok = draft.trim() !== '' && valid(n)
  const settle = useEffectEvent(() => {
    if (ok && n !== value) onValue(n)
  })
  // each change of the draft starts the pause again
  useEffect(() => {
    const timer = setTimeout(() => settle(), 500)
    return () => clearTimeout(timer)
  }, [draft])
  return (
    <label className={ok ? 'param' : 'param invalid'}>
      <span>{label}</span>
      <input
        type="number"
        data-testid={testId}
        value={draft}
        step={step}
        aria-invalid={!ok}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && ok && onValue(n)}
        onBlur={() => (ok ? n !== value && onValue(n) : setDraft(String(value)))}
      />
      <span className="unit">{unit}</span>
    </label>
  )
}

function Figures({ figures, testId }: { figures: CoverageFigures; testId: string }) {
  const { t, lang } = useI18n()
  const households = figures.households_covered + figures.households_not_covered
  const residents = figures.residents_covered + figures.residents_not_covered
  const row = (key: 'covered' | 'not_covered', label: string) => {
    const h = key === 'covered' ? figures.households_covered : figures.households_not_covered
    const r = key === 'covered' ? figures.residents_covered : figures.residents_not_covered
    return (
      <div className={`coverage-row ${key}`} data-testid={`${testId}-${key}`} data-households={h} data-residents={r}>
        <span className="coverage-label">{label}</span>
        <span>{t('circles.figures', { households: formatNumber(lang, h), residents: formatNumber(lang, r) })}</span>
        <span className="coverage-share">{formatPercent(lang, share(h, households))}</span>
      </div>
    )
  }
  return (
    <div className="coverage-figures" title={`${formatNumber(lang, households)} / ${formatNumber(lang, residents)}`}>
      {row('covered', t('circles.covered'))}
      {row('not_covered', t('circles.notCovered'))}
      <div className="coverage-bar" aria-hidden>
        <div style={{ width: `${share(figures.households_covered, households)}%` }} />
      </div>
    </div>
  )
}

export function CirclesPanel({ model, url, setUrl, role, canPropose }: CirclesPanelProps) {
  const { t, lang } = useI18n()
  const { status, city, uncovered, saved, engine } = model
  const standards = useStandards()
  const standardWalk = walkOf(standards, defaultWalk)
  const isDefault = !url.walkGiven || (url.minutes === standardWalk.minutes && url.speed === standardWalk.speed)
  // the walk's sources: the minutes' and the speed's, once each
  const source = [...new Set(['service_circle_minutes', 'walking_speed_m_per_min'].map((key) => standards.find((s) => s.key === key)).filter((s) => !!s).map((s) => (lang === 'zh' ? s.citation_zh : s.citation_en)))].join(lang === 'zh' ? '；' : '; ')
  const cityCoverage = city.data?.city
  const basicTypes = city.data?.basic_types ?? []
  const circleCounts = model.facilityCounts
  // the database's types (coverage() names them), the basic ones first as facilityTypes lists them
  const known = Object.keys(cityCoverage ?? {}).filter((type) => type !== 'basic')
  const allTypes = known.length ? [...facilityTypes.filter((type) => known.includes(type)), ...known.filter((type) => !(facilityTypes as readonly string[]).includes(type)).sort()] : [...facilityTypes]
  const toggleType = (type: string, on: boolean) => setUrl((s) => ({ ...s, types: on ? [...new Set([...s.types, type])] : s.types.filter((x) => x !== type) }))
  const uncoveredHouseholds = (uncovered.data?.features ?? []).reduce((sum, f) => sum + (Number(f.properties.households) || 0), 0)
  const stored = model.hasStored(url.minutes)
  const statusData = status.data

  return (
    <section className="panel circles-panel" data-testid="circles-panel" aria-label={t('circles.title', { minutes: formatNumber(lang, url.minutes, 1) })}>
      <h3>{t('circles.title', { minutes: formatNumber(lang, url.minutes, 1) })}</h3>

      <div className="params">
        <ParamInput testId="circles-minutes" label={t('circles.minutes')} unit={t('circles.minutesUnit')} step={1} value={url.minutes} valid={(n) => n >= 1 && n <= 60} onValue={(minutes) => setUrl((s) => ({ ...s, minutes, speed: url.speed, walkGiven: true }))} />
        <ParamInput testId="circles-speed" label={t('circles.speed')} unit={`${t('circles.speedUnit')} · ${t('circles.kmh', { kmh: formatNumber(lang, kmh(url.speed), 1) })}`} step={0.1} value={url.speed} valid={(n) => n > 0 && n <= 200} onValue={(speed) => setUrl((s) => ({ ...s, speed, minutes: url.minutes, walkGiven: true }))} />
      </div>
      <p className="standard muted" data-testid="circles-standard">
        {t('circles.standard', { minutes: formatNumber(lang, standardWalk.minutes, 1), kmh: formatNumber(lang, kmh(standardWalk.speed), 1), speed: formatNumber(lang, standardWalk.speed, 1), source })}
      </p>
      <p className="standard muted" data-testid="circles-rule">
        {t('circles.rule')}
      </p>
      {!isDefault && (
        <p className="current-params" data-testid="circles-current">
          {t('circles.current', { minutes: formatNumber(lang, url.minutes, 1), kmh: formatNumber(lang, kmh(url.speed), 1), speed: formatNumber(lang, url.speed, 1) })}{' '}
          <button onClick={() => setUrl((s) => ({ ...s, walkGiven: false }))}>{t('circles.reset')}</button>
        </p>
      )}

      {statusData?.stale && (
        <div className="notice stale" data-testid="circles-stale" role="status">
          <strong>{t('circles.stale')}</strong>
          <div className="muted">
            {t('circles.staleDetail', { circles: statusData.circles_stale, times: statusData.access_times_stale, facilities: statusData.facilities_without_circle, residences: statusData.residences_without_times })}
          </div>
        </div>
      )}
      {statusData && !stored && (
        <div className="notice" data-testid="circles-not-stored" role="status">
          {t('circles.notStored', { minutes: formatNumber(lang, url.minutes, 1), speed: String(url.speed) })}
        </div>
      )}

      <h4>{t('circles.cityCoverage', { what: typeName(t, 'basic') })}</h4>
      {cityCoverage?.basic ? <Figures figures={cityCoverage.basic} testId="city-coverage" /> : <div className="muted">{t('coverage.loading')}</div>}
      {basicTypes.length > 0 && <p className="muted">{t('circles.basicTypes', { types: formatList(lang, basicTypes.map((type) => typeName(t, type))) })}</p>}

      <h4>{t('circles.types')}</h4>
      <ul className="circle-types">
        {allTypes.map((type) => {
          const figures = cityCoverage?.[type]
          const total = figures ? figures.households_covered + figures.households_not_covered : 0
          return (
            <li key={type}>
              <label>
                <input type="checkbox" data-testid={`circles-type-${type}`} checked={url.types.includes(type)} onChange={(e) => toggleType(type, e.target.checked)} />
                <span className="legend-swatch" style={{ background: cssColor(withAlpha(typeColor(type), 60)), borderColor: cssColor(typeColor(type)) }} />
                <span className="type-name">{typeName(t, type)}</span>
                <span className="count">
                  {circleCounts[type] ? t('circles.typeCount', { n: circleCounts[type] }) + ' · ' : ''}
                  {figures ? formatPercent(lang, share(figures.households_covered, total)) : ''}
                </span>
              </label>
            </li>
          )
        })}
      </ul>
      <label className="toggle">
        <input type="checkbox" data-testid="circles-bands" checked={url.bands} onChange={(e) => setUrl((s) => ({ ...s, bands: e.target.checked }))} />
        {t('circles.bands')}
      </label>
      <div className="toggle">
        <label>
          <input type="checkbox" data-testid="circles-uncovered" checked={url.uncovered} onChange={(e) => setUrl((s) => ({ ...s, uncovered: e.target.checked }))} />
          <span className="legend-dot" style={{ background: cssColor([209, 0, 122, 255]) }} />
          {t('circles.uncovered')}
        </label>
        <label className="sub">
          {t('circles.uncoveredOf')}{' '}
          <select data-testid="circles-uncovered-type" value={url.uncoveredType} onChange={(e) => setUrl((s) => ({ ...s, uncoveredType: e.target.value }))}>
            {['basic', ...allTypes].map((type) => (
              <option key={type} value={type}>
                {typeName(t, type)}
              </option>
            ))}
          </select>
        </label>
        {url.uncovered && uncovered.data && (
          <div className="muted" data-testid="circles-uncovered-count">
            {t('circles.uncoveredCount', { n: formatNumber(lang, uncovered.data.features.length), households: formatNumber(lang, uncoveredHouseholds) })}
          </div>
        )}
      </div>

      <WhatIfSection model={model} role={role} canPropose={canPropose} types={allTypes} />
      <ProposalsSection model={model} url={url} canRemove={canPropose} proposals={saved.data ?? []} engineStage={engine.stage} />
    </section>
  )
}

function EngineProgress({ model }: { model: CirclesModel }) {
  const { t, lang } = useI18n()
  const { engine } = model
  if (engine.stage === 'fetching' || engine.stage === 'building')
    return (
      <div className="engine-progress" data-testid="whatif-progress" role="progressbar" aria-valuemin={0} aria-valuemax={2} aria-valuenow={engine.stage === 'fetching' ? 0 : 1}>
        <div className="progress-steps">
          <div style={{ width: engine.stage === 'fetching' ? '35%' : '80%' }} />
        </div>
        <div className="progress-bar" />
        <span className="muted">{t(engine.stage === 'fetching' ? 'whatif.fetching' : 'whatif.building')}</span>
      </div>
    )
  if (engine.stage === 'failed')
    return (
      <div className="inline-error" role="alert">
        {t('whatif.loadFailed', { message: engine.error ?? '' })} <button onClick={engine.retry}>{t('app.retry')}</button>
      </div>
    )
  if (engine.stage === 'ready' && engine.summary)
    return (
      <div className="muted" data-testid="whatif-ready">
        {t('whatif.ready', { edges: formatNumber(lang, engine.summary.edges), residences: formatNumber(lang, engine.summary.residences) })}
      </div>
    )
  return null
}

function WhatIfSection({ model, role, canPropose, types }: { model: CirclesModel; role: AppRole | null; canPropose: boolean; types: string[] }) {
  const { t, lang } = useI18n()
  const { whatIf, engine } = model
  const [name, setName] = useState('')
  const [note, setNote] = useState('')
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<string | null>(null)
  const result = whatIf.result
  let body: ReactNode
  if (!canPropose) {
    body = (
      <>
        <button disabled data-testid="whatif-start">{t('whatif.start')}</button>
        <p className="muted" data-testid="whatif-disabled">{t('whatif.disabled', { role: role ? t(`role.${role}`) : '—' })}</p>
      </>
    )
  } else {
    body = (
      <>
        <label className="field-inline">
          {t('whatif.type')}{' '}
          <select
            data-testid="whatif-type"
            value={whatIf.type}
            onChange={(e) => whatIf.setType(e.target.value)}
          >
            {types.map((x) => (
              <option key={x} value={x}>
                {typeName(t, x)}
              </option>
            ))}
          </select>
        </label>
        <div className="whatif-actions">
          {whatIf.mode === 'off' && (
            <button className="primary" data-testid="whatif-start" disabled={engine.stage !== 'ready'} onClick={() => whatIf.setMode('placing')}>
              {t('whatif.start')}
            </button>
          )}
          {whatIf.mode !== 'off' && (
            <button data-testid="whatif-cancel" onClick={whatIf.cancel}>
              {t('whatif.cancel')}
            </button>
          )}
        </div>
        <EngineProgress model={model} />
        {whatIf.mode === 'placing' && <p className="hint-strong" data-testid="whatif-hint">{t('whatif.clickMap')}</p>}
        {whatIf.placed && result && (
          <div className="whatif-result" data-testid="whatif-result" data-lon={result.request.lon} data-lat={result.request.lat} data-type={result.request.type}>
            {result.ok ? (
              <>
                <div className="gain" data-testid="whatif-newly" data-households={result.households} data-residents={result.residents} data-residences={result.newly.length}>
                  {t('whatif.newly', { households: formatNumber(lang, result.households), residents: formatNumber(lang, result.residents), n: formatNumber(lang, result.newly.length) })}
                </div>
                <div className="muted" data-testid="whatif-ms" data-ms={result.ms}>
                  {t('whatif.ms', { ms: formatNumber(lang, result.ms, 1) })}
                </div>
                <p className="muted">{t('whatif.dragHint')}</p>
                <form
                  className="save-proposal"
                  onSubmit={(event) => {
                    event.preventDefault()
                    setSaving(true)
                    setSaveError(null)
                    whatIf
                      .save(name.trim(), note.trim())
                      .then(() => {
                        setName('')
                        setNote('')
                      })
                      .catch((error) => setSaveError((error as { message?: string }).message ?? String(error)))
                      .finally(() => setSaving(false))
                  }}
                >
                  <input data-testid="whatif-name" placeholder={t('whatif.name')} aria-label={t('whatif.name')} value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />
                  <textarea data-testid="whatif-note" placeholder={t('whatif.note')} aria-label={t('whatif.note')} value={note} maxLength={1000} rows={2} onChange={(e) => setNote(e.target.value)} />
                  <button className="primary" type="submit" data-testid="whatif-save" disabled={saving || !name.trim()}>
                    {saving ? t('whatif.saving') : t('whatif.save')}
                  </button>
                  {saveError && <div className="inline-error">{t('whatif.saveFailed', { message: saveError })}</div>}
                </form>
              </>
            ) : (
              <div className="inline-error" data-testid="whatif-error">
                {result.reason === 'off-network' ? t('whatif.offNetwork') : t('whatif.failed', { message: result.message })}
              </div>
            )}
          </div>
        )}
      </>
    )
  }
  return (
    <div className="whatif" data-testid="whatif">
      <h4>{t('whatif.title')}</h4>
      {body}
    </div>
  )
}

function ProposalsSection({ model, url, canRemove, proposals, engineStage }: { model: CirclesModel; url: CirclesUrl; canRemove: boolean; proposals: Proposal[]; engineStage: string }) {
  const { t, lang } = useI18n()
  const { whatIf, city } = model
  const [error, setError] = useState<string | null>(null)
  const compared = whatIf.compared
  return (
    <div className="proposals" data-testid="proposals">
      <h4>{t('proposals.title', { n: proposals.length })}</h4>
      {proposals.length === 0 && <p className="muted">{t('proposals.none')}</p>}
      <ul>
        {proposals.map((p) => {
          const comparing = compared?.proposal.id === p.id
          const figures = city.data?.city[p.facility_type]
          const total = figures ? figures.households_covered + figures.households_not_covered : 0
          const gain = comparing && compared.result?.ok ? compared.result.households : null
          return (
            <li key={p.id} className={comparing ? 'proposal comparing' : 'proposal'} data-testid="proposal" data-id={p.id} data-name={p.name}>
              <div className="proposal-head">
                <span className="legend-dot" style={{ background: cssColor(typeColor(p.facility_type)) }} />
                <strong>{p.name}</strong>
                <span className="muted">{typeName(t, p.facility_type)}</span>
              </div>
              <div className="muted">
                {t('proposals.saved', { households: formatNumber(lang, p.new_households), residents: formatNumber(lang, p.new_residents), minutes: formatNumber(lang, Number(p.minutes), 1), speed: String(Number(p.speed_m_per_min)) })}
              </div>
              {p.note && <div className="proposal-note">{p.note}</div>}
              <div className="muted">{t('proposals.by', { who: p.created_by ?? '—', when: formatWhen(lang, p.created_at) })}</div>
              {comparing && (
                <div className="compare" data-testid="proposal-gain" data-households={gain ?? ''}>
                  {gain === null || !figures ? (
                    compared.result && !compared.result.ok ? (
                      <span className="inline-error">{compared.result.reason === 'off-network' ? t('whatif.offNetwork') : compared.result.message}</span>
                    ) : (
                      <span className="muted">{engineStage === 'ready' ? t('proposals.computing') : <EngineProgress model={model} />}</span>
                    )
                  ) : (
                    <>
                      <strong>{t('proposals.gain', { households: formatNumber(lang, gain), points: formatPercent(lang, share(gain, total)) })}</strong>
                      <div className="muted">
                        {t('proposals.gainDetail', {
                          type: typeName(t, p.facility_type),
                          before: formatPercent(lang, share(figures.households_covered, total)),
                          after: formatPercent(lang, share(figures.households_covered + gain, total)),
                          minutes: formatNumber(lang, url.minutes, 1),
                          speed: String(url.speed),
                          total: formatNumber(lang, total),
                        })}
                      </div>
                    </>
                  )}
                </div>
              )}
              <div className="proposal-actions">
                <button data-testid="proposal-compare" onClick={() => whatIf.compare(comparing ? null : p)}>
                  {t(comparing ? 'proposals.uncompare' : 'proposals.compare')}
                </button>
                {canRemove && (
                  <button
                    data-testid="proposal-remove"
                    onClick={() => {
                      setError(null)
                      whatIf.remove(p.id).catch((e) => setError((e as { message?: string }).message ?? String(e)))
                    }}
                  >
                    {t('proposals.remove')}
                  </button>
                )}
              </div>
            </li>
          )
        })}
      </ul>
      {error && <div className="inline-error">{t('proposals.removeFailed', { message: error })}</div>}
    </div>
  )
}
