// The inspector: every attribute of the selected unit in words, the chain of its parents as a
// breadcrumb to click up, what it holds, and its figures against the standards.
import type { ReactNode } from 'react'
import type { AtlasError } from '../data/errors.ts'
import type { Access, UnitRecord } from '../data/types.ts'
import { formatArea, formatLength, formatNumber, unitIn } from '../i18n/core.ts'
import { keyOf, translateValue } from '../i18n/index.ts'
import { useI18n } from '../i18n/react.tsx'
import type { Selection } from '../app/urlState.ts'
import { formatValue } from './format.ts'

export interface InspectorProps {
  selection: Selection
  record: UnitRecord | null
  error: AtlasError | null
  access: Access | null
  onSelect: (selection: Selection, fly: boolean) => void
  onZoomTo: (record: UnitRecord) => void
  onClose: () => void
  onRetry: () => void
  /** The open workspaces' sections about the unit. */
  children?: ReactNode
}

// Columns the breadcrumb and the header already say, or that only the database needs.
const hidden = new Set(['geom', 'code', 'name', 'street_code', 'community_code', 'grid_code', 'source', 'target', 'updated_at', 'created_at'])

export function Inspector({ selection, record, error, access, onSelect, onZoomTo, onClose, onRetry, children }: InspectorProps) {
  const { t, lang } = useI18n()
  const unitText = (unit: string) => unitIn(lang, unit)
  const attributeLabel = (key: string) => translateValue(t, 'attr', key)
  const childText = (key: string, n: number) => {
    const words = keyOf('child', key)
    return words ? t(words, { n }) : `${key}: ${formatNumber(lang, n)}`
  }
  return (
    <aside className="inspector" data-testid="inspector" aria-label={t(`layer.${selection.layer}`)}>
      <header className="inspector-head">
        <div>
          <div className="inspector-layer">{t(`layer.${selection.layer}`)}</div>
          <h2 data-testid="inspector-name">{record ? (record.name ?? record.code) : error ? selection.code : t('inspector.loading')}</h2>
          <div className="inspector-code">
            {t('inspector.code')} {selection.code}
          </div>
        </div>
        <button className="icon-button" onClick={onClose} aria-label={t('inspector.close')} title={t('inspector.close')}>
          ×
        </button>
      </header>

      {error && (
        <div className="inline-error" role="alert">
          {t('inspector.failed', { message: error.message })}{' '}
          <button onClick={onRetry}>{t('app.retry')}</button>
        </div>
      )}

      {record && (
        <>
          <nav className="breadcrumb" data-testid="breadcrumb" aria-label={t('inspector.breadcrumb')}>
            {record.parents.map((parent) => (
              <span key={parent.code}>
                <button onClick={() => onSelect({ layer: parent.layer, code: parent.code }, true)} title={t(`layer.${parent.layer}`)}>
                  {parent.name ?? parent.code}
                </button>
                <span className="breadcrumb-sep" aria-hidden>
                  ›
                </span>
              </span>
            ))}
            <span className="breadcrumb-here" aria-current="true">
              {record.name ?? record.code}
            </span>
          </nav>

          <div className="inspector-actions">
            <button onClick={() => onZoomTo(record)}>{t('inspector.zoomTo')}</button>
            {access && <span className="muted" title={t('role.rls')}>{t(access.write[selection.layer] ? 'inspector.editable' : 'inspector.readonly')}</span>}
          </div>

          {record.checks.length > 0 && (
            <section>
              <h3>{t('inspector.checks')}</h3>
              <ul className="checks">
                {record.checks.map((check) => (
                  <li key={check.key} className={check.ok === null ? 'unknown' : check.ok ? 'ok' : 'fail'} data-check={check.key}>
                    <div className="check-line">
                      <span className="check-mark" aria-hidden>
                        {check.ok === null ? '?' : check.ok ? '✓' : '✗'}
                      </span>
                      <span className="check-label">{lang === 'zh' ? check.label_zh : check.label_en}</span>
                      <span className="check-verdict">{t(check.ok === null ? 'inspector.unknown' : check.ok ? 'inspector.ok' : 'inspector.notOk')}</span>
                    </div>
                    <div className="check-figures">
                      {check.value === null ? t('inspector.unknown') : `${formatNumber(lang, check.value, 1)} ${unitText(check.unit)}`}
                      {' · '}
                      {t('inspector.standard')}{' '}
                      {check.min !== null && check.max !== null ? `${formatNumber(lang, check.min)}–${formatNumber(lang, check.max)}` : check.min !== null ? `≥ ${formatNumber(lang, check.min)}` : `≤ ${formatNumber(lang, check.max ?? 0)}`}{' '}
                      {unitText(check.unit)}
                    </div>
                    <div className="check-source">
                      {t('inspector.source')}: {check.source}
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          )}

          {children}

          {Object.keys(record.children).length > 0 && (
            <section>
              <h3>{t('inspector.children')}</h3>
              <ul className="children">
                {Object.entries(record.children).map(([key, n]) => (
                  <li key={key}>{childText(key, n)}</li>
                ))}
              </ul>
            </section>
          )}

          <section>
            <h3>{t('inspector.attributes')}</h3>
            <dl className="attributes">
              {record.area_m2 !== null && (
                <div className="attribute">
                  <dt>{t('inspector.area')}</dt>
                  <dd>{formatArea(lang, record.area_m2)}</dd>
                </div>
              )}
              {record.length_m !== null && record.attributes.length_m == null && (
                <div className="attribute">
                  <dt>{t('inspector.length')}</dt>
                  <dd>{formatLength(lang, record.length_m)}</dd>
                </div>
              )}
              {Object.entries(record.attributes)
                .filter(([key]) => !hidden.has(key))
                .map(([key, value]) => (
                  <div key={key} className="attribute">
                    <dt>{attributeLabel(key)}</dt>
                    <dd>{formatValue(t, lang, key, value)}</dd>
                  </div>
                ))}
            </dl>
          </section>
        </>
      )}
    </aside>
  )
}
