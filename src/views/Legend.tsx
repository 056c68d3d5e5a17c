// A legend for every visible layer, with units, in the colours as drawn (translucent fills
// over the land colour).
import type { ReactNode } from 'react'
import { useI18n } from '../i18n/react.tsx'
import { useStandards } from '../standards/context.ts'
import { gridBandOf } from '../standards/types.ts'
import {
  basemapColors,
  communityFill,
  communityOutline,
  cssColor,
  facilityColors,
  formerVillageLine,
  gridBandFill,
  gridOutline,
  landRgb,
  microGridBreaks,
  microGridRamp,
  over,
  streetLine,
  walkColors,
  type RGBA,
} from '../layers/palette.ts'
import { unitStyle, type MapLayer } from '../layers/zoom.ts'

const swatch = (color: RGBA) => cssColor([...over(color, landRgb), 255] as RGBA)

export function LegendRow({ fill, line, dot, children }: { fill?: string; line?: string; dot?: string; children: ReactNode }) {
  return (
    <li className="legend-row">
      {dot ? (
        <span className="legend-dot" style={{ background: dot }} />
      ) : (
        <span className="legend-swatch" style={{ background: fill ?? 'transparent', borderColor: line ?? 'transparent' }} />
      )}
      <span>{children}</span>
    </li>
  )
}

/** A heading over classes of fill colour, each swatch as it looks drawn over the land. */
function Classes({ heading, classes }: { heading: string; classes: { key: string; color: RGBA; label: string }[] }) {
  return (
    <li>
      <div className="legend-heading">{heading}</div>
      <ul>
        {classes.map(({ key, color, label }) => (
          <LegendRow key={key} fill={swatch(color)} line="#ffffff">
            {label}
          </LegendRow>
        ))}
      </ul>
    </li>
  )
}

/** `extra`: the open workspaces' entries, above the base map's. */
export function Legend({ drawn, basemap, extra }: { drawn: readonly MapLayer[]; basemap: boolean; extra?: ReactNode }) {
  const { t } = useI18n()
  const band = gridBandOf(useStandards())
  const sections: ReactNode[] = []
  for (const layer of drawn) {
    const filled = unitStyle(layer, drawn) === 'fill'
    if (layer === 'street') sections.push(<LegendRow key="street" line={cssColor(streetLine)}>{t('legend.street')}</LegendRow>)
    if (layer === 'community')
      sections.push(
        filled ? (
          <Classes
            key="community"
            heading={t('legend.community.type')}
            classes={(Object.keys(communityFill) as (keyof typeof communityFill)[]).map((type) => ({
              key: type,
              color: communityFill[type],
              label: t(`communityType.${type}`),
            }))}
          />
        ) : (
          <LegendRow key="community" line={cssColor(communityOutline)}>{t('legend.community.outline')}</LegendRow>
        ),
      )
    if (layer === 'grid')
      sections.push(
        filled && band ? (
          <Classes
            key="grid"
            heading={t('legend.grid.band', band)}
            classes={(['under', 'in', 'over'] as const).map((key) => ({ key, color: gridBandFill[key], label: t(`legend.grid.${key}`, band) }))}
          />
        ) : (
          <LegendRow key="grid" line={cssColor(gridOutline)}>{t('legend.grid.outline')}</LegendRow>
        ),
      )
    if (layer === 'micro_grid')
      sections.push(
        <Classes
          key="micro_grid"
          heading={t('legend.micro_grid.households')}
          classes={microGridRamp.map((color, i) => ({
            key: String(i),
            color,
            label:
              i === 0
                ? t('legend.below', { b: microGridBreaks[0] })
                : i === microGridBreaks.length
                  ? t('legend.above', { a: microGridBreaks[i - 1] })
                  : t('legend.range', { a: microGridBreaks[i - 1], b: microGridBreaks[i] - 1 }),
          }))}
        />,
      )
    if (layer === 'former_village') sections.push(<LegendRow key="former_village" line={cssColor(formerVillageLine)}>{t('legend.former_village')}</LegendRow>)
    if (layer === 'facility')
      sections.push(
        <li key="facility">
          <div className="legend-heading">{t('legend.facility')}</div>
          <ul>
            {(Object.keys(facilityColors) as (keyof typeof facilityColors)[]).map((type) => (
              <LegendRow key={type} dot={cssColor(facilityColors[type])}>
                {t(`facility.${type}`)}
              </LegendRow>
            ))}
          </ul>
        </li>,
      )
    if (layer === 'walk_edge')
      sections.push(
        <li key="walk_edge">
          <div className="legend-heading">{t('legend.walk_edge')}</div>
          <ul>
            <LegendRow fill={cssColor(walkColors.major)} line={cssColor(walkColors.majorCasing)}>{t('legend.walk.major')}</LegendRow>
            <LegendRow fill={cssColor(walkColors.minor)} line="#cccccc">{t('legend.walk.minor')}</LegendRow>
            <LegendRow fill={cssColor(walkColors.foot)}>{t('legend.walk.foot')}</LegendRow>
            <LegendRow fill={cssColor(walkColors.steps)}>{t('legend.walk.steps')}</LegendRow>
          </ul>
        </li>,
      )
  }
  return (
    <section className="legend panel" data-testid="legend" aria-label={t('legend.title')}>
      <h3>{t('legend.title')}</h3>
      <ul>
        {extra}
        {sections.length || extra ? sections : <li className="muted">{t('legend.empty')}</li>}
        {basemap && (
          <li>
            <div className="legend-heading">{t('legend.basemap')}</div>
            <ul>
              <LegendRow line={basemapColors.outline}>{t('legend.basemap.outline')}</LegendRow>
              <LegendRow fill={basemapColors.river}>{t('legend.basemap.water')}</LegendRow>
              <LegendRow fill={basemapColors.park}>{t('legend.basemap.park')}</LegendRow>
            </ul>
          </li>
        )}
      </ul>
    </section>
  )
}
