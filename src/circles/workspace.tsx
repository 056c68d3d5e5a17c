// The service circles (8分钟服务圈) as a workspace of the page: its URL keys, and what it draws,
// shows and does for the shared context (app/workspace.ts).
import type { Layer } from '@deck.gl/core'
import { useMemo } from 'react'
import { defineWorkspace, type WorkspaceDrawing } from '../app/workspace.ts'
import { defaultWalk } from '../shared/defaults.ts'
import { useStandards } from '../standards/context.ts'
import { walkOf } from '../standards/types.ts'
import type { AtlasFeature } from '../data/types.ts'
import { formatNumber } from '../i18n/core.ts'
import { translateValue } from '../i18n/index.ts'
import { cssColor, withAlpha } from '../layers/palette.ts'
import { facilityTypes } from '../shared/layers.ts'
import { LegendRow } from '../views/Legend.tsx'
import { CirclesPanel, typeName } from './CirclesPanel.tsx'
import { CoverageSection } from './CoverageSection.tsx'
import { withCompoundLand } from './display.ts'
import {
  bandOpacity,
  circleStyle,
  circlesSource,
  markerLayer,
  markerRadius,
  newlyColor,
  newlyLayer,
  proposalsLayer,
  proposedCircleLayer,
  typeColor,
  uncoveredColor,
  uncoveredLayer,
  type ResidencePoint,
} from './layers.ts'
import type { Proposal } from './types.ts'
import { bandMinutes, defaultCirclesUrl, useCircles, type CirclesUrl } from './useCircles.ts'
import { useCompoundLand, type WhatIfResult } from './useWhatIf.ts'
import type { CirclePointsJson } from './engine/model.ts'

const emptyFeatures = { type: 'FeatureCollection' as const, features: [] }
const extras = ['bands', 'uncovered'] as const

/**
 * `circles=<minutes>/<speed>/<uncovered type>` and `circles-show=<types…>,bands,uncovered` (what is
 * drawn), each left out while it is the default: the city's standard walk, basic, every type and the
 * uncovered residences.
 */
export const circlesUrl = {
  keys: ['circles', 'circles-show'] as const,
  parse(values: Readonly<Record<string, string | undefined>>): CirclesUrl {
    const state: CirclesUrl = { ...defaultCirclesUrl }
    const [minutes, speed, type] = (values.circles ?? '').split('/')
    const m = Number(minutes)
    const s = Number(speed)
    if (minutes && m >= 1 && m <= 60) state.minutes = m
    if (speed && s > 0 && s <= 200) state.speed = s
    state.walkGiven = (!!minutes && m >= 1 && m <= 60) || (!!speed && s > 0 && s <= 200)
    if (type === 'basic' || (facilityTypes as readonly string[]).includes(type)) state.uncoveredType = type
    const show = values['circles-show']
    if (show !== undefined) {
      const items = show.split(',')
      state.types = facilityTypes.filter((t) => items.includes(t))
      state.bands = items.includes('bands')
      state.uncovered = items.includes('uncovered')
    }
    return state
  },
  format(state: CirclesUrl): Record<string, string | null> {
    const d = defaultCirclesUrl
    const params = state.walkGiven || state.uncoveredType !== d.uncoveredType
    const shown = [...facilityTypes.filter((t) => state.types.includes(t)), ...extras.filter((x) => state[x])]
    const defaultShown = [...d.types, ...extras.filter((x) => d[x])]
    return {
      // a walk left to the standards is left out: circles=//health_station
      circles: params ? (state.walkGiven ? `${state.minutes}/${state.speed}` : '/') + `/${state.uncoveredType}` : null,
      'circles-show': shown.join(',') === defaultShown.join(',') ? null : shown.join(','),
    }
  },
}

/** The residences a what-if newly covers, with their positions from circle_points(). */
function residencesOf(points: CirclePointsJson | null, result: WhatIfResult | null | undefined): ResidencePoint[] {
  if (!points || !result?.ok) return []
  return result.newly.map((i) => {
    const [code, lon, lat, households, residents] = points.residences[i]
    return { code, position: [Number(lon), Number(lat)], households: Number(households), residents: Number(residents) }
  })
}

