// The leader's view as a workspace of the page: the communities coloured by a chosen indicator,
// the dashboard of the city's and the communities' indicators with their lights beside the map,
// the report and the CSV. Its URL keys: ./url.ts. Every figure and light comes from SQL
// (public.indicators()); the colours and classes from ./choropleth.ts, as the PDF draws them.
import { useCallback, useMemo, useState } from 'react'
import { defineWorkspace, type WorkspaceDrawing } from '../app/workspace.ts'
import { workspacePadding } from '../map/MapView.tsx'
import { LegendRow } from '../views/Legend.tsx'
import { choropleth, lightColors, lightShort, needsOf } from './choropleth.ts'
import { Dashboard } from './Dashboard.tsx'
import { boxForRoom } from './fit.ts'
import { formatValue, labelOf } from './report/words.ts'
import { communityCollection, communityFillLayer, communitiesSource, geometryBbox, leaderStyle, selectedInk, streetCollection, streetInk, streetsSource, valueOf } from './layers.ts'
import type { IndicatorInfo } from './types.ts'
import { baseIndicatorKeys, defaultIndicator, leaderUrl, type LeaderUrl } from './url.ts'
import { useIndicators } from './useIndicators.ts'

export { leaderUrl }

/** Close enough to read a community and its neighbours, not so close that its grids take over. */
const communityMaxZoom = 15
/** From grid zoom on a click picks the unit under it again (a grid, a facility), not the community. */
const communityClickMaxZoom = 13
/** The inspector's width and margin (app.css): a chosen community lands clear of it. */
const inspectorRoom = 366
const emptyFeatures = { type: 'FeatureCollection' as const, features: [] }

/** The room between the dashboard and the inspector, measured on the page as it is now. */
function measuredRoom() {
  const map = document.getElementById('map')?.getBoundingClientRect()
  const side = document.querySelector('.side')?.getBoundingClientRect()
  if (!map || !side) return null
  return { width: map.width, height: map.height, fit: workspacePadding, clear: { left: side.right - map.left + 16, right: inspectorRoom }, maxZoom: communityMaxZoom }
}

