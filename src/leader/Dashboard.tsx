// The leader's dashboard beside the map: the city's totals with their lights and standards (a
// click shows the source and the rule), the indicator the map is coloured by, the communities'
// table, the charts, and the report and CSV buttons; the data's time and the walk, small.
import { lazy, Suspense, useState, Component, type ReactNode } from 'react'
import type { AtlasClient } from '../data/client.ts'
import { formatArea, formatWhen } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import { lightColors, lightShort, needsOf } from './choropleth.ts'
import { CommunityTable } from './CommunityTable.tsx'
import { Exports } from './Exports.tsx'
import { labelOf, levelValue, ruleOf, standardOf } from './report/words.ts'
import type { IndicatorInfo, IndicatorKey, Indicators } from './types.ts'
import type { LeaderUrl, Sort } from './url.ts'
import './leader.css'

const Charts = lazy(() => import('./Charts.tsx'))

/** A chunk that fails to load (a stale tab after a deploy) says so in words, not a blank panel. */
class ChartsBoundary extends Component<{ message: (error: string) => string; children: ReactNode }, { error: string | null }> {
  state = { error: null as string | null }
  static getDerivedStateFromError(error: unknown) {
    return { error: (error as Error)?.message ?? String(error) }
  }
  render() {
    return this.state.error ? <p className="inline-error">{this.props.message(this.state.error)}</p> : this.props.children
  }
}

function CityTotals({ indicators, base }: { indicators: Indicators; base: readonly IndicatorInfo[] }) {
  const { t, lang } = useI18n()
  const [open, setOpen] = useState<IndicatorKey | null>(null)
  return (
    <table className="leader-totals" data-testid="leader-city">
      <tbody>
        {base.map((info) => {
          const figure = indicators.city.indicators[info.key]
          const light = figure?.light ?? 'none'
          const needs = needsOf(info, figure, lang)
          const shown = open === info.key
          return [
            <tr
              key={info.key}
              data-testid="leader-total"
              data-key={info.key}
              data-value={figure?.value ?? ''}
              data-light={light}
              className={shown ? 'open' : undefined}
              title={`${t('leader.source', { source: info.source })}\n${ruleOf(info, lang)}`}
              onClick={() => setOpen(shown ? null : info.key)}
            >
              <th scope="row">
                <button type="button" className="leader-total-name" aria-expanded={shown}>
                  {labelOf(info, lang)}
                </button>
                <div className="standard">{standardOf(info, lang)}</div>
                {needs && <div className="needs" data-testid="leader-needs">{t('leader.needs', { needs })}</div>}
                {info.key === 'zones_open' && Number(figure?.parts.declared ?? 0) > 0 && (
                  <div className="standard" data-testid="leader-declared">
                    {t('leader.declared', { n: Number(figure?.parts.declared), area: formatArea(lang, Number(figure?.parts.declared_m2 ?? 0)) })}
                  </div>
                )}
              </th>
              <td className="n value">{levelValue(info, 'city', figure, lang)}</td>
              <td className="light">
                <span className="light-dot" style={{ background: lightColors[light] }} aria-hidden />
                {lightShort(info, figure, lang)}
              </td>
            </tr>,
            shown && (
              <tr key={`${info.key}-detail`} className="leader-total-detail" data-testid="leader-total-detail">
                <td colSpan={3}>
                  <div>{t('leader.source', { source: info.source })}</div>
                  <div className="muted">{t('leader.rule', { rule: ruleOf(info, lang) })}</div>
                </td>
              </tr>
            ),
          ]
        })}
      </tbody>
    </table>
  )
}

export interface DashboardProps {
  client: AtlasClient
  indicators: Indicators
  /** The catalogue's base indicators, in its order: the totals' rows and the table's columns. */
  base: readonly IndicatorInfo[]
  /** What the map is coloured by, resolved against the catalogue. */
  info: IndicatorInfo
  streetNames: ReadonlyMap<string, string>
  url: LeaderUrl
  setUrl: (update: (state: LeaderUrl) => LeaderUrl) => void
  standard: number | null
  selected: string | null
  onChoose: (code: string) => void
  onBusy: (busy: boolean) => void
}

export function Dashboard({ client, indicators, base, info, streetNames, url, setUrl, standard, selected, onChoose, onBusy }: DashboardProps) {
  const { t, lang } = useI18n()
  const perType = indicators.catalogue.filter((i) => i.facility_type)
  return (
    <section className="leader-panel panel" data-testid="leader-panel" aria-label={t('workspace.leader')}>
      <h3>{t('leader.cityOf', { name: indicators.city.name })}</h3>
      <p className="leader-meta muted" data-testid="leader-meta" title={t('leader.computedAt', { when: formatWhen(lang, indicators.computed_at) })}>
        {t('leader.dataTime', { when: formatWhen(lang, indicators.data_timestamp) })} · {t('leader.params', { minutes: indicators.params.minutes, speed: String(indicators.params.speed_m_per_min) })}
      </p>
      <CityTotals indicators={indicators} base={base} />
      <p className="muted leader-hint">{t('leader.detailHint')}</p>

      <label className="leader-chooser">
        <span>{t('leader.indicator')}</span>
        <select data-testid="leader-indicator" value={info.key} onChange={(e) => setUrl((s) => ({ ...s, indicator: e.target.value as IndicatorKey }))}>
          <optgroup label={t('leader.indicators.base')}>
            {base.map((i) => (
              <option key={i.key} value={i.key}>
                {labelOf(i, lang)}
              </option>
            ))}
          </optgroup>
          {perType.length > 0 && (
            <optgroup label={t('leader.indicators.perType')}>
              {perType.map((i) => (
                <option key={i.key} value={i.key}>
                  {labelOf(i, lang)}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>

      <h4>
        {t('leader.communities', { n: indicators.communities.length })} <span className="leader-hint">{t('leader.sortHint')}</span>
      </h4>
      <CommunityTable
        communities={indicators.communities}
        columns={base}
        streetNames={streetNames}
        sort={url.sort}
        onSort={(sort: Sort) => setUrl((s) => ({ ...s, sort }))}
        indicator={info.key}
        selected={selected}
        onChoose={onChoose}
      />

      <h4>{t('leader.charts')}</h4>
      <ChartsBoundary message={(message) => t('leader.chart.failed', { message })}>
        <Suspense fallback={<p className="muted">{t('leader.chart.loading')}</p>}>
          <Charts info={info} communities={indicators.communities} streets={indicators.streets} standard={standard} selected={selected} onChoose={onChoose} />
        </Suspense>
      </ChartsBoundary>

      <h4>{t('leader.exports')}</h4>
      <Exports client={client} indicators={indicators} indicator={info.key} onBusy={onBusy} />
    </section>
  )
}