export const circlesWorkspace = defineWorkspace<CirclesUrl>({
  id: 'circles',
  title: 'workspace.circles',
  url: circlesUrl,
  useWorkspace(context, given, setUrl): WorkspaceDrawing {
    const { client, open, generation, access, role, t, lang, selection, bounds, zoom } = context
    // the walk is the city's standards' unless the URL chose one
    const standardWalk = walkOf(useStandards(), defaultWalk)
    const url = useMemo(
      () => (given.walkGiven ? given : { ...given, ...standardWalk }),
      // eslint-disable-next-line react-hooks/exhaustive-deps -- the walk by its two numbers
      [given, standardWalk.minutes, standardWalk.speed],
    )
    // whether RLS lets this caller save a proposal, as the database itself says (my_access)
    const canPropose = access?.write.proposed_facility === true
    const model = useCircles(client, open, generation, canPropose, url, bounds, zoom)
    const { circles, uncovered, saved, whatIf, engine, city, status } = model

    const style = useMemo(() => circleStyle({ open, minutes: url.minutes, types: url.types, bands: url.bands }), [open, url.minutes, url.types, url.bands])
    const data = useMemo(() => ({ [circlesSource]: open && circles.data ? circles.data : emptyFeatures }), [open, circles.data])

    // drawn where the latest answer was computed: the marker and its circle move together, and
    // nothing new is drawn between a click and its answer (a frame there would delay the answer)
    const answer = whatIf.placed ? whatIf.result : null
    // the compounds its walk enters through a gate: their land within reach is the circle's, as a stored circle's
    const answerLand = useCompoundLand(client, answer)
    const comparedLand = useCompoundLand(client, whatIf.compared?.result)
    const cityZoom = zoom < 13
    const layers = useMemo(() => {
      if (!open) return []
      const out: Layer[] = []
      if (url.uncovered && uncovered.data) out.push(uncoveredLayer(uncovered.data.features as AtlasFeature[], cityZoom ? 12 : 14))
      const compared = whatIf.compared
      if (compared?.result?.ok) {
        out.push(proposedCircleLayer('circles/compare-circle', withCompoundLand(compared.result.polygon, comparedLand), compared.proposal.facility_type))
        out.push(newlyLayer('circles/compare-newly', residencesOf(model.points.data, compared.result)))
      }
      if (saved.data?.length) out.push(proposalsLayer(saved.data, compared?.proposal.id ?? null))
      if (answer) {
        if (answer.ok) {
          out.push(proposedCircleLayer('circles/whatif-circle', withCompoundLand(answer.polygon, answerLand), answer.request.type))
          out.push(newlyLayer('circles/whatif-newly', residencesOf(model.points.data, answer)))
        }
        out.push(markerLayer([answer.request.lon, answer.request.lat], answer.request.type))
      }
      return out
    }, [open, url.uncovered, uncovered.data, saved.data, whatIf.compared, comparedLand, answer, answerLand, model.points.data, cityZoom])

    const loading: string[] = []
    if (open) {
      if (status.loading || circles.loading) loading.push(t('circles.loading.circles'))
      if (city.loading) loading.push(t('circles.loading.coverage'))
      if (uncovered.loading) loading.push(t('circles.loading.uncovered'))
      if (saved.loading) loading.push(t('circles.loading.proposals'))
      if (model.points.loading) loading.push(t('circles.loading.points'))
      if (engine.stage === 'fetching' || engine.stage === 'building') loading.push(t('circles.loading.engine'))
    }
    const failed = open ? [status, circles, city, uncovered, saved, model.points].find((f) => f.error) : undefined

    const speedText = String(url.speed)
    const legend = open && (
      <>
        <li key="circles">
          <div className="legend-heading">{t('legend.circles', { minutes: formatNumber(lang, url.minutes, 1), speed: speedText })}</div>
          <ul>
            {url.types.map((type) => (
              <LegendRow key={type} fill={cssColor(withAlpha(typeColor(type), 45))} line={cssColor(typeColor(type))}>
                {typeName(t, type)}
              </LegendRow>
            ))}
            {url.bands &&
              bandMinutes
                .filter((m) => m !== url.minutes)
                .map((m) => (
                  <LegendRow key={m} line={`rgba(29, 39, 51, ${bandOpacity[m]})`}>
                    {t('legend.circles.band', { minutes: m })}
                  </LegendRow>
                ))}
          </ul>
        </li>
        {url.uncovered && (
          <LegendRow key="uncovered" dot={cssColor(uncoveredColor)}>
            {t('legend.circles.uncovered', { what: typeName(t, url.uncoveredType) })}
          </LegendRow>
        )}
        {(whatIf.placed || whatIf.compared) && (
          <>
            <LegendRow key="proposed" fill={cssColor([29, 39, 51, 40])} line="#1d2733">
              {t('legend.circles.proposed')}
            </LegendRow>
            <LegendRow key="newly" dot={cssColor(newlyColor)}>
              {t('legend.circles.newly')}
            </LegendRow>
          </>
        )}
        {!!saved.data?.length && (
          <LegendRow key="proposal" dot="#1d2733">
            {t('legend.circles.proposal')}
          </LegendRow>
        )}
      </>
    )

    const inspector =
      open && selection && (selection.layer === 'community' || selection.layer === 'street') ? (
        <CoverageSection client={client} layer={selection.layer} code={selection.code} params={model.params} city={city.data} generation={generation} />
      ) : null

    // trying a facility: every click places it, until it is saved or cancelled
    const placing = open && whatIf.mode !== 'off'
    return {
      layers,
      style,
      data,
      panel: open ? <CirclesPanel model={model} url={url} setUrl={setUrl} role={role} access={access} canPropose={canPropose} /> : null,
      legend,
      inspector,
      onMapClick: placing
        ? (lngLat) => {
            whatIf.place(lngLat[0], lngLat[1])
            return true
          }
        : undefined,
      cursor: placing ? 'crosshair' : undefined,
      drag:
        open && answer
          ? { at: [answer.request.lon, answer.request.lat], radius: markerRadius, onMove: ([lon, lat]) => whatIf.drag(lon, lat), onEnd: ([lon, lat]) => whatIf.drag(lon, lat, true) }
          : undefined,
      tooltip: (layerId, object) => {
        if (layerId === 'circles/uncovered') {
          const p = (object as AtlasFeature).properties
          const minutes = p.minutes === null || p.minutes === undefined ? t('tooltip.unreachable') : t('tooltip.minutes', { n: formatNumber(lang, Number(p.minutes), 1) })
          return t('tooltip.uncovered', { name: String(p.name ?? p.code), households: Number(p.households), residents: Number(p.residents), minutes })
        }
        if (layerId === 'circles/proposals') {
          const p = object as Proposal
          return t('tooltip.proposal', { name: p.name, type: translateValue(t, 'facility', p.facility_type), households: p.new_households })
        }
        return null
      },
      loading,
      error: failed ? { message: t('circles.failed', { message: failed.error! }), retry: failed.retry } : null,
    }
  },
})
