// The inspector's section on a community's (or a street office's) service-circle coverage: per
// facility type and for all basic types, households covered of all, from coverage().
import { useEffect, useState } from 'react'
import type { AtlasClient } from '../data/client.ts'
import { toAtlasError } from '../data/errors.ts'
import { formatNumber, formatPercent } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import { cssColor } from '../layers/palette.ts'
import { coverage } from './api.ts'
import type { WalkParams } from './engine/isochrone.ts'
import type { Coverage, CoverageByType } from './types.ts'
import { share, typeName } from './CirclesPanel.tsx'
import { typeColor } from './layers.ts'

export interface CoverageSectionProps {
  client: AtlasClient
  layer: string
  code: string
  params: WalkParams
  /** The city's figures already fetched: a street office's are among them. */
  city: Coverage | null
  generation: number
}

export function CoverageSection({ client, layer, code, params, city, generation }: CoverageSectionProps) {
  const { t, lang } = useI18n()
  const [figures, setFigures] = useState<{ key: string; byType: CoverageByType | null; error: string | null } | null>(null)
  const key = `${layer}/${code}/${params.minutes}/${params.speed}/${generation}`
  useEffect(() => {
    if (layer !== 'community') return
    const controller = new AbortController()
    coverage(client, params, code, controller.signal)
      .then((found) => setFigures({ key, byType: found.communities.find((c) => c.code === code)?.coverage ?? null, error: null }))
      .catch((error) => !controller.signal.aborted && setFigures({ key, byType: null, error: toAtlasError(error).message }))
    return () => controller.abort()
  }, [client, layer, code, params, key])

  const byType = layer === 'street' ? (city?.streets.find((s) => s.code === code)?.coverage ?? null) : figures?.key === key ? figures.byType : null
  const loading = layer === 'community' ? figures?.key !== key : !city
  const types = byType ? ['basic', ...Object.keys(byType).filter((type) => type !== 'basic').sort()] : []
  return (
    <section className="coverage-section" data-testid="coverage-section">
      <h3>{t('coverage.title', { minutes: formatNumber(lang, params.minutes, 1), speed: String(params.speed) })}</h3>
      {loading && <div className="muted">{t('coverage.loading')}</div>}
      {figures?.key === key && figures.error && <div className="inline-error">{t('coverage.failed', { message: figures.error })}</div>}
      {!loading && !byType && !figures?.error && <div className="muted">{t('coverage.none')}</div>}
      {byType && (
        <table className="coverage-table">
          <thead>
            <tr>
              <th>{t('coverage.type')}</th>
              <th>{t('coverage.households')}</th>
              <th>{t('coverage.share')}</th>
            </tr>
          </thead>
          <tbody>
            {types.map((type) => {
              const f = byType[type]
              const total = f.households_covered + f.households_not_covered
              const p = share(f.households_covered, total)
              return (
                <tr key={type} className={type === 'basic' ? 'basic' : ''} data-type={type} data-households={f.households_covered} data-total={total}>
                  <td>
                    <span className="legend-dot" style={{ background: type === 'basic' ? '#1d2733' : cssColor(typeColor(type)) }} />
                    {typeName(t, type)}
                  </td>
                  <td>
                    {formatNumber(lang, f.households_covered)} / {formatNumber(lang, total)}
                  </td>
                  <td>
                    <div className="mini-bar" aria-hidden>
                      <div style={{ width: `${p}%` }} />
                    </div>
                    {formatPercent(lang, p)}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}