export const leaderWorkspace = defineWorkspace<LeaderUrl>({
  id: 'leader',
  title: 'workspace.leader',
  url: leaderUrl,
  useWorkspace(context, url, setUrl): WorkspaceDrawing {
    const { client, open, generation, t, lang, selection, zoom, select, fitBounds } = context
    const model = useIndicators(client, open, generation)
    const { data } = model
    const [reporting, setReporting] = useState(false)

    const base = useMemo(() => (data ? data.catalogue.filter((i) => (baseIndicatorKeys as readonly string[]).includes(i.key)) : []), [data])
    // an indicator the catalogue does not know (a facility type since removed) falls back to the default
    const info: IndicatorInfo | undefined = model.catalogue?.get(url.indicator) ?? model.catalogue?.get(defaultIndicator) ?? base[0]
    const classes = useMemo(() => (data && info ? choropleth(info, data.communities.map((c) => valueOf(c, info.key)), lang) : null), [data, info, lang])
    const selected = selection?.layer === 'community' ? selection.code : null

    const shapes = model.shapes.data
    const choose = useCallback(
      (code: string) => {
        select({ layer: 'community', code })
        const shape = shapes?.communities.features.find((f) => String(f.properties?.code) === code)
        const box = shape?.geometry ? geometryBbox(shape.geometry) : null
        const room = measuredRoom()
        if (box) fitBounds(room ? boxForRoom(box, room) : box, communityMaxZoom)
      },
      [select, shapes, fitBounds],
    )
    const featureClick = useMemo(
      () => ({ layers: [communityFillLayer], onClick: (properties: Record<string, unknown>) => typeof properties.code === 'string' && select({ layer: 'community', code: properties.code }) }),
      [select],
    )

    const style = useMemo(() => leaderStyle(open), [open])
    const mapData = useMemo(() => {
      if (!open || !shapes || !classes || !info || !model.communities) return { [communitiesSource]: emptyFeatures, [streetsSource]: emptyFeatures }
      return {
        [communitiesSource]: communityCollection(shapes.communities, model.communities, info.key, classes, selected),
        [streetsSource]: streetCollection(shapes.streets),
      }
    }, [open, shapes, classes, info, model.communities, selected])

    const loading: string[] = []
    if (open) {
      if (model.figures.loading) loading.push(t('leader.loading.indicators'))
      if (model.shapes.loading) loading.push(t('leader.loading.shapes'))
      if (reporting) loading.push(t('leader.loading.report'))
    }
    const error = !open
      ? null
      : model.figures.error
        ? { message: t('leader.failed', { message: model.figures.error }), retry: model.figures.retry }
        : model.shapes.error
          ? { message: t('leader.shapesFailed', { message: model.shapes.error }), retry: model.shapes.retry }
          : null

    // the standard as the break it is on the map: '≥ 18 人/万人', '≤ 0 处'
    const standardText = classes?.standard && info ? `${info.direction === 'max' ? '≤' : '≥'} ${formatValue(classes.standard.value, info.unit, lang)}` : ''
    const legend = open && classes && info && (
      <li key="leader" data-testid="leader-legend" data-indicator={info.key}>
        <div className="legend-heading">{labelOf(info, lang)}</div>
        <ul>
          {/* high values on top; the standard marked between the classes it parts */}
          {[...classes.classes].reverse().flatMap((c) => [
            <LegendRow key={c.color + c.label} fill={c.color} line="#ffffff">
              <span data-testid="leader-legend-class" data-color={c.color}>
                {c.label}
              </span>
            </LegendRow>,
            classes.standard && c.from === classes.standard.value ? (
              <li key="standard" className="legend-row leader-legend-standard" data-testid="leader-legend-standard">
                <span>
                  {t('legend.leader.standard', { standard: standardText })}
                  {!/^[≥≤]/.test(classes.standard.label) && <span className="muted"> · {classes.standard.label}</span>}
                </span>
              </li>
            ) : null,
          ])}
          <LegendRow fill={classes.noData} line="#ffffff">
            {t('legend.leader.noData')}
          </LegendRow>
          <LegendRow line={selectedInk}>{t('legend.leader.selected')}</LegendRow>
          <LegendRow line={streetInk}>{t('legend.leader.street')}</LegendRow>
        </ul>
        <div className="muted leader-legend-source">{t('legend.leader.source', { source: info.source })}</div>
      </li>
    )

    const unit = selected ? model.communities?.get(selected) : undefined
    const inspector = open && unit && (
      <section className="leader-inspector" data-testid="leader-inspector">
        <h3>{t('leader.inspector')}</h3>
        <table className="leader-inspector-table">
          <tbody>
            {base.map((i) => {
              const figure = unit.indicators[i.key]
              const light = figure?.light ?? 'none'
              const needs = needsOf(i, figure, lang)
              return (
                <tr key={i.key} data-key={i.key} data-light={light}>
                  <th scope="row">{labelOf(i, lang)}</th>
                  <td className="n">{formatValue(figure?.value, i.unit, lang)}</td>
                  <td>
                    <span className="light-dot" style={{ background: lightColors[light] }} aria-hidden />
                    {lightShort(i, figure, lang)}
                    {needs && <div className="needs">{t('leader.needs', { needs })}</div>}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </section>
    )

    return {
      layers: [],
      style,
      data: mapData,
      featureClick: open && zoom < communityClickMaxZoom ? featureClick : undefined,
      panel:
        open && data && info ? (
          <Dashboard
            client={client}
            indicators={data}
            base={base}
            info={info}
            streetNames={model.streetNames!}
            url={url}
            setUrl={setUrl}
            standard={classes?.standard?.value ?? null}
            selected={selected}
            onChoose={choose}
            onBusy={setReporting}
          />
        ) : null,
      legend,
      inspector,
      loading,
      error,
    }
  },
})
