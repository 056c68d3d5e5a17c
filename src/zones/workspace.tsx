// The 三不管 zones as a workspace of the page: its URL keys, and what it draws, shows and does for
// the shared context (app/workspace.ts). Planners settle zones; leaders see where nobody is
// responsible.
import { useCallback, useMemo } from 'react'
import { defineWorkspace, type WorkspaceDrawing } from '../app/workspace.ts'
import { LegendRow } from '../views/Legend.tsx'
import { ZonesPanel } from './ZonesPanel.tsx'
import {
  declaredCollection,
  declaredInk,
  declaredSource,
  hatchCss,
  hatchImages,
  nestingCollection,
  nestingSource,
  zoneCollections,
  zoneFillLayer,
  zoneInks,
  zoneLabelsSource,
  zonesSource,
  zonesStyle,
} from './layers.ts'
import { useZones, type ZonesUrl } from './useZones.ts'

/**
 * No closer than this when zooming to a zone: the communities round it are still drawn (below
 * zoom 17, layers/zoom.ts). Not 16 itself: at exactly zoom 16.00, in Chromium on SwiftShader, the
 * hatch's clear pixels over a community's hole show the community's fill instead of the land.
 */
const zoneMaxZoom = 15.75
const emptyFeatures = { type: 'FeatureCollection' as const, features: [] }
/** The hatches never change: made once for the page. */
const images = hatchImages()

/** `zone=<id>` (the selected zone) and `zones-noise=1` (noise drawn), each left out while unset. */
export const zonesUrl = {
  keys: ['zone', 'zones-noise'] as const,
  parse(values: Readonly<Record<string, string | undefined>>): ZonesUrl {
    const zone = values.zone
    return { zone: zone && /^[go]-[0-9a-f]{10}$/.test(zone) ? zone : null, noise: values['zones-noise'] === '1' }
  },
  format(state: ZonesUrl): Record<string, string | null> {
    return { zone: state.zone, 'zones-noise': state.noise ? '1' : null }
  },
}

export const zonesWorkspace = defineWorkspace<ZonesUrl>({
  id: 'zones',
  title: 'workspace.zones',
  url: zonesUrl,
  useWorkspace(context, url, setUrl): WorkspaceDrawing {
    const { client, open, generation, access, role, t, lang, fitBounds, reloadUnits } = context
    // whether RLS lets this caller decide, as the database itself says (my_access)
    const writes = access?.write as Record<string, boolean | undefined> | undefined
    const canSettle = writes?.zone_decision === true
    const canDeclare = writes?.co_management === true
    const model = useZones(client, open, generation, reloadUnits)
    const result = model.found.data

    const select = useCallback(
      (id: string | null) => {
        setUrl((s) => ({ ...s, zone: id }))
        const zone = id ? result?.zones.find((z) => z.id === id) : undefined
        if (zone) fitBounds(zone.bbox, zoneMaxZoom)
      },
      [setUrl, result, fitBounds],
    )
    const featureClick = useMemo(
      () => ({ layers: [zoneFillLayer], onClick: (properties: Record<string, unknown>) => typeof properties.id === 'string' && select(properties.id) }),
      [select],
    )

    const style = useMemo(() => zonesStyle(open), [open])
    const data = useMemo(() => {
      const declared = open && model.declared.data ? declaredCollection(model.declared.data) : emptyFeatures
      if (!open || !result) return { [zonesSource]: emptyFeatures, [zoneLabelsSource]: emptyFeatures, [nestingSource]: emptyFeatures, [declaredSource]: declared }
      const drawn = zoneCollections(result.zones, { lang, showNoise: url.noise, selected: url.zone })
      return { [zonesSource]: drawn.zones, [zoneLabelsSource]: drawn.labels, [nestingSource]: nestingCollection(result.nesting), [declaredSource]: declared }
    }, [open, result, lang, url.noise, url.zone, model.declared.data])

    const loading: string[] = []
    if (open) {
      if (model.found.loading) loading.push(t('zones.detecting'))
      if (model.summary.loading) loading.push(t('zones.loading.summary'))
      if (model.decisions.loading) loading.push(t('zones.loading.decisions'))
    }
    const failed = open ? [model.found, model.summary, model.decisions, model.declared].find((f) => f.error) : undefined
    const hasDeclared = !!model.declared.data?.some((d) => !d.withdrawn_at)
    const hasSettled = !!result?.zones.some((z) => z.status === 'settled')

    const legend = open && (
      <li key="zones" data-testid="zones-legend">
        <div className="legend-heading">{t('legend.zones')}</div>
        <ul>
          <LegendRow fill={hatchCss('gap')} line={zoneInks.gap}>{t('legend.zones.gap')}</LegendRow>
          <LegendRow fill={hatchCss('overlap')} line={zoneInks.overlap}>{t('legend.zones.overlap')}</LegendRow>
          {(hasSettled || url.zone) && <LegendRow fill={hatchCss('settled')} line={zoneInks.settled}>{t('legend.zones.settled')}</LegendRow>}
          {url.noise && <LegendRow fill={hatchCss('gap')} line={zoneInks.gap}>{t('legend.zones.noise')}</LegendRow>}
          {hasDeclared && (
            <LegendRow fill={`${declaredInk}24`} line={declaredInk}>
              {t('legend.zones.declared')}
            </LegendRow>
          )}
          {!!result?.nesting.length && <LegendRow fill={hatchCss('nesting')} line={zoneInks.nesting}>{t('legend.zones.nesting')}</LegendRow>}
          <li className="legend-row muted">{t('legend.zones.label')}</li>
        </ul>
      </li>
    )

    return {
      layers: [],
      style,
      data,
      images: open ? images : undefined,
      featureClick: open ? featureClick : undefined,
      panel: open ? <ZonesPanel model={model} url={url} select={select} setUrl={setUrl} role={role} canSettle={canSettle} canDeclare={canDeclare} /> : null,
      legend,
      inspector: null,
      loading,
      error: failed ? { message: t('zones.failed', { message: failed.error! }), retry: failed.retry } : null,
    }
  },
})
